import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { configError, parseQuantity } from '../core';
import { toYaml } from '../core/serialize';
import type { RenderedObject } from '../environments/rendered';

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

/**
 * Storage: a volume claim template may grow but never shrink. Compares each rendered StatefulSet with the one
 * in the previous dist/ (the file it was written to) and throws before anything is written.
 */
export function checkClaimSizes(objects: readonly RenderedObject[], outdir: string): void {
  const texts = new Map<string, string | undefined>();
  const parsed = new Map<string, any[]>();
  for (const o of objects) {
    if (o.manifest?.kind !== 'StatefulSet' || !o.manifest.spec?.volumeClaimTemplates) continue;
    const file = path.join(outdir, o.folder, o.file);
    if (!texts.has(file)) {
      let text: string | undefined;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        // no previous file (a new workload) or an unreadable one: nothing to compare
      }
      texts.set(file, text);
    }
    const text = texts.get(file);
    if (text === undefined) continue;
    const m = o.manifest;
    // the very document the previous file holds: nothing can have shrunk (a re-synth parses nothing)
    if (holdsDocument(text, toYaml([m]))) continue;
    let docs = parsed.get(file);
    if (!docs) {
      try {
        // only the StatefulSets of the file are compared: parse those documents (separated by a `---` line at
        // column 0, block scalars being indented), not the whole file
        docs = text.split(/^---\n/m).filter((d) => /^kind: StatefulSet$/m.test(d)).map((d) => YAML.parse(d));
      } catch {
        docs = [];
      }
      parsed.set(file, docs);
    }
    const previous = docs.find((d) => d?.kind === 'StatefulSet' && d?.metadata?.name === m.metadata?.name && d?.metadata?.namespace === m.metadata?.namespace);
    const shrunk = previous ? shrunkClaims(previous, m) : [];
    if (shrunk.length > 0) {
      const s = shrunk[0];
      const i = (m.spec.volumeClaimTemplates as any[]).findIndex((t) => t.metadata?.name === s.claim);
      throw configError(o.apiObject.node.scope ?? o.apiObject, `volumes[${i}].size`,
        `is smaller than the ${s.previous} of claim template '${s.claim}' in the previous ${path.join(path.basename(outdir), o.folder, o.file)} (claims cannot shrink)`,
        s.next, `keep at least ${s.previous}`);
    }
  }
}

/** Whether a multi-document file (documents joined by `---` lines) holds `doc` as one of its documents. */
function holdsDocument(text: string, doc: string): boolean {
  return text === doc || text.startsWith(`${doc}---\n`) || text.endsWith(`---\n${doc}`) || text.includes(`---\n${doc}---\n`);
}
