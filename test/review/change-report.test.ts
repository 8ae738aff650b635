import { buildChangeReport, ChangeReport, Risk } from '../../lib/review';
import { deployment, meta, Obj, prng, statefulSet, tree } from './trees';

const report = (before: Obj[], after: Obj[], extra: Partial<Parameters<typeof buildChangeReport>[0]> = {}): ChangeReport =>
  buildChangeReport({ base: tree({ prod: before }), head: tree({ prod: after }), ...extra });

const kinds = (r: ChangeReport) => r.risks.map((x) => x.kind);
const only = (r: ChangeReport, kind: Risk['kind']) => r.risks.filter((x) => x.kind === kind);

const service = (name: string, type = 'ClusterIP', clusterIP?: string): Obj => ({
  apiVersion: 'v1', kind: 'Service', metadata: meta(name),
  spec: { type, ...(clusterIP ? { clusterIP } : {}), selector: { app: name }, ports: [{ port: 80 }] },
});

describe('risk flags', () => {
  test('no change, no report content', () => {
    const objs = [deployment('api', 'ghcr.io/acme/api:1.0.0')];
    const r = report(objs, objs);
    expect(r.empty).toBe(true);
    expect(r.risks).toEqual([]);
    expect(r.targets).toEqual([]);
  });

  test('delete-and-recreate: a renamed Deployment', () => {
    const r = report([deployment('api', 'x/api:1.0.0')], [{ ...deployment('api', 'x/api:1.0.0'), metadata: meta('api-v2', 'shop', { labels: deployment('api', 'x/api:1.0.0').metadata.labels }) }]);
    expect(kinds(r)).toContain('delete-and-recreate');
    expect(only(r, 'delete-and-recreate')[0]).toMatchObject({ level: 'high', folder: 'prod', object: 'Deployment/shop/api-v2' });
    expect(r.unacknowledgedHigh.length).toBeGreaterThan(0);
  });

  test('delete-and-recreate: a changed clusterIP', () => {
    const r = report([service('db', 'ClusterIP', '10.0.0.5')], [service('db', 'ClusterIP', 'None')]);
    expect(kinds(r)).toEqual(['delete-and-recreate']);
  });

  test('selector change', () => {
    const a = deployment('api', 'x/api:1.0.0');
    const b = deployment('api', 'x/api:1.0.0');
    b.spec.selector = { matchLabels: { 'app.kubernetes.io/name': 'api', tier: 'web' } };
    expect(kinds(report([a], [b]))).toContain('selector-change');
  });

  test('immutable field: Service type and StatefulSet serviceName', () => {
    expect(kinds(report([service('web')], [service('web', 'ExternalName')]))).toContain('immutable-field');
    const a = statefulSet('db', '10Gi');
    const b = statefulSet('db', '10Gi');
    b.spec.serviceName = 'db-peers';
    expect(kinds(report([a], [b]))).toEqual(['immutable-field']);
  });

  test('PVC template change, and data loss when a claim template disappears', () => {
    const grown = report([statefulSet('db', '10Gi')], [statefulSet('db', '20Gi')]);
    expect(kinds(grown)).toEqual(['pvc-template-change']);
    expect(grown.risks[0].level).toBe('high');
    const b = statefulSet('db', '10Gi');
    b.spec.volumeClaimTemplates = [];
    expect(kinds(report([statefulSet('db', '10Gi')], [b]))).toEqual(expect.arrayContaining(['pvc-template-change', 'data-loss']));
  });

  test('data loss: removing a StatefulSet, a PVC or a Namespace; removing a Deployment is not', () => {
    const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('cache'), spec: { resources: { requests: { storage: '1Gi' } } } };
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: meta('shop', null) };
    const r = report([statefulSet('db', '10Gi'), pvc, ns, deployment('api', 'x/api:1.0.0')], []);
    expect(only(r, 'data-loss').map((x) => x.object).sort()).toEqual(['Namespace/shop', 'PersistentVolumeClaim/shop/cache', 'StatefulSet/shop/db']);
    expect(only(r, 'data-loss').find((x) => x.object === 'StatefulSet/shop/db')!.message).toContain('back up first');
  });

  test('exposure widening: a new route, a new host on a route, a LoadBalancer; an unchanged route is not', () => {
    const route = (hosts: string[], paths = ['/']): Obj => ({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: meta('web'),
      spec: { hostnames: hosts, rules: [{ matches: paths.map((p) => ({ path: { type: 'PathPrefix', value: p } })), backendRefs: [{ name: 'web', port: 80 }] }] },
    });
    const added = report([], [route(['shop.acme.example'])]);
    expect(only(added, 'exposure-widening')[0].message).toContain('shop.acme.example/');
    const wider = report([route(['shop.acme.example'])], [route(['shop.acme.example', 'www.acme.example'])]);
    expect(only(wider, 'exposure-widening')[0].message).toContain('www.acme.example/');
    expect(only(wider, 'exposure-widening')[0].message).not.toContain('shop.acme.example/');
    const narrower = report([route(['shop.acme.example', 'www.acme.example'])], [route(['shop.acme.example'])]);
    expect(kinds(narrower)).toEqual([]);
    expect(kinds(report([service('web')], [service('web', 'LoadBalancer')]))).toContain('exposure-widening');
  });

  test('network widening: a new peer, a removed NetworkPolicy, relaxed mTLS; a removed peer is not', () => {
    const np = (peers: Obj[]): Obj => ({
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('api'),
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: peers, ports: [{ port: 8080, protocol: 'TCP' }] }] },
    });
    const web = { podSelector: { matchLabels: { app: 'web' } } };
    const all = { namespaceSelector: {} };
    expect(only(report([np([web])], [np([web, all])]), 'network-widening')[0].message).toContain('namespaceSelector');
    expect(kinds(report([np([web, all])], [np([web])]))).toEqual([]);
    expect(kinds(report([np([web])], []))).toEqual(['network-widening']);
    const pa = (mode: string): Obj => ({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: meta('default'), spec: { mtls: { mode } } });
    expect(kinds(report([pa('STRICT')], [pa('PERMISSIVE')]))).toEqual(['network-widening']);
    expect(kinds(report([pa('PERMISSIVE')], [pa('STRICT')]))).toEqual([]);
  });

  test('RBAC widening: new verbs, new subjects, a new Role; fewer verbs is not', () => {
    const role = (verbs: string[]): Obj => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('reader'), rules: [{ apiGroups: [''], resources: ['configmaps'], verbs }] });
    expect(only(report([role(['get'])], [role(['get', 'list'])]), 'rbac-widening')[0].message).toContain('configmaps: list');
    expect(kinds(report([role(['get', 'list'])], [role(['get'])]))).toEqual([]);
    expect(kinds(report([], [role(['get'])]))).toEqual(['rbac-widening']);
    const binding = (subjects: Obj[]): Obj => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('readers'), roleRef: { kind: 'Role', name: 'reader', apiGroup: 'rbac.authorization.k8s.io' }, subjects });
    const r = report([binding([{ kind: 'Group', name: 'devs' }])], [binding([{ kind: 'Group', name: 'devs' }, { kind: 'Group', name: 'contractors' }])]);
    expect(only(r, 'rbac-widening')[0].message).toContain('Group contractors');
  });

  test('secret source change: an ExternalSecret added, changed or removed', () => {
    const es = (key: string): Obj => ({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: meta('db'), spec: { secretStoreRef: { name: 'vault', kind: 'SecretStore' }, data: [{ secretKey: 'url', remoteRef: { key } }] } });
    expect(kinds(report([], [es('db/url')]))).toEqual(['secret-source-change']);
    expect(kinds(report([es('db/url')], [es('db/url2')]))).toEqual(['secret-source-change']);
    expect(kinds(report([es('db/url')], []))).toEqual(['secret-source-change']);
    expect(only(report([es('db/url')], [es('db/url2')]), 'secret-source-change')[0].level).toBe('medium');
  });

  test('policy exemptions: new and changed ones are risks, unchanged ones are not; an unknown base says so', () => {
    const objs = [deployment('api', 'x/api:1.0.0')];
    const head = [{ folder: 'prod', object: 'Deployment/shop/api', rule: 'hygiene-probes', reason: 'no health endpoint' }];
    const added = report(objs, objs, { exemptions: { base: [], head } });
    expect(only(added, 'policy-exemption')[0].message).toContain('new policy exemption: hygiene-probes');
    const changed = report(objs, objs, { exemptions: { base: [{ ...head[0], reason: 'old reason' }], head } });
    expect(only(changed, 'policy-exemption')[0].message).toContain('changed policy exemption');
    expect(kinds(report(objs, objs, { exemptions: { base: head, head } }))).toEqual([]);
    expect(only(report(objs, objs, { exemptions: { head } }), 'policy-exemption')[0].message).toContain('base unknown');
  });

  test('acknowledgements lift a risk for the objects they cover, with the reason shown', () => {
    const before = [statefulSet('db', '10Gi')];
    const after = [statefulSet('db', '20Gi')];
    const ack = { risk: 'pvc-template-change' as const, reason: 'PVCs expanded by runbook RB-12', scopePath: 'prod/shop/db', covers: ['prod|StatefulSet/shop/db'], folders: ['prod'] };
    const r = report(before, after, { acknowledgements: [ack] });
    expect(r.risks[0].acknowledged).toBe('PVCs expanded by runbook RB-12');
    expect(r.unacknowledgedHigh).toEqual([]);
    // another risk kind, or another object, stays unacknowledged
    expect(report(before, after, { acknowledgements: [{ ...ack, risk: 'data-loss' }] }).unacknowledgedHigh).toHaveLength(1);
    expect(report(before, after, { acknowledgements: [{ ...ack, covers: ['prod|StatefulSet/shop/other'] }] }).unacknowledgedHigh).toHaveLength(1);
    // a removed object is acknowledged by name on a scope that covers its target
    const removed = report(before, [], { acknowledgements: [{ risk: 'data-loss', reason: 'migrated to the managed database', scopePath: 'prod', covers: [], folders: ['prod'], object: 'StatefulSet/shop/db' }] });
    expect(removed.unacknowledgedHigh).toEqual([]);
    expect(report(before, [], { acknowledgements: [{ risk: 'data-loss', reason: 'x', scopePath: 'dev', covers: [], folders: ['dev'], object: 'StatefulSet/shop/db' }] }).unacknowledgedHigh).toHaveLength(1);
  });

  test('risks are sorted: unacknowledged high first, then acknowledged high, then medium', () => {
    const es: Obj = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: meta('a'), spec: {} };
    const r = report([statefulSet('db', '10Gi'), statefulSet('cache', '1Gi')], [es], {
      acknowledgements: [{ risk: 'data-loss', reason: 'ok', scopePath: 'prod', covers: [], folders: ['prod'], object: 'StatefulSet/shop/cache' }],
    });
    expect(r.risks.map((x) => `${x.level}${x.acknowledged ? '+ack' : ''} ${x.object}`)).toEqual([
      'high StatefulSet/shop/db', 'high+ack StatefulSet/shop/cache', 'medium ExternalSecret/shop/a',
    ]);
  });
});

describe('restarts and config generations', () => {
  test('a changed pod template restarts the replicas; other changes restart nothing', () => {
    const r = report([deployment('api', 'x/api:1.0.0', { replicas: 4 })], [deployment('api', 'x/api:1.1.0', { replicas: 4 })]);
    expect(r.targets[0].restarts).toEqual([{ workload: 'Deployment/shop/api', min: 4, max: 4 }]);
    expect(r.totals.restarts).toBe(4);
    const scaled = report([deployment('api', 'x/api:1.0.0', { replicas: 4 })], [deployment('api', 'x/api:1.0.0', { replicas: 6 })]);
    expect(scaled.targets[0].restarts).toEqual([]);
  });

  test('an autoscaled workload restarts its autoscaler range', () => {
    const hpa: Obj = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta('api'), spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 3, maxReplicas: 12 } };
    const r = report([deployment('api', 'x/api:1.0.0'), hpa], [deployment('api', 'x/api:1.1.0'), hpa]);
    expect(r.targets[0].restarts).toEqual([{ workload: 'Deployment/shop/api', min: 3, max: 12 }]);
  });

  test('immutable ConfigMaps added and removed are config generations', () => {
    const cm = (name: string, immutable = true): Obj => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(name), immutable, data: { a: name } });
    const r = report([cm('api-config-aaaa'), cm('plain', false)], [cm('api-config-bbbb'), cm('plain2', false)]);
    expect(r.targets[0].configAdded).toEqual(['ConfigMap/shop/api-config-bbbb']);
    expect(r.targets[0].configRetired).toEqual(['ConfigMap/shop/api-config-aaaa']);
  });
});

describe('promotion view', () => {
  test('versions per target in promotion order, with what moved', () => {
    const argo = (name: string, path: string, wave: number): Obj => ({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: meta(name, 'argocd', { annotations: { 'argocd.argoproj.io/sync-wave': String(wave) } }),
      spec: { source: { path: `dist/${path}` } },
    });
    const base = tree({ argocd: [argo('dev', 'dev', 0), argo('staging', 'staging/_teams/shop', 1), argo('prod', 'prod', 2)], prod: [deployment('api', 'x/api:1.0.0')], staging: [deployment('api', 'x/api:1.1.0')], dev: [deployment('api', 'x/api:1.1.0')] });
    const head = tree({ argocd: [argo('dev', 'dev', 0), argo('staging', 'staging/_teams/shop', 1), argo('prod', 'prod', 2)], prod: [deployment('api', 'x/api:1.1.0')], staging: [deployment('api', 'x/api:1.1.0')], dev: [deployment('api', 'x/api:1.1.0')] });
    const r = buildChangeReport({ base, head });
    expect(r.promotion.folders).toEqual(['dev', 'staging', 'prod']);
    const row = r.promotion.rows.find((x) => x.workload === 'shop/api')!;
    expect(row.versions.get('prod')).toEqual(['1.0.0', '1.1.0']);
    expect(row.versions.get('dev')).toEqual(['1.1.0', '1.1.0']);
  });
});

describe('the light scan of unchanged files', () => {
  test('reads what a parse reads: kind, name, namespace and version of generated manifests, or declines', () => {
    const { scanDocuments } = require('../../lib/review/change-report');
    const { toYaml } = require('../../lib/gitops/serialize');
    const YAML = require('yaml');
    const rand = prng(99);
    const alphabet = 'abcxyz019-._/: #"\'\\yesnoYN\u2028';
    // names as platforms write them, and now and then one that needs quoting (or a parse)
    const word = () => {
      const chars = rand() < 0.1 ? alphabet : 'abcdefghijklmnopqrstuvwxyz0123456789-';
      let s = 'abcdefghijklmnopqrstuvwxyz'[Math.floor(rand() * 26)];
      const n = Math.floor(rand() * 10);
      for (let i = 0; i < n; i++) s += chars[Math.floor(rand() * chars.length)];
      return s;
    };
    let declined = 0;
    for (let i = 0; i < 1000; i++) {
      const docs = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => ({
        apiVersion: 'apps/v1', kind: rand() < 0.5 ? 'Deployment' : word(),
        metadata: { annotations: { name: 'decoy', namespace: 'decoy' }, name: word(), ...(rand() < 0.7 ? { namespace: word() } : {}), labels: { 'app.kubernetes.io/name': word(), 'app.kubernetes.io/version': word(), other: word() } },
        spec: { template: { metadata: { name: 'nested-name-is-ignored' } } },
      }));
      const text = toYaml(docs);
      const scanned = scanDocuments(text);
      if (scanned === undefined) {
        declined++;
        continue;
      }
      const parsed = YAML.parseAllDocuments(text, { version: '1.1' }).map((d: any) => d.toJS());
      expect(scanned).toEqual(parsed.map((m: any) => ({ kind: m.kind, name: m.metadata.name, namespace: m.metadata.namespace, version: m.metadata.labels['app.kubernetes.io/version'], app: m.metadata.labels['app.kubernetes.io/name'] })));
    }
    // most files are read by the scan; the rest fall back to a parse
    expect(declined).toBeLessThan(500);
  });
});
