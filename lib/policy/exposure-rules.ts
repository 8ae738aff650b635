import { apiGroupOf } from './pod-template';
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
        const path = m.kind === 'HTTPRoute' ? match.path?.value ?? '/' : `grpc:${match.method?.service ?? '*'}/${match.method?.method ?? '*'}`;
        for (const h of hosts) out.push({ key: `${h} ${path}`, field: `spec.rules[${r}].matches[${i}]` });
      });
    });
  } else if (group === 'networking.k8s.io' && m.kind === 'Ingress') {
    (spec.rules ?? []).forEach((rule: any, r: number) => {
      (rule.http?.paths ?? []).forEach((p: any, i: number) => {
        out.push({ key: `${rule.host ?? '*'} ${p.path ?? '/'}`, field: `spec.rules[${r}].http.paths[${i}]` });
      });
    });
  }
  return out;
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
    const names = context.objects.filter((o) => o.kind === 'Namespace' && apiGroupOf(o) === '').map((o) => o.metadata?.name ?? '');
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

export const EXPOSURE_RULES: readonly Rule[] = [routeHostPathUnique, connectionNamespaceExists];
