import type { ReviewManifest as Manifest } from './rollout-plan';

/**
 * Kubernetes-wide security boundaries a change can open, judged on the rendered objects alone (each detector reads
 * one object, old and new; the mesh's own boundaries are judged by the mesh capability):
 * - `network-open`: a NetworkPolicy admitting every namespace (an empty namespaceSelector), every address
 *   (0.0.0.0/0, ::/0) or any source (an ingress rule without `from`),
 * - `rbac-aggregation`: a ClusterRole aggregated into view/edit/admin (its rules reach every user of those roles)
 *   or one aggregating others,
 * - `rbac-escalation`: grants of impersonate/escalate/bind, `*`, pods/exec/attach/portforward,
 *   serviceaccounts/token, nodes/proxy, or a binding to cluster-admin/admin/edit.
 */
export type SecurityRiskKind = 'network-open' | 'rbac-aggregation' | 'rbac-escalation';

export interface SecurityRisk {
  readonly kind: SecurityRiskKind;
  readonly message: string;
}

/** The boundaries `next` opens that `previous` (undefined for a new object) did not. */
export function securityRisks(previous: Manifest | undefined, next: Manifest): SecurityRisk[] {
  const out: SecurityRisk[] = [];
  for (const d of DETECTORS) {
    const before = new Set(previous && previous.kind === next.kind ? d.findings(previous) : []);
    const fresh = [...new Set(d.findings(next))].filter((f) => !before.has(f));
    if (fresh.length > 0) {
      out.push({ kind: d.kind, message: `${previous ? 'now' : 'new object'} ${d.verb}: ${fresh.slice(0, 4).join('; ')}${fresh.length > 4 ? `; and ${fresh.length - 4} more` : ''}` });
    }
  }
  return out;
}

interface Detector {
  readonly kind: SecurityRiskKind;
  readonly verb: string;
  /** Each opening the object makes, as comparable text. */
  findings(m: Manifest): string[];
}

const group = (m: Manifest) => (typeof m.apiVersion === 'string' && m.apiVersion.includes('/') ? m.apiVersion.split('/')[0] : '');
const isEmpty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.values(v as object).every(isEmpty));

const DETECTORS: readonly Detector[] = [
  {
    kind: 'network-open',
    verb: 'admits traffic from everywhere',
    findings: (m) => {
      if (m.kind !== 'NetworkPolicy' || group(m) !== 'networking.k8s.io') return [];
      const out: string[] = [];
      (Array.isArray(m.spec?.ingress) ? m.spec.ingress : []).forEach((rule: any, i: number) => {
        const from: any[] | undefined = rule?.from;
        if (!Array.isArray(from) || from.length === 0) out.push(`ingress[${i}] from any source`);
        for (const p of from ?? []) {
          if (p && 'namespaceSelector' in p && isEmpty(p.namespaceSelector)) out.push(`ingress[${i}] from every namespace (empty namespaceSelector)`);
          const cidr = p?.ipBlock?.cidr;
          if (cidr === '0.0.0.0/0' || cidr === '::/0') out.push(`ingress[${i}] from every address (${cidr})`);
        }
      });
      return out;
    },
  },
  {
    kind: 'rbac-aggregation',
    verb: 'aggregates roles',
    findings: (m) => {
      if (m.kind !== 'ClusterRole' || group(m) !== 'rbac.authorization.k8s.io') return [];
      const out: string[] = [];
      for (const [k, v] of Object.entries(m.metadata?.labels ?? {})) {
        const agg = /^rbac\.authorization\.k8s\.io\/aggregate-to-(.+)$/.exec(k);
        if (agg && v === 'true') out.push(`its rules join the built-in ${agg[1]} role (label ${k})`);
      }
      if (m.aggregationRule) out.push('it aggregates every ClusterRole its aggregationRule selects (now and later)');
      return out;
    },
  },
  {
    kind: 'rbac-escalation',
    verb: 'grants privilege escalation',
    findings: (m) => {
      if (group(m) !== 'rbac.authorization.k8s.io') return [];
      if (m.kind === 'RoleBinding' || m.kind === 'ClusterRoleBinding') {
        const role = m.roleRef?.name;
        return m.roleRef?.kind === 'ClusterRole' && ['cluster-admin', 'admin', 'edit'].includes(role) ? [`binds the built-in ${role} role`] : [];
      }
      if (m.kind !== 'Role' && m.kind !== 'ClusterRole') return [];
      const out: string[] = [];
      for (const r of Array.isArray(m.rules) ? m.rules : []) {
        const verbs: string[] = Array.isArray(r?.verbs) ? r.verbs : [];
        const resources: string[] = Array.isArray(r?.resources) ? r.resources : [];
        for (const v of verbs) if (['impersonate', 'escalate', 'bind', '*'].includes(v)) out.push(`verb ${v} on ${resources.join(',') || 'any resource'}`);
        for (const res of resources) {
          if (['pods/exec', 'pods/attach', 'pods/portforward', 'serviceaccounts/token', 'nodes/proxy', '*'].includes(res)) out.push(`${res}: ${verbs.join(',')}`);
        }
      }
      return out;
    },
  },
];
