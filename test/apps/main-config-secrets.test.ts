// Done-when checks of the config and secrets capabilities on the example platform's committed dist/.
import * as path from 'path';
import * as YAML from 'yaml';
import { buildApp } from '../../apps/main';
import { configGenerationOf, contentHash, previousTreeOf } from '../../lib/config';
import { readTree } from '../../lib/gitops';
import { evaluateManifests, podTemplateOf, SECRET_RULES } from '../../lib/policy';
import { crdSchemaErrors } from '../fixtures/crd-schema';

const dist = readTree(path.resolve(__dirname, '../../dist'));
const TARGETS = ['dev', 'staging', 'prod/prod-eu-west-1', 'prod/prod-us-east-1'];

function folderOf(file: string): string {
  return TARGETS.find((t) => file.startsWith(`${t}/`)) ?? file.split('/')[0];
}

const objects = [...dist.entries()]
  .filter(([file]) => !file.endsWith('kustomization.yaml'))
  .flatMap(([file, text]) => YAML.parseAllDocuments(text, { version: '1.1' }).map((d) => ({ folder: folderOf(file), file, manifest: d.toJS() })));

describe('the example dist/: secrets', () => {
  test('holds no Secret object at all (no plaintext, no empty shells)', () => {
    expect(objects.filter((o) => o.manifest.kind === 'Secret')).toEqual([]);
  });

  test('holds no credential-looking value, and every Secret reference resolves in its target and namespace', () => {
    expect(evaluateManifests(objects.map(({ folder, manifest }) => ({ folder, manifest })), { rules: SECRET_RULES })).toEqual([]);
    // the references checked are real: the DATABASE_URL users, the database's password and the payment token
    // (a run-before Job's name ends in a hash of its spec)
    const refs = objects.flatMap((o) => (podTemplateOf(o.manifest)?.spec.containers ?? []).flatMap((c: any) => (c.env ?? []).filter((e: any) => e.valueFrom?.secretKeyRef)
      .map((e: any) => `${o.folder} ${o.manifest.metadata.name.replace(/-[0-9a-f]{10}$/, '')} ${e.name}=${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`)));
    for (const t of TARGETS) {
      expect(refs.filter((r) => r.startsWith(`${t} `)).sort()).toEqual([
        `${t} api DATABASE_URL=storefront-db/url`, `${t} api PAYMENT_PROVIDER_TOKEN=payment-provider/token`,
        `${t} db POSTGRES_PASSWORD=storefront-db/password`, `${t} db-migrate DATABASE_URL=storefront-db/url`,
        `${t} nightly-report DATABASE_URL=storefront-db/url`, `${t} order-worker AMQP_URL=storefront-rabbitmq/url`,
        `${t} order-worker DATABASE_URL=storefront-db/url`,
        `${t} payments-events KAFKA_CA=payments-kafka/ca.crt`, `${t} payments-events KAFKA_PASSWORD=payments-kafka/password`,
        `${t} payments-events KAFKA_USERNAME=payments-kafka/username`,
      ]);
    }
  });

  test('database credentials come from Vault through an ExternalSecret, a different store per environment', () => {
    for (const t of TARGETS) {
      const env = t.split('/')[0];
      const es = objects.find((o) => o.folder === t && o.manifest.kind === 'ExternalSecret' && o.manifest.metadata.namespace === 'storefront')!.manifest;
      expect(es.metadata.name).toBe('storefront-db');
      expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: `vault-${env}` });
      const store = objects.find((o) => o.folder === t && o.manifest.kind === 'ClusterSecretStore')!;
      // the store is the platform's (tenancy: `<target>/_platform/`)
      expect(store.file).toBe(`${t}/_platform/_cluster/secret-stores.yaml`);
      expect(store.manifest.metadata.name).toBe(`vault-${env}`);
      expect(store.manifest.spec.provider.vault.auth.kubernetes.role).toBe(`storefront-${env}`);
      expect(objects.find((o) => o.folder === t && o.manifest.kind === 'SealedSecret')!.manifest.metadata.name).toBe('payment-provider');
    }
  });

  test('ExternalSecret, ClusterSecretStore and SealedSecret validate against the vendored CRD schemas', () => {
    const custom = objects.filter((o) => ['ExternalSecret', 'ClusterSecretStore', 'SealedSecret'].includes(o.manifest.kind));
    // per target: the store, the database's, the queue's and the payments team's Kafka ExternalSecrets, the payment SealedSecret
    expect(custom).toHaveLength(TARGETS.length * 5);
    expect(custom.flatMap((o) => crdSchemaErrors(o.manifest).map((e) => `${o.file}: ${e}`))).toEqual([]);
  });

  test('the payment token rolls the API pods when its ciphertext changes (checksum on the pod template)', () => {
    for (const t of TARGETS) {
      const dep = objects.find((o) => o.folder === t && o.manifest.kind === 'Deployment' && o.manifest.metadata.name === 'api')!.manifest;
      expect(dep.spec.template.metadata.annotations['checksum.secrets.typed-manifests.io/definitions']).toMatch(/^payment-provider=[0-9a-f]{16}$/);
    }
  });
});

describe('the example dist/: config', () => {
  test('every mounted ConfigMap is immutable and named after its content', () => {
    let mounted = 0;
    for (const o of objects) {
      const t = podTemplateOf(o.manifest);
      for (const v of t?.spec.volumes ?? []) {
        if (!v.configMap) continue;
        mounted++;
        const cm = objects.find((x) => x.folder === o.folder && x.manifest.kind === 'ConfigMap' && x.manifest.metadata.name === v.configMap.name
          && x.manifest.metadata.namespace === o.manifest.metadata.namespace)?.manifest;
        expect(cm).toBeDefined();
        expect(cm.immutable).toBe(true);
        const keys = Object.keys(cm.data).sort();
        expect(cm.metadata.name).toBe(`${o.manifest.metadata.name}-${v.name}-${contentHash(keys.map((k) => [k, cm.data[k]]))}`);
        expect(configGenerationOf(cm)?.state).toBe('current');
      }
    }
    expect(mounted).toBe(TARGETS.length * 2); // api and checkout
  });

  test('the API mounts an application.yaml that differs per environment', () => {
    const text = (t: string) => objects.find((o) => o.folder === t && o.manifest.kind === 'ConfigMap' && o.manifest.metadata.name.startsWith('api-config-'))!.manifest.data['application.yaml'];
    expect(new Set(['dev', 'staging', 'prod/prod-eu-west-1'].map(text)).size).toBe(3);
    expect(YAML.parse(text('dev')).logging.level).toBe('debug');
  });

  test('after a config change, the next synth keeps the previous generation in dist/', () => {
    // the committed dist/ as it was before a change: the API's application.yaml had another log format
    const file = 'prod/prod-eu-west-1/storefront/api.yaml';
    // (a generation the library wrote: its name and content-sha256 mark follow its content)
    const cm = YAML.parseAllDocuments(dist.get(file)!).map((d) => d.toJS()).find((m) => m.kind === 'ConfigMap' && m.metadata.name.startsWith('api-config-'));
    const data = { ...cm.data, 'application.yaml': cm.data['application.yaml'].replace('format: json', 'format: text') };
    const digest = contentHash(Object.keys(data).sort().map((k) => [k, data[k]]), 64);
    const oldName = `api-config-${digest.slice(0, 10)}`;
    const older = dist.get(file)!.replace(/name: api-config-[0-9a-f]{10}/, `name: ${oldName}`).replace('format: json', 'format: text')
      .replace(/content-sha256: [0-9a-f]{64}/, `content-sha256: ${digest}`);
    const previous = new Map(dist).set(file, older);
    const files = buildApp().synthFiles(previousTreeOf(previous));
    const docs = YAML.parseAllDocuments(files.get(file)!).map((d) => d.toJS());
    const kept = docs.find((m) => m.metadata?.name === oldName);
    expect(configGenerationOf(kept)).toEqual({ set: 'api-config', state: 'retained', rank: 1 });
    expect(kept.data['application.yaml']).toContain('format: text');
    expect(docs.filter((m) => configGenerationOf(m)?.state === 'current')).toHaveLength(1);
    // other files are untouched
    expect(files.get('dev/storefront/api.yaml')).toBe(dist.get('dev/storefront/api.yaml'));
  });
});
