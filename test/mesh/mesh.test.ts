import { Chart } from 'cdk8s';
import { Exposure } from '../../lib/exposure';
import { MESH_DEFAULTS } from '../../lib/mesh';
import { PlatformNamespace } from '../../lib/platform';
import { HardenedService, HardenedWorker, NetworkPeer } from '../../lib/workloads';
import { crdSchemaErrors } from '../fixtures/crd-schema';
import { edgeApp, ofKind, prng, renderEdgeApp, service } from '../exposure/fixtures';

const MESH = { env: { mesh: { istio: true } } };

/** The principals an AuthorizationPolicy allows, per port list. */
function principals(policy: any): string[] {
  return policy.spec.rules.flatMap((r: any) => r.from.flatMap((f: any) => f.source.principals ?? [])).sort();
}

describe('mesh per namespace', () => {
  test('with the mesh on: PeerAuthentication STRICT (the default) and a deny-all AuthorizationPolicy', () => {
    const objects = renderEdgeApp(MESH, () => undefined);
    const [pa] = ofKind(objects, 'PeerAuthentication');
    expect(pa.metadata).toMatchObject({ name: MESH_DEFAULTS.peerAuthenticationName, namespace: 'shop' });
    expect(pa.spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect(MESH_DEFAULTS.mtls).toBe('STRICT');
    const [deny] = ofKind(objects, 'AuthorizationPolicy', 'deny-all');
    expect(deny.metadata.namespace).toBe('shop');
    expect(deny.spec).toEqual({});
    for (const o of [pa, deny]) expect(crdSchemaErrors(o)).toEqual([]);
  });

  test('PERMISSIVE by choice, per environment or per cluster (the cluster wins)', () => {
    expect(ofKind(renderEdgeApp({ env: { mesh: { istio: true, mtls: 'PERMISSIVE' } } }, () => undefined), 'PeerAuthentication')[0].spec.mtls.mode).toBe('PERMISSIVE');
    expect(ofKind(renderEdgeApp({ env: { mesh: { istio: true } }, clusterMesh: { mtls: 'PERMISSIVE' } }, () => undefined), 'PeerAuthentication')[0].spec.mtls.mode).toBe('PERMISSIVE');
    // a cluster can turn the mesh off (or on) against its environment
    expect(ofKind(renderEdgeApp({ env: { mesh: { istio: true } }, clusterMesh: { istio: false } }, () => undefined), 'PeerAuthentication')).toEqual([]);
    expect(ofKind(renderEdgeApp({ clusterMesh: { istio: true } }, () => undefined), 'PeerAuthentication')).toHaveLength(1);
  });

  test('without the mesh (the default) the namespace output is what it was: no mesh objects', () => {
    expect(MESH_DEFAULTS.istio).toBe(false);
    const objects = renderEdgeApp({}, (ns) => { service(ns, 'api').connectTo(service(ns, 'db')); });
    expect(objects.map((o) => o.kind).filter((k) => ['PeerAuthentication', 'AuthorizationPolicy'].includes(k))).toEqual([]);
    const ns = objects.filter((o) => o.metadata?.namespace === 'shop' && !o.metadata?.labels?.['app.kubernetes.io/name']);
    expect(ns.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['LimitRange/defaults', 'NetworkPolicy/default-deny']);
  });

  test('a bad mtls mode or trust domain is an error', () => {
    expect(() => edgeApp({ env: { mesh: { istio: true, mtls: 'OFF' as any } } }, () => undefined))
      .toThrow("prod/shop: environments.prod.mesh.mtls must be 'STRICT' or 'PERMISSIVE', got \"OFF\"");
    expect(() => edgeApp({ env: { mesh: { istio: true, trustDomain: 'Not A Domain' } } }, () => undefined))
      .toThrow('prod/shop: environments.prod.mesh.trustDomain must be a DNS name, got "Not A Domain"');
  });
});

describe('mesh per workload: one connection graph', () => {
  let objects: any[];
  beforeAll(() => {
    objects = renderEdgeApp(MESH, (ns, scope) => {
      const api = service(ns, 'api', { use: [Exposure.http()] });
      const web = service(ns, 'web');
      web.connectTo(api);
      const worker = new HardenedWorker(ns, 'jobs', { image: 'ghcr.io/acme/jobs:1.0.0' });
      worker.connectTo(api);
      // a caller in another namespace, by its workload peer
      const other = new PlatformNamespace(scope, 'billing');
      service(other, 'invoices').connectTo(api);
      // the observability helper's metrics edge, and an external range
      api.pod.addPort({ name: 'metrics', port: 9090 });
      api.pod.addIngress({ peer: NetworkPeer.namespace('monitoring', { 'app.kubernetes.io/name': 'prometheus' }), ports: [9090] });
      api.pod.addIngress({ peer: NetworkPeer.ipBlock('10.0.0.0/8', ['10.1.0.0/16']), ports: [8080] });
    });
  });

  test("the service's AuthorizationPolicy allows exactly its callers' identities and the gateway's on the service port", () => {
    const [policy] = ofKind(objects, 'AuthorizationPolicy', 'api');
    expect(policy.spec.action).toBe('ALLOW');
    expect(policy.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } });
    expect(policy.spec.rules[0]).toEqual({
      from: [
        { source: { principals: ['cluster.local/ns/gateway-system/sa/public-istio', 'cluster.local/ns/shop/sa/web', 'cluster.local/ns/shop/sa/jobs', 'cluster.local/ns/billing/sa/invoices'] } },
        { source: { ipBlocks: ['10.0.0.0/8'], notIpBlocks: ['10.1.0.0/16'] } },
      ],
      to: [{ operation: { ports: ['8080'] } }],
    });
    expect(crdSchemaErrors(policy)).toEqual([]);
  });

  test('the metrics scrape edge renders as an ALLOW for the monitoring namespace on the metrics port', () => {
    const [policy] = ofKind(objects, 'AuthorizationPolicy', 'api');
    expect(policy.spec.rules[1]).toEqual({ from: [{ source: { namespaces: ['monitoring'] } }], to: [{ operation: { ports: ['9090'] } }] });
  });

  test('workloads without callers get no ALLOW policy (deny-all holds); every namespace gets its pair', () => {
    expect(ofKind(objects, 'AuthorizationPolicy').map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort())
      .toEqual(['billing/deny-all', 'shop/api', 'shop/deny-all']);
    expect(ofKind(objects, 'PeerAuthentication').map((p) => p.metadata.namespace).sort()).toEqual(['billing', 'shop']);
  });

  test('a caller peer without identity is an error naming the peer and the fix', () => {
    expect(() => edgeApp(MESH, (ns) => { service(ns, 'api', { ingress: [NetworkPeer.pods({ app: 'legacy' })] }); }))
      .toThrow('prod/shop/api: ingress[0] admits pods {"app":"legacy"}, which has no workload identity for the mesh to authorize, got "pods {\\"app\\":\\"legacy\\"}"; connect with the workload itself');
  });

  test('the trust domain is configurable', () => {
    const objs = renderEdgeApp({ env: { mesh: { istio: true, trustDomain: 'acme.internal' } } }, (ns) => { service(ns, 'web').connectTo(service(ns, 'api')); });
    expect(principals(ofKind(objs, 'AuthorizationPolicy', 'api')[0])).toEqual(['acme.internal/ns/shop/sa/web']);
  });

  test('generated connection graphs: every policy allows exactly the declared callers, as the NetworkPolicy admits them', () => {
    const rand = prng(2024);
    for (let round = 0; round < 6; round++) {
      const n = 3 + Math.floor(rand() * 6);
      const edges: [number, number][] = [];
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && rand() < 0.3) edges.push([i, j]);
      const objs = renderEdgeApp(MESH, (ns: PlatformNamespace, scope: Chart) => {
        const other = new PlatformNamespace(scope, 'other');
        const services: HardenedService[] = Array.from({ length: n }, (_, i) => service(i % 2 === 0 ? ns : other, `s${i}`));
        for (const [from, to] of edges) services[from].connectTo(services[to]);
      });
      for (let j = 0; j < n; j++) {
        const callers = [...new Set(edges.filter(([, to]) => to === j).map(([from]) => `cluster.local/ns/${from % 2 === 0 ? 'shop' : 'other'}/sa/s${from}`))].sort();
        const policy = ofKind(objs, 'AuthorizationPolicy', `s${j}`)[0];
        expect(policy ? principals(policy) : []).toEqual(callers);
        const np = ofKind(objs, 'NetworkPolicy', `s${j}`)[0];
        // the sidecar's telemetry port (Prometheus) is the data plane's, not an edge of the graph
        const edgeRules = np.spec.ingress.filter((r: any) => !r.ports?.some((p: any) => p.port === MESH_DEFAULTS.ports.agentTelemetry));
        const admitted = edgeRules.flatMap((r: any) => r.from).map((p: any) => p.podSelector.matchLabels['app.kubernetes.io/name']).sort();
        expect(admitted).toEqual(callers.map((c) => c.split('/').pop()).sort());
      }
    }
  });
});
