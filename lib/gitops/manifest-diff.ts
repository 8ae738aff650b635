import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { redactManifest } from '../core/redact';
import { ConfigGeneration, DiffWarningKind, registeredCapabilities } from '../environments/capability';
import { DIST_MARKER } from './dist-marker';
import { apiGroupOf } from './layout';

/** One object of a dist/ tree. */
export interface ObjectRef {
  /** The kustomization folder it is in (`dev`, `prod/prod-eu-1`, `argocd`). */
  readonly folder: string;
  /** File below dist/ (`dev/storefront/web.yaml`). */
  readonly file: string;
  readonly apiVersion: string;
  readonly kind: string;
  /** Undefined for cluster-scoped objects. */
  readonly namespace?: string;
  readonly name: string;
  /** Set for the ConfigMaps of a config set (lib/config): the current generation or a retained one. */
  readonly configGeneration?: ConfigGeneration;
}

/** One changed leaf: `old` or `new` is undefined when the field was added or removed. */
export interface FieldChange {
  /** `spec.template.spec.containers[name=web].image`, `metadata.labels["app.kubernetes.io/name"]`. */
  readonly path: string;
  readonly old?: unknown;
  readonly new?: unknown;
}

export interface ObjectChange {
  readonly old: ObjectRef;
  readonly new: ObjectRef;
  readonly fields: readonly FieldChange[];
}

// the warning kinds are shared with the capabilities that contribute warnings (lib/environments/capability.ts)
export type { DiffWarningKind } from '../environments/capability';

export interface DiffWarning {
  readonly kind: DiffWarningKind;
  readonly folder: string;
  /** The object(s) concerned: one, or for a rename the removed and the added one. */
  readonly objects: readonly ObjectRef[];
  readonly message: string;
}

/** What changed in one kustomization folder. */
export interface FolderDiff {
  readonly folder: string;
  readonly added: readonly ObjectRef[];
  readonly removed: readonly ObjectRef[];
  readonly changed: readonly ObjectChange[];
  readonly warnings: readonly DiffWarning[];
}

export interface TreeDiff {
  /** True when both trees hold the same files with the same bytes. */
  readonly upToDate: boolean;
  /** File-level differences (paths below dist/), sorted. */
  readonly files: { readonly added: readonly string[]; readonly removed: readonly string[]; readonly changed: readonly string[] };
  /** Folders with object-level differences, sorted by folder. */
  readonly folders: readonly FolderDiff[];
  /** Every warning of every folder, in folder order. */
  readonly warnings: readonly DiffWarning[];
  /** Files that are not valid YAML (their objects are left out of the comparison). */
  readonly unparsable: readonly { readonly file: string; readonly side: 'old' | 'new'; readonly error: string }[];
}

interface Parsed {
  readonly ref: ObjectRef;
  readonly manifest: any;
}

/**
 * Compares two dist/ trees (path below dist/ -> file content), object by object.
 *
 * Objects are matched per kustomization folder (the outermost folder with a kustomization.yaml: a target, whose
 * team and platform parts have kustomizations of their own) by API group, kind, namespace and name;
 * kustomization.yaml files themselves only count as file changes.
 */
export function diffTrees(oldTree: ReadonlyMap<string, string>, newTree: ReadonlyMap<string, string>): TreeDiff {
  const added = [...newTree.keys()].filter((f) => !oldTree.has(f)).sort();
  const removed = [...oldTree.keys()].filter((f) => !newTree.has(f)).sort();
  const changed = [...newTree.keys()].filter((f) => oldTree.has(f) && oldTree.get(f) !== newTree.get(f)).sort();

  const folders = kustomizationFolders([...oldTree.keys(), ...newTree.keys()]);
  const unparsable: { file: string; side: 'old' | 'new'; error: string }[] = [];
  // a file with the same bytes on both sides holds the same objects: only files that differ are parsed
  const differs = (f: string) => oldTree.get(f) !== newTree.get(f);
  const oldObjects = parseTree(oldTree, folders, 'old', unparsable, differs);
  const newObjects = parseTree(newTree, folders, 'new', unparsable, differs);

  const byFolder = new Map<string, { added: Parsed[]; removed: Parsed[]; changed: ObjectChange[]; warnings: DiffWarning[]; pairs: [Parsed, Parsed][] }>();
  const entry = (folder: string) => {
    let e = byFolder.get(folder);
    if (!e) byFolder.set(folder, (e = { added: [], removed: [], changed: [], warnings: [], pairs: [] }));
    return e;
  };
  for (const [key, o] of newObjects) {
    const prev = oldObjects.get(key);
    if (!prev) {
      entry(o.ref.folder).added.push(o);
    } else {
      const fields = diffValues(prev.manifest, o.manifest);
      if (fields.length > 0 || prev.ref.file !== o.ref.file) {
        const e = entry(o.ref.folder);
        e.changed.push({ old: prev.ref, new: o.ref, fields });
        e.pairs.push([prev, o]);
      }
    }
  }
  for (const [key, o] of oldObjects) {
    if (!newObjects.has(key)) entry(o.ref.folder).removed.push(o);
  }

  const result: FolderDiff[] = [];
  for (const folder of [...byFolder.keys()].sort()) {
    const e = byFolder.get(folder)!;
    const warnings: DiffWarning[] = [
      ...renames(folder, e.removed, e.added),
      ...e.pairs.flatMap(([a, b]) => immutableChanges(folder, a, b)),
    ];
    result.push({
      folder,
      added: e.added.map((o) => o.ref).sort(compareRefs),
      removed: e.removed.map((o) => o.ref).sort(compareRefs),
      changed: e.changed.sort((a, b) => compareRefs(a.new, b.new)),
      warnings,
    });
  }
  return {
    upToDate: added.length === 0 && removed.length === 0 && changed.length === 0,
    files: { added, removed, changed },
    folders: result,
    warnings: result.flatMap((f) => f.warnings),
    unparsable: unparsable.sort((a, b) => cmp(a.file, b.file) || cmp(a.side, b.side)),
  };
}

/** Folders that hold a kustomization.yaml (`''` for the root), shortest first (the outermost one matches), the root last. */
function kustomizationFolders(files: string[]): string[] {
  const set = new Set<string>();
  for (const f of files) {
    if (f === 'kustomization.yaml') set.add('');
    else if (f.endsWith('/kustomization.yaml')) set.add(f.slice(0, -'/kustomization.yaml'.length));
  }
  return [...set].sort((a, b) => Number(a === '') - Number(b === '') || a.length - b.length || cmp(a, b));
}

function folderOf(file: string, folders: string[]): string {
  for (const f of folders) {
    if (f === '' || file.startsWith(`${f}/`)) return f;
  }
  const i = file.indexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

function parseTree(tree: ReadonlyMap<string, string>, folders: string[], side: 'old' | 'new',
  unparsable: { file: string; side: 'old' | 'new'; error: string }[], include: (file: string) => boolean): Map<string, Parsed> {
  const out = new Map<string, Parsed>();
  for (const file of [...tree.keys()].sort()) {
    if (!/\.ya?ml$/.test(file) || !include(file)) continue;
    const docs = YAML.parseAllDocuments(tree.get(file)!, { version: '1.1' });
    const list = Array.isArray(docs) ? docs : [docs];
    const bad = list.find((d) => d.errors.length > 0);
    if (bad) {
      unparsable.push({ file, side, error: bad.errors[0].message.split('\n')[0] });
      continue;
    }
    const folder = folderOf(file, folders);
    for (const doc of list) {
      // Secret values, SealedSecret ciphertext, sensitive config and credential-looking values never reach a report
      const m = redactManifest(dropNulls(doc.toJS({ maxAliasCount: -1 })));
      if (!m || typeof m !== 'object' || typeof m.kind !== 'string') continue;
      // a folder's kustomization.yaml is an index of its files, not an object that is applied
      if (apiGroupOf(m.apiVersion) === 'kustomize.config.k8s.io') continue;
      const ref: ObjectRef = {
        folder,
        file,
        apiVersion: String(m.apiVersion ?? ''),
        kind: m.kind,
        namespace: m.metadata?.namespace ?? undefined,
        name: String(m.metadata?.name ?? ''),
        ...configGenerationRef(m),
      };
      out.set(`${folder}|${apiGroupOf(ref.apiVersion)}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`, { ref, manifest: m });
    }
  }
  return out;
}

/** The generation an object is, as a capability that renders generations says (lib/config's config sets). */
function configGenerationRef(m: any): { configGeneration?: ConfigGeneration } {
  for (const c of registeredCapabilities()) {
    const g = c.diff?.generationOf?.(m);
    if (g) return { configGeneration: g };
  }
  return {};
}

/** What a config generation's line in the diff says: new, retained for rollbacks, or retired. */
function generationNote(ref: ObjectRef, change: '+' | '-' | '~'): string {
  const g = ref.configGeneration;
  if (!g) return '';
  if (change === '-') return '  [retired config generation: outside the retention window, pruned]';
  if (g.state === 'retained') return `  [retained config generation ${g.rank}: kept for rollbacks]`;
  return change === '+' ? '  [new config generation: the pods mounting it roll]' : '';
}

/** Removes null-valued keys: for the API server `x: null` and a missing `x` are the same. */
function dropNulls(v: any): any {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (isPlainObject(v)) {
    const out: Record<string, any> = {};
    for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = dropNulls(x);
    return out;
  }
  return v;
}

// ---- field-level differences ------------------------------------------------------------------------------

/** The changed leaves between two values, in document order (keys sorted). */
export function diffValues(a: unknown, b: unknown, at = ''): FieldChange[] {
  if (deepEqual(a, b)) return [];
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diffValues(a[k], b[k], join(at, k)));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const ka = namedKeys(a);
    const kb = namedKeys(b);
    if (ka && kb) {
      const ma = new Map(a.map((x: any) => [nameOf(x)!, x]));
      const mb = new Map(b.map((x: any) => [nameOf(x)!, x]));
      const names = [...ka, ...kb.filter((n) => !ma.has(n))];
      return names.flatMap((n) => diffValues(ma.get(n), mb.get(n), `${at}[name=${n}]`));
    }
    const n = Math.max(a.length, b.length);
    const out: FieldChange[] = [];
    for (let i = 0; i < n; i++) out.push(...diffValues(a[i], b[i], `${at}[${i}]`));
    return out;
  }
  return [{ path: at || '.', old: a, new: b }];
}

/**
 * The names of an array of named objects (containers, ports, env by `name`; volumeClaimTemplates by
 * `metadata.name`), or undefined when it is not one.
 */
function namedKeys(arr: unknown[]): string[] | undefined {
  if (arr.length === 0) return [];
  const names: string[] = [];
  for (const x of arr) {
    const n = nameOf(x);
    if (n === undefined) return undefined;
    names.push(n);
  }
  return new Set(names).size === names.length ? names : undefined;
}

function nameOf(x: unknown): string | undefined {
  if (!isPlainObject(x)) return undefined;
  if (typeof x.name === 'string') return x.name;
  return typeof x.metadata?.name === 'string' ? x.metadata.name : undefined;
}

function join(at: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? (at ? `${at}.${key}` : key) : `${at}[${JSON.stringify(key)}]`;
}

function isPlainObject(x: unknown): x is Record<string, any> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

// ---- changes that need a delete-and-recreate ---------------------------------------------------------------

const SELECTOR_KINDS = new Set(['apps|Deployment', 'apps|StatefulSet', 'apps|DaemonSet', 'apps|ReplicaSet', 'batch|Job']);

function immutableChanges(folder: string, a: Parsed, b: Parsed): DiffWarning[] {
  const out: DiffWarning[] = [];
  const group = apiGroupOf(b.ref.apiVersion);
  const kind = b.ref.kind;
  const what = describe(b.ref);
  const warn = (k: DiffWarningKind, message: string) => out.push({ kind: k, folder, objects: [b.ref], message: `${what}: ${message}` });
  const changedAt = (p: string) => diffValues(get(a.manifest, p), get(b.manifest, p), p);

  if (SELECTOR_KINDS.has(`${group}|${kind}`) && changedAt('spec.selector').length > 0) {
    warn('selector-changed', `spec.selector changed (${summary(changedAt('spec.selector'))}); the selector is immutable, so the API server rejects the update and the object must be deleted and recreated (pods are replaced all at once). Keep the selector (use stable app.kubernetes.io/* labels) or rename the object on purpose.`);
  }
  if (group === 'apps' && kind === 'StatefulSet') {
    const name = b.ref.name;
    const ns = b.ref.namespace ? ` -n ${b.ref.namespace}` : '';
    for (const field of ['spec.volumeClaimTemplates', 'spec.serviceName', 'spec.podManagementPolicy']) {
      const fields = changedAt(field);
      if (fields.length === 0) continue;
      if (field === 'spec.volumeClaimTemplates') {
        warn('statefulset-immutable', `${field} changed (${summary(fields)}); Kubernetes forbids updating it. Safe procedure: pause the GitOps sync of this target; `
          + `\`kubectl delete statefulset ${name}${ns} --cascade=orphan\` (pods and claims keep running); grow each existing claim `
          + `(\`kubectl patch pvc <template>-${name}-<ordinal>${ns} -p '{"spec":{"resources":{"requests":{"storage":"<new size>"}}}}'\`, the StorageClass must allow expansion); `
          + 'then resume the sync so the StatefulSet is re-created with the new templates and adopts the running pods and claims.');
      } else {
        warn('statefulset-immutable', `${field} changed (${summary(fields)}); Kubernetes forbids updating it, so the StatefulSet must be deleted (orphaning its pods and PVCs: \`kubectl delete statefulset ${name}${ns} --cascade=orphan\`) and recreated. Revert it, or plan that migration.`);
      }
    }
  }
  if (group === '' && kind === 'Service') {
    const type = changedAt('spec.type');
    if (type.length > 0) {
      warn('service-type-changed', `spec.type changed (${summary(type)}); the Service gets a new address (a LoadBalancer's external IP and cloud load balancer are released or created, ExternalName drops the cluster IP), and some transitions are rejected. Clients must follow.`);
    }
    const ip = [...changedAt('spec.clusterIP'), ...changedAt('spec.clusterIPs')];
    if (ip.length > 0) {
      warn('service-cluster-ip-changed', `spec.clusterIP changed (${summary(ip)}); it is immutable (also between headless "None" and an allocated IP), so the Service must be deleted and recreated and its address changes. Revert it, or create a Service with a new name.`);
    }
  }
  if (group === 'batch' && kind === 'Job') {
    const tpl = changedAt('spec.template');
    if (tpl.length > 0) {
      warn('job-template-changed', `spec.template changed (${summary(tpl)}); a Job's pod template is immutable, so the apply is rejected until the Job is deleted (Argo CD: add the Replace=true or Force=true sync option; Flux: force: true), and it then runs again. Give the Job a new name per version, or use a CronJob.`);
    }
  }
  // what capabilities know on top (storage: claim templates never shrink)
  for (const w of capabilityWarnings(a.manifest, b.manifest)) warn(w.kind, w.message);
  return out;
}

/** What the registered capabilities warn about one changed object (storage: a claim template that shrinks). */
function capabilityWarnings(previous: any, next: any): { readonly kind: DiffWarningKind; readonly message: string }[] {
  return registeredCapabilities().flatMap((c) => c.diff?.warnings?.(previous, next) ?? []);
}

/** Removed and added objects of one file, kind and namespace that select the same pods or carry the same labels. */
function renames(folder: string, removed: Parsed[], added: Parsed[]): DiffWarning[] {
  const out: DiffWarning[] = [];
  const used = new Set<Parsed>();
  const group = (o: Parsed) => `${o.ref.file}|${apiGroupOf(o.ref.apiVersion)}|${o.ref.kind}|${o.ref.namespace ?? ''}`;
  // an object replaced by a new name on purpose (workloads: a Job named after its spec runs once per version)
  const specNamed = (o: Parsed) => registeredCapabilities().some((c) => c.diff?.replacedByDesign?.(o.manifest) ?? false);
  for (const r of [...removed].sort((x, y) => compareRefs(x.ref, y.ref))) {
    if (specNamed(r)) continue;
    const candidates = added.filter((a) => !used.has(a) && group(a) === group(r) && !specNamed(a));
    const sig = signature(r.manifest);
    let match = sig ? candidates.find((a) => signature(a.manifest) === sig) : undefined;
    let why = match ? (r.manifest.spec?.selector ? 'same selector' : 'same labels') : '';
    if (!match && candidates.length === 1 && removed.filter((x) => group(x) === group(r)).length === 1) {
      match = candidates[0];
      why = 'the only object of its kind removed from and added to that file';
    }
    if (!match) continue;
    used.add(match);
    out.push({
      kind: 'renamed',
      folder,
      objects: [r.ref, match.ref],
      message: `${describe(r.ref)} -> ${match.ref.name}: looks renamed (${why}, ${r.ref.file}); Kubernetes has no rename, so the controller deletes ${r.ref.name} and creates ${match.ref.name}`
        + ' (pods restart, a Service gets a new IP, volumes of a StatefulSet are not carried over). Keep the old metadata.name unless a replacement is intended.',
    });
  }
  return out;
}

function signature(m: any): string | undefined {
  const sel = m?.spec?.selector;
  const value = sel && Object.keys(sel).length > 0 ? sel : m?.metadata?.labels;
  return value && Object.keys(value).length > 0 ? canonical(value) : undefined;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isPlainObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

function get(m: any, p: string): unknown {
  return p.split('.').reduce((x, k) => (x == null ? undefined : x[k]), m);
}

function summary(fields: readonly FieldChange[]): string {
  const shown = fields.slice(0, 2).map((f) => `${f.path}: ${showValue(f.old)} -> ${showValue(f.new)}`);
  return fields.length > 2 ? `${shown.join('; ')}; and ${fields.length - 2} more` : shown.join('; ');
}

// ---- text output -------------------------------------------------------------------------------------------

const MAX_VALUE = 160;

/** A value as the diff prints it: JSON, `(absent)` for a missing field, long values shortened. */
export function showValue(v: unknown): string {
  if (v === undefined) return '(absent)';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE)}… (${s.length} chars)` : s;
}

function describe(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/**
 * The diff as text for a terminal or a CI log: per folder the added (+), removed (-) and changed (~) objects
 * with their changed fields (`path: old -> new`), then the warnings, each line starting with `!!!`.
 */
export function formatTreeDiff(diff: TreeDiff, distLabel = 'dist'): string {
  if (diff.upToDate) return `${distLabel}/ is up to date.\n`;
  const lines: string[] = [];
  const { added, removed, changed } = diff.files;
  lines.push(`${distLabel}/ is out of date: ${changed.length} file(s) changed, ${added.length} added, ${removed.length} removed.`);
  for (const f of diff.folders) {
    lines.push('', `== ${f.folder || '(root)'} ==`);
    for (const r of f.added) lines.push(`  + ${describe(r)}  (${r.file})${generationNote(r, '+')}`);
    for (const r of f.removed) lines.push(`  - ${describe(r)}  (${r.file})${generationNote(r, '-')}`);
    for (const c of f.changed) {
      lines.push(`  ~ ${describe(c.new)}  (${c.new.file})${generationNote(c.new, '~')}`);
      if (c.old.file !== c.new.file) lines.push(`      moved from ${c.old.file}`);
      for (const fc of c.fields) lines.push(`      ${fc.path}: ${showValue(fc.old)} -> ${showValue(fc.new)}`);
    }
    for (const w of f.warnings) lines.push(`  !!! ${w.kind.toUpperCase()}: ${w.message}`);
  }
  const objectFiles = new Set(diff.folders.flatMap((f) => [...f.added, ...f.removed, ...f.changed.flatMap((c) => [c.old, c.new])].map((r) => r.file)));
  const other = [...added, ...removed, ...changed].filter((f) => !objectFiles.has(f)).sort();
  if (other.length > 0) {
    lines.push('', 'Files that differ without an object change (kustomization.yaml indexes, formatting, stray files):');
    for (const f of other) lines.push(`  ${added.includes(f) ? '+' : removed.includes(f) ? '-' : '~'} ${f}`);
  }
  for (const u of diff.unparsable) lines.push('', `!!! UNPARSABLE: ${u.side === 'old' ? `${distLabel}/` : 'rendered '}${u.file} is not valid YAML (${u.error}); its objects were not compared.`);
  if (diff.warnings.length > 0) {
    lines.push('', `!!! ${diff.warnings.length} change(s) above will be rejected by Kubernetes or turned into a delete-and-recreate by Argo CD / Flux. Read the !!! lines before merging.`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Every file below `dir` (path relative to it, `/`-separated) -> content; empty when `dir` does not exist. The
 * marker naming the app that wrote the tree is not a manifest and is left out.
 */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(dir)) return out;
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(r);
      else if (entry.isFile() && r !== DIST_MARKER) out.set(r, fs.readFileSync(path.join(dir, r), 'utf8'));
    }
  };
  walk('');
  return new Map([...out.entries()].sort(([a], [b]) => cmp(a, b)));
}

function compareRefs(a: ObjectRef, b: ObjectRef): number {
  return cmp(a.file, b.file) || cmp(a.kind, b.kind) || cmp(a.namespace ?? '', b.namespace ?? '') || cmp(a.name, b.name);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
