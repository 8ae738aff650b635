import { ConfigError } from '../core';
import { toYaml } from '../core/serialize';
import { ApplyEdge, ApplyGraphIndex, ApplyPhase, registeredCapabilities } from '../environments/capability';
import { apiGroupOf, RenderedObject } from './layout';
import type { ApplyUnit } from './tenancy-layout';

/**
 * The apply order of a target, derived from what its objects reference and used by both controllers: Argo CD
 * through sync waves on the objects, Flux through one Kustomization per phase chained with `dependsOn`. Each
 * phase is applied and healthy (Argo CD's wave health, Flux's `wait: true`) before the next starts.
 *
 * Two kinds of edges, from the rendered objects (raw ones included), never from a list of kinds:
 * - `needs` (same phase or later): an object is never applied in an earlier phase than what it references,
 *   since an earlier phase waits for its own health and would wait forever: a namespaced object and its
 *   Namespace, a pod and its ConfigMaps, Secrets, ServiceAccount, claims and PriorityClass, a claim and its
 *   StorageClass, a RoleBinding and its Role and accounts; and what capabilities register (`applyEdgesOf`): a
 *   SecretStore and the ServiceAccount it logs in with, an ExternalSecret and its store, a Rollout and its
 *   Services. Inside one phase the controllers create them together and retry until they exist.
 * - `after` (a later phase): what must be healthy or complete first: a custom resource after its CRD
 *   (Established before anything validates against it); registered: a workload after the Job that runs before
 *   it, that Job after the workloads it connects to.
 *
 * A phase is a property of a file (one workload's objects stay together): the files form the graph. The phase
 * of a file is the longest chain of `after` edges below it; a cycle through an `after` edge (or an `after`
 * edge inside one file) is a synth error naming both objects. Targets whose graph has one phase are not phased.
 */
export type { ApplyEdge, ApplyPhase } from '../environments/capability';

/** The most phases a target may need: Flux gets one Kustomization per phase. */
export const MAX_APPLY_PHASES = 8;

/** The phases, in apply order (`phase-1` first). */
export const APPLY_PHASES: readonly ApplyPhase[] = Array.from({ length: MAX_APPLY_PHASES }, (_, i) => `phase-${i + 1}`);

/** Folder below dist/ holding one folder per phased unit, with one kustomization.yaml per phase. */
export const PHASES_FOLDER = '_phases';

export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
/** The phase of an object of a phased target (what each phase's kustomization.yaml selects on). */
export const APPLY_PHASE_ANNOTATION = 'typed-manifests.io/apply-phase';

/** The folder of one phase of a unit (below dist/). */
export function phaseFolderOf(unitFolder: string, phase: ApplyPhase): string {
  return `${PHASES_FOLDER}/${unitFolder}/${phase}`;
}

/** The non-empty phases of a phased target, in order, with their files (sorted). */
export interface TargetApplyOrder {
  readonly phases: readonly PhaseFiles[];
}

/** One phase: its files, and whether it applies a Job others come after (Flux replaces those: `force`). */
export interface PhaseFiles {
  readonly phase: ApplyPhase;
  readonly files: readonly string[];
  readonly runBeforeJobs: boolean;
}

type Key = string;
const keyOf = (kind: string, namespace: string | undefined, name: string): Key => `${kind}/${namespace ?? ''}/${name}`;

/** The objects of one folder indexed by kind, namespace and name, and by the group/kind CRDs define. */
class FolderIndex implements ApplyGraphIndex {
  private readonly byKey = new Map<Key, RenderedObject>();
  private readonly crds = new Map<string, RenderedObject>();
  private readonly makers = new Map<Key, RenderedObject>();
  constructor(readonly objects: readonly RenderedObject[]) {
    for (const o of objects) {
      const m = o.manifest;
      if (!m?.kind || !m.metadata?.name) continue;
      this.byKey.set(keyOf(m.kind, m.metadata.namespace, m.metadata.name), o);
      // what an object makes once applied (the Secret an ExternalSecret maintains) is reached through it
      for (const c of registeredCapabilities()) {
        for (const made of c.madeBy?.(m) ?? []) this.makers.set(keyOf(made.kind, made.namespace ?? m.metadata.namespace, made.name), o);
      }
      if (m.kind === 'CustomResourceDefinition' && apiGroupOf(m.apiVersion) === 'apiextensions.k8s.io' && m.spec?.group && m.spec?.names?.kind) {
        this.crds.set(`${m.spec.group}/${m.spec.names.kind}`, o);
      }
    }
  }

  find(kind: string, namespace: string | undefined, name: unknown): RenderedObject | undefined {
    if (typeof name !== 'string') return undefined;
    const key = keyOf(kind, namespace, name);
    return this.byKey.get(key) ?? this.makers.get(key);
  }

  crdOf(m: any): RenderedObject | undefined {
    return this.crds.get(`${apiGroupOf(m.apiVersion)}/${m.kind}`);
  }

  // the lookups below are built on first use: most folders need none of them
  private byName?: Map<string, RenderedObject[]>;
  private byKind?: Map<string, RenderedObject[]>;
  private byPodLabel?: Map<string, RenderedObject[]>;

  named(namespace: string | undefined, name: string): readonly RenderedObject[] {
    this.byName ??= groupBy(this.objects, (m) => [`${m.metadata?.namespace ?? ''}/${m.metadata?.name}`]);
    return this.byName.get(`${namespace ?? ''}/${name}`) ?? [];
  }

  ofKind(kind: string, namespace: string | undefined): readonly RenderedObject[] {
    this.byKind ??= groupBy(this.objects, (m) => [`${m.kind}/${m.metadata?.namespace ?? ''}`]);
    return this.byKind.get(`${kind}/${namespace ?? ''}`) ?? [];
  }

  selectingPods(kind: string, namespace: string | undefined, labels: Readonly<Record<string, string>> | undefined): readonly RenderedObject[] {
    this.selectors ??= selectorIndex(this.objects);
    const scope = `${kind}/${namespace ?? ''}`;
    let positions = this.selectors.others.get(scope) ?? [];
    let merged = false;
    for (const k of Object.keys(labels ?? {})) {
      const list = this.selectors.byPair.get(`${scope}/${k}=${labels![k]}`);
      if (!list) continue;
      positions = positions.concat(list);
      merged = true;
    }
    if (merged) positions = [...new Set(positions)].sort((a, b) => a - b);
    return positions.map((i) => this.objects[i]).filter((o) => matchesAll(o.manifest.spec.podSelector.matchLabels, labels));
  }

  private selectors?: SelectorIndex;

  withPodLabel(key: string, value: string, namespace?: string): readonly RenderedObject[] {
    // filed twice: under the namespace and under '*' (any namespace)
    this.byPodLabel ??= groupBy(this.objects, (m) => Object.entries<unknown>(podTemplateOf(m)?.metadata?.labels ?? {})
      .flatMap(([k, v]) => [`${m.metadata?.namespace ?? ''}/${k}=${v}`, `*/${k}=${v}`]));
    return this.byPodLabel.get(`${namespace ?? '*'}/${key}=${value}`) ?? [];
  }
}

/** Objects with `spec.podSelector.matchLabels`, by position: filed under `<kind>/<namespace>`, then one pair. */
interface SelectorIndex {
  readonly byPair: Map<string, number[]>;
  /** Selectors with no pair (empty matchLabels: every pod of the namespace). */
  readonly others: Map<string, number[]>;
}

/**
 * Each selector is filed under the pair of its matchLabels that the fewest selectors share: a pod it selects
 * carries every pair, so any one finds it, and the rarest keeps the candidates of a lookup few even when every
 * selector also names a label all pods carry.
 */
function selectorIndex(objects: readonly RenderedObject[]): SelectorIndex {
  const pairsOf = (m: any): string[] | undefined => {
    const ml = m?.spec?.podSelector?.matchLabels;
    if (ml === null || typeof ml !== 'object') return undefined;
    const scope = `${m.kind}/${m.metadata?.namespace ?? ''}`;
    return Object.keys(ml).map((k) => `${scope}/${k}=${ml[k]}`);
  };
  const count = new Map<string, number>();
  for (const o of objects) for (const p of pairsOf(o.manifest) ?? []) count.set(p, (count.get(p) ?? 0) + 1);
  const index: SelectorIndex = { byPair: new Map(), others: new Map() };
  objects.forEach((o, i) => {
    const pairs = pairsOf(o.manifest);
    if (!pairs) return;
    if (pairs.length === 0) {
      const scope = `${o.manifest.kind}/${o.manifest.metadata?.namespace ?? ''}`;
      const list = index.others.get(scope);
      if (list) list.push(i);
      else index.others.set(scope, [i]);
      return;
    }
    let rarest = pairs[0];
    for (const p of pairs) if (count.get(p)! < count.get(rarest)!) rarest = p;
    const list = index.byPair.get(rarest);
    if (list) list.push(i);
    else index.byPair.set(rarest, [i]);
  });
  return index;
}

function matchesAll(selector: Readonly<Record<string, unknown>>, labels: Readonly<Record<string, string>> | undefined): boolean {
  return Object.keys(selector).every((k) => labels?.[k] === selector[k]);
}

function groupBy(objects: readonly RenderedObject[], keys: (m: any) => string[]): Map<string, RenderedObject[]> {
  const out = new Map<string, RenderedObject[]>();
  for (const o of objects) {
    for (const key of keys(o.manifest ?? {})) {
      const list = out.get(key);
      if (list) list.push(o);
      else out.set(key, [o]);
    }
  }
  return out;
}

/** The pod template an object runs, if any (workload controllers, Rollouts, CronJobs). */
function podTemplateOf(m: any): any | undefined {
  return m?.spec?.template?.spec?.containers ? m.spec.template : m?.spec?.jobTemplate?.spec?.template;
}

export const describeObject = (o: RenderedObject): string => `${o.manifest.kind} ${o.manifest.metadata?.namespace ? `${o.manifest.metadata.namespace}/` : ''}${o.manifest.metadata?.name}`;

/** The pod spec an object runs, if any (workload controllers, Rollouts, CronJobs, raw or not). */
function podSpecOf(m: any): any | undefined {
  return m?.spec?.template?.spec?.containers ? m.spec.template.spec : m?.spec?.jobTemplate?.spec?.template?.spec;
}


/** Every edge of one folder's reference graph. */
export function referenceEdges(objects: readonly RenderedObject[]): ApplyEdge[] {
  const index = new FolderIndex(objects);
  const edges: ApplyEdge[] = [];
  for (const o of objects) {
    const m = o.manifest;
    const ns: string | undefined = m?.metadata?.namespace;
    const needs = (kind: string, namespace: string | undefined, name: unknown, why: string) => {
      const to = index.find(kind, namespace, name);
      if (to && to !== o) edges.push({ from: o, to, kind: 'needs', why });
    };
    if (ns) needs('Namespace', undefined, ns, `lives in Namespace ${ns}`);
    const crd = index.crdOf(m);
    if (crd) edges.push({ from: o, to: crd, kind: 'after', why: `is a ${m.kind}, which ${describeObject(crd)} defines` });

    const pod = podSpecOf(m);
    if (pod) {
      needs('ServiceAccount', ns, pod.serviceAccountName, `runs as ServiceAccount ${pod.serviceAccountName}`);
      needs('PriorityClass', undefined, pod.priorityClassName, `runs at PriorityClass ${pod.priorityClassName}`);
      for (const s of pod.imagePullSecrets ?? []) needs('Secret', ns, s?.name, `pulls with Secret ${s?.name}`);
      for (const v of pod.volumes ?? []) {
        needs('ConfigMap', ns, v?.configMap?.name, `mounts ConfigMap ${v?.configMap?.name}`);
        needs('Secret', ns, v?.secret?.secretName, `mounts Secret ${v?.secret?.secretName}`);
        needs('PersistentVolumeClaim', ns, v?.persistentVolumeClaim?.claimName, `mounts claim ${v?.persistentVolumeClaim?.claimName}`);
        for (const src of v?.projected?.sources ?? []) {
          needs('ConfigMap', ns, src?.configMap?.name, `mounts ConfigMap ${src?.configMap?.name}`);
          needs('Secret', ns, src?.secret?.name, `mounts Secret ${src?.secret?.name}`);
        }
      }
      for (const c of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
        for (const e of c?.env ?? []) {
          needs('ConfigMap', ns, e?.valueFrom?.configMapKeyRef?.name, `reads ConfigMap ${e?.valueFrom?.configMapKeyRef?.name}`);
          needs('Secret', ns, e?.valueFrom?.secretKeyRef?.name, `reads Secret ${e?.valueFrom?.secretKeyRef?.name}`);
        }
        for (const e of c?.envFrom ?? []) {
          needs('ConfigMap', ns, e?.configMapRef?.name, `reads ConfigMap ${e?.configMapRef?.name}`);
          needs('Secret', ns, e?.secretRef?.name, `reads Secret ${e?.secretRef?.name}`);
        }
      }
    }
    for (const t of m?.spec?.volumeClaimTemplates ?? []) needs('StorageClass', undefined, t?.spec?.storageClassName, `claims from StorageClass ${t?.spec?.storageClassName}`);
    if (m?.kind === 'PersistentVolumeClaim') needs('StorageClass', undefined, m.spec?.storageClassName, `claims from StorageClass ${m.spec?.storageClassName}`);
    if ((m?.kind === 'RoleBinding' || m?.kind === 'ClusterRoleBinding') && m.roleRef) {
      needs(m.roleRef.kind, m.roleRef.kind === 'Role' ? ns : undefined, m.roleRef.name, `binds ${m.roleRef.kind} ${m.roleRef.name}`);
      for (const s of m.subjects ?? []) if (s?.kind === 'ServiceAccount') needs('ServiceAccount', s.namespace ?? ns, s.name, `binds ServiceAccount ${s.name}`);
    }
    // what capabilities know about their own kinds
    for (const c of registeredCapabilities()) edges.push(...(c.applyEdgesOf?.(o, index) ?? []));
  }
  return edges;
}



/**
 * The phase (0-based level) of every file of one folder, from its reference graph. Throws a ConfigError naming
 * both objects for an `after` edge inside a file or on a cycle.
 */
export function fileLevels(objects: readonly RenderedObject[], edges: readonly ApplyEdge[] = referenceEdges(objects)): Map<string, number> {
  const files = [...new Set(objects.map((o) => o.file))].sort();
  const out = new Map<string, { to: string; edge: ApplyEdge }[]>(files.map((f) => [f, []]));
  for (const e of edges) {
    if (e.from.file === e.to.file) {
      if (e.kind === 'after') throw orderError(e, `both are in ${e.from.folder}/${e.from.file}, which is applied as one; put them in different units`);
      continue;
    }
    out.get(e.from.file)!.push({ to: e.to.file, edge: e });
  }
  // Tarjan's strongly connected components: files that need each other share a phase, unless an `after` edge
  // closes the cycle (then nothing can go first)
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  const components: string[][] = [];
  let counter = 0;
  const strongConnect = (start: string) => {
    // iterative, so that long chains do not overflow the call stack
    const work: { f: string; i: number }[] = [{ f: start, i: 0 }];
    index.set(start, counter); low.set(start, counter); counter++; stack.push(start); onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const next = out.get(top.f)!;
      if (top.i < next.length) {
        const to = next[top.i++].to;
        if (!index.has(to)) {
          index.set(to, counter); low.set(to, counter); counter++; stack.push(to); onStack.add(to);
          work.push({ f: to, i: 0 });
        } else if (onStack.has(to)) low.set(top.f, Math.min(low.get(top.f)!, index.get(to)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].f;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.f)!));
      }
      if (low.get(top.f) === index.get(top.f)) {
        const members: string[] = [];
        let f: string;
        do { f = stack.pop()!; onStack.delete(f); component.set(f, components.length); members.push(f); } while (f !== top.f);
        components.push(members);
      }
    }
  };
  for (const f of files) if (!index.has(f)) strongConnect(f);
  for (const f of files) {
    for (const { to, edge } of out.get(f)!) {
      if (edge.kind === 'after' && component.get(to) === component.get(f)) {
        const back = pathBetween(out, component, to, f);
        throw orderError(edge, `but ${back ? `${describeObject(back.from)} ${back.why.replace(/^is /, 'is ')} (${describeObject(back.to)})` : `${edge.to.file} needs ${edge.from.file}`}: a cycle, nothing can be applied first`);
      }
    }
  }
  // Tarjan emits components in reverse topological order: dependencies first
  const levelOf = new Map<number, number>();
  components.forEach((members, c) => {
    let level = 0;
    for (const f of members) {
      for (const { to, edge } of out.get(f)!) {
        const d = component.get(to)!;
        if (d === c) continue;
        level = Math.max(level, levelOf.get(d)! + (edge.kind === 'after' ? 1 : 0));
      }
    }
    levelOf.set(c, level);
  });
  return new Map(files.map((f) => [f, levelOf.get(component.get(f)!)!]));
}

/** The first edge on a path from `from` back to `to` inside one component (for the cycle's message). */
function pathBetween(out: Map<string, { to: string; edge: ApplyEdge }[]>, component: Map<string, number>, from: string, to: string): ApplyEdge | undefined {
  const c = component.get(from);
  const seen = new Set<string>([from]);
  const queue: { f: string; first?: ApplyEdge }[] = [{ f: from }];
  while (queue.length > 0) {
    const { f, first } = queue.shift()!;
    for (const { to: next, edge } of out.get(f)!) {
      if (component.get(next) !== c || seen.has(next)) continue;
      if (next === to) return first ?? edge;
      seen.add(next);
      queue.push({ f: next, first: first ?? edge });
    }
  }
  return undefined;
}

function orderError(edge: ApplyEdge, problem: string): ConfigError {
  const path = edge.from.apiObject.node.path;
  return new ConfigError(path, 'apply order',
    `${path}: apply order: ${describeObject(edge.from)} ${edge.kind === 'after' ? 'must come after' : 'needs'} ${describeObject(edge.to)} (it ${edge.why}), ${problem}`);
}

/** The Argo CD sync wave of a phase among `count`: the last phase keeps the default wave 0, earlier ones count down. */
export function syncWaveOf(phaseIndex: number, count: number): number {
  return phaseIndex - (count - 1);
}

/**
 * The apply order of every folder of `folders` whose reference graph needs more than one phase, keyed by folder;
 * unphased folders are absent.
 */
export function computeApplyOrder(objects: readonly RenderedObject[], folders: readonly string[]): Map<string, TargetApplyOrder> {
  const wanted = new Set(folders);
  const byFolder = new Map<string, RenderedObject[]>();
  for (const o of objects) {
    if (!wanted.has(o.folder)) continue;
    let list = byFolder.get(o.folder);
    if (!list) byFolder.set(o.folder, (list = []));
    list.push(o);
  }
  const out = new Map<string, TargetApplyOrder>();
  for (const folder of [...byFolder.keys()].sort()) {
    const objs = byFolder.get(folder)!;
    const edges = referenceEdges(objs);
    const levels = fileLevels(objs, edges);
    const count = Math.max(0, ...levels.values()) + 1;
    if (count <= 1) continue;
    if (count > MAX_APPLY_PHASES) {
      const deepest = [...levels].find(([, l]) => l === count - 1)![0];
      throw new ConfigError(folder, 'apply order', `${folder}: apply order needs ${count} phases (deepest: ${deepest}), more than ${MAX_APPLY_PHASES}; shorten the chain of run-before Jobs and the workloads they wait for`);
    }
    // Jobs that others come after (a changed one is replaced: Flux `force`)
    const jobFiles = new Set(edges.filter((e) => e.kind === 'after' && e.to.manifest?.kind === 'Job').map((e) => e.to.file));
    const phases = Array.from({ length: count }, (_, i) => {
      const files = [...levels].filter(([, l]) => l === i).map(([f]) => f).sort();
      return { phase: APPLY_PHASES[i], files, runBeforeJobs: files.some((f) => jobFiles.has(f)) };
    });
    out.set(folder, { phases });
  }
  return out;
}

/**
 * Marks each object of a phased folder with its phase (what the phase kustomizations select) and, before the
 * last phase, the matching Argo CD sync wave: both controllers follow one order.
 */
export function annotateSyncWaves(objects: readonly RenderedObject[], orders: ReadonlyMap<string, TargetApplyOrder>): void {
  const phaseOf = new Map<string, { phase: ApplyPhase; wave: number }>();
  for (const [folder, order] of orders) {
    order.phases.forEach((p, i) => {
      for (const f of p.files) phaseOf.set(`${folder}/${f}`, { phase: p.phase, wave: syncWaveOf(i, order.phases.length) });
    });
  }
  for (const o of objects) {
    const at = phaseOf.get(`${o.folder}/${o.file}`);
    if (at === undefined) continue;
    const meta = o.manifest.metadata ?? {};
    const annotations: Record<string, string> = { ...meta.annotations, [APPLY_PHASE_ANNOTATION]: at.phase.slice('phase-'.length) };
    if (at.wave !== 0) annotations[SYNC_WAVE_ANNOTATION] = String(at.wave);
    o.manifest.metadata = sortKeys({ ...meta, annotations: sortKeys(annotations) });
  }
}

/** The apply order of one unit: its non-empty phases with their files (relative to the unit's target). */
export interface UnitApplyOrder extends TargetApplyOrder {
  readonly target: string;
}

/**
 * The apply order per Flux unit, keyed by unit folder: a target's phases restricted to the unit's files. A unit
 * is phased only when its own files span more than one phase.
 */
export function unitApplyOrders(orders: ReadonlyMap<string, TargetApplyOrder>, units: readonly ApplyUnit[]): Map<string, UnitApplyOrder> {
  const out = new Map<string, UnitApplyOrder>();
  // per target and phase, the positions of its files by first folder: a team's files are looked up, not found by
  // testing every file of the target once per team (a platform may have a team per few services)
  const byFolder = new Map<PhaseFiles, Map<string, number[]>>();
  const filesIn = (p: PhaseFiles, folders: readonly string[]): string[] => {
    let index = byFolder.get(p);
    if (!index) {
      byFolder.set(p, (index = new Map()));
      p.files.forEach((f, i) => {
        const folder = f.split('/')[0];
        const list = index!.get(folder);
        if (list) list.push(i);
        else index!.set(folder, [i]);
      });
    }
    const positions = [...new Set(folders)].flatMap((ns) => index.get(ns) ?? []).sort((a, b) => a - b);
    return positions.map((i) => p.files[i]);
  };
  for (const unit of units) {
    const order = orders.get(unit.target);
    if (!order) continue;
    const folders = unit.folders;
    const phases = order.phases.map((p) => ({ ...p, files: folders ? filesIn(p, folders) : p.files.filter(unit.includes) })).filter((p) => p.files.length > 0);
    if (phases.length < 2) continue;
    out.set(unit.folder, { target: unit.target, phases });
  }
  return out;
}

/**
 * The kustomization.yaml of each phase of each phased unit (`_phases/<unit>/<phase>/kustomization.yaml`). A
 * phase builds the unit's folder as its base and deletes what belongs to other phases (selected by the phase
 * annotation): no file outside its folder is named, so plain `kubectl kustomize` builds it (kustomize's default
 * load restrictor allows other folders as bases, not single files), and no object changes its path. The phase
 * folders live outside the units: a kustomization may not build a folder that contains it.
 */
export function phaseKustomizations(orders: ReadonlyMap<string, TargetApplyOrder | UnitApplyOrder>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [folder, order] of orders) {
    for (const p of order.phases) {
      const dir = phaseFolderOf(folder, p.phase);
      const up = '../'.repeat(dir.split('/').length);
      const n = p.phase.slice('phase-'.length);
      out.set(`${dir}/kustomization.yaml`, toYaml([{
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: [`${up}${folder}`],
        patches: [{
          // objects without a phase (config generations retained from the previous dist/) go with the first
          target: { annotationSelector: n === '1' ? `${APPLY_PHASE_ANNOTATION},${APPLY_PHASE_ANNOTATION}!=1` : `${APPLY_PHASE_ANNOTATION}!=${n}` },
          patch: `$patch: delete\napiVersion: v1\nkind: Any\nmetadata:\n  name: other-phases\n`,
        }],
      }]));
    }
  }
  return out;
}

function sortKeys<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as T;
}
