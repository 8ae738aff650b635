import type { RiskNote } from '../environments/capability';

/**
 * Mesh boundaries a change can open (review risks the mesh capability reports): an AuthorizationPolicy that ALLOWs
 * every request (an empty rule, `rules: [{}]`, or sources that are all wildcards, with no operation or condition),
 * and a PeerAuthentication with mode DISABLE (for the workload or a port). Only what the change newly opens counts.
 */
export function meshBoundaryRisks(previous: any, next: any): RiskNote[] {
  const out: RiskNote[] = [];
  for (const d of DETECTORS) {
    const before = new Set(previous && previous.kind === next?.kind ? d.findings(previous) : []);
    const fresh = [...new Set(next ? d.findings(next) : [])].filter((f) => !before.has(f));
    if (fresh.length > 0) out.push({ risk: d.kind, message: `${previous ? 'now' : 'new object'} ${d.verb}: ${fresh.join('; ')}` });
  }
  return out;
}

interface Detector {
  readonly kind: 'authorization-allow-all' | 'mtls-disabled';
  readonly verb: string;
  findings(m: any): string[];
}

const group = (m: any) => (typeof m?.apiVersion === 'string' && m.apiVersion.includes('/') ? m.apiVersion.split('/')[0] : '');
const isEmpty = (v: unknown): boolean => v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.values(v as object).every(isEmpty));
const wildcardOnly = (xs: unknown) => Array.isArray(xs) && xs.length > 0 && xs.every((x) => x === '*');

const DETECTORS: readonly Detector[] = [
  {
    kind: 'authorization-allow-all',
    verb: 'allows every request',
    findings: (m) => {
      if (m.kind !== 'AuthorizationPolicy' || group(m) !== 'security.istio.io') return [];
      const action = m.spec?.action ?? 'ALLOW';
      if (action !== 'ALLOW') return [];
      const rules: any[] = Array.isArray(m.spec?.rules) ? m.spec.rules : [];
      const open = rules.some((r) => {
        if (!isEmpty(r?.to) || !isEmpty(r?.when)) return false;
        const from: any[] = Array.isArray(r?.from) ? r.from : [];
        // an empty source, or one whose every field is the wildcard: any caller
        return from.length === 0 || from.some((f) => isEmpty(f?.source) || Object.entries(f?.source ?? {}).every(([k, v]) => k.startsWith('not') ? isEmpty(v) : wildcardOnly(v)));
      });
      return open ? [`ALLOW with an unconditional rule (selector ${m.spec?.selector ? JSON.stringify(m.spec.selector.matchLabels ?? m.spec.selector) : 'none: every workload of the namespace'})`] : [];
    },
  },
  {
    kind: 'mtls-disabled',
    verb: 'disables mutual TLS',
    findings: (m) => {
      if (m.kind !== 'PeerAuthentication' || group(m) !== 'security.istio.io') return [];
      const out: string[] = [];
      if (m.spec?.mtls?.mode === 'DISABLE') out.push('mtls.mode DISABLE (plaintext accepted)');
      for (const [port, v] of Object.entries(m.spec?.portLevelMtls ?? {})) if ((v as any)?.mode === 'DISABLE') out.push(`port ${port} mode DISABLE`);
      return out;
    },
  },
];
