import { parseQuantity } from '../core';

/** A volume claim template whose requested size went down. */
export interface ClaimShrink {
  /** Claim template name. */
  readonly claim: string;
  readonly previous: string;
  readonly next: string;
}

/**
 * The claim templates of a StatefulSet (`next`) that request less storage than in `previous` (the same
 * StatefulSet as the previous dist/ holds it). A bound claim can never shrink: Kubernetes rejects it, and
 * re-creating the StatefulSet would leave the existing, larger claims in place anyway.
 */
export function shrunkClaims(previous: any, next: any): ClaimShrink[] {
  const sizes = (m: any) => new Map<string, string>(((m?.spec?.volumeClaimTemplates ?? []) as any[])
    .filter((t) => typeof t?.metadata?.name === 'string' && typeof t?.spec?.resources?.requests?.storage === 'string')
    .map((t) => [t.metadata.name, t.spec.resources.requests.storage]));
  const before = sizes(previous);
  const out: ClaimShrink[] = [];
  for (const [claim, size] of sizes(next)) {
    const old = before.get(claim);
    if (old === undefined) continue;
    const a = parseQuantity(old);
    const b = parseQuantity(size);
    if (a !== undefined && b !== undefined && b < a) out.push({ claim, previous: old, next: size });
  }
  return out;
}
