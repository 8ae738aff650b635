import { apiGroupOf } from './pod-template';
import { defineRule, Rule, Violation } from './rule';

/**
 * Rules on the mesh's security objects as rendered, raw ones included: no wildcard caller, no allow-everyone
 * rule, no mTLS switched off, no plain text admitted in production without a reason, no NetworkPolicy admitting
 * the whole internet.
 */

const ISTIO_SECURITY = 'security.istio.io';

export const meshPrincipalWildcard = defineRule({
  id: 'hygiene-mesh-principal-wildcard',
  title: 'AuthorizationPolicies name their callers: no wildcard service account',
  profile: 'hygiene',
  check: (m) => {
    if (m.kind !== 'AuthorizationPolicy' || apiGroupOf(m) !== ISTIO_SECURITY) return [];
    const out: Violation[] = [];
    ((m as any).spec?.rules ?? []).forEach((rule: any, r: number) => {
      (rule?.from ?? []).forEach((f: any, i: number) => {
        ((f?.source?.principals ?? []) as unknown[]).forEach((p, j) => {
          if (typeof p !== 'string' || !p.includes('*')) return;
          out.push({
            field: `spec.rules[${r}].from[${i}].source.principals[${j}]`,
            message: `admits any identity matching ${JSON.stringify(p)} (a wildcard service account admits every workload of the namespace, future ones too)`,
            fix: "name the caller's service account (cluster.local/ns/<namespace>/sa/<account>), or admit the namespace explicitly with source.namespaces",
          });
        });
      });
    });
    return out;
  },
});

export const meshAllowEveryone = defineRule({
  id: 'hygiene-mesh-allow-everyone',
  title: 'No ALLOW AuthorizationPolicy rule matches every request',
  profile: 'hygiene',
  check: (m) => {
    if (m.kind !== 'AuthorizationPolicy' || apiGroupOf(m) !== ISTIO_SECURITY) return [];
    const spec = (m as any).spec ?? {};
    if ((spec.action ?? 'ALLOW') !== 'ALLOW') return [];
    const empty = (v: unknown) => v === undefined || v === null || (typeof v === 'object' && Object.keys(v as object).length === 0);
    const out: Violation[] = [];
    ((spec.rules ?? []) as any[]).forEach((rule, r) => {
      const from: any[] = rule?.from ?? [];
      const to: any[] = rule?.to ?? [];
      const when: any[] = rule?.when ?? [];
      // a rule without conditions, or whose only source is empty, matches every request from anyone
      const anySource = from.length === 0 || from.some((f) => empty(f?.source));
      const anyOperation = to.length === 0 || to.some((t) => empty(t?.operation));
      if (anySource && anyOperation && when.length === 0) {
        out.push({
          field: `spec.rules[${r}]`,
          message: `allows every request from anyone (rule ${JSON.stringify(rule ?? {})}): with it, the namespace's deny-all stops nothing`,
          fix: 'name the callers (source.principals or source.namespaces), or remove the rule (an ALLOW policy with no rules allows nothing)',
        });
      }
    });
    return out;
  },
});

/** mTLS modes of a PeerAuthentication with their fields (the policy's and each port's). */
function mtlsModes(m: any): { field: string; mode: string }[] {
  const out: { field: string; mode: string }[] = [];
  if (m?.spec?.mtls?.mode) out.push({ field: 'spec.mtls.mode', mode: String(m.spec.mtls.mode) });
  for (const [port, v] of Object.entries(m?.spec?.portLevelMtls ?? {})) {
    if ((v as any)?.mode) out.push({ field: `spec.portLevelMtls[${JSON.stringify(port)}].mode`, mode: String((v as any).mode) });
  }
  return out;
}

export const meshMtlsNotDisabled = defineRule({
  id: 'hygiene-mesh-mtls-not-disabled',
  title: 'No PeerAuthentication turns mTLS off in a meshed namespace',
  profile: 'hygiene',
  check: (m) => {
    if (m.kind !== 'PeerAuthentication' || apiGroupOf(m) !== ISTIO_SECURITY) return [];
    // a PeerAuthentication only acts on meshed workloads: DISABLE always switches mTLS off for some of them
    return mtlsModes(m).filter((x) => x.mode === 'DISABLE').map((x) => ({
      field: x.field,
      message: 'turns mTLS off: the workloads accept plain-text traffic and the mesh can no longer tell callers apart',
      fix: "use STRICT (or PERMISSIVE while clients migrate, with the reason as an exemption of hygiene-mesh-mtls-strict-in-production in production)",
    }));
  },
});

export const meshMtlsStrictInProduction = defineRule({
  id: 'hygiene-mesh-mtls-strict-in-production',
  title: 'Production meshes run STRICT mTLS (PERMISSIVE only with a reason)',
  profile: 'hygiene',
  check: (m, context) => {
    if (!context.environment?.production || m.kind !== 'PeerAuthentication' || apiGroupOf(m) !== ISTIO_SECURITY) return [];
    return mtlsModes(m).filter((x) => x.mode === 'PERMISSIVE').map((x) => ({
      field: x.field,
      message: `accepts plain text besides mTLS in production environment ${context.environment!.name}`,
      fix: "set mtls STRICT once the clients are meshed; while they migrate, exempt this PeerAuthentication with the reason (Policy.exempt(scope, 'hygiene-mesh-mtls-strict-in-production', '...'))",
    }));
  },
});

const WORLD = new Set(['0.0.0.0/0', '::/0']);

export const ingressNotWorld = defineRule({
  id: 'hygiene-ingress-not-world',
  title: 'No NetworkPolicy admits the whole internet',
  profile: 'hygiene',
  check: (m) => {
    if (m.kind !== 'NetworkPolicy' || apiGroupOf(m) !== 'networking.k8s.io') return [];
    const out: Violation[] = [];
    (((m as any).spec?.ingress ?? []) as any[]).forEach((rule, r) => {
      ((rule?.from ?? []) as any[]).forEach((peer, i) => {
        const cidr = peer?.ipBlock?.cidr;
        if (typeof cidr !== 'string' || !(WORLD.has(cidr) || /\/0$/.test(cidr))) return;
        out.push({
          field: `spec.ingress[${r}].from[${i}].ipBlock.cidr`,
          message: `admits every address (${cidr}), past the gateway and its TLS, rate limits and authentication`,
          fix: "expose the service through the gateway (Exposure.http()), or admit the load balancer's or office's CIDR only",
        });
      });
    });
    return out;
  },
});

export const MESH_RULES: readonly Rule[] = [meshPrincipalWildcard, meshAllowEveryone, meshMtlsNotDisabled, meshMtlsStrictInProduction, ingressNotWorld];
