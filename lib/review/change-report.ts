import * as YAML from 'yaml';
import { ObjectChangeView, registeredCapabilities } from '../environments/capability';
import { diffTrees, DiffWarning, FieldChange, ObjectRef } from '../gitops/manifest-diff';
import { REVIEW_DEFAULTS as D } from './defaults';
import { RiskKind } from './review';
import { securityRisks } from './security-risks';
import { PlanContext, planOf, replicaRange, ReviewManifest as Manifest, RolloutPlan } from './rollout-plan';

/** A policy exemption in effect for one object of one target. */
export interface ExemptionRecord {
  readonly folder: string;
  /** `Kind/namespace/name` or `Kind/name`. */
  readonly object: string;
  readonly rule: string;
  readonly reason: string;
}

/** An acknowledgement resolved against the rendered objects it covers. */
export interface AcknowledgementRecord {
  readonly risk: RiskKind;
  readonly reason: string;
  readonly scopePath: string;
  /** `folder|Kind/namespace/name` of every object rendered below the acknowledging construct. */
  readonly covers: readonly string[];
  /** Target folders below the acknowledging construct, for `object` (a removed object). */
  readonly folders: readonly string[];
  readonly object?: string;
}

export interface ReviewInput {
  /** The tree before the change (path below dist/ -> content). */
  readonly base: ReadonlyMap<string, string>;
  /** The tree after the change. */
  readonly head: ReadonlyMap<string, string>;
  /** @default 'base' */
  readonly baseLabel?: string;
  /** @default 'head' */
  readonly headLabel?: string;
  /** Exemptions in effect before and after; `base` undefined when unknown. @default - none known */
  readonly exemptions?: { readonly base?: readonly ExemptionRecord[]; readonly head: readonly ExemptionRecord[] };
  /** @default - none */
  readonly acknowledgements?: readonly AcknowledgementRecord[];
  /**
   * The promotion stages of the head, in promotion order (from the app's promotion ledger): what each runs, its
   * candidates and what they wait for, its exemptions. Groups target folders into stages.
   * @default - none: every top-level folder is a stage
   */
  readonly stages?: readonly StageRecord[];
}

/** One promotion stage as the review shows it. */
export interface StageRecord {
  /** `staging`, `prod/1`. */
  readonly name: string;
  /** Its target folders below dist/. */
  readonly folders: readonly string[];
  readonly workloads: readonly {
    /** `namespace/name`. */
    readonly workload: string;
    /** The version it runs. */
    readonly runs: string;
    /** The upstream's version, when the stage does not run it yet. */
    readonly candidate?: string;
    /** What the candidate waits for (a verification, soak time left, a freeze); undefined when it is ready. */
    readonly waitingOn?: string;
  }[];
  /** Releases running by exemption: a hotfix that skipped a stage, or an emergency inside a freeze window. */
  readonly exemptions: readonly { readonly workload: string; readonly kind: 'hotfix' | 'emergency'; readonly reason: string; readonly until?: string }[];
  /** The freeze window open now, as text. */
  readonly frozen?: string;
}

export type RiskLevel = 'high' | 'medium';

export interface Risk {
  readonly kind: RiskKind;
  readonly level: RiskLevel;
  readonly folder: string;
  /** `Kind/namespace/name`. */
  readonly object: string;
  readonly message: string;
  /** The reason it was accepted in code, when it was. */
  readonly acknowledged?: string;
}

/** Pods of one workload that restart because its pod template changed. */
export interface Restart {
  readonly workload: string;
  readonly min: number;
  readonly max: number;
}

/** One changed object and its changed fields (`spec.replicas` 2 -> 3). */
export interface ChangedObject {
  /** `Kind/namespace/name`. */
  readonly object: string;
  /** How many fields changed. */
  readonly fields: number;
  /** Every changed field, in path order. */
  readonly changes: readonly FieldChange[];
  /** `namespace/app` from `app.kubernetes.io/name`, when the object carries it: groups a workload's objects. */
  readonly workload?: string;
}

/** The path of the version label wherever a manifest carries labels (the object, a pod or job template). */
const VERSION_LABEL = /(^|\.)labels\["app\.kubernetes\.io\/version"\]$/;

/** True when only version labels changed (a release bump touches every object of a workload that way). */
export function versionLabelOnly(c: ChangedObject): boolean {
  return c.changes.length > 0 && c.changes.every((f) => VERSION_LABEL.test(f.path));
}

/**
 * The objects of a target whose only change is the version label, one entry per workload
 * (`storefront/api: 3.8.1 -> 3.9.0 on 12 objects`), and the other changed objects.
 */
export function collapseVersionChurn(changed: readonly ChangedObject[]): {
  readonly churn: readonly { readonly workload: string; readonly from: string; readonly to: string; readonly objects: readonly string[] }[];
  readonly rest: readonly ChangedObject[];
} {
  const groups = new Map<string, { workload: string; from: string; to: string; objects: string[] }>();
  const rest: ChangedObject[] = [];
  for (const c of changed) {
    if (!versionLabelOnly(c)) {
      rest.push(c);
      continue;
    }
    const f = c.changes[0];
    const from = f.old === undefined ? '(none)' : String(f.old);
    const to = f.new === undefined ? '(none)' : String(f.new);
    const workload = c.workload ?? c.object;
    const key = JSON.stringify([workload, from, to]);
    const g = groups.get(key) ?? { workload, from, to, objects: [] };
    g.objects.push(c.object);
    groups.set(key, g);
  }
  return { churn: [...groups.values()], rest };
}

/** Risks that differ only in their target (the same change in every cluster of an environment), grouped. */
export function groupRisks(risks: readonly Risk[]): { readonly risk: Risk; readonly folders: readonly string[] }[] {
  const groups = new Map<string, { risk: Risk; folders: string[] }>();
  for (const r of risks) {
    const key = JSON.stringify([r.kind, r.level, r.object, r.message, r.acknowledged ?? null]);
    const g = groups.get(key);
    if (g) {
      if (!g.folders.includes(r.folder)) g.folders.push(r.folder);
    } else {
      groups.set(key, { risk: r, folders: [r.folder] });
    }
  }
  return [...groups.values()];
}

export interface TargetReport {
  readonly folder: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly ChangedObject[];
  readonly restarts: readonly Restart[];
  readonly configAdded: readonly string[];
  readonly configRetired: readonly string[];
  readonly risks: readonly Risk[];
  readonly plans: readonly RolloutPlan[];
  /** The longest plan: targets roll their workloads out in parallel. */
  readonly minSeconds: number;
}

export interface PromotionRow {
  /** `namespace/name`. */
  readonly workload: string;
  /** Version per target folder: [base, head]; undefined where it is not rendered. */
  readonly versions: ReadonlyMap<string, readonly [string | undefined, string | undefined]>;
}

export interface ChangeReport {
  readonly baseLabel: string;
  readonly headLabel: string;
  readonly targets: readonly TargetReport[];
  /** Every risk, high first, then by target and object. */
  readonly risks: readonly Risk[];
  readonly unacknowledgedHigh: readonly Risk[];
  readonly promotion: { readonly folders: readonly string[]; readonly rows: readonly PromotionRow[]; readonly stages: readonly StageRecord[] };
  readonly totals: { readonly added: number; readonly changed: number; readonly removed: number; readonly restarts: number };
  /** True when the trees hold the same bytes and no exemption changed. */
  readonly empty: boolean;
}

/**
 * One object of a tree. Its identity and version come from a light scan of the file; the whole manifest is
 * parsed only when the report needs it (objects that changed, and what their rollout plans refer to), so an
 * unchanged platform costs a scan, not a YAML parse.
 */
interface Obj {
  readonly folder: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** `app.kubernetes.io/version`, when the scan found it. */
  readonly version?: string;
  /** `app.kubernetes.io/name`, when the scan found it. */
  readonly app?: string;
  readonly manifest: Manifest;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job']);
const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'AppProject']);
const DATA_KINDS = new Set(['StatefulSet', 'PersistentVolumeClaim', 'PersistentVolume', 'Namespace']);
const GITOPS_FOLDERS = new Set(['argocd', 'flux']);

/** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects. */
export function objectId(m: Manifest): string {
  const ns = m.metadata?.namespace;
  return `${m.kind}/${ns ? `${ns}/` : ''}${m.metadata?.name ?? ''}`;
}

function refId(r: ObjectRef): string {
  return `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

/** Builds the change report of two dist/ trees: what changes where, what restarts, how it rolls out, what it risks. */
export function buildChangeReport(input: ReviewInput): ChangeReport {
  const diff = diffTrees(input.base, input.head);
  // most files are the same on both sides: scan and parse each distinct content once
  const files = new FileCache();
  const baseObjs = indexTree(input.base, files);
  const headObjs = indexTree(input.head, files);
  const headIndex = indexByFolder(headObjs.values());
  const baseIndex = indexByFolder(baseObjs.values());

  const targets: TargetReport[] = [];
  for (const f of diff.folders) {
    const folder = f.folder;
    const ctx = planContext((headIndex.get(folder) ?? []).filter((o) => CONTEXT_KINDS.has(o.kind)).map((o) => o.manifest));
    const risks: Risk[] = [];
    const add = (kind: RiskKind, object: string, message: string) => risks.push({ kind, level: D.riskLevels[kind], folder, object, message });

    for (const w of f.warnings) risks.push(...warningRisks(folder, w));

    const restarts: Restart[] = [];
    const plans: RolloutPlan[] = [];
    const configAdded: string[] = [];
    const configRetired: string[] = [];

    for (const r of f.added) {
      const m = headObjs.get(key(folder, r))!.manifest;
      if (r.kind === 'ConfigMap' && m.immutable === true) configAdded.push(refId(r));
      if (r.kind === 'Service' && ['LoadBalancer', 'NodePort'].includes(m.spec?.type)) add('exposure-widening', refId(r), `new ${m.spec.type} Service reachable from outside the cluster`);
      if (RBAC_KINDS.has(r.kind)) add('rbac-widening', refId(r), `new ${r.kind} grants ${grantsOf(m).slice(0, 4).join('; ') || 'access'}${grantsOf(m).length > 4 ? '; …' : ''}`);
      if (r.kind === 'NetworkPolicy' && allowsEverything(m)) add('network-widening', refId(r), 'new NetworkPolicy admits any source or destination');
      for (const x of securityRisks(undefined, m)) add(x.kind, refId(r), x.message);
      capabilityRisks({ change: 'added', next: m, fields: [] }, (risk, message) => add(risk, refId(r), message));
    }
    for (const r of f.removed) {
      const m = baseObjs.get(key(folder, r))!.manifest;
      if (r.kind === 'ConfigMap' && m.immutable === true) configRetired.push(refId(r));
      if (DATA_KINDS.has(r.kind)) {
        add('data-loss', refId(r), r.kind === 'StatefulSet'
          ? `the StatefulSet is removed; its PVCs stay or are deleted by its retention policy (${m.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted ?? 'Retain'}) — back up first`
          : `removing the ${r.kind} deletes its data`);
      }
      if (r.kind === 'NetworkPolicy') add('network-widening', refId(r), 'NetworkPolicy removed: its pods lose these restrictions');
      capabilityRisks({ change: 'removed', previous: m, fields: [] }, (risk, message) => add(risk, refId(r), message));
    }

    const changed: ChangedObject[] = [];
    for (const c of f.changed) {
      const oldM = baseObjs.get(key(folder, c.old))!.manifest;
      const headObj = headObjs.get(key(folder, c.new))!;
      const newM = headObj.manifest;
      const id = refId(c.new);
      const app = headObj.app ?? newM.metadata?.labels?.['app.kubernetes.io/name'];
      changed.push({ object: id, fields: c.fields.length, changes: c.fields, ...(app ? { workload: `${c.new.namespace ?? ''}/${app}` } : {}) });
      if (podTemplateChanged(oldM, newM)) {
        const delivered = c.new.kind === 'Deployment' ? ctx.deliveryOf(c.new.name) : undefined;
        const range = replicaRange(delivered?.kind === 'Rollout' ? delivered : newM, ctx);
        if (c.new.kind === 'DaemonSet') restarts.push({ workload: id, min: -1, max: -1 });
        else if (c.new.kind !== 'CronJob' && c.new.kind !== 'Job') restarts.push({ workload: id, ...range });
        const plan = planOf(newM, ctx);
        if (plan) plans.push(plan);
      }
      if (c.new.kind === 'Service' && ['LoadBalancer', 'NodePort'].includes(newM.spec?.type) && newM.spec?.type !== oldM.spec?.type) {
        add('exposure-widening', id, `Service becomes ${newM.spec.type}: reachable from outside the cluster`);
      }
      if (c.new.kind === 'NetworkPolicy') {
        const wider = newEntries(policyPeers(oldM), policyPeers(newM));
        if (wider.length > 0) add('network-widening', id, `admits more: ${wider.slice(0, 3).join('; ')}${wider.length > 3 ? '; …' : ''}`);
      }
      if (RBAC_KINDS.has(c.new.kind)) {
        const wider = newEntries(grantsOf(oldM), grantsOf(newM));
        if (wider.length > 0) add('rbac-widening', id, `grants more: ${wider.slice(0, 4).join('; ')}${wider.length > 4 ? '; …' : ''}`);
      }
      for (const x of securityRisks(oldM, newM)) add(x.kind, id, x.message);
      capabilityRisks({ change: 'changed', previous: oldM, next: newM, fields: c.fields.map((x) => x.path) }, (risk, message) => add(risk, id, message));
      if (c.new.kind === 'StatefulSet') {
        const gone = vctNames(oldM).filter((n) => !vctNames(newM).includes(n));
        if (gone.length > 0) add('data-loss', id, `volume claim template(s) ${gone.join(', ')} removed: new pods no longer mount that data`);
      }
    }
    targets.push({
      folder,
      added: f.added.map(refId),
      removed: f.removed.map(refId),
      changed,
      restarts,
      configAdded: configAdded.sort(),
      configRetired: configRetired.sort(),
      risks,
      plans,
      minSeconds: plans.reduce((m, p) => Math.max(m, p.minSeconds), 0),
    });
  }

  addExemptionRisks(input, targets);
  const promotion = promotionView(baseIndex, headIndex, input.stages ?? []);
  addPromotionRisks(input.stages ?? [], promotion, targets, headObjs);
  // targets in the order a release reaches them (dev, staging, prod), the GitOps folders last
  const rank = (folder: string) => {
    const i = promotion.folders.indexOf(folder);
    return i < 0 ? promotion.folders.length : i;
  };
  targets.sort((a, b) => rank(a.folder) - rank(b.folder) || cmp(a.folder, b.folder));
  const acked = targets.map((t) => ({ ...t, risks: sortRisks(t.risks.map((r) => acknowledge(r, input.acknowledgements ?? []))) }));
  const risks = sortRisks(acked.flatMap((t) => t.risks));
  return {
    baseLabel: input.baseLabel ?? 'base',
    headLabel: input.headLabel ?? 'head',
    targets: acked,
    risks,
    unacknowledgedHigh: risks.filter((r) => r.level === 'high' && r.acknowledged === undefined),
    promotion,
    totals: {
      added: acked.reduce((s, t) => s + t.added.length, 0),
      changed: acked.reduce((s, t) => s + t.changed.length, 0),
      removed: acked.reduce((s, t) => s + t.removed.length, 0),
      restarts: acked.reduce((s, t) => s + t.restarts.reduce((n, r) => n + Math.max(r.max, 0), 0), 0),
    },
    empty: diff.upToDate && risks.length === 0,
  };
}

/** The risks the registered capabilities see in one object change (mesh, secrets), each passed to `add`. */
function capabilityRisks(view: ObjectChangeView, add: (risk: RiskKind, message: string) => void): void {
  for (const c of registeredCapabilities()) {
    for (const n of c.risksOf?.(view) ?? []) {
      if (!Object.prototype.hasOwnProperty.call(D.riskLevels, n.risk)) {
        throw new Error(`review: capability '${c.name}' reports risk '${n.risk}', which is no review risk kind; use one of ${Object.keys(D.riskLevels).join(', ')}`);
      }
      add(n.risk as RiskKind, n.message);
    }
  }
}

function warningRisks(folder: string, w: DiffWarning): Risk[] {
  const object = refId(w.objects[w.objects.length - 1]);
  const kind: RiskKind = w.kind === 'renamed' || w.kind === 'service-cluster-ip-changed' || w.kind === 'job-template-changed' ? 'delete-and-recreate'
    : w.kind === 'selector-changed' ? 'selector-change'
      : w.kind === 'statefulset-immutable' && w.message.includes('volumeClaimTemplates') ? 'pvc-template-change'
        : 'immutable-field';
  return [{ kind, level: D.riskLevels[kind], folder, object, message: w.message }];
}

function addExemptionRisks(input: ReviewInput, targets: TargetReport[]): void {
  const ex = input.exemptions;
  if (!ex) return;
  const before = new Map((ex.base ?? []).map((e) => [`${e.folder}|${e.object}|${e.rule}`, e.reason]));
  for (const e of ex.head) {
    const prev = before.get(`${e.folder}|${e.object}|${e.rule}`);
    if (ex.base !== undefined && prev === e.reason) continue;
    let t = targets.find((x) => x.folder === e.folder);
    if (!t) {
      t = { folder: e.folder, added: [], removed: [], changed: [], restarts: [], configAdded: [], configRetired: [], risks: [], plans: [], minSeconds: 0 };
      targets.push(t);
      targets.sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
    }
    const what = ex.base === undefined ? 'exemption in effect (base unknown)' : prev === undefined ? 'new policy exemption' : 'changed policy exemption';
    (t.risks as Risk[]).push({ kind: 'policy-exemption', level: D.riskLevels['policy-exemption'], folder: e.folder, object: e.object, message: `${what}: ${e.rule} — "${e.reason}"` });
  }
}

function acknowledge(r: Risk, acks: readonly AcknowledgementRecord[]): Risk {
  const k = `${r.folder}|${r.object}`;
  const a = acks.find((x) => x.risk === r.kind && (x.object ? x.object === r.object && x.folders.includes(r.folder) : x.covers.includes(k)));
  return a ? { ...r, acknowledged: a.reason } : r;
}

function sortRisks(risks: Risk[]): Risk[] {
  const level = (r: Risk) => (r.level === 'high' ? (r.acknowledged === undefined ? 0 : 1) : 2);
  return [...risks].sort((a, b) => level(a) - level(b) || cmp(a.folder, b.folder) || cmp(a.object, b.object) || cmp(a.kind, b.kind) || cmp(a.message, b.message));
}

function key(folder: string, r: ObjectRef): string {
  return `${folder}|${refId(r)}`;
}

/** The kinds a rollout plan refers to: analysis templates, autoscalers, the Rollout or Canary of a Deployment. */
const CONTEXT_KINDS = new Set(['AnalysisTemplate', 'ClusterAnalysisTemplate', 'HorizontalPodAutoscaler', 'ScaledObject', 'Rollout', 'Canary', 'MetricTemplate']);

/** What a scan reads of one document. */
export interface Scanned {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly version?: string;
  /** `app.kubernetes.io/name`: what a workload is called across versions (a spec-named Job changes its name). */
  readonly app?: string;
}

/** Scans and parses file contents, once per distinct content (the same file on both sides counts once). */
class FileCache {
  private readonly scans = new Map<string, Scanned[]>();
  private readonly parses = new Map<string, Manifest[]>();

  public scan(text: string): Scanned[] {
    let docs = this.scans.get(text);
    if (!docs) {
      docs = scanDocuments(text) ?? this.parse(text).map((m) => ({
        kind: m.kind, name: String(m.metadata?.name ?? ''), namespace: m.metadata?.namespace ?? undefined,
        version: typeof m.metadata?.labels?.['app.kubernetes.io/version'] === 'string' ? m.metadata.labels['app.kubernetes.io/version'] : undefined,
        app: typeof m.metadata?.labels?.['app.kubernetes.io/name'] === 'string' ? m.metadata.labels['app.kubernetes.io/name'] : undefined,
      }));
      this.scans.set(text, docs);
    }
    return docs;
  }

  public parse(text: string): Manifest[] {
    let docs = this.parses.get(text);
    if (!docs) {
      docs = [];
      for (const doc of YAML.parseAllDocuments(text, { version: '1.1' }) as YAML.Document[]) {
        if (doc.errors.length > 0) break;
        const m = doc.toJS({ maxAliasCount: -1 });
        if (m && typeof m === 'object' && typeof m.kind === 'string') docs.push(m);
      }
      this.parses.set(text, docs);
    }
    return docs;
  }
}

/**
 * Identity and version of each document of a file written in block style (as synth writes it), read line by
 * line: top-level `kind`, `metadata.name`, `metadata.namespace`, `metadata.labels["app.kubernetes.io/version"]`.
 * Undefined when the file is in any other shape (the caller parses it instead).
 */
export function scanDocuments(text: string): Scanned[] | undefined {
  const out: Scanned[] = [];
  for (const doc of text.split(/^---\n/m)) {
    if (doc.trim() === '') continue;
    const found: { kind?: string; name?: string; namespace?: string; version?: string; app?: string } = {};
    let section = '';
    for (const line of doc.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      let field: keyof typeof found | undefined;
      let value: string | undefined;
      if (!line.startsWith(' ')) {
        const m = /^([A-Za-z]+):(?: (.*))?$/.exec(line);
        if (!m) return undefined;
        section = m[1];
        if (section === 'kind') [field, value] = ['kind', m[2]];
      } else if (section === 'metadata') {
        const m = /^ {2}(name|namespace): (.+)$/.exec(line) ?? /^ {4}app\.kubernetes\.io\/(version|name): (.+)$/.exec(line);
        if (m) [field, value] = [(line.startsWith('    ') && m[1] === 'name' ? 'app' : m[1]) as keyof typeof found, m[2]];
      }
      if (field === undefined) continue;
      const v = scalar(value);
      if (v === undefined) return undefined;
      found[field] = v;
    }
    if (found.kind === undefined || found.name === undefined) return undefined;
    out.push({ kind: found.kind, name: found.name, namespace: found.namespace, version: found.version, app: found.app });
  }
  return out;
}

/** A one-line scalar as the serializer writes it (plain, or double-quoted); undefined for anything else. */
function scalar(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(text)) return text;
  if (!text.startsWith('"')) return undefined;
  try {
    const v = YAML.parse(text, { version: '1.1' });
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Indexes every YAML file of a tree; objects keyed by `folder|Kind/ns/name`, folder = the outermost folder with
 * a kustomization.yaml (a target: tenancy and apply phases nest more kustomizations below it), as the diff does.
 */
function indexTree(tree: ReadonlyMap<string, string>, cache: FileCache): Map<string, Obj> {
  const folders = [...tree.keys()].filter((f) => f === 'kustomization.yaml' || f.endsWith('/kustomization.yaml'))
    .map((f) => (f === 'kustomization.yaml' ? '' : f.slice(0, -'/kustomization.yaml'.length)))
    .sort((a, b) => a.length - b.length || cmp(a, b));
  const out = new Map<string, Obj>();
  for (const [file, text] of tree) {
    if (!/\.ya?ml$/.test(file) || file.endsWith('kustomization.yaml')) continue;
    const folder = folders.find((f) => f === '' || file.startsWith(`${f}/`)) ?? file.split('/')[0];
    cache.scan(text).forEach((d, i) => {
      const obj: Obj = {
        folder,
        ...d,
        get manifest() {
          return cache.parse(text)[i];
        },
      };
      out.set(`${folder}|${d.kind}/${d.namespace ? `${d.namespace}/` : ''}${d.name}`, obj);
    });
  }
  return out;
}

function indexByFolder(objs: Iterable<Obj>): Map<string, Obj[]> {
  const out = new Map<string, Obj[]>();
  for (const o of objs) {
    const list = out.get(o.folder);
    if (list) list.push(o);
    else out.set(o.folder, [o]);
  }
  return out;
}

/** Resolves references between the objects of one target folder (by namespace). */
function planContext(objects: readonly Manifest[]): PlanContext {
  const byKindName = new Map<string, Manifest[]>();
  const scalers = new Map<string, Manifest[]>();
  const delivery = new Map<string, Manifest>();
  for (const m of objects) {
    const k = `${m.kind}/${m.metadata?.name}`;
    byKindName.set(k, [...(byKindName.get(k) ?? []), m]);
    const target = m.spec?.scaleTargetRef;
    if ((m.kind === 'HorizontalPodAutoscaler' || m.kind === 'ScaledObject') && target?.name) {
      const t = `${target.kind ?? 'Deployment'}/${target.name}`;
      scalers.set(t, [...(scalers.get(t) ?? []), m]);
    }
    if (m.kind === 'Rollout' && m.spec?.workloadRef?.name) delivery.set(m.spec.workloadRef.name, m);
    if (m.kind === 'Canary' && m.spec?.targetRef?.name) delivery.set(m.spec.targetRef.name, m);
  }
  return {
    find: (kind, name) => byKindName.get(`${kind}/${name}`)?.[0],
    scalersOf: (kind, name) => scalers.get(`${kind}/${name}`) ?? [],
    deliveryOf: (name) => delivery.get(name),
  };
}

function podTemplateChanged(a: Manifest, b: Manifest): boolean {
  if (!WORKLOAD_KINDS.has(b.kind) && !(b.kind === 'Rollout' && b.spec?.template)) return false;
  const tpl = (m: Manifest) => (m.kind === 'CronJob' ? m.spec?.jobTemplate?.spec?.template : m.spec?.template);
  return canonical(tpl(a)) !== canonical(tpl(b));
}

function vctNames(m: Manifest): string[] {
  return (m.spec?.volumeClaimTemplates ?? []).map((v: any) => v?.metadata?.name).filter((n: unknown) => typeof n === 'string');
}

/** Each NetworkPolicy peer with its ports, as comparable text. */
function policyPeers(m: Manifest): string[] {
  const out: string[] = [];
  for (const dir of ['ingress', 'egress'] as const) {
    for (const rule of m.spec?.[dir] ?? []) {
      const peers = rule[dir === 'ingress' ? 'from' : 'to'] ?? [null];
      const ports = canonical(rule.ports ?? 'any port');
      for (const p of peers.length > 0 ? peers : [null]) out.push(`${dir} ${p === null ? 'from anywhere' : canonical(p)} on ${ports}`);
    }
  }
  return out;
}

function allowsEverything(m: Manifest): boolean {
  return policyPeers(m).some((p) => p.includes('from anywhere') || p.includes('"0.0.0.0/0"') || p.includes('"::/0"'));
}


/** Grants of a Role/ClusterRole (`apps/deployments: get,list`), subjects of a binding, destinations of an AppProject. */
function grantsOf(m: Manifest): string[] {
  if (m.kind === 'Role' || m.kind === 'ClusterRole') {
    return (m.rules ?? []).flatMap((r: any) => (r.apiGroups ?? ['']).flatMap((g: string) => (r.resources ?? r.nonResourceURLs ?? []).flatMap((res: string) => (r.verbs ?? []).map((v: string) => `${g ? `${g}/` : ''}${res}: ${v}`))));
  }
  if (m.kind === 'RoleBinding' || m.kind === 'ClusterRoleBinding') {
    return (m.subjects ?? []).map((s: any) => `${m.roleRef?.kind}/${m.roleRef?.name} to ${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`);
  }
  const s = m.spec ?? {};
  return [
    ...(s.destinations ?? []).map((d: any) => `deploy to ${d.server ?? d.name}/${d.namespace}`),
    ...(s.clusterResourceWhitelist ?? []).map((k: any) => `cluster-scoped ${k.group || 'core'}/${k.kind}`),
    ...(s.namespaceResourceWhitelist ?? []).map((k: any) => `namespaced ${k.group || 'core'}/${k.kind}`),
    ...(s.sourceRepos ?? []).map((r: string) => `source ${r}`),
  ];
}

function newEntries(before: readonly string[], after: readonly string[]): string[] {
  const old = new Set(before);
  return [...new Set(after.filter((x) => !old.has(x)))];
}

function versionOf(m: Manifest): string | undefined {
  const label = m.metadata?.labels?.['app.kubernetes.io/version'];
  if (typeof label === 'string') return label;
  const spec = m.kind === 'CronJob' ? m.spec?.jobTemplate?.spec?.template?.spec : m.spec?.template?.spec;
  const image: string | undefined = spec?.containers?.[0]?.image;
  if (!image) return undefined;
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1, at + 20);
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/') ? image.slice(colon + 1) : undefined;
}

/**
 * Target folders in promotion order: the stages' folders when known, else the sync wave of the Argo CD Application that deploys each (dev before
 * staging before prod), else by name.
 */
function promotionOrder(folders: string[], head: Map<string, Obj[]>, stages: readonly StageRecord[]): string[] {
  const rank = new Map(stages.flatMap((s) => s.folders).map((f, i) => [f, i]));
  if (rank.size > 0) return [...folders].sort((a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity) || cmp(a, b));
  const wave = new Map<string, number>();
  for (const o of head.get('argocd') ?? []) {
    if (o.kind !== 'Application') continue;
    const m = o.manifest;
    const p: unknown = m.kind === 'Application' ? m.spec?.source?.path : undefined;
    if (typeof p !== 'string') continue;
    const w = Number(m.metadata?.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
    // the Application syncs the target folder or a part of it (`dist/dev/_platform`, `dist/dev/_teams/shop`)
    const folder = folders.find((f) => `/${p}/`.includes(`/${f}/`));
    if (folder !== undefined) wave.set(folder, Math.min(wave.get(folder) ?? w, w));
  }
  // without Argo CD waves (Flux only, or trees without the GitOps folders): the usual stage names in release order
  const stage = (f: string) => {
    const i = STAGE_NAMES.indexOf(f.split('/')[0].toLowerCase());
    return i < 0 ? STAGE_NAMES.length : i;
  };
  return [...folders].sort((a, b) => (wave.get(a) ?? Infinity) - (wave.get(b) ?? Infinity) || stage(a) - stage(b) || cmp(a, b));
}

/** Environment names in the order a release usually reaches them (a tie-breaker after the Argo CD sync waves). */
const STAGE_NAMES = ['dev', 'development', 'test', 'qa', 'uat', 'stage', 'staging', 'preprod', 'pre-prod', 'prod', 'production'];

function promotionView(base: Map<string, Obj[]>, head: Map<string, Obj[]>, stages: readonly StageRecord[]): ChangeReport['promotion'] {
  const folders = promotionOrder([...new Set([...base.keys(), ...head.keys()])].filter((f) => !GITOPS_FOLDERS.has(f.split('/')[0])), head, stages);
  const rows = new Map<string, Map<string, [string | undefined, string | undefined]>>();
  const collect = (index: Map<string, Obj[]>, side: 0 | 1) => {
    for (const folder of folders) {
      for (const o of index.get(folder) ?? []) {
        if (!WORKLOAD_KINDS.has(o.kind)) continue;
        // one row per application: a Job named after its spec keeps its app name across versions
        const id = `${o.namespace ?? ''}/${o.app ?? o.name}`;
        let row = rows.get(id);
        if (!row) rows.set(id, (row = new Map()));
        const cell = row.get(folder) ?? [undefined, undefined];
        // the scan read the version label; without one, the image tag of the parsed manifest
        cell[side] = o.version ?? versionOf(o.manifest);
        row.set(folder, cell);
      }
    }
  };
  collect(base, 0);
  collect(head, 1);
  return {
    folders,
    rows: [...rows.keys()].sort().map((workload) => ({ workload, versions: rows.get(workload)! })),
    stages,
  };
}

/**
 * Promotion risks: a workload whose release (version, or a new config generation) changes in more than one stage
 * at once; a release running by exemption (hotfix, emergency) in a stage this change touches.
 */
function addPromotionRisks(stages: readonly StageRecord[], promotion: ChangeReport['promotion'], targets: TargetReport[], head: Map<string, Obj>): void {
  const stageOf = (folder: string) => stages.find((s) => s.folders.includes(folder))?.name ?? folder.split('/')[0];
  const objectIn = (folder: string, workload: string) => {
    const [ns, app] = workload.split('/');
    for (const o of head.values()) if (o.folder === folder && WORKLOAD_KINDS.has(o.kind) && (o.namespace ?? '') === ns && (o.app ?? o.name) === app) return `${o.kind}/${ns ? `${ns}/` : ''}${o.name}`;
    return `Workload/${workload}`;
  };
  // new config generations per folder, by the workload (namespace/app) they belong to
  const configMoved = new Set<string>();
  for (const t of targets) {
    for (const c of t.configAdded) {
      const o = head.get(`${t.folder}|${c}`);
      if (o?.app) configMoved.add(`${t.folder}|${o.namespace ?? ''}/${o.app}`);
    }
  }
  const push = (folder: string, risk: Omit<Risk, 'level' | 'folder'>) => {
    const t = targets.find((x) => x.folder === folder);
    if (t) (t.risks as Risk[]).push({ ...risk, folder, level: D.riskLevels[risk.kind] });
  };
  const movedIn = new Map<string, Set<string>>();
  for (const row of promotion.rows) {
    const folders = promotion.folders.filter((f) => {
      const [a, b] = row.versions.get(f) ?? [undefined, undefined];
      return (a !== b && b !== undefined) || configMoved.has(`${f}|${row.workload}`);
    });
    movedIn.set(row.workload, new Set(folders));
    const reached = [...new Set(folders.map(stageOf))];
    if (reached.length > 1) {
      const [a, b] = row.versions.get(folders[0]) ?? [undefined, undefined];
      push(folders[0], {
        kind: 'multi-stage-release', object: objectIn(folders[0], row.workload),
        message: `${row.workload} changes in ${reached.length} stages at once (${reached.join(', ')})${a !== b ? `: ${a ?? '(new)'} → ${b}` : ': new config generation'}; promote one stage at a time`,
      });
    }
  }
  for (const stage of stages) {
    for (const x of stage.exemptions) {
      const folder = stage.folders.find((f) => movedIn.get(x.workload)?.has(f));
      if (!folder) continue;
      push(folder, {
        kind: 'promotion-exemption', object: objectIn(folder, x.workload),
        message: x.kind === 'hotfix'
          ? `${x.workload} reaches ${stage.name} as a hotfix that skipped a stage, until ${x.until}: "${x.reason}"`
          : `${x.workload} changes in ${stage.name} inside freeze window ${x.until ?? ''}: emergency "${x.reason}"`,
      });
    }
  }
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as any)[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The cells of a stage row (markdown and HTML render the same text): runs, candidates, exemptions. */
export function stageCells(stage: StageRecord): { readonly runs: string; readonly candidates: string; readonly exemptions: string } {
  const short = (w: string) => w.slice(w.indexOf('/') + 1);
  return {
    runs: stage.workloads.map((w) => `${short(w.workload)} ${w.runs}`).join(', '),
    candidates: [
      ...stage.workloads.filter((w) => w.candidate !== undefined).map((w) => `${short(w.workload)} ${w.candidate} (${w.waitingOn ?? 'ready to promote'})`),
      ...(stage.frozen ? [`frozen: ${stage.frozen}`] : []),
    ].join('; '),
    exemptions: stage.exemptions.map((x) => `${x.kind} ${short(x.workload)}: ${x.reason}${x.until ? ` (${x.kind === 'hotfix' ? 'until ' : ''}${x.until})` : ''}`).join('; '),
  };
}
