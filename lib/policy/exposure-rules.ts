import { apiGroupOf } from './pod-template';
import { objectsOfKind } from './workloads';
import { defineRule, Manifest, Rule, RuleContext, Violation } from './rule';

/**
 * Cross-object rules of exposure and the connection graph: two routes must not claim the same host and path,
 * and a connection must lead to a namespace the target renders.
 */

/** Route objects by the `host path` pairs they claim, per folder. */
const CLAIMS = new WeakMap<readonly Manifest[], Map<string, Manifest[]>>();
/** Namespaces a folder renders (undefined when it renders none: namespaces are managed elsewhere). */
const NAMESPACES = new WeakMap<readonly Manifest[], Set<string> | undefined>();

/** The `host path` pairs a route claims (HTTPRoute, GRPCRoute, Ingress), with the field that claims each. */
export function routeClaims(m: Manifest): { readonly key: string; readonly field: string }[] {
  const spec = (m as any).spec ?? {};
  const group = apiGroupOf(m);
  const out: { key: string; field: string }[] = [];
  if (group === 'gateway.networking.k8s.io' && (m.kind === 'HTTPRoute' || m.kind === 'GRPCRoute')) {
    const hosts: string[] = spec.hostnames ?? [];
    (spec.rules ?? []).forEach((rule: any, r: number) => {
      const matches: any[] = rule.matches && rule.matches.length > 0 ? rule.matches : [{}];
      matches.forEach((match, i) => {
        if (match.headers || match.queryParams) return; // a narrower claim shares the path on purpose (header routes)
        const path = m.kind === 'HTTPRoute' ? pathKey(match.path?.type ?? 'PathPrefix', match.path?.value ?? '/') : `grpc:${match.method?.service ?? '*'}/${match.method?.method ?? '*'}`;
        for (const h of hosts) out.push({ key: `${h} ${path}`, field: `spec.rules[${r}].matches[${i}]` });
      });
    });
  } else if (group === 'networking.k8s.io' && m.kind === 'Ingress') {
    (spec.rules ?? []).forEach((rule: any, r: number) => {
      (rule.http?.paths ?? []).forEach((p: any, i: number) => {
        out.push({ key: `${rule.host ?? '*'} ${pathKey(p.pathType === 'Exact' ? 'Exact' : 'PathPrefix', p.path ?? '/')}`, field: `spec.rules[${r}].http.paths[${i}]` });
      });
    });
  }
  return out;
}

/**
 * A path prefix as the edge matches it: Gateway API and Ingress `Prefix` match whole path elements and ignore a
 * trailing slash, so `/api` and `/api/` claim the same requests.
 */
export function prefixKey(path: string): string {
  return typeof path === 'string' && path.length > 1 ? path.replace(/\/+$/, '') || '/' : path;
}

/** The claim key of a path match: prefixes normalized, exact paths and expressions as written (and marked). */
function pathKey(type: string, value: string): string {
  return type === 'Exact' ? `=${value}` : type === 'RegularExpression' ? `~${value}` : prefixKey(value);
}

function claimsOf(context: RuleContext): Map<string, Manifest[]> {
  let claims = CLAIMS.get(context.objects);
  if (!claims) {
    claims = new Map();
    for (const o of context.objects) {
      for (const c of routeClaims(o)) {
        const list = claims.get(c.key) ?? [];
        if (!list.includes(o)) list.push(o);
        claims.set(c.key, list);
      }
    }
    CLAIMS.set(context.objects, claims);
  }
  return claims;
}

export const routeHostPathUnique = defineRule({
  id: 'hygiene-route-host-path-unique',
  title: 'No two routes claim the same host and path',
  profile: 'hygiene',
  check: (m, context) => {
    const claims = routeClaims(m);
    if (claims.length === 0) return [];
    const index = claimsOf(context);
    const out: Violation[] = [];
    const seen = new Set<string>();
    for (const c of claims) {
      if (seen.has(c.key)) continue;
      seen.add(c.key);
      const others = (index.get(c.key) ?? []).filter((o) => o !== m);
      if (others.length === 0) continue;
      const [host, path] = c.key.split(' ');
      out.push({
        field: c.field,
        message: `host ${host} path ${path} is also claimed by ${others.map((o) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`).join(', ')}`,
        fix: 'expose each service on its own host or path prefix',
      });
    }
    return out;
  },
});

function namespacesOf(context: RuleContext): Set<string> | undefined {
  if (!NAMESPACES.has(context.objects)) {
    const names = objectsOfKind(context, '', 'Namespace').map((o) => o.metadata?.name ?? '');
    NAMESPACES.set(context.objects, names.length > 0 ? new Set(names) : undefined);
  }
  return NAMESPACES.get(context.objects);
}

export const connectionNamespaceExists = defineRule({
  id: 'hygiene-connection-namespace-exists',
  title: "A connection to a workload leads to a namespace the target renders",
  profile: 'hygiene',
  check: (m, context) => {
    if (m.kind !== 'NetworkPolicy' || apiGroupOf(m) !== 'networking.k8s.io') return [];
    const known = namespacesOf(context);
    if (!known) return [];
    const out: Violation[] = [];
    ((m as any).spec?.egress ?? []).forEach((rule: any, r: number) => {
      (rule.to ?? []).forEach((peer: any, i: number) => {
        const ns = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
        const workload = peer.podSelector?.matchLabels?.['app.kubernetes.io/name'];
        if (ns === undefined || workload === undefined || known.has(ns)) return;
        out.push({
          field: `spec.egress[${r}].to[${i}].namespaceSelector`,
          message: `connects to ${workload} in namespace ${ns}, which ${context.folder || 'this target'} does not render`,
          fix: `create the namespace ${ns} in this target (PlatformNamespace), or connect to a service that exists here`,
        });
      });
    });
    return out;
  },
});

/** The hosts a route object serves, with the field naming each (HTTPRoute, GRPCRoute hostnames; Ingress rules). */
export function routeHosts(m: Manifest): { readonly host: string; readonly field: string }[] {
  const spec = (m as any).spec ?? {};
  const group = apiGroupOf(m);
  if (group === 'gateway.networking.k8s.io' && (m.kind === 'HTTPRoute' || m.kind === 'GRPCRoute')) {
    return ((spec.hostnames ?? []) as unknown[]).map((host, i) => ({ host: String(host), field: `spec.hostnames[${i}]` }));
  }
  if (group === 'networking.k8s.io' && m.kind === 'Ingress') {
    return ((spec.rules ?? []) as any[]).filter((r) => r?.host !== undefined).map((r, i) => ({ host: String(r.host), field: `spec.rules[${i}].host` }));
  }
  return [];
}

/** Whether `host` is the domain or a name below it (a wildcard below it too). */
export function inDomain(host: string, domain: string): boolean {
  const h = host.toLowerCase();
  const d = domain.toLowerCase();
  return h === d || h.endsWith(`.${d}`);
}

export const routeHostInDomain = defineRule({
  id: 'hygiene-route-host-in-domain',
  title: "Routes serve host names of their environment's domain",
  profile: 'hygiene',
  check: (m, context) => {
    const domain = context.environment?.domain;
    if (!domain) return [];
    return routeHosts(m).filter((h) => !inDomain(h.host, domain)).map((h) => ({
      field: h.field,
      message: `host ${h.host} is outside environment ${context.environment!.name}'s domain ${domain} (another environment's host, or someone else's)`,
      fix: `use a host of ${domain} ('{domain}' or '<name>.{domain}' in Exposure hosts), or exempt the route saying why it serves this host`,
    }));
  },
});

/** The listeners of the Gateway a parentRef names: rendered in the folder, else the cluster's declared one. */
function parentListeners(p: any, routeNs: string, context: RuleContext): any[] | undefined {
  if ((p.group ?? 'gateway.networking.k8s.io') !== 'gateway.networking.k8s.io' || (p.kind ?? 'Gateway') !== 'Gateway') return undefined;
  const ns = p.namespace ?? routeNs;
  const rendered = objectsOfKind(context, 'gateway.networking.k8s.io', 'Gateway').find((o) => o.metadata?.name === p.name && o.metadata?.namespace === ns);
  const declared = context.cluster?.gateway;
  const listeners: any[] | undefined = rendered ? (rendered as any).spec?.listeners
    : declared && declared.name === p.name && declared.namespace === ns ? declared.listeners.map((l) => ({ ...l, protocol: l.protocol ?? 'HTTPS' })) : undefined;
  if (!listeners) return undefined;
  return p.sectionName !== undefined ? listeners.filter((l) => l.name === p.sectionName) : listeners;
}

export const routeTlsInProduction = defineRule({
  id: 'hygiene-route-tls-in-production',
  title: 'Production routes are served over HTTPS',
  profile: 'hygiene',
  check: (m, context) => {
    if (!context.environment?.production) return [];
    const spec = (m as any).spec ?? {};
    const group = apiGroupOf(m);
    const out: Violation[] = [];
    if (group === 'gateway.networking.k8s.io' && (m.kind === 'HTTPRoute' || m.kind === 'GRPCRoute')) {
      (spec.parentRefs ?? []).forEach((p: any, i: number) => {
        const listeners = parentListeners(p, m.metadata?.namespace ?? '', context);
        const plain = (listeners ?? []).filter((l) => l.protocol === 'HTTP');
        if (plain.length === 0) return;
        out.push({
          field: `spec.parentRefs[${i}]`,
          message: `attaches to plain-HTTP listener ${plain.map((l) => l.name).join(', ')} of Gateway ${p.namespace ?? m.metadata?.namespace}/${p.name} in production environment ${context.environment!.name}`,
          fix: 'attach to an HTTPS listener (Exposure tls: true, the default), or exempt the route with the reason (an HTTP-to-HTTPS redirect)',
        });
      });
    }
    if (group === 'networking.k8s.io' && m.kind === 'Ingress') {
      const covered = new Set<string>(((spec.tls ?? []) as any[]).flatMap((t) => t?.hosts ?? []));
      for (const h of routeHosts(m)) {
        if (covered.has(h.host)) continue;
        out.push({
          field: h.field,
          message: `host ${h.host} has no TLS entry (served over plain HTTP) in production environment ${context.environment!.name}`,
          fix: 'list the host in spec.tls with its certificate Secret (Exposure tls: true, the default)',
        });
      }
    }
    return out;
  },
});

/** Owner of a namespace: its team (the `team` label of the Namespace the folder renders), else the platform. */
function ownerOf(ns: string, context: RuleContext): string {
  const n = objectsOfKind(context, '', 'Namespace').find((o) => o.metadata?.name === ns);
  const team = n?.metadata?.labels?.team;
  return team ? `team ${team}` : 'the platform';
}

const OWNERS = new WeakMap<readonly Manifest[], Map<string, Map<string, Manifest[]>>>();

/** host -> owner -> the routes of that owner serving the host. */
function hostOwners(context: RuleContext): Map<string, Map<string, Manifest[]>> {
  let map = OWNERS.get(context.objects);
  if (!map) {
    map = new Map();
    for (const o of context.objects) {
      const hosts = new Set(routeHosts(o).map((h) => h.host.toLowerCase()));
      if (hosts.size === 0) continue;
      const owner = ownerOf(o.metadata?.namespace ?? '', context);
      for (const h of hosts) {
        let owners = map.get(h);
        if (!owners) map.set(h, (owners = new Map()));
        const routes = owners.get(owner);
        if (routes) routes.push(o);
        else owners.set(owner, [o]);
      }
    }
    OWNERS.set(context.objects, map);
  }
  return map;
}

export const routeHostOwner = defineRule({
  id: 'hygiene-route-host-owner',
  title: 'Every host belongs to one owner (a team, or the platform) per environment',
  profile: 'hygiene',
  check: (m, context) => {
    const out: Violation[] = [];
    const index = hostOwners(context);
    const mine = ownerOf(m.metadata?.namespace ?? '', context);
    const seen = new Set<string>();
    for (const h of routeHosts(m)) {
      const host = h.host.toLowerCase();
      if (seen.has(host)) continue;
      seen.add(host);
      const others = [...(index.get(host) ?? new Map()).entries()].filter(([owner]) => owner !== mine);
      if (others.length === 0) continue;
      out.push({
        field: h.field,
        message: `host ${h.host} is also served by ${others.map(([owner, routes]) => `${owner} (${routes.map((r: Manifest) => `${r.kind}/${r.metadata?.namespace}/${r.metadata?.name}`).join(', ')})`).join(', ')}, while this route belongs to ${mine}`,
        fix: "keep each host with one owner: expose on a host of your own ('<service>.{domain}'), or have the host's owner route the path",
      });
    }
    return out;
  },
});

/** Listener keys a route attaches to (`gateway-ns/gateway/listener`, `*` for the whole Gateway), with its hosts. */
function attachments(m: Manifest): string[] {
  const spec = (m as any).spec ?? {};
  const ns = m.metadata?.namespace ?? '';
  return ((spec.parentRefs ?? []) as any[])
    .filter((p) => (p.group ?? 'gateway.networking.k8s.io') === 'gateway.networking.k8s.io' && (p.kind ?? 'Gateway') === 'Gateway')
    .map((p) => `${p.namespace ?? ns}/${p.name}`);
}

const ROUTES_BY_HOST = new WeakMap<readonly Manifest[], Map<string, Map<string, Manifest[]>>>();

/** The folder's Gateway API routes of `kind` by each host they serve (lowercase), in folder order. */
function routesByHost(context: RuleContext, kind: string): Map<string, Manifest[]> {
  let kinds = ROUTES_BY_HOST.get(context.objects);
  if (!kinds) ROUTES_BY_HOST.set(context.objects, (kinds = new Map()));
  let byHost = kinds.get(kind);
  if (!byHost) {
    byHost = new Map();
    for (const o of objectsOfKind(context, 'gateway.networking.k8s.io', kind)) {
      for (const host of new Set(routeHosts(o).map((x) => x.host.toLowerCase()))) {
        const list = byHost.get(host);
        if (list) list.push(o);
        else byHost.set(host, [o]);
      }
    }
    kinds.set(kind, byHost);
  }
  return byHost;
}

export const routeKindPerHost = defineRule({
  id: 'hygiene-route-kind-per-host',
  title: 'An HTTPRoute and a GRPCRoute do not share a host on one Gateway',
  profile: 'hygiene',
  check: (m, context) => {
    if (apiGroupOf(m) !== 'gateway.networking.k8s.io' || (m.kind !== 'HTTPRoute' && m.kind !== 'GRPCRoute')) return [];
    const other = m.kind === 'HTTPRoute' ? 'GRPCRoute' : 'HTTPRoute';
    const gateways = new Set(attachments(m));
    const out: Violation[] = [];
    const byHost = routesByHost(context, other);
    for (const h of routeHosts(m)) {
      const clash = (byHost.get(h.host.toLowerCase()) ?? []).filter((o) => attachments(o).some((g) => gateways.has(g)));
      if (clash.length === 0) continue;
      out.push({
        field: h.field,
        message: `host ${h.host} is also served by ${clash.map((o) => `${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`).join(', ')} on the same Gateway: the Gateway accepts only one kind of route for a host and rejects the other`,
        fix: 'give the gRPC service its own host name',
      });
    }
    return out;
  },
});

export const EXPOSURE_RULES: readonly Rule[] = [routeHostPathUnique, connectionNamespaceExists, routeHostInDomain, routeTlsInProduction, routeHostOwner, routeKindPerHost];
