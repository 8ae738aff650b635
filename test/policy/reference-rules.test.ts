import { ApiObject } from 'cdk8s';
import { isNamespacedKind, Policy, PolicyError, PolicyRules, REFERENCE_RULES } from '../../lib/policy';
import { addBundle, makeApp } from './app-fixtures';
import { Bundle, bundle, deployment, describeRuleCases, findings, hpa, LABELS, rolloutRef, RuleCase, SELECTOR } from './fixtures';

const HPA = { kind: 'HorizontalPodAutoscaler', namespace: 'shop', name: 'web' };
const NETPOL = { kind: 'NetworkPolicy', namespace: 'shop', name: 'web' };

/** A second workload `db` in `namespace` listening on 5432 (`postgres`). */
function db(namespace = 'shop'): any {
  const d = deployment('db', namespace);
  const labels = { ...LABELS, 'app.kubernetes.io/name': 'db', 'app.kubernetes.io/instance': 'db' };
  d.metadata.labels = labels;
  d.spec.selector.matchLabels = { 'app.kubernetes.io/name': 'db', 'app.kubernetes.io/instance': 'db' };
  d.spec.template.metadata.labels = labels;
  d.spec.template.spec.containers[0].ports = [{ name: 'postgres', containerPort: 5432 }];
  return d;
}

const DB_PEER = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'db' } } };

/** The web workload's own NetworkPolicy: ingress on `ports`, egress to `egress`. */
function webPolicy(ingressPorts: any[] | undefined, egress: any[] = []): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      podSelector: { matchLabels: { ...SELECTOR } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: ingressPorts ? [{ from: [{ podSelector: {} }], ports: ingressPorts }] : [],
      egress,
    },
  };
}

const configMap = (namespace?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', ...(namespace ? { namespace } : {}) }, data: { a: 'b' } });
const scaledObject = (target: { kind?: string; name: string }, name = 'web') => ({
  apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name, namespace: 'shop' },
  spec: { scaleTargetRef: target, minReplicaCount: 2, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } }] },
});
const add = (...objects: any[]) => (b: Bundle) => { b.extra.push(...objects); };

const CASES: { readonly [rule: string]: readonly RuleCase[] } = {
  'hygiene-namespaced-object': [
    { name: 'flags a Deployment without a namespace', mutate: (b) => { delete b.workload.metadata.namespace; }, fields: ['metadata.namespace'], object: { kind: 'Deployment', name: 'web' } },
    { name: 'flags a raw ConfigMap without a namespace', mutate: add(configMap()), fields: ['metadata.namespace'], object: { kind: 'ConfigMap', name: 'settings' } },
    { name: 'flags a custom resource the CRD declares namespaced', mutate: add({ ...scaledObject({ name: 'web' }), metadata: { name: 'web' } }), fields: ['metadata.namespace'], object: { kind: 'ScaledObject', name: 'web' } },
    { name: 'flags an empty namespace', mutate: add(configMap('')), fields: ['metadata.namespace'], object: { kind: 'ConfigMap', name: 'settings' } },
    {
      name: 'accepts cluster-scoped kinds and kinds it does not know without a namespace',
      mutate: add(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' } },
        { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'letsencrypt' }, spec: {} },
        { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
        configMap('shop'),
      ),
      fields: [],
    },
  ],
  'hygiene-scale-target': [
    { name: 'flags an HPA whose Deployment is not rendered', mutate: add(hpa({ kind: 'Deployment', name: 'webb' }, 2)), fields: ['spec.scaleTargetRef.name'], object: { ...HPA, name: 'webb' } },
    { name: 'flags an HPA targeting the workload in another namespace', mutate: add(hpa({ kind: 'Deployment', name: 'web' }, 2, 'other')), fields: ['spec.scaleTargetRef.name'], object: { ...HPA, namespace: 'other' } },
    { name: 'flags a ScaledObject whose default Deployment target is missing', mutate: add(scaledObject({ name: 'worker' }, 'worker')), fields: ['spec.scaleTargetRef.name'], object: { kind: 'ScaledObject', namespace: 'shop', name: 'worker' } },
    { name: 'accepts one HPA on an existing Deployment', mutate: add(hpa({ kind: 'Deployment', name: 'web' }, 2)), fields: [], object: HPA },
    { name: 'accepts one ScaledObject on an existing Deployment', mutate: add(scaledObject({ name: 'web' })), fields: [] },
  ],
  'hygiene-workload-ref': [
    { name: 'flags a Rollout whose Deployment is not rendered', mutate: (b) => { b.workload.metadata.name = 'api'; b.extra.push(rolloutRef(2)); }, fields: ['spec.workloadRef.name'], object: { kind: 'Rollout', namespace: 'shop', name: 'web' } },
    { name: 'accepts a Rollout whose Deployment is rendered beside it', mutate: (b) => { b.extra.push(rolloutRef(2)); }, fields: [] },
  ],
  'hygiene-network-port': [
    {
      name: 'flags an egress rule to a port the destination pods do not expose',
      mutate: (b) => { b.extra.push(db(), webPolicy(undefined, [{ to: [DB_PEER], ports: [{ protocol: 'TCP', port: 5433 }] }])); },
      fields: ['spec.egress[0].ports[0].port'], object: NETPOL,
    },
    {
      name: 'flags an egress rule naming a port name the destination pods do not have',
      mutate: (b) => { b.extra.push(db(), webPolicy(undefined, [{ to: [DB_PEER], ports: [{ port: 'postgresql' }] }])); },
      fields: ['spec.egress[0].ports[0].port'], object: NETPOL,
    },
    {
      name: 'flags the wrong protocol',
      mutate: (b) => { b.extra.push(db(), webPolicy(undefined, [{ to: [DB_PEER], ports: [{ protocol: 'UDP', port: 5432 }] }])); },
      fields: ['spec.egress[0].ports[0].port'], object: NETPOL,
    },
    {
      name: 'flags an ingress rule on a port its own pods do not expose',
      mutate: (b) => { b.extra.push(webPolicy([{ protocol: 'TCP', port: 8081 }])); },
      fields: ['spec.ingress[0].ports[0].port'], object: NETPOL,
    },
    {
      name: 'flags an egress rule to a workload of another namespace named by kubernetes.io/metadata.name',
      mutate: (b) => {
        b.extra.push(db('data'), webPolicy(undefined, [{ to: [{ ...DB_PEER, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } } }], ports: [{ port: 5433 }] }]));
      },
      fields: ['spec.egress[0].ports[0].port'], object: NETPOL,
    },
    {
      name: 'accepts ports by number, by name, by range, ingress on the declared port, and Istio sidecar ports',
      mutate: (b) => {
        b.extra.push(db(), webPolicy([{ port: 8080 }, { port: 'http' }, { port: 15090 }], [
          { to: [DB_PEER], ports: [{ protocol: 'TCP', port: 5432 }, { port: 'postgres' }, { port: 5000, endPort: 6000 }, { port: 15008 }] },
        ]));
      },
      fields: [], object: NETPOL,
    },
    {
      name: 'leaves alone peers it cannot resolve in the target, and pods that declare no ports',
      mutate: (b) => {
        const silent = db();
        delete silent.spec.template.spec.containers[0].ports;
        b.extra.push(silent, webPolicy(undefined, [
          { to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 1 }] },
          { to: [{ namespaceSelector: { matchLabels: { team: 'data' } } }], ports: [{ port: 2 }] },
          { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'elsewhere' } } }], ports: [{ port: 3 }] },
          { to: [DB_PEER], ports: [{ port: 4 }] },
        ]));
      },
      fields: [], object: NETPOL,
    },
  ],
};

describe('reference rules', () => {
  test('are registered in the catalogue under their ids', () => {
    expect(REFERENCE_RULES.map((r) => r.id)).toEqual(['hygiene-namespaced-object', 'hygiene-scale-target', 'hygiene-workload-ref', 'hygiene-network-port', 'hygiene-storage-class-declared']);
    for (const r of REFERENCE_RULES) expect(PolicyRules.find(r.id)).toBe(r);
  });

  test('know the scope of built-in kinds by group, and of CRD kinds from the CRDs', () => {
    expect(isNamespacedKind({ apiVersion: 'v1', kind: 'ConfigMap' })).toBe(true);
    expect(isNamespacedKind({ apiVersion: 'v1', kind: 'Namespace' })).toBe(false);
    expect(isNamespacedKind({ apiVersion: 'example.com/v1', kind: 'ConfigMap' })).toBeUndefined();
    expect(isNamespacedKind({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject' })).toBe(true);
    expect(isNamespacedKind({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ClusterAnalysisTemplate' })).toBe(false);
  });

  test('the compliant bundle passes them', () => {
    expect(findings(bundle()).filter((f) => REFERENCE_RULES.some((r) => r.id === f.rule))).toEqual([]);
  });

  test('both of two autoscalers on one workload are flagged, each naming the other', () => {
    const b = bundle();
    b.extra.push(hpa({ kind: 'Deployment', name: 'web' }, 2), scaledObject({ kind: 'Deployment', name: 'web' }, 'web-keda'));
    const found = findings(b, 'hygiene-scale-target');
    expect(found.map((f) => [f.object.kind, f.message.split(';')[0]])).toEqual([
      ['HorizontalPodAutoscaler', 'workload Deployment/web is also scaled by ScaledObject/web-keda'],
      ['ScaledObject', 'workload Deployment/web is also scaled by HorizontalPodAutoscaler/web'],
    ]);
  });

  test('the port message lists what the pods do expose', () => {
    const b = bundle();
    b.extra.push(db(), webPolicy(undefined, [{ to: [DB_PEER], ports: [{ port: 5433 }] }]));
    expect(findings(b, 'hygiene-network-port')[0].message).toContain('Deployment/db expose no TCP port 5433 (they expose 5432 (postgres))');
  });
});

describeRuleCases(CASES);

describe('reference rules at synth', () => {
  function renderError(app: ReturnType<typeof makeApp>): PolicyError | undefined {
    try { app.render(); return undefined; } catch (e) { if (e instanceof PolicyError) return e; throw e; }
  }

  test('a raw ConfigMap without a namespace fails synth, and can be exempted with a reason', () => {
    const app = makeApp();
    app.forEachTarget((scope) => {
      addBundle(scope);
      new ApiObject(scope, 'settings', configMap() as any);
    });
    expect(renderError(app)?.findings.map((f) => [f.rule, f.object.kind, f.field])).toEqual([['hygiene-namespaced-object', 'ConfigMap', 'metadata.namespace']]);

    const exempted = makeApp();
    exempted.forEachTarget((scope) => {
      addBundle(scope);
      Policy.exempt(new ApiObject(scope, 'settings', configMap() as any), 'hygiene-namespaced-object', 'kustomize sets the namespace downstream');
    });
    expect(renderError(exempted)).toBeUndefined();
  });

  test('an HPA of a workload rendered in another target fails synth in the target that lacks it', () => {
    const app = makeApp('dev', 'prod');
    app.forEachTarget((scope, t) => {
      const b = bundle();
      if (t.env.name === 'prod') b.workload.metadata.name = 'api';
      b.extra.push(hpa({ kind: 'Deployment', name: 'web' }, 2));
      addBundle(scope, b);
    });
    const found = renderError(app)?.findings.filter((f) => f.rule === 'hygiene-scale-target') ?? [];
    expect(found.map((f) => f.folder)).toEqual(['prod']);
  });
});
