import { evaluateManifests } from '../../lib/policy';
import { ingressNotWorld, meshAllowEveryone, meshMtlsNotDisabled, meshMtlsStrictInProduction, meshPrincipalWildcard } from '../../lib/policy/mesh-rules';
import { noNodeName, noSystemPriority, scaleToZeroInProduction } from '../../lib/policy/placement-rules';
import { secretReferenceResolves } from '../../lib/policy/secret-rules';
import { prng } from '../fixtures/prng';

// Rules a hostile user tries in the mesh and in placement (issue 25), each with generated inputs.

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const word = (r: () => number) => Array.from({ length: 1 + Math.floor(r() * 8) }, () => 'abcdefghij'[Math.floor(r() * 10)]).join('');
const run = (objects: any[], rule: any, environment?: any) =>
  evaluateManifests(objects.map((manifest) => ({ folder: 'prod', manifest, environment })), { rules: [rule] });
const authz = (spec: any) => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'a', namespace: 'shop' }, spec });
const peerAuth = (mode: string, ports: Record<string, string> = {}) => ({
  apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'shop' },
  spec: { mtls: { mode }, ...(Object.keys(ports).length ? { portLevelMtls: Object.fromEntries(Object.entries(ports).map(([p, m]) => [p, { mode: m }])) } : {}) },
});
const deployment = (spec: any, ns = 'shop') => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w', namespace: ns },
  spec: { selector: { matchLabels: { app: 'w' } }, template: { metadata: { labels: { app: 'w' } }, spec: { containers: [{ name: 'w', image: 'ghcr.io/acme/w:1.0.0' }], ...spec } } },
});

describe('mesh', () => {
  test('a caller identity with a wildcard (generated principals) fails; named accounts pass', () => {
    const r = prng(2511);
    for (let i = 0; i < 40; i++) {
      const ns = word(r);
      const sa = pick(r, ['*', word(r), `${word(r)}*`, `*${word(r)}`]);
      const principal = pick(r, [`cluster.local/ns/${ns}/sa/${sa}`, '*', `cluster.local/ns/${ns}/*`]);
      const f = run([authz({ action: 'ALLOW', rules: [{ from: [{ source: { principals: [principal] } }] }] })], meshPrincipalWildcard);
      expect(f.length).toBe(principal.includes('*') ? 1 : 0);
    }
  });

  test('an ALLOW rule matching everyone fails (empty rule, empty source, no conditions); a DENY or a named source passes', () => {
    const r = prng(2512);
    for (let i = 0; i < 40; i++) {
      const action = pick(r, [undefined, 'ALLOW', 'DENY', 'AUDIT']);
      const from = pick(r, [undefined, [], [{ source: {} }], [{}], [{ source: { namespaces: [word(r)] } }]]);
      const to = pick(r, [undefined, [{ operation: { methods: ['GET'] } }]]);
      const when = pick(r, [undefined, [{ key: 'request.headers[x]', values: ['1'] }]]);
      const rule = { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(when ? { when } : {}) };
      const anySource = !from || from.length === 0 || from.some((x: any) => !x.source || Object.keys(x.source).length === 0);
      const everyone = (action ?? 'ALLOW') === 'ALLOW' && anySource && !to && !when;
      expect(run([authz({ ...(action ? { action } : {}), rules: [rule] })], meshAllowEveryone).length).toBe(everyone ? 1 : 0);
    }
    // an ALLOW policy without rules allows nothing: not judged
    expect(run([authz({})], meshAllowEveryone)).toEqual([]);
  });

  test('DISABLE anywhere in a PeerAuthentication fails; PERMISSIVE fails in production only (exemptable with a reason)', () => {
    const r = prng(2513);
    const modes = ['STRICT', 'PERMISSIVE', 'DISABLE', 'UNSET'];
    for (let i = 0; i < 40; i++) {
      const mode = pick(r, modes);
      const ports = r() < 0.5 ? { [String(1000 + Math.floor(r() * 9000))]: pick(r, modes) } : {};
      const all = [mode, ...Object.values(ports)];
      const production = r() < 0.5;
      expect(run([peerAuth(mode, ports)], meshMtlsNotDisabled).length).toBe(all.filter((m) => m === 'DISABLE').length);
      expect(run([peerAuth(mode, ports)], meshMtlsStrictInProduction, { name: 'prod', production }).length).toBe(production ? all.filter((m) => m === 'PERMISSIVE').length : 0);
    }
  });

  test('an ingress peer of the whole internet (0.0.0.0/0, ::/0, any /0) fails; narrower blocks pass', () => {
    const r = prng(2514);
    for (let i = 0; i < 30; i++) {
      const cidr = pick(r, ['0.0.0.0/0', '::/0', `10.${Math.floor(r() * 255)}.0.0/16`, '192.168.0.0/24', '128.0.0.0/0']);
      const np = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'w', namespace: 'shop' }, spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr } }] }] } };
      expect(run([np], ingressNotWorld).length).toBe(cidr.endsWith('/0') ? 1 : 0);
    }
  });
});

describe('placement and scaling', () => {
  test('system priorities outside kube-system and nodeName fail (generated pod specs)', () => {
    const r = prng(2515);
    for (let i = 0; i < 40; i++) {
      const priority = pick(r, [undefined, 'system-cluster-critical', 'system-node-critical', 'critical', word(r)]);
      const nodeName = pick(r, [undefined, '', `ip-10-0-${Math.floor(r() * 255)}-1`]);
      const ns = pick(r, ['shop', 'kube-system']);
      const d = deployment({ ...(priority ? { priorityClassName: priority } : {}), ...(nodeName !== undefined ? { nodeName } : {}) }, ns);
      const system = priority === 'system-cluster-critical' || priority === 'system-node-critical';
      expect(run([d], noSystemPriority).length).toBe(system && ns !== 'kube-system' ? 1 : 0);
      expect(run([d], noNodeName).length).toBe(nodeName ? 1 : 0);
    }
  });

  test('a raw ScaledObject scaling to zero in production fails unless the environment allows it', () => {
    const r = prng(2516);
    for (let i = 0; i < 40; i++) {
      const min = pick(r, [undefined, 0, 1, 3]);
      const idle = pick(r, [undefined, 0]);
      const production = r() < 0.6;
      const allows = pick(r, [undefined, true, false]);
      const so = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'w', namespace: 'shop' },
        spec: { scaleTargetRef: { name: 'w' }, ...(min !== undefined ? { minReplicaCount: min } : {}), ...(idle !== undefined ? { idleReplicaCount: idle } : {}), triggers: [] } };
      const judged = production && allows !== true;
      const expected = judged ? ((min ?? 0) === 0 ? 1 : 0) + (idle === 0 ? 1 : 0) : 0;
      expect(run([so], scaleToZeroInProduction, { name: 'prod', production, ...(allows !== undefined ? { allowsScaleToZero: allows } : {}) }).length).toBe(expected);
    }
  });

  test('an imagePullSecrets entry naming a Secret nothing provides fails; a provided one passes', () => {
    const r = prng(2517);
    for (let i = 0; i < 20; i++) {
      const name = `${word(r)}-pull`;
      const provided = r() < 0.5;
      const sealed = { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name, namespace: 'shop' }, spec: { encryptedData: { '.dockerconfigjson': 'AQ' } } };
      const f = run([deployment({ imagePullSecrets: [{ name }] }), ...(provided ? [sealed] : [])], secretReferenceResolves);
      expect(f.length).toBe(provided ? 0 : 1);
      if (!provided) expect(f[0].field).toBe('spec.template.spec.imagePullSecrets[0]');
    }
  });
});

describe('peer identities (construction)', () => {
  const { edgeApp } = require('../exposure/fixtures');
  const { HardenedService, NetworkPeer } = require('../../lib/workloads');
  const build = (identity: { namespace: string; serviceAccount: string }, podsNs?: string) => () => edgeApp({ gateway: undefined }, (ns: any) => {
    new HardenedService(ns, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080, ingress: [NetworkPeer.pods({ app: 'caller' }, podsNs, identity)] });
  }).render();

  test('a wildcard or invalid service account, or an identity in another namespace than the pods, is refused (generated)', () => {
    const r = prng(2518);
    for (let i = 0; i < 25; i++) {
      const sa = pick(r, ['*', 'caller', `${word(r)}*`, 'Caller', 'caller-sa']);
      const podsNs = pick(r, [undefined, 'shop', 'payments']);
      const idNs = pick(r, ['shop', 'payments']);
      const validSa = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(sa);
      const sameNs = idNs === (podsNs ?? 'shop');
      const run = build({ namespace: idNs, serviceAccount: sa }, podsNs);
      if (!validSa) expect(run).toThrow('prod/shop/api: ingress[0].peer.identity.serviceAccount must name one ServiceAccount (a DNS subdomain, no wildcard)');
      else if (!sameNs) expect(run).toThrow(`prod/shop/api: ingress[0].peer.identity.namespace is not the namespace of the peer's pods (${podsNs ?? 'shop'})`);
      else expect(run).not.toThrow();
    }
  });
});

describe('spot pools', () => {
  const { spotInterruptionTolerant, INTERRUPTION_TOLERANT_ANNOTATION } = require('../../lib/policy/placement-rules');
  const cluster = { name: 'prod', server: 'https://k', nodePools: [
    { name: 'spot', labels: { pool: 'spot' }, taints: [{ key: 'node.acme.io/spot', value: 'true', effect: 'NoSchedule' }], spot: true },
    { name: 'general', labels: { pool: 'general' } },
  ] };
  const { checkRule } = { checkRule: (m: any) => spotInterruptionTolerant.check(m, { folder: 'prod', objects: [m], cluster } as any) };

  test('a raw workload tolerating the spot taint fails unless retried by its controller or annotated tolerant (generated)', () => {
    const r = prng(2519);
    for (let i = 0; i < 40; i++) {
      const kind = pick(r, ['Deployment', 'StatefulSet', 'Job', 'CronJob']);
      const tol = pick(r, [
        [], [{ key: 'node.acme.io/spot', operator: 'Equal', value: 'true', effect: 'NoSchedule' }], [{ operator: 'Exists' }],
        [{ key: 'node.acme.io/spot', operator: 'Exists' }], [{ key: 'other', operator: 'Exists' }], [{ key: 'node.acme.io/spot', value: 'false', effect: 'NoSchedule' }],
      ]);
      const annotated = r() < 0.3;
      const tpl = { metadata: { ...(annotated ? { annotations: { [INTERRUPTION_TOLERANT_ANNOTATION]: 'true' } } : {}) }, spec: { tolerations: tol, containers: [{ name: 'c', image: 'x:1' }] } };
      const m = kind === 'CronJob'
        ? { apiVersion: 'batch/v1', kind, metadata: { name: 'w', namespace: 'shop' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: tpl } } } }
        : { apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1', kind, metadata: { name: 'w', namespace: 'shop' }, spec: { template: tpl } };
      const tolerates = tol.some((t: any) => (t.operator === 'Exists' && (t.key === undefined || t.key === 'node.acme.io/spot')) || (t.key === 'node.acme.io/spot' && t.value === 'true'));
      const expected = tolerates && !annotated && (kind === 'Deployment' || kind === 'StatefulSet') ? 1 : 0;
      expect(checkRule(m).length).toBe(expected);
    }
  });
});

describe('quota fits count the mesh sidecar', () => {
  const { quotaFits } = require('../../lib/policy/tenancy-rules');
  const quota = (cpu: string, mem: string) => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'quota', namespace: 'shop' }, spec: { hard: { 'requests.cpu': cpu, 'limits.memory': mem } } });
  const pa = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'shop' }, spec: { mtls: { mode: 'STRICT' } } };
  const dep = (replicas: number, inject?: boolean) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w', namespace: 'shop' },
    spec: { replicas, strategy: { type: 'Recreate' }, selector: { matchLabels: { app: 'w' } }, template: { metadata: { labels: { app: 'w' }, ...(inject === false ? { annotations: { 'sidecar.istio.io/inject': 'false' } } : {}) },
      spec: { containers: [{ name: 'w', image: 'x:1', resources: { requests: { cpu: '100m', memory: '100Mi' }, limits: { memory: '100Mi' } } }] } } },
  });
  const sidecar = { 'requests.cpu': 0.05, 'requests.memory': 64 * 2 ** 20, 'limits.cpu': 0.5, 'limits.memory': 256 * 2 ** 20 };

  test('generated replica counts: the quota must hold containers plus one proxy per pod in a meshed namespace', () => {
    const r = prng(2520);
    for (let i = 0; i < 30; i++) {
      const replicas = 1 + Math.floor(r() * 8);
      const meshed = r() < 0.6;
      const optOut = r() < 0.2;
      const withProxy = meshed && !optOut;
      // a CPU quota exactly at the containers' need: it fits only without a proxy
      const cpu = `${replicas * 100}m`;
      const objects = [quota(cpu, '100Gi'), dep(replicas, optOut ? false : undefined), ...(meshed ? [pa] : [])];
      const f = run(objects, quotaFits, { name: 'prod', production: true, meshSidecar: sidecar });
      expect(f.length).toBe(withProxy ? 1 : 0);
      if (withProxy) expect(f[0].message).toContain('meshed pods');
      // without the mesh in the environment nothing is added
      expect(run(objects, quotaFits, { name: 'prod', production: true }).length).toBe(0);
    }
  });
});
