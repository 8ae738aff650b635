import { ApiObject, App, Chart } from 'cdk8s';
import { GatewayCanaryRoute } from '../../lib/traffic';
import { crdSchemaErrors } from '../fixtures/crd-schema';

describe('GatewayCanaryRoute', () => {
  const c = new Chart(new App(), 'test');
  const route = new GatewayCanaryRoute(c, 'Route', {
    name: 'api', namespace: 'shop', parents: [{ name: 'public', namespace: 'gateway-system', sectionName: 'https' }],
    hostnames: ['api.example.com'], port: 8080, stableService: 'api-stable', canaryService: 'api-canary',
  });
  const [httpRoute] = c.node.findAll().filter((x): x is ApiObject => x instanceof ApiObject).map((o) => o.toJson());

  test('attaches to the gateway and splits one rule between the stable and canary Services, 100/0', () => {
    expect(httpRoute).toMatchObject({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'api', namespace: 'shop' } });
    expect(httpRoute.spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateway-system', sectionName: 'https' }],
      hostnames: ['api.example.com'],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [
          { group: '', kind: 'Service', name: 'api-stable', port: 8080, weight: 100 },
          { group: '', kind: 'Service', name: 'api-canary', port: 8080, weight: 0 },
        ],
      }],
    });
    expect(crdSchemaErrors(httpRoute)).toEqual([]);
  });

  test('configures the Argo Rollouts Gateway API plugin, with header routes on request', () => {
    expect(route.argoTrafficRouting()).toEqual({ plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'api', namespace: 'shop' } } });
    expect(route.argoTrafficRouting({ headerRoutes: true }).plugins['argoproj-labs/gatewayAPI'].useHeaderRoutes).toBe(true);
  });
});
