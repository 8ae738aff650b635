import { ApiObject, App, Chart } from 'cdk8s';
import { Policy } from '../../../lib';

const chart = new Chart(new App(), 'shop');
const oauth = new ApiObject(chart, 'oauth', {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'oauth', namespace: 'shop' },
  data: { clientId: 'Zm9vYmFyYmF6cXV4MTIzNDU2' },
});
Policy.exemptValue(oauth, 'hygiene-no-plaintext-credentials', 'data.clientId', 'a public OAuth client id, not a secret');
