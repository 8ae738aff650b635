// The "done when" checks, on the committed dist/ of the example platform: read back as YAML, checked
// against the environment declarations (not against the code that rendered them).
import * as path from 'path';
import * as YAML from 'yaml';
import { environments } from '../../apps/main';
import { readTree } from '../../lib/gitops';
import { crdSchemaErrors, hasCrdSchema } from '../fixtures/crd-schema';

interface Target {
  readonly folder: string;
  readonly env: (typeof environments.all)[number];
  readonly cluster: (typeof environments.all)[number]['clusters'][number];
  readonly objects: any[];
}

const root = path.resolve(__dirname, '../../dist');

function targets(): Target[] {
  const tree = readTree(root);
  const out: Target[] = [];
  for (const env of environments.all) {
    for (const cluster of env.clusters) {
      const folder = env.multiCluster ? `${env.name}/${cluster.name}` : env.name;
      const objects = [...tree.entries()]
        .filter(([file]) => file.startsWith(`${folder}/`) && file.endsWith('.yaml') && !file.endsWith('kustomization.yaml'))
        .flatMap(([, text]) => YAML.parseAllDocuments(text).map((d) => d.toJS()))
        .filter((o) => o);
      out.push({ folder, env, cluster, objects });
    }
  }
  return out;
}

/** Whether a certificate's DNS name covers `host` (exact, or one label below a wildcard). */
const covers = (dnsName: string, host: string) => dnsName === host || (dnsName.startsWith('*.') && host.endsWith(dnsName.slice(1)) && !host.slice(0, -dnsName.length + 1).includes('.'));

/**
 * The certificate covering `host` in a target: a cert-manager Certificate of the route's namespace, or the
 * Certificate behind a certificateRefs entry of the rendered Gateway's listener the route attaches to.
 */
function coveredBy(t: Target, route: any, host: string): string | undefined {
  const namespace = route.metadata.namespace;
  const cert = t.objects.find((o) => o.kind === 'Certificate' && o.metadata.namespace === namespace && o.spec.dnsNames.includes(host));
  if (cert) return `Certificate/${cert.metadata.name}`;
  for (const p of route.spec.parentRefs ?? []) {
    const gw = t.objects.find((o) => o.kind === 'Gateway' && o.metadata.name === p.name && o.metadata.namespace === p.namespace);
    const listener = gw?.spec.listeners.find((l: any) => l.name === p.sectionName);
    for (const ref of listener?.tls?.certificateRefs ?? []) {
      const ns = ref.namespace ?? gw.metadata.namespace;
      const c = t.objects.find((o) => o.kind === 'Certificate' && o.metadata.namespace === ns && o.spec.secretName === ref.name && o.spec.dnsNames.some((d: string) => covers(d, host)));
      if (c) return `listener/${listener.name} (Certificate/${ns}/${c.metadata.name})`;
    }
  }
  return undefined;
}

/** The NetworkPolicy `from` peers of a workload's policy that admit `port`. */
function admitted(t: Target, namespace: string, name: string, port: number): any[] {
  const np = t.objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === namespace && o.metadata.name === name);
  return (np?.spec.ingress ?? []).filter((r: any) => !r.ports || r.ports.some((p: any) => p.port === port)).flatMap((r: any) => r.from);
}

describe('example dist/: exposure and zero trust', () => {
  const all = targets();

  test('reads every target of the example', () => {
    expect(all.map((t) => t.folder)).toEqual(['dev', 'staging', 'prod/prod-eu-west-1', 'prod/prod-us-east-1']);
  });

  test.each(all.map((t) => [t.folder, t] as const))('%s: every exposed service has a route on its environment host, a certificate covering it, a NetworkPolicy admitting the gateway', (_f, t) => {
    const routes = t.objects.filter((o) => ['HTTPRoute', 'GRPCRoute', 'Ingress'].includes(o.kind));
    expect(routes.map((r) => r.metadata.name).sort()).toEqual(['api', 'web']);
    for (const r of routes) {
      const hosts: string[] = r.kind === 'Ingress' ? r.spec.rules.map((x: any) => x.host) : r.spec.hostnames;
      for (const h of hosts) {
        expect(h === t.env.domain || h.endsWith(`.${t.env.domain}`)).toBe(true);
        expect({ host: h, coveredBy: coveredBy(t, r, h) }).toEqual({ host: h, coveredBy: expect.any(String) });
      }
      const gateway = t.cluster.gateway!;
      expect(r.spec.parentRefs.every((p: any) => p.name === gateway.name && p.namespace === gateway.namespace)).toBe(true);
      // the platform renders the Gateway: the listener the route names admits the route's namespace
      const gw = t.objects.find((o) => o.kind === 'Gateway' && o.metadata.name === gateway.name);
      for (const p of r.spec.parentRefs) {
        const listener = gw.spec.listeners.find((l: any) => l.name === p.sectionName);
        expect(listener.allowedRoutes.namespaces.selector.matchExpressions[0].values).toContain(r.metadata.namespace);
      }
      // the backends the route sends to are the service's pods: its NetworkPolicy admits the gateway
      const port = r.spec.rules[0].backendRefs[0].port;
      const peers = admitted(t, r.metadata.namespace, r.metadata.name, port);
      expect(peers).toContainEqual(expect.objectContaining({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': gateway.namespace } } }));
    }
    expect(t.objects.filter((o) => o.kind === 'Certificate').every((c) => c.spec.issuerRef.name === t.env.certificateIssuer!.name)).toBe(true);
  });

  test.each(all.map((t) => [t.folder, t] as const))('%s: the mesh objects exactly where the mesh is on; principals equal the callers the NetworkPolicies admit', (_f, t) => {
    const namespaces = t.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    const meshOn = t.env.mesh?.istio === true;
    expect(namespaces.sort()).toEqual(['payments', 'storefront']);
    for (const ns of namespaces) {
      // the namespace-wide one (workload ones open a scrape port to plain text)
      const pa = t.objects.filter((o) => o.kind === 'PeerAuthentication' && o.metadata.namespace === ns && !o.spec.selector);
      const deny = t.objects.filter((o) => o.kind === 'AuthorizationPolicy' && o.metadata.namespace === ns && JSON.stringify(o.spec) === '{}');
      expect(pa.map((p) => p.spec.mtls.mode)).toEqual(meshOn ? ['STRICT'] : []);
      expect(deny).toHaveLength(meshOn ? 1 : 0);
    }
    const allows = t.objects.filter((o) => o.kind === 'AuthorizationPolicy' && o.spec.action === 'ALLOW');
    if (!meshOn) {
      expect(allows).toEqual([]);
      return;
    }
    // exactly the workloads whose NetworkPolicy admits a caller get an ALLOW policy
    // (the sidecar's telemetry port 15020 is the data plane's, not a caller's)
    const callerRules = (o: any) => (o.spec.ingress ?? []).filter((r: any) => !r.ports?.every((p: any) => p.port === 15020));
    const admitting = t.objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.labels?.['app.kubernetes.io/name'] && callerRules(o).length > 0);
    expect(allows.map((p) => p.metadata.name).sort()).toEqual(admitting.map((o) => o.metadata.name).sort());
    expect(allows.length).toBeGreaterThanOrEqual(3);
    const gateway = t.cluster.gateway!;
    for (const np of t.objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.labels?.['app.kubernetes.io/name'])) {
      const ns = np.metadata.namespace;
      // the callers as the NetworkPolicy admits them: workload pods (service account = workload name), the gateway
      const callers = new Set<string>();
      const namespacesAllowed = new Set<string>();
      for (const peer of callerRules(np).flatMap((r: any) => r.from)) {
        const peerNs = peer.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] ?? ns;
        // a workload peer selects its pods by name and instance; other pod labels (the scraper's) narrow a namespace peer
        const labels = peer.podSelector?.matchLabels ?? {};
        const workload = labels['app.kubernetes.io/instance'] !== undefined ? labels['app.kubernetes.io/name'] : undefined;
        if (workload) callers.add(`cluster.local/ns/${peerNs}/sa/${workload}`);
        else if (peerNs === gateway.namespace) callers.add(`cluster.local/ns/${gateway.namespace}/sa/${gateway.serviceAccount}`);
        // Prometheus scrapes from outside the mesh: its port is authorized by port alone (no identity to name)
        else if (peerNs !== 'monitoring') namespacesAllowed.add(peerNs);
      }
      const policy = allows.find((p) => p.metadata.namespace === ns && p.metadata.name === np.metadata.name);
      const principals = new Set<string>((policy?.spec.rules ?? []).flatMap((r: any) => (r.from ?? []).flatMap((f: any) => f.source.principals ?? [])));
      const nsSources = new Set<string>((policy?.spec.rules ?? []).flatMap((r: any) => (r.from ?? []).flatMap((f: any) => f.source.namespaces ?? [])));
      expect({ workload: np.metadata.name, principals: [...principals].sort(), namespaces: [...nsSources].sort() })
        .toEqual({ workload: np.metadata.name, principals: [...callers].sort(), namespaces: [...namespacesAllowed].sort() });
    }
  });

  test('the API canary keeps one edge route: its HTTPRoute splits stable/canary and the Rollout drives both routers', () => {
    for (const t of all.filter((x) => x.env.name !== 'dev')) {
      const routes = t.objects.filter((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'api');
      expect(routes).toHaveLength(1);
      expect(routes[0].spec.rules[0].backendRefs.map((b: any) => b.name)).toEqual(['api-stable', 'api-canary']);
      expect(routes[0].spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/api' } }]);
      const rollout = t.objects.find((o) => o.kind === 'Rollout' && o.metadata.name === 'api');
      expect(Object.keys(rollout.spec.strategy.canary.trafficRouting).sort()).toEqual(expect.arrayContaining(['istio', 'plugins']));
      expect(rollout.spec.strategy.canary.trafficRouting.plugins['argoproj-labs/gatewayAPI'].httpRoute).toBe('api');
    }
  });

  test('every exposure and mesh object validates against its CRD', () => {
    // (no ReferenceGrant: the platform's Gateway holds the certificates of the example's hosts)
    const kinds = new Set(['HTTPRoute', 'Certificate', 'PeerAuthentication', 'AuthorizationPolicy', 'VirtualService', 'DestinationRule']);
    const checked = all.flatMap((t) => t.objects).filter((o) => kinds.has(o.kind) && hasCrdSchema(o));
    expect(new Set(checked.map((o) => o.kind))).toEqual(kinds);
    for (const o of checked) expect(crdSchemaErrors(o)).toEqual([]);
  });
});
