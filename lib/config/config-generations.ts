import * as YAML from 'yaml';
import { evaluateManifests } from '../policy/check';
import { Policy } from '../policy/policy';
import { PolicyError } from '../policy/policy-error';
import type { ConfigGeneration } from '../environments/capability';
import type { LaidOutObject, PreviousTree } from '../environments/rendered';
import { contentHash } from './config-files';
import { CONFIG_DEFAULTS, CONFIG_DIGEST_ANNOTATION, CONFIG_GENERATION_LABEL, CONFIG_RETAIN_ANNOTATION, CONFIG_RETIRED_ANNOTATION, CONFIG_SET_LABEL } from './defaults';

/**
 * Rollback-safe retention of config generations.
 *
 * A content-named ConfigMap is replaced by a new name on every change. The ReplicaSets a Deployment (or an Argo
 * Rollout) keeps for rollbacks still mount the old name, and GitOps prune would delete it with the old tree, so a
 * rollback (or a canary abort) would start pods that cannot mount their config. The synth knows the previous
 * dist/: it carries the previous generations of every config set still rendered over into the new tree, marked
 * `config.typed-manifests.io/generation: retained` with their rank (1 = replaced last), and drops them once more
 * than the set's `retain-generations` newer ones exist. Same input and same previous tree give the same bytes.
 */

// the previous tree and laid-out objects are the synth pipeline's vocabulary (lib/environments/rendered.ts)
export { previousTreeIn, previousTreeOf } from '../environments/rendered';
export type { LaidOutObject, PreviousTree } from '../environments/rendered';

// the generation vocabulary is the diff's (lib/environments/capability.ts); config says which objects are generations
export type { ConfigGeneration } from '../environments/capability';

/** The config generation a manifest is, or undefined when it is not a config set's ConfigMap. */
export function configGenerationOf(manifest: any): ConfigGeneration | undefined {
  const set = manifest?.kind === 'ConfigMap' ? manifest.metadata?.labels?.[CONFIG_SET_LABEL] : undefined;
  if (typeof set !== 'string') return undefined;
  const a = manifest.metadata?.annotations ?? {};
  if (manifest.metadata?.labels?.[CONFIG_GENERATION_LABEL] === 'retained') {
    return { set, state: 'retained', rank: Number(a[CONFIG_RETIRED_ANNOTATION]) || 1 };
  }
  const retain = Number(a[CONFIG_RETAIN_ANNOTATION]);
  return { set, state: 'current', retain: Number.isInteger(retain) && retain >= 0 ? retain : 0 };
}

/**
 * The previous generations to keep, as objects to lay out next to the current ones (same folder and file).
 *
 * For each config set rendered now, its generations in the previous tree (the file the set is written to) are
 * ranked: the previous current one first, then the retained ones by rank. The current name is left out (a
 * change reverted to an earlier content makes that generation current again); the first `retain` of the rest
 * are kept with their new rank, the others are dropped. Config sets no longer rendered keep nothing.
 */
export function retainedConfigGenerations(objects: readonly LaidOutObject[], previous: PreviousTree | undefined,
  onDropped: (d: DroppedGeneration) => void = () => {}): LaidOutObject[] {
  if (!previous) return [];
  const current = new Map<string, { obj: LaidOutObject; retain: number }>();
  const byFile = new Map<string, { obj: LaidOutObject; retain: number }[]>();
  for (const obj of objects) {
    const g = configGenerationOf(obj.manifest);
    if (!g || g.state !== 'current' || !g.retain) continue;
    const entry = { obj, retain: g.retain };
    current.set(setKey(obj.folder, obj.manifest.metadata?.namespace, g.set), entry);
    const rel = `${obj.folder}/${obj.file}`;
    byFile.set(rel, [...(byFile.get(rel) ?? []), entry]);
  }
  if (current.size === 0) return [];

  const history = new Map<string, { manifest: any; order: number }[]>();
  for (const rel of [...byFile.keys()].sort()) {
    const text = previous(rel);
    if (text === undefined || !text.includes(CONFIG_SET_LABEL)) continue;
    const sets = byFile.get(rel)!;
    // the common case, nothing to carry over: no retained generation yet and every set's current name unchanged
    if (!text.includes(`${CONFIG_GENERATION_LABEL}: retained`) && sets.every((c) => text.includes(`\n  name: ${c.obj.manifest.metadata?.name}\n`))) continue;
    const folder = sets[0].obj.folder;
    // documents are separated by a `---` line at column 0 (block scalars are indented); parse only ConfigMaps of a set
    for (const doc of text.split(/^---\n/m)) {
      if (!doc.includes(CONFIG_SET_LABEL) || !/^kind: ConfigMap$/m.test(doc)) continue;
      let manifest: any;
      try {
        manifest = YAML.parse(doc, { version: '1.1' });
      } catch {
        continue; // an unreadable previous file keeps nothing; the new tree is still complete
      }
      const g = configGenerationOf(manifest);
      if (!g) continue;
      const key = setKey(folder, manifest.metadata?.namespace, g.set);
      if (!current.has(key)) continue;
      // only what the library wrote, unchanged since: an edit under an old name or a foreign ConfigMap is dropped
      const why = untrusted(manifest, g.set);
      if (why !== undefined) {
        if (manifest.metadata?.name !== current.get(key)!.obj.manifest.metadata?.name) {
          onDropped({ file: rel, namespace: manifest.metadata?.namespace, name: String(manifest.metadata?.name ?? ''), set: g.set, reason: why });
        }
        continue;
      }
      let list = history.get(key);
      if (!list) history.set(key, (list = []));
      list.push({ manifest, order: g.state === 'current' ? 0 : g.rank! });
    }
  }

  const out: LaidOutObject[] = [];
  for (const [key, { obj, retain }] of [...current.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const currentName = obj.manifest.metadata?.name;
    const seen = new Set<string>([currentName]);
    const older = (history.get(key) ?? [])
      .sort((a, b) => a.order - b.order || cmp(a.manifest.metadata?.name, b.manifest.metadata?.name))
      .filter((h) => {
        const name = h.manifest.metadata?.name;
        if (typeof name !== 'string' || seen.has(name)) return false;
        seen.add(name);
        return true;
      })
      .slice(0, retain);
    older.forEach((h, i) => out.push({ folder: obj.folder, file: obj.file, manifest: retainedManifest(h.manifest, i + 1), apiObject: obj.apiObject }));
  }
  checkRetained(out);
  return out;
}

/** A ConfigMap of the previous dist/ that retention did not keep because it cannot be trusted. */
export interface DroppedGeneration {
  /** File below dist/. */
  readonly file: string;
  readonly namespace?: string;
  readonly name: string;
  readonly set: string;
  readonly reason: string;
}

/**
 * Why a previous generation is not one the library wrote, unchanged (undefined when it is): the content digest
 * mark must be there, the content must still hash to it, and the name must be the set's name plus that hash.
 */
export function untrusted(manifest: any, set: string): string | undefined {
  const digest = manifest.metadata?.annotations?.[CONFIG_DIGEST_ANNOTATION];
  if (typeof digest !== 'string' || !/^[0-9a-f]{64}$/.test(digest)) return `it has no ${CONFIG_DIGEST_ANNOTATION} mark (not written by this library)`;
  if (manifest.binaryData !== undefined) return 'it has binaryData, which config sets never write';
  const data = manifest.data ?? {};
  if (typeof data !== 'object' || Array.isArray(data) || Object.values(data).some((v) => typeof v !== 'string')) return 'its data is not a map of strings';
  const keys = Object.keys(data).sort();
  const actual = contentHash(keys.map((k) => [k, data[k] as string]), 64);
  if (actual !== digest) return 'its data was edited (the content no longer hashes to its mark)';
  const expected = `${set}-${digest.slice(0, CONFIG_DEFAULTS.hashLength)}`;
  if (manifest.metadata?.name !== expected) return `its name is not the one its content gives (${expected})`;
  return undefined;
}

/** The dropped generations as synth prints them on stderr (empty when there are none). */
export function formatDroppedGenerations(dropped: readonly DroppedGeneration[]): string {
  if (dropped.length === 0) return '';
  const lines = ['config retention: previous generations dropped from dist/ (not carried over, pruned on the next sync):'];
  for (const d of dropped) lines.push(`  ${d.file}: ConfigMap ${d.namespace ? `${d.namespace}/` : ''}${d.name} of config set ${d.set}: ${d.reason}; restore it from Git history if a rollback needs it`);
  return `${lines.join('\n')}\n`;
}

/**
 * What is carried over from the previous tree is judged by policy like everything else (a hand edit of dist/
 * must not reach the cluster unjudged), with the exemptions of the config set's current ConfigMap.
 */
function checkRetained(retained: readonly LaidOutObject[]): void {
  if (retained.length === 0) return;
  const owner = new Map(retained.map((r) => [`${r.folder}|${r.manifest.metadata?.namespace ?? ''}|${r.manifest.metadata?.name}`, r.apiObject]));
  const findings = evaluateManifests(retained.map((r) => ({ folder: r.folder, manifest: r.manifest }))).filter((f) => {
    const scope = owner.get(`${f.folder}|${f.object.namespace ?? ''}|${f.object.name}`);
    return !(scope && Policy.exemptionFor(scope, f.rule, f.field));
  });
  if (findings.length > 0) throw new PolicyError(findings);
}

/** Only what a config generation is made of is carried over: no other field of a hand-edited file. */
function retainedManifest(m: any, rank: number): any {
  const { [CONFIG_RETAIN_ANNOTATION]: _retain, ...annotations } = m.metadata?.annotations ?? {};
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    // keys sorted, as cdk8s writes metadata
    metadata: {
      annotations: sorted({ ...annotations, [CONFIG_RETIRED_ANNOTATION]: String(rank) }),
      labels: sorted({ ...m.metadata?.labels, [CONFIG_GENERATION_LABEL]: 'retained' }),
      name: m.metadata.name,
      namespace: m.metadata?.namespace,
    },
    ...(m.data !== undefined ? { data: m.data } : {}),
    ...(m.binaryData !== undefined ? { binaryData: m.binaryData } : {}),
    immutable: true,
  };
}

function sorted(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) Object.defineProperty(out, k, { value: o[k], enumerable: true, writable: true, configurable: true });
  return out;
}

function setKey(folder: string, namespace: string | undefined, set: string): string {
  return `${folder}|${namespace ?? ''}|${set}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
