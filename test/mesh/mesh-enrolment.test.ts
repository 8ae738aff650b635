import * as path from 'path';
import * as YAML from 'yaml';
import { Chart } from 'cdk8s';
import { Exposure } from '../../lib/exposure';
import { readTree } from '../../lib/gitops';
import { MESH_DEFAULTS, MeshOptions } from '../../lib/mesh';
import { Metrics } from '../../lib/observability';
import { PlatformNamespace } from '../../lib/platform';
import { HardenedCronJob, HardenedJob, HardenedService, HardenedWorker, NetworkPeer } from '../../lib/workloads';
import { crdSchemaErrors } from '../fixtures/crd-schema';
import { edgeApp, ofKind, prng, renderEdgeApp, service } from '../exposure/fixtures';

/** Kinds whose objects carry a pod template, and where. */
function podTemplateOf(o: any): any | undefined {
  if (['Deployment', 'StatefulSet', 'Rollout', 'Job', 'ReplicaSet', 'DaemonSet'].includes(o.kind)) return o.spec?.template;
  if (o.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template;
  return undefined;
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
}

function portsOf(rule: any): number[] {
  return (rule.ports ?? []).map((p: any) => p.port);
}

interface Pod { readonly owner: string; readonly namespace: string; readonly labels: Record<string, string> }

function podsOf(objects: any[]): Pod[] {
  return objects.flatMap((o) => {
    const t = podTemplateOf(o);
    return t ? [{ owner: `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`, namespace: o.metadata.namespace, labels: t.metadata?.labels ?? {} }] : [];
  });
}

/** Whether Istio enrols `pod`: by its namespace's labels or its own (Istio's injection and ambient rules). */
function enrolment(objects: any[], pod: Pod): 'sidecar' | 'ambient' | undefined {
  const ns = ofKind(objects, 'Namespace', pod.namespace)[0]?.metadata?.labels ?? {};
  if (pod.labels['sidecar.istio.io/inject'] === 'false') return undefined;
  if (pod.labels['istio.io/dataplane-mode'] === 'ambient' || ns['istio.io/dataplane-mode'] === 'ambient') return 'ambient';
  if (ns['istio-injection'] === 'enabled' || ns['istio.io/rev'] !== undefined || pod.labels['sidecar.istio.io/inject'] === 'true' || pod.labels['istio.io/rev'] !== undefined) return 'sidecar';
  return undefined;
}

/** The NetworkPolicies that select `pod`. */
function policiesOf(objects: any[], pod: Pod): any[] {
  return ofKind(objects, 'NetworkPolicy').filter((np) => np.metadata.namespace === pod.namespace && selects(np.spec.podSelector?.matchLabels, pod.labels));
}

/** Whether the pod's NetworkPolicies let it open a TCP connection to istiod on 15012. */
function reachesIstiod(objects: any[], pod: Pod, istiodNamespace: string, istiodLabels: Record<string, string>): boolean {
  const istiod = { ...istiodLabels };
  return policiesOf(objects, pod).some((np) => (np.spec.egress ?? []).some((rule: any) =>
    (rule.ports === undefined || portsOf(rule).includes(MESH_DEFAULTS.ports.istiodXds))
    && (rule.to ?? []).some((peer: any) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === istiodNamespace
      && selects(peer.podSelector?.matchLabels, istiod))));
}

/**
 * Object by object: every pod a PeerAuthentication or AuthorizationPolicy applies to (by selector, or the whole
 * namespace) is enrolled, and (sidecar) its NetworkPolicies reach istiod.
 */
function meshProblems(objects: any[], expected: 'sidecar' | 'ambient', istiod = { namespace: 'istio-system', labels: { app: 'istiod' } as Record<string, string> }): string[] {
  const out: string[] = [];
  const pods = podsOf(objects);
  const policies = [...ofKind(objects, 'PeerAuthentication'), ...ofKind(objects, 'AuthorizationPolicy')];
  let checked = 0;
  for (const policy of policies) {
    for (const pod of pods.filter((p) => p.namespace === policy.metadata.namespace && selects(policy.spec.selector?.matchLabels, p.labels))) {
      checked++;
      const mode = enrolment(objects, pod);
      if (mode !== expected) out.push(`${policy.kind}/${policy.metadata.name} applies to ${pod.owner}, enrolled as ${mode ?? 'nothing'}`);
      if (expected === 'sidecar' && !reachesIstiod(objects, pod, istiod.namespace, istiod.labels)) out.push(`${pod.owner} cannot reach istiod on 15012`);
    }
  }
  if (checked === 0) out.push('no pod is governed by a mesh policy: the test checks nothing');
  return out;
}

function shop(ns: PlatformNamespace, scope: Chart): void {
  const api = service(ns, 'api', { use: [Exposure.http(), Metrics.scrape({ port: 9090 })] });
  const web = service(ns, 'web');
  web.connectTo(api);
  new HardenedWorker(ns, 'jobs', { image: 'ghcr.io/acme/jobs:1.0.0' }).connectTo(api);
  service(new PlatformNamespace(scope, 'billing'), 'invoices').connectTo(api);
}

const mesh = (m: MeshOptions) => ({ env: { mesh: { istio: true, ...m } } });

describe('mesh enrolment: sidecar injection', () => {
  const objects = renderEdgeApp(mesh({}), shop);

  test('namespaces carry istio-injection: enabled, pods sidecar.istio.io/inject: "true"', () => {
    for (const name of ['shop', 'billing']) expect(ofKind(objects, 'Namespace', name)[0].metadata.labels['istio-injection']).toBe('enabled');
    for (const pod of podsOf(objects)) expect(pod.labels['sidecar.istio.io/inject']).toBe('true');
  });

  test('every pod a PeerAuthentication or AuthorizationPolicy governs is enrolled and reaches istiod on 15012', () => {
    expect(meshProblems(objects, 'sidecar')).toEqual([]);
  });

  test('the checker fails a namespace nobody enrols (it can fail)', () => {
    const stripped = objects.map((o) => (o.kind === 'Namespace' ? { ...o, metadata: { ...o.metadata, labels: {} } } : podTemplateOf(o)
      ? JSON.parse(JSON.stringify(o), (k, v) => (k === 'sidecar.istio.io/inject' ? undefined : v)) : o));
    expect(meshProblems(stripped, 'sidecar')).toContain('AuthorizationPolicy/deny-all applies to Deployment/shop/api, enrolled as nothing');
    const cut = objects.map((o) => (o.kind === 'NetworkPolicy' ? { ...o, spec: { ...o.spec, egress: o.spec.egress?.slice(0, 1) } } : o));
    expect(meshProblems(cut, 'sidecar')).toContain('Deployment/shop/api cannot reach istiod on 15012');
  });

  test("Prometheus reaches the sidecar's telemetry port 15020 (NetworkPolicy only: the port is not intercepted)", () => {
    const np = ofKind(objects, 'NetworkPolicy', 'web')[0];
    expect(np.spec.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
      ports: [{ protocol: 'TCP', port: 15020 }],
    });
    for (const p of ofKind(objects, 'AuthorizationPolicy')) expect(JSON.stringify(p.spec)).not.toContain('15020');
  });

  test('the scrape port accepts plain text under STRICT (port-level PERMISSIVE) and is authorized by port; the NetworkPolicy admits Prometheus only', () => {
    const pa = ofKind(objects, 'PeerAuthentication', 'api')[0];
    expect(pa.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } },
      mtls: { mode: 'STRICT' },
      portLevelMtls: { 9090: { mode: 'PERMISSIVE' } },
    });
    expect(crdSchemaErrors(pa)).toEqual([]);
    const ap = ofKind(objects, 'AuthorizationPolicy', 'api')[0];
    expect(ap.spec.rules).toContainEqual({ to: [{ operation: { ports: ['9090'] } }] });
    expect(JSON.stringify(ap.spec.rules.filter((r: any) => r.from))).not.toContain('9090');
    const np = ofKind(objects, 'NetworkPolicy', 'api')[0];
    const scrape = np.spec.ingress.filter((r: any) => portsOf(r).includes(9090));
    expect(scrape).toHaveLength(1);
    expect(scrape[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }]);
    // PERMISSIVE namespaces need no port-level exception
    expect(ofKind(renderEdgeApp(mesh({ mtls: 'PERMISSIVE' }), shop), 'PeerAuthentication', 'api')).toEqual([]);
  });

  test('a revision: istio.io/rev on namespaces and pods, and the egress goes to that revision of istiod', () => {
    const objs = renderEdgeApp(mesh({ revision: '1-24-2', controlPlaneNamespace: 'istio-cp' }), shop);
    expect(ofKind(objs, 'Namespace', 'shop')[0].metadata.labels).toMatchObject({ 'istio.io/rev': '1-24-2' });
    expect(ofKind(objs, 'Namespace', 'shop')[0].metadata.labels['istio-injection']).toBeUndefined();
    for (const pod of podsOf(objs)) expect(pod.labels['istio.io/rev']).toBe('1-24-2');
    expect(meshProblems(objs, 'sidecar', { namespace: 'istio-cp', labels: { app: 'istiod', 'istio.io/rev': '1-24-2' } })).toEqual([]);
    expect(meshProblems(objs, 'sidecar')).not.toEqual([]);
  });

  test('without the mesh nothing is enrolled and no mesh traffic is admitted', () => {
    const objs = renderEdgeApp({}, shop);
    for (const pod of podsOf(objs)) expect(enrolment(objs, pod)).toBeUndefined();
    expect(JSON.stringify(ofKind(objs, 'NetworkPolicy'))).not.toMatch(/1501[25]|15020|15008/);
  });
});

describe('mesh enrolment: ambient', () => {
  const objects = renderEdgeApp(mesh({ dataplane: 'ambient' }), shop);

  test('namespaces and pods carry istio.io/dataplane-mode: ambient; no sidecar labels', () => {
    expect(ofKind(objects, 'Namespace', 'shop')[0].metadata.labels['istio.io/dataplane-mode']).toBe('ambient');
    expect(JSON.stringify(objects)).not.toMatch(/istio-injection|sidecar\.istio\.io/);
    expect(meshProblems(objects, 'ambient')).toEqual([]);
  });

  test('every in-cluster edge admits HBONE (15008) at both ends; external ranges do not', () => {
    const api = ofKind(objects, 'NetworkPolicy', 'api')[0];
    for (const r of api.spec.ingress.filter((x: any) => x.from.some((p: any) => p.podSelector || p.namespaceSelector))) expect(portsOf(r)).toContain(15008);
    const web = ofKind(objects, 'NetworkPolicy', 'web')[0];
    const toApi = web.spec.egress.find((r: any) => r.to[0].podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'api');
    expect(portsOf(toApi)).toEqual([8080, 15008]);
    // DNS stays plain (kube-dns is not captured)
    expect(portsOf(web.spec.egress[0])).toEqual([53, 53]);
  });

  test("the kubelet's probes, SNATed by ztunnel to 169.254.7.127, reach the pod's ports; no istiod egress (ztunnel dials it)", () => {
    const api = ofKind(objects, 'NetworkPolicy', 'api')[0];
    expect(api.spec.ingress).toContainEqual({ from: [{ ipBlock: { cidr: '169.254.7.127/32' } }], ports: [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 9090 }] });
    expect(JSON.stringify(api.spec.egress)).not.toContain('15012');
  });

  test('generated graphs: each edge opens 15008 on the caller (egress) and the callee (ingress)', () => {
    const rand = prng(77);
    for (let round = 0; round < 5; round++) {
      const n = 2 + Math.floor(rand() * 5);
      const edges: [number, number][] = [];
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && rand() < 0.4) edges.push([i, j]);
      const objs = renderEdgeApp(mesh({ dataplane: 'ambient' }), (ns) => {
        const s: HardenedService[] = Array.from({ length: n }, (_, i) => service(ns, `s${i}`));
        for (const [a, b] of edges) s[a].connectTo(s[b]);
      });
      for (const [a, b] of edges) {
        const out = ofKind(objs, 'NetworkPolicy', `s${a}`)[0].spec.egress.find((r: any) => r.to[0].podSelector?.matchLabels?.['app.kubernetes.io/name'] === `s${b}`);
        expect(portsOf(out)).toContain(15008);
        const into = ofKind(objs, 'NetworkPolicy', `s${b}`)[0].spec.ingress.find((r: any) => r.from.some((p: any) => p.podSelector?.matchLabels?.['app.kubernetes.io/name'] === `s${a}`));
        expect(portsOf(into)).toContain(15008);
      }
      expect(meshProblems(objs, 'ambient').filter((p) => !p.startsWith('no pod'))).toEqual([]);
    }
  });
});

describe('mesh enrolment: errors', () => {
  test('a revision with ambient, an unknown dataplane, a bad control-plane namespace', () => {
    expect(() => edgeApp(mesh({ dataplane: 'ambient', revision: 'canary' }), () => undefined))
      .toThrow("prod/shop: environments.prod.mesh.revision selects an injecting istiod revision, but the dataplane is ambient (nothing is injected), got \"canary\"; drop revision, or use dataplane: 'sidecar'");
    expect(() => edgeApp(mesh({ dataplane: 'proxyless' as any }), () => undefined))
      .toThrow("prod/shop: environments.prod.mesh.dataplane must be 'sidecar' or 'ambient', got \"proxyless\"");
    expect(() => edgeApp(mesh({ controlPlaneNamespace: 'Istio System' }), () => undefined)).toThrow('environments.prod.mesh.controlPlaneNamespace');
  });

  test('a workload that sets an enrolment label itself is an error (the environment decides)', () => {
    expect(() => renderEdgeApp(mesh({}), (ns) => { service(ns, 'api', { labels: { 'sidecar.istio.io/inject': 'false' } }); }))
      .toThrow('prod/shop/api: labels["sidecar.istio.io/inject"] is a label the mesh sets to enrol the pod, got "false"');
  });

  test('an IP-block caller keeps its rule without the tunnel port in ambient', () => {
    const objs = renderEdgeApp(mesh({ dataplane: 'ambient' }), (ns) => { service(ns, 'api').allowFrom(NetworkPeer.ipBlock('10.0.0.0/8')); });
    const rule = ofKind(objs, 'NetworkPolicy', 'api')[0].spec.ingress.find((r: any) => r.from[0].ipBlock?.cidr === '10.0.0.0/8');
    expect(portsOf(rule)).toEqual([8080]);
  });
});

describe('mesh enrolment: jobs', () => {
  test('a Job and a CronJob run the sidecar as a native sidecar (their pods complete); ambient needs none', () => {
    const build = (ns: PlatformNamespace) => {
      new HardenedJob(ns, 'migrate', { image: 'ghcr.io/acme/migrate:1.0.0' });
      new HardenedCronJob(ns, 'report', { image: 'ghcr.io/acme/report:1.0.0', schedule: '0 3 * * *' });
      service(ns, 'api');
    };
    const objs = renderEdgeApp(mesh({}), build);
    const annotations = (kind: string) => podTemplateOf(ofKind(objs, kind)[0]).metadata.annotations ?? {};
    expect(annotations('Job')['sidecar.istio.io/nativeSidecar']).toBe('true');
    expect(annotations('CronJob')['sidecar.istio.io/nativeSidecar']).toBe('true');
    expect(annotations('Deployment')['sidecar.istio.io/nativeSidecar']).toBeUndefined();
    const ambient = renderEdgeApp(mesh({ dataplane: 'ambient' }), build);
    expect(JSON.stringify(ambient)).not.toContain('nativeSidecar');
  });
});

describe('the example dist/: meshed namespaces enrol their pods, which reach istiod', () => {
  const tree = readTree(path.resolve(__dirname, '../../dist'));
  const objectsOf = (target: string) => [...tree].filter(([f]) => f.startsWith(`${target}/`) && f.endsWith('.yaml') && !f.endsWith('kustomization.yaml'))
    .flatMap(([, text]) => YAML.parseAllDocuments(text).map((d: any) => d.toJS())).filter((m: any) => m);

  test.each(['staging', 'prod/prod-eu-west-1', 'prod/prod-us-east-1'])('%s', (target) => {
    const objects = objectsOf(target);
    expect(ofKind(objects, 'PeerAuthentication').length).toBeGreaterThan(0);
    expect(meshProblems(objects, 'sidecar')).toEqual([]);
  });

  test('dev runs without the mesh: no enrolment, no mesh policy', () => {
    const objects = objectsOf('dev');
    expect(ofKind(objects, 'PeerAuthentication')).toEqual([]);
    for (const pod of podsOf(objects)) expect(enrolment(objects, pod)).toBeUndefined();
  });
});
