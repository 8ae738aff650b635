import type { Capability } from '../environments/capability';
import './edge-declaration';
import { releaseCertifiedHostsOf } from './exposed-route';
import { PlatformGateway, releaseGatewayOf } from './platform-gateway';

/** Kinds that expose workloads beyond the cluster: routes, Ingresses, Gateways. */
const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'Ingress', 'Gateway']);

/**
 * The exposure capability's registration (lib/capabilities.ts): a cluster's platform-owned Gateway renders in every
 * target; the review flags a route that exposes new hosts or paths; the cluster's Gateway and ingress controller run
 * in namespaces of their own, which no team may claim.
 */
export const exposureCapability: Capability = {
  name: 'exposure',
  setupTarget: (scope) => {
    PlatformGateway.of(scope);
  },
  // per-target state held by target: a released target's constructs must not stay reachable (or be reused)
  release: (_scope, target) => {
    releaseGatewayOf(target);
    releaseCertifiedHostsOf(target);
  },
  reservedNamespaces: ({ cluster }) => [
    ...(cluster.gateway ? [{ namespace: cluster.gateway.namespace, what: `the namespace of the Gateway of cluster '${cluster.name}'` }] : []),
    ...(cluster.ingressController ? [{ namespace: cluster.ingressController.namespace, what: `the namespace of the ingress controller of cluster '${cluster.name}'` }] : []),
  ],
  risksOf: ({ change, previous, next }) => {
    if (change === 'added' && ROUTE_KINDS.has(next?.kind)) {
      return [{ risk: 'exposure-widening', message: `new ${next.kind} exposes ${exposureOf(next).join(', ') || 'a route'}` }];
    }
    if (change === 'changed' && ROUTE_KINDS.has(next?.kind)) {
      const before = new Set(exposureOf(previous));
      const wider = exposureOf(next).filter((e) => !before.has(e));
      if (wider.length > 0) return [{ risk: 'exposure-widening', message: `now also exposes ${wider.join(', ')}` }];
    }
    return [];
  },
};

/** Hosts and paths a route or Gateway exposes (`shop.acme.example/api`). */
function exposureOf(m: any): string[] {
  const out: string[] = [];
  if (m.kind === 'Ingress') {
    for (const r of m.spec?.rules ?? []) {
      const paths = (r.http?.paths ?? []).map((p: any) => p.path ?? '/');
      for (const p of paths.length > 0 ? paths : ['/']) out.push(`${r.host ?? '*'}${p}`);
    }
  } else if (m.kind === 'Gateway') {
    for (const l of m.spec?.listeners ?? []) out.push(`${l.hostname ?? '*'}:${l.port}`);
  } else {
    const hosts: string[] = m.spec?.hostnames ?? ['*'];
    const paths = (m.spec?.rules ?? []).flatMap((r: any) => (r.matches ?? []).map((x: any) => x.path?.value ?? '/'));
    for (const h of hosts) for (const p of paths.length > 0 ? paths : ['/']) out.push(`${h}${p}`);
  }
  return [...new Set(out)].sort();
}
