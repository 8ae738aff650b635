import { buildChangeReport } from '../../lib/review';
import { meshBoundaryRisks } from '../../lib/mesh/mesh-risks';
import { securityRisks } from '../../lib/review/security-risks';
import { meta, Obj, prng, tree } from './trees';

/** Generated objects that open (or keep closed) each boundary; a risk must be raised exactly when one opens. */

/** The boundary risks of a change: Kubernetes-wide ones (the review's own) and the mesh capability's. */
const opened = (previous: Obj | undefined, next: Obj) => [...securityRisks(previous, next).map((r) => r.kind), ...meshBoundaryRisks(previous, next).map((r) => r.risk)];

const rand = prng(99);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
const coin = () => rand() < 0.5;

const authz = (rules: Obj[] | undefined, action?: string): Obj => ({
  apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: meta(`ap${int(1000)}`),
  spec: { selector: { matchLabels: { app: 'api' } }, ...(action ? { action } : {}), ...(rules ? { rules } : {}) },
});
const restrictedRule = (): Obj => pick([
  { from: [{ source: { principals: [`cluster.local/ns/shop/sa/${pick(['web', 'worker'])}`] } }] },
  { from: [{ source: { namespaces: ['shop'] } }], to: [{ operation: { methods: ['GET'] } }] },
  { to: [{ operation: { paths: ['/healthz'] } }] },
  { when: [{ key: 'request.auth.claims[iss]', values: ['https://auth.acme.example'] }] },
]);
const openRule = (): Obj => pick([{}, { from: [] }, { from: [{ source: {} }] }, { from: [{ source: { principals: ['*'] } }] }, { from: [{ source: { namespaces: ['*'] } }] }]);

const netpol = (peers: Obj[] | undefined): Obj => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta(`np${int(1000)}`),
  spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [peers ? { from: peers, ports: [{ port: 8080 }] } : { ports: [{ port: 8080 }] }] },
});
const closedPeer = (): Obj => pick([
  { podSelector: { matchLabels: { app: 'web' } } },
  { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } } },
  { ipBlock: { cidr: `10.${int(255)}.0.0/16` } },
]);
const openPeer = (): Obj => pick([{ namespaceSelector: {} }, { namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } }, { ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }]);

const role = (rules: Obj[], labels: Obj = {}, cluster = true): Obj => ({
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: cluster ? 'ClusterRole' : 'Role', metadata: meta(`r${int(1000)}`, cluster ? null : 'shop', { labels }), rules,
});
const plainRule = (): Obj => ({ apiGroups: [pick(['', 'apps'])], resources: [pick(['pods', 'deployments', 'configmaps', 'pods/log'])], verbs: [pick(['get', 'list', 'watch'])] });
const escalatingRule = (): Obj => pick([
  { apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: [pick(['escalate', 'bind'])] },
  { apiGroups: [''], resources: [pick(['pods/exec', 'pods/attach', 'pods/portforward', 'serviceaccounts/token'])], verbs: ['create'] },
  { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
]);

const cases: [string, () => [Obj, string | undefined]][] = [
  ['AuthorizationPolicy', () => {
    const open = coin();
    const rules = [...Array.from({ length: int(3) }, restrictedRule), ...(open ? [openRule()] : [])];
    const action = open ? pick([undefined, 'ALLOW']) : pick([undefined, 'ALLOW', 'DENY', 'AUDIT']);
    const denyOpen = !open && coin() ? authz([openRule()], pick(['DENY', 'AUDIT', 'CUSTOM'])) : undefined; // DENY all is not an opening
    return [denyOpen ?? authz(rules.length > 0 ? rules : undefined, action), open ? 'authorization-allow-all' : undefined];
  }],
  ['PeerAuthentication', () => {
    const mode = pick(['STRICT', 'PERMISSIVE', 'UNSET', 'DISABLE']);
    const port = coin() ? pick(['STRICT', 'DISABLE']) : undefined;
    const m = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: meta('pa'), spec: { mtls: { mode }, ...(port ? { portLevelMtls: { 8080: { mode: port } } } : {}) } };
    return [m, mode === 'DISABLE' || port === 'DISABLE' ? 'mtls-disabled' : undefined];
  }],
  ['NetworkPolicy', () => {
    const kind = int(3);
    const peers = [...Array.from({ length: 1 + int(2) }, closedPeer), ...(kind === 1 ? [openPeer()] : [])];
    return [netpol(kind === 2 ? undefined : peers), kind === 0 ? undefined : 'network-open'];
  }],
  ['aggregated ClusterRole', () => {
    const agg = coin();
    const labels = agg ? { [`rbac.authorization.k8s.io/aggregate-to-${pick(['view', 'edit', 'admin'])}`]: 'true' } : { team: 'shop' };
    return [role([plainRule()], labels), agg ? 'rbac-aggregation' : undefined];
  }],
  ['escalating Role', () => {
    const esc = coin();
    return [role([plainRule(), ...(esc ? [escalatingRule()] : [])], {}, coin()), esc ? 'rbac-escalation' : undefined];
  }],
  ['binding', () => {
    const admin = coin();
    const m = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('b'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: admin ? pick(['cluster-admin', 'admin', 'edit']) : pick(['view', 'shop-reader']) }, subjects: [{ kind: 'Group', name: 'shop' }] };
    return [m, admin ? 'rbac-escalation' : undefined];
  }],
];

describe('security boundaries the review raises (generated)', () => {
  test.each(cases)('%s: a high risk exactly when it opens, on add and on change, none when it stays open', (_n, gen) => {
    for (let i = 0; i < 80; i++) {
      const [m, kind] = gen();
      expect([m, opened(undefined, m)]).toEqual([m, kind ? [kind] : []]);
      // unchanged: nothing new opens
      expect(opened(m, m)).toEqual([]);
      const r = buildChangeReport({ base: tree({ prod: [] }), head: tree({ prod: [m] }) });
      const found = r.risks.filter((x) => x.kind === kind);
      if (kind) expect([m, found.map((x) => [x.level, x.object])]).toEqual([m, [['high', `${m.kind}/${m.metadata.namespace ? `${m.metadata.namespace}/` : ''}${m.metadata.name}`]]]);
    }
  });

  test('a change that opens a boundary is a risk on the changed object', () => {
    const closed = netpol([{ podSelector: { matchLabels: { app: 'web' } } }]);
    const open = { ...closed, spec: { ...closed.spec, ingress: [{ from: [{ namespaceSelector: {} }] }] } };
    const r = buildChangeReport({ base: tree({ prod: [closed] }), head: tree({ prod: [open] }) });
    expect(r.unacknowledgedHigh.map((x) => [x.kind, x.message])).toEqual([['network-open', 'now admits traffic from everywhere: ingress[0] from every namespace (empty namespaceSelector)']]);
  });
});
