import type { Capability, RiskNote } from '../environments/capability';
import { meshBoundaryRisks } from './mesh-risks';

/**
 * The mesh capability's registration (lib/capabilities.ts): the review flags mesh security that gets weaker (an
 * AuthorizationPolicy removed or admitting more callers, mTLS relaxed from STRICT) and, as high risks, boundaries
 * that open (an allow-all AuthorizationPolicy, mTLS DISABLE).
 */
export const meshCapability: Capability = {
  name: 'mesh',
  risksOf: ({ change, previous, next }) => {
    const out: RiskNote[] = change === 'removed' ? [] : meshBoundaryRisks(previous, next);
    if (change === 'removed' && previous?.kind === 'AuthorizationPolicy') out.push({ risk: 'network-widening', message: 'AuthorizationPolicy removed' });
    if (change !== 'changed') return out;
    if (next?.kind === 'AuthorizationPolicy') {
      const before = new Set(authorizationSources(previous));
      const wider = [...new Set(authorizationSources(next).filter((x) => !before.has(x)))];
      if (wider.length > 0) out.push({ risk: 'network-widening', message: `allows more callers: ${wider.slice(0, 3).join('; ')}` });
    }
    if (next?.kind === 'PeerAuthentication' && previous?.spec?.mtls?.mode === 'STRICT' && next?.spec?.mtls?.mode !== 'STRICT') {
      out.push({ risk: 'network-widening', message: `mTLS relaxed from STRICT to ${next?.spec?.mtls?.mode ?? 'the mesh default'}` });
    }
    return out;
  },
};

/** Who may call what under an AuthorizationPolicy, one entry per rule source (`{"principals":[...]} to any operation`). */
function authorizationSources(m: any): string[] {
  return (m?.spec?.rules ?? []).flatMap((r: any) => (r.from ?? [{}]).map((f: any) => `${canonical(f.source ?? 'any source')} to ${canonical(r.to ?? 'any operation')}`));
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as any)[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}
