import { ApplyPhase, registeredCapabilities } from '../environments/capability';
import { apiGroupOf, CLUSTER_SCOPED_DIR, RenderedObject } from './layout';
import type { ApplyUnit } from './tenancy-layout';
import { toYaml } from '../core/serialize';

/**
 * The apply order of a target, computed once from what it renders and used by both controllers: Argo CD
 * through sync waves on the objects, Flux through one Kustomization per phase chained with `dependsOn`. Each
 * phase is applied and healthy (Argo CD's wave health, Flux's `wait: true`) before the next starts.
 *
 * - `platform`: namespaces and their policies, cluster-scoped objects (StorageClasses, CRDs), secret stores
 * - `config`: ConfigMaps, Secrets, ExternalSecrets, SealedSecrets on their own
 * - `stateful`: StatefulSets (with their Services and claims)
 * - `run-before`: Jobs that must complete before the services roll out (schema migrations)
 * - `services`: everything else
 *
 * A phase is a property of a file (one workload's objects stay together), taken from the first phase any of
 * its objects needs. Only targets that render a StatefulSet or a run-before Job are phased; elsewhere nothing
 * changes (one Kustomization, no waves).
 */
export type { ApplyPhase } from '../environments/capability';

/** The phases, in apply order. */
export const APPLY_PHASES: readonly ApplyPhase[] = ['platform', 'config', 'stateful', 'run-before', 'services'];

/** Folder below a target with one kustomization.yaml per phase (for Flux; Argo CD reads the target folder). */
export const PHASES_FOLDER = '_phases';

export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

const PLATFORM_KINDS = new Set([
  'Namespace', 'CustomResourceDefinition', 'StorageClass', 'PriorityClass', 'ResourceQuota', 'LimitRange',
  'NetworkPolicy', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'SecretStore', 'ClusterSecretStore',
]);
const CONFIG_KINDS = new Set(['ConfigMap', 'Secret', 'ExternalSecret', 'SealedSecret']);

/** The Argo CD sync wave of a phase: services keep the default wave 0, earlier phases count down. */
export function syncWaveOf(phase: ApplyPhase): number {
  return APPLY_PHASES.indexOf(phase) - (APPLY_PHASES.length - 1);
}

/** The phase of one file of a target, from its objects. */
export function phaseOfFile(file: string, manifests: readonly any[]): ApplyPhase {
  if (manifests.some((m) => m?.kind === 'StatefulSet' && apiGroupOf(m.apiVersion) === 'apps')) return 'stateful';
  // a phase a capability asks for beyond the kind (workloads: a Job that must complete before the services)
  if (manifests.some((m) => registeredCapabilities().some((c) => c.applyPhaseOf?.(m) === 'run-before'))) return 'run-before';
  if (file.startsWith(`${CLUSTER_SCOPED_DIR}/`) || manifests.every((m) => PLATFORM_KINDS.has(m?.kind))) return 'platform';
  if (manifests.every((m) => PLATFORM_KINDS.has(m?.kind) || CONFIG_KINDS.has(m?.kind))) return 'config';
  return 'services';
}

/** The non-empty phases of a phased target, in order, with their files (sorted). */
export interface TargetApplyOrder {
  readonly phases: readonly { readonly phase: ApplyPhase; readonly files: readonly string[] }[];
}

/**
 * The apply order of every folder of `folders` that needs one (renders a StatefulSet or a run-before Job),
 * keyed by folder; unphased folders are absent.
 */
export function computeApplyOrder(objects: readonly RenderedObject[], folders: readonly string[]): Map<string, TargetApplyOrder> {
  const wanted = new Set(folders);
  const byFolder = new Map<string, Map<string, any[]>>();
  for (const o of objects) {
    if (!wanted.has(o.folder)) continue;
    let files = byFolder.get(o.folder);
    if (!files) byFolder.set(o.folder, (files = new Map()));
    let list = files.get(o.file);
    if (!list) files.set(o.file, (list = []));
    list.push(o.manifest);
  }
  const out = new Map<string, TargetApplyOrder>();
  for (const folder of [...byFolder.keys()].sort()) {
    const files = byFolder.get(folder)!;
    const phaseOf = new Map([...files].map(([f, ms]) => [f, phaseOfFile(f, ms)]));
    if (![...phaseOf.values()].some((p) => p === 'stateful' || p === 'run-before')) continue;
    const phases = APPLY_PHASES
      .map((phase) => ({ phase, files: [...phaseOf].filter(([, p]) => p === phase).map(([f]) => f).sort() }))
      .filter((p) => p.files.length > 0);
    out.set(folder, { phases });
  }
  return out;
}

/** Puts each object of a phased folder in its phase's Argo CD sync wave (services stay at the default, 0). */
export function annotateSyncWaves(objects: readonly RenderedObject[], orders: ReadonlyMap<string, TargetApplyOrder>): void {
  const phaseOf = new Map<string, ApplyPhase>();
  for (const [folder, order] of orders) {
    for (const p of order.phases) for (const f of p.files) phaseOf.set(`${folder}/${f}`, p.phase);
  }
  for (const o of objects) {
    const phase = phaseOf.get(`${o.folder}/${o.file}`);
    if (phase === undefined || syncWaveOf(phase) === 0) continue;
    const meta = o.manifest.metadata ?? {};
    const annotations = sortKeys({ ...meta.annotations, [SYNC_WAVE_ANNOTATION]: String(syncWaveOf(phase)) });
    o.manifest.metadata = sortKeys({ ...meta, annotations });
  }
}

/** The apply order of one unit: its non-empty phases with their files (relative to the unit's target). */
export interface UnitApplyOrder extends TargetApplyOrder {
  readonly target: string;
}

/**
 * The apply order per Flux unit, keyed by unit folder: a target's phases restricted to the unit's files. A unit
 * is phased only when it holds a StatefulSet or a run-before Job itself.
 */
export function unitApplyOrders(orders: ReadonlyMap<string, TargetApplyOrder>, units: readonly ApplyUnit[]): Map<string, UnitApplyOrder> {
  const out = new Map<string, UnitApplyOrder>();
  for (const unit of units) {
    const order = orders.get(unit.target);
    if (!order) continue;
    const phases = order.phases.map((p) => ({ phase: p.phase, files: p.files.filter(unit.includes) })).filter((p) => p.files.length > 0);
    if (!phases.some((p) => p.phase === 'stateful' || p.phase === 'run-before')) continue;
    out.set(unit.folder, { target: unit.target, phases });
  }
  return out;
}

/** The kustomization.yaml of each phase of each phased unit (`<unit>/_phases/<phase>/kustomization.yaml`). */
export function phaseKustomizations(orders: ReadonlyMap<string, TargetApplyOrder | UnitApplyOrder>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [folder, order] of orders) {
    const target = 'target' in order ? order.target : folder;
    // from `<unit>/_phases/<phase>/` back up to the target folder
    const up = '../'.repeat(2 + (folder === target ? 0 : folder.slice(target.length + 1).split('/').length));
    for (const p of order.phases) {
      // Flux builds inside its source artifact without kustomize's root-only file restriction, so a phase
      // lists the target's files where they are: no object changes its path
      out.set(`${folder}/${PHASES_FOLDER}/${p.phase}/kustomization.yaml`, toYaml([{
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: p.files.map((f) => `${up}${f}`),
      }]));
    }
  }
  return out;
}

function sortKeys<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as T;
}
