import { apiGroupOf, hasReplicas, isPodBearing, podTemplateOf, workloadRefOf } from './pod-template';
import { Manifest, RuleContext } from './rule';

/** Relations between objects of one folder: which pods a selector picks, how many replicas a workload keeps. */

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: { readonly [key: string]: string };
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

type Labels = { readonly [key: string]: string };

/**
 * Kubernetes label-selector semantics: an empty selector matches every pod; `null`/`undefined` matches none
 * (callers that default a missing selector to "all", like NetworkPolicy's podSelector, pass `{}`).
 */
export function selectorMatches(selector: LabelSelector | null | undefined, labels: Labels | undefined): boolean {
  if (selector === null || selector === undefined || typeof selector !== 'object') return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (l[k] !== v) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, req.key);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In': if (!has || !values.includes(l[req.key])) return false; break;
      case 'NotIn': if (has && values.includes(l[req.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false; // an unknown operator is rejected by the API server; never count it as a match
    }
  }
  return true;
}

export function namespaceOf(m: Manifest): string {
  return m.metadata?.namespace ?? '';
}

/** One namespace of a folder, indexed once so that cross-object rules stay linear in the folder size. */
interface NamespaceIndex {
  readonly all: Manifest[];
  /** by `group/kind` */
  readonly byKind: Map<string, Manifest[]>;
  /** first object by `kind/name` */
  readonly byKindName: Map<string, Manifest>;
  /** HorizontalPodAutoscalers and KEDA ScaledObjects by the `kind/name` they scale */
  readonly scalersByTarget: Map<string, Manifest[]>;
  /** Rollouts by the name of the Deployment they reference through workloadRef */
  readonly rolloutsByDeployment: Map<string, Manifest[]>;
  readonly podBearing: Manifest[];
  /** pod-bearing workloads (not workloadRef Rollouts) by each `key=value` of their pod labels, built on first use */
  byPodLabel?: Map<string, Manifest[]>;
  /** selecting objects by `group/kind`, indexed by one matchLabels pair of their selector, built on first use */
  selecting: Map<string, SelectorIndex>;
}

/**
 * Objects that select pods (PodDisruptionBudgets, NetworkPolicies), each filed under the rarest `key=value` of its
 * selector's matchLabels: a workload's pods can only match one whose pair its labels carry. Selectors without
 * matchLabels (empty, expressions only) are `others`, checked for every workload. Positions keep the folder order.
 */
interface SelectorIndex {
  readonly byPair: Map<string, number[]>;
  readonly others: number[];
  readonly objects: readonly Manifest[];
}

const INDEX = new WeakMap<readonly Manifest[], Map<string, NamespaceIndex>>();

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function namespaceIndex(context: RuleContext, namespace: string): NamespaceIndex | undefined {
  let folder = INDEX.get(context.objects);
  if (!folder) {
    folder = new Map();
    for (const o of context.objects) {
      const ns = namespaceOf(o);
      let idx = folder.get(ns);
      if (!idx) {
        idx = { all: [], byKind: new Map(), byKindName: new Map(), scalersByTarget: new Map(), rolloutsByDeployment: new Map(), podBearing: [], selecting: new Map() };
        folder.set(ns, idx);
      }
      idx.all.push(o);
      push(idx.byKind, `${apiGroupOf(o)}/${o.kind}`, o);
      const kn = `${o.kind}/${o.metadata?.name}`;
      if (!idx.byKindName.has(kn)) idx.byKindName.set(kn, o);
      const target = (o as any).spec?.scaleTargetRef ?? {};
      if (isKind(o, 'autoscaling', 'HorizontalPodAutoscaler')) push(idx.scalersByTarget, `${target.kind}/${target.name}`, o);
      else if (isKind(o, 'keda.sh', 'ScaledObject')) push(idx.scalersByTarget, `${target.kind ?? 'Deployment'}/${target.name}`, o);
      const ref = workloadRefOf(o);
      if (ref?.kind === 'Deployment') push(idx.rolloutsByDeployment, ref.name, o);
      if (isPodBearing(o)) idx.podBearing.push(o);
    }
    INDEX.set(context.objects, folder);
  }
  return folder.get(namespace);
}

/** Objects of the folder by `group/kind`, across namespaces (cluster-scoped lookups: Namespaces, ClusterRoles). */
const KINDS = new WeakMap<readonly Manifest[], Map<string, Manifest[]>>();

/** Every object of `group`/`kind` in the folder, in folder order. */
export function objectsOfKind(context: RuleContext, group: string, kind: string): readonly Manifest[] {
  let kinds = KINDS.get(context.objects);
  if (!kinds) {
    kinds = new Map();
    for (const o of context.objects) push(kinds, `${apiGroupOf(o)}/${o.kind}`, o);
    KINDS.set(context.objects, kinds);
  }
  return kinds.get(`${group}/${kind}`) ?? [];
}

/** The objects of the folder in `namespace` ('' for objects without one). */
export function objectsInNamespace(context: RuleContext, namespace: string): readonly Manifest[] {
  return namespaceIndex(context, namespace)?.all ?? [];
}


function isKind(m: Manifest, group: string, kind: string): boolean {
  return m.kind === kind && apiGroupOf(m) === group;
}

/** The labels a workload's pods carry; for a Rollout with workloadRef, those of the referenced Deployment. */
export function podLabelsOf(m: Manifest, context: RuleContext): Labels | undefined {
  const ref = workloadRefOf(m);
  if (ref) {
    const target = namespaceIndex(context, namespaceOf(m))?.byKindName.get(`${ref.kind}/${ref.name}`);
    return target ? podTemplateOf(target)?.metadata?.labels : undefined;
  }
  return podTemplateOf(m)?.metadata?.labels;
}

export function podDisruptionBudgetsOf(m: Manifest, context: RuleContext): Manifest[] {
  const labels = podLabelsOf(m, context);
  if (!labels) return [];
  return selecting(m, context, 'policy/PodDisruptionBudget', (o) => (o as any).spec?.selector, labels);
}

/** The NetworkPolicies that select `m`'s pods (those with `podLabels`, for an object that carries several pods). */
export function networkPoliciesOf(m: Manifest, context: RuleContext, podLabels?: Labels): Manifest[] {
  const labels = podLabels ?? podLabelsOf(m, context) ?? {};
  // podSelector is a required, non-pointer field: left out it is the empty selector, which selects every pod
  return selecting(m, context, 'networking.k8s.io/NetworkPolicy', (o) => (o as any).spec?.podSelector ?? {}, labels);
}

/**
 * The objects of `groupKind` in `m`'s namespace whose selector picks pods with `labels`, in folder order. Only
 * the candidates sharing a matchLabels pair with the pods are tested: linear in the folder, not quadratic.
 */
function selecting(m: Manifest, context: RuleContext, groupKind: string, selectorOf: (o: Manifest) => unknown, labels: Labels): Manifest[] {
  const idx = namespaceIndex(context, namespaceOf(m));
  if (!idx) return [];
  let sel = idx.selecting.get(groupKind);
  if (!sel) {
    const objects = idx.byKind.get(groupKind) ?? [];
    sel = { byPair: new Map(), others: [], objects };
    const pairs = objects.map((o) => {
      const s = selectorOf(o) as LabelSelector | null | undefined;
      const ml = s !== null && typeof s === 'object' ? s.matchLabels : undefined;
      const out: string[] = [];
      if (ml !== null && typeof ml === 'object') {
        for (const k in ml) if (Object.prototype.hasOwnProperty.call(ml, k)) out.push(`${k}=${ml[k]}`);
      }
      return out;
    });
    // filed under the pair the fewest selectors share: the pods a selector picks carry all its pairs, so any one
    // finds it, and the rarest keeps a lookup's candidates few when every selector also names a common label
    const shared = new Map<string, number>();
    for (const list of pairs) for (const p of list) shared.set(p, (shared.get(p) ?? 0) + 1);
    pairs.forEach((list, i) => {
      if (list.length === 0) {
        sel!.others.push(i);
        return;
      }
      let rarest = list[0];
      for (const p of list) if (shared.get(p)! < shared.get(rarest)!) rarest = p;
      push(sel!.byPair, rarest, i);
    });
    idx.selecting.set(groupKind, sel);
  }
  let positions = sel.others;
  let merged = false;
  for (const k in labels) {
    if (!Object.prototype.hasOwnProperty.call(labels, k)) continue;
    const list = sel.byPair.get(`${k}=${labels[k]}`);
    if (!list) continue;
    positions = positions.concat(list);
    merged = true;
  }
  if (merged) positions = [...new Set(positions)].sort((a, b) => a - b);
  const out: Manifest[] = [];
  for (const i of positions) {
    const o = sel.objects[i];
    if (selectorMatches(selectorOf(o) as LabelSelector | null | undefined, labels)) out.push(o);
  }
  return out;
}

/** The pod-bearing workloads of the folder whose pods `selector` picks in `namespace`. */
export function workloadsSelectedBy(selector: LabelSelector | null | undefined, namespace: string, context: RuleContext): Manifest[] {
  const idx = namespaceIndex(context, namespace);
  if (!idx) return [];
  // a matchLabels pair narrows the candidates through the label index (the pair fewest pods carry, since every
  // pod may carry a common one): selection stays linear in the folder size
  const pairs = selector && typeof selector === 'object' && selector.matchLabels ? Object.entries(selector.matchLabels) : [];
  let candidates = idx.podBearing;
  if (pairs.length > 0) {
    if (!idx.byPodLabel) {
      idx.byPodLabel = new Map();
      for (const o of idx.podBearing) {
        if (workloadRefOf(o)) continue;
        for (const [k, v] of Object.entries(podTemplateOf(o)?.metadata?.labels ?? {})) push(idx.byPodLabel, `${k}=${v}`, o);
      }
    }
    for (const [k, v] of pairs) {
      const list = idx.byPodLabel.get(`${k}=${v}`) ?? [];
      if (list.length < candidates.length || candidates === idx.podBearing) candidates = list;
    }
  }
  return candidates.filter((o) => !workloadRefOf(o) && selectorMatches(selector, podTemplateOf(o)?.metadata?.labels));
}

/** The HorizontalPodAutoscalers and KEDA ScaledObjects whose scaleTargetRef names `m`. */
export function scalersOf(m: Manifest, context: RuleContext): readonly Manifest[] {
  return namespaceIndex(context, namespaceOf(m))?.scalersByTarget.get(`${m.kind}/${m.metadata?.name}`) ?? [];
}

/** The first object of `kind` named `name` in `namespace` of the folder. */
export function objectNamed(context: RuleContext, namespace: string, kind: string, name: string): Manifest | undefined {
  return namespaceIndex(context, namespace)?.byKindName.get(`${kind}/${name}`);
}

/** The autoscaler floor: HorizontalPodAutoscaler `minReplicas` (default 1) or KEDA ScaledObject `idleReplicaCount`, else `minReplicaCount` (default 0). */
function autoscalerFloor(m: Manifest, context: RuleContext): number | undefined {
  let floor: number | undefined;
  for (const o of namespaceIndex(context, namespaceOf(m))?.scalersByTarget.get(`${m.kind}/${m.metadata?.name}`) ?? []) {
    const spec = (o as any).spec ?? {};
    // KEDA's idleReplicaCount (0) undercuts minReplicaCount while every trigger is idle
    const min: number = o.kind === 'HorizontalPodAutoscaler' ? spec.minReplicas ?? 1 : spec.idleReplicaCount ?? spec.minReplicaCount ?? 0;
    floor = floor === undefined ? min : Math.min(floor, min);
  }
  return floor;
}

/**
 * How many pods a workload keeps.
 *
 * `declared` is `spec.replicas` (default 1); `floor` is the fewest pods it can run with, the autoscaler minimum when
 * one targets it. A Deployment that an Argo Rollout references through workloadRef is scaled to 0 by the Rollout,
 * which runs its pods: it takes the Rollout's counts. Undefined for kinds without replicas (DaemonSet, Job, Pod).
 */
export function replicasOf(m: Manifest, context: RuleContext): { readonly declared: number; readonly floor: number } | undefined {
  if (!hasReplicas(m)) return undefined;
  const own = ownReplicas(m, context);
  if (m.kind !== 'Deployment') return own;
  const rollouts = namespaceIndex(context, namespaceOf(m))?.rolloutsByDeployment.get(m.metadata?.name ?? '') ?? [];
  if (rollouts.length === 0) return own;
  const counts = rollouts.map((r) => ownReplicas(r, context));
  return { declared: Math.max(...counts.map((c) => c.declared)), floor: Math.min(...counts.map((c) => c.floor)) };
}

function ownReplicas(m: Manifest, context: RuleContext): { declared: number; floor: number } {
  const raw = (m as any).spec?.replicas;
  const declared = typeof raw === 'number' ? raw : 1;
  const auto = autoscalerFloor(m, context);
  return { declared, floor: auto ?? declared };
}

/** Replicated: more than one replica declared, or an autoscaler that never goes below two. */
export function isReplicated(m: Manifest, context: RuleContext): boolean {
  const r = replicasOf(m, context);
  return r !== undefined && (r.declared > 1 || r.floor > 1);
}

/** The HorizontalPodAutoscalers and KEDA ScaledObjects of `namespace` that scale `kind/name`. */
export function scalersTargeting(context: RuleContext, namespace: string, kind: string, name: string): readonly Manifest[] {
  return namespaceIndex(context, namespace)?.scalersByTarget.get(`${kind}/${name}`) ?? [];
}
