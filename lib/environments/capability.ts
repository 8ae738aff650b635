import type { IConstruct } from 'constructs';
import { ConfigError } from '../core/errors';
import { addEnvironmentSettings, EnvironmentSettings, Target } from './environment';
import type { LaidOutObject, PreviousTree, RenderedObject } from './rendered';

/**
 * A phase a target is applied in (lib/gitops/apply-order.ts): `phase-1` first; how many a target needs follows
 * from its reference graph.
 */
export type ApplyPhase = string;

/**
 * An edge of a target's reference graph (lib/gitops/apply-order.ts): `from` needs `to` applied in the same
 * phase or an earlier one (`needs`: the controllers create both and retry until it exists), or healthy in an
 * earlier phase (`after`: a Job that must complete, a CRD that must be established).
 */
export interface ApplyEdge {
  readonly from: RenderedObject;
  readonly to: RenderedObject;
  readonly kind: 'needs' | 'after';
  /** Why, for errors, after "it" (`mounts ConfigMap x`). */
  readonly why: string;
}

/** The objects of one target folder, found by kind, namespace and name: what apply-order edges point at. */
export interface ApplyGraphIndex {
  readonly objects: readonly RenderedObject[];
  /** The object of that kind and name (for a Secret, also the object that makes it). */
  find(kind: string, namespace: string | undefined, name: unknown): RenderedObject | undefined;
  /** Every object named `name` in `namespace` (undefined: cluster-scoped), of any kind, in folder order. */
  named(namespace: string | undefined, name: string): readonly RenderedObject[];
  /** Every object of `kind` in `namespace` (undefined: cluster-scoped), in folder order. */
  ofKind(kind: string, namespace: string | undefined): readonly RenderedObject[];
  /** Every object whose pod template carries the label `key: value`, in `namespace` (undefined: any), in folder order. */
  withPodLabel(key: string, value: string, namespace?: string): readonly RenderedObject[];
  /**
   * The objects of `kind` in `namespace` whose `spec.podSelector.matchLabels` (a NetworkPolicy's) all appear in
   * `labels`, in folder order; objects without matchLabels are left out. Looked up by label, not scanned: a
   * namespace may hold thousands of them.
   */
  selectingPods(kind: string, namespace: string | undefined, labels: Readonly<Record<string, string>> | undefined): readonly RenderedObject[];
}

/** An object another object makes at run time (the Secret an ExternalSecret maintains). */
export interface MadeObject {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** Where one generation of a content-named object set stands: the one current pods use, or a retained one. */
export interface ConfigGeneration {
  readonly set: string;
  readonly state: 'current' | 'retained';
  /** Retained generations only: 1 for the one replaced last. */
  readonly rank?: number;
  /** Current generations: how many previous ones are kept. */
  readonly retain?: number;
}

/** Changes that Kubernetes rejects, or that a GitOps controller carries out by deleting and recreating. */
export type DiffWarningKind =
  | 'renamed'
  | 'selector-changed'
  | 'statefulset-immutable'
  | 'claim-shrunk'
  | 'service-type-changed'
  | 'service-cluster-ip-changed'
  | 'job-template-changed';

/** What a capability tells the diff (and so the review) about the objects it renders. */
export interface DiffKnowledge {
  /**
   * The generation an object is, when the capability renders content-named generations (config sets).
   * @default - none
   */
  readonly generationOf?: (manifest: any) => ConfigGeneration | undefined;
  /**
   * Whether an object is replaced by a new name on purpose when its content changes (a Job named after its
   * spec): its removal and the new one's addition are not reported as a rename.
   * @default - never
   */
  readonly replacedByDesign?: (manifest: any) => boolean;
  /**
   * Warnings about one object changed between the previous and the new tree (`message` without the object,
   * which the diff puts first).
   * @default - none
   */
  readonly warnings?: (previous: any, next: any) => readonly { readonly kind: DiffWarningKind; readonly message: string }[];
}

/** A part of a target that its own GitOps application syncs (a team's namespaces). */
export interface TargetPart {
  readonly name: string;
  /** The namespaces of the part, in declaration order. */
  readonly namespaces: readonly string[];
  /** The ServiceAccount Flux impersonates when it applies the part. */
  readonly fluxServiceAccount: string;
  /** Path of the construct that declares the part (for error messages). */
  readonly path: string;
}

/** A namespace a controller of the target lives in: no part may claim it. */
export interface ReservedNamespace {
  readonly namespace: string;
  /** What it is, for the error (`the namespace of the Gateway of cluster 'dev'`). */
  readonly what: string;
}

/** How a capability splits a target into parts with applications of their own (tenancy's teams). */
export interface LayoutKnowledge {
  /** The parts declared in the target `scope` is in (none: the target is one part). */
  readonly partsOf: (scope: IConstruct) => readonly TargetPart[];
  /** Whether an object in a part's namespace still belongs to the platform part (its quota, RBAC). */
  readonly sharedObject: (scope: IConstruct) => boolean;
  /**
   * Ownership by scope: the part whose construct scope created `scope`, or undefined when the platform did. The
   * layout files every object by it (never by the namespace it names) and refuses a part's object outside its
   * namespaces.
   */
  readonly ownerOf: (scope: IConstruct) => TargetPart | undefined;
}

/** A rule a rendered object is exempted from, with the reason (what the review lists). */
export interface ExemptionNote {
  readonly folder: string;
  /** `Kind/namespace/name` or `Kind/name`. */
  readonly object: string;
  readonly rule: string;
  readonly reason: string;
}

/** One object change, as the review's risk detectors see it. */
export interface ObjectChangeView {
  readonly change: 'added' | 'removed' | 'changed';
  /** The object before the change (removed, changed). */
  readonly previous?: any;
  /** The object after the change (added, changed). */
  readonly next?: any;
  /** Paths of the changed fields (changed objects only): `spec.data[0].remoteRef.key`. */
  readonly fields: readonly string[];
}

/** A risk a capability sees in a change; `risk` is one of the review's risk kinds (lib/review/defaults.ts). */
export interface RiskNote {
  readonly risk: string;
  readonly message: string;
}

/** What a synth stage knows about the app. */
export interface SynthContext {
  /** The environment targets, in promotion order. */
  readonly targets: readonly Target<any, any>[];
  /** The app being synthesized (its root construct). */
  readonly root: IConstruct;
}

/** What a check before writing knows: the folders about to be written (one target's, or the Argo CD and Flux ones). */
export interface WriteContext extends SynthContext {
  readonly folders: readonly string[];
}

/**
 * What one capability (a folder of lib/ such as storage or tenancy) contributes to the platform, registered once
 * with `registerCapability` (lib/capabilities.ts lists them). The environment model, the GitOps app, the diff and
 * the review read the registry and name no capability. Every part is optional. Stages run in registration order.
 */
export interface Capability extends EnvironmentSettings {
  /** The capability's name, its folder name (`storage`): named in errors and in the registry listing. */
  readonly name: string;
  /**
   * Per target, when its chart is created (storage renders the cluster's StorageClasses into it).
   * @default - nothing
   */
  readonly setupTarget?: (scope: IConstruct, target: Target<any, any>) => void;
  /**
   * A check of rendered objects before they are written; throws to fail synth. Synth renders one target at a
   * time: it is called once per target with that target's objects, then once with the Argo CD and Flux objects.
   * Rules relating objects of different targets belong in `afterTargets`.
   * @default - none
   */
  readonly check?: (objects: readonly RenderedObject[], context: SynthContext) => void;
  /**
   * A check once every target is rendered (the target charts may be released by then: keep what it needs while
   * `release` runs); throws to fail synth.
   * @default - none
   */
  readonly afterTargets?: (context: SynthContext) => void;
  /**
   * Called before synth releases a target's constructs (streaming synth frees each target once its files are
   * written): keep what `afterTargets` needs, drop references into the target's tree.
   * @default - nothing
   */
  readonly release?: (scope: IConstruct, target: Target<any, any>) => void;
  /**
   * Objects carried over from the previous dist/ into the new one (config generations a rollback still mounts).
   * @default - none
   */
  readonly retain?: (objects: readonly RenderedObject[], previous: PreviousTree | undefined) => LaidOutObject[];
  /**
   * A check against the previous dist/ in `outdir` before the files of `folders` are written (one target's folder,
   * or the Argo CD and Flux folders; `objects` are theirs); throws to fail synth, which then writes nothing.
   * @default - none
   */
  readonly beforeWrite?: (objects: readonly RenderedObject[], outdir: string, context: WriteContext) => void;
  /**
   * Notes synth prints on stderr after writing (the fallbacks chosen for older clusters): text or ''.
   * @default - none
   */
  readonly notes?: (context: SynthContext) => string;
  /**
   * Apply-order edges from one object of a target, for the kinds this capability renders (a SecretStore needs
   * the ServiceAccount it logs in with; a workload comes after the Job that runs before it). Kubernetes' own
   * references (namespaces, what a pod mounts, claims, RBAC, CRDs) are the apply order's.
   * @default - none
   */
  readonly applyEdgesOf?: (object: RenderedObject, index: ApplyGraphIndex) => readonly ApplyEdge[];
  /**
   * Objects this object makes once applied (an ExternalSecret its Secret): a reference to them reaches it.
   * @default - none
   */
  readonly madeBy?: (manifest: any) => readonly MadeObject[];
  /**
   * Whether objects of the manifest's kind live in a namespace (undefined: not known here). Objects that stock
   * cdk8s-plus or generated constructs leave without one inherit their PlatformNamespace's when a capability says so.
   */
  readonly isNamespaced?: (manifest: any) => boolean | undefined;
  /** @default - nothing to tell the diff */
  readonly diff?: DiffKnowledge;
  /** @default - targets are not split */
  readonly layout?: LayoutKnowledge;
  /**
   * The namespaces of the controllers this capability declares for a target (the cluster's Gateway, the
   * monitoring namespace): no part (team) may claim them.
   * @default - none
   */
  readonly reservedNamespaces?: (target: Target<any, any>) => readonly ReservedNamespace[];
  /**
   * The review's risks of one object change that this capability knows how to judge (mesh: mTLS relaxed).
   * @default - none
   */
  readonly risksOf?: (change: ObjectChangeView) => readonly RiskNote[];
  /**
   * The exemptions in effect on the rendered objects (the review lists them).
   * @default - none
   */
  readonly exemptionsOf?: (objects: readonly RenderedObject[]) => ExemptionNote[];
}

/**
 * Capabilities synth refuses to run without: without them the schema and policy checks would be skipped silently.
 * (Listed by name only; this folder imports none of them.)
 */
export const ESSENTIAL_CAPABILITIES: readonly string[] = ['schema', 'policy'];

const registry: Capability[] = [];

/**
 * Adds a capability to the registry (once; registering the same object again changes nothing). A second, different
 * capability with a taken name is refused: its contributions would run twice.
 */
export function registerCapability(capability: Capability): void {
  if (registry.includes(capability)) return;
  const taken = registry.find((c) => c.name === capability.name);
  if (taken) throw new Error(`registerCapability: a capability named '${capability.name}' is already registered; give each capability its own name`);
  registry.push(capability);
  addEnvironmentSettings(capability);
}

/** The registered capabilities, in registration order (the order their contributions run in). */
export function registeredCapabilities(): readonly Capability[] {
  return registry;
}

/**
 * Throws unless every essential capability is registered (called by synth before it renders): an app that imports
 * capability folders directly but not the registrations would otherwise write unchecked YAML.
 */
export function assertEssentialCapabilities(path: string): void {
  const missing = ESSENTIAL_CAPABILITIES.filter((name) => !registry.some((c) => c.name === name));
  if (missing.length === 0) return;
  const where = path || '<app>';
  throw new ConfigError(where, 'capabilities', `${where}: synth needs the ${ESSENTIAL_CAPABILITIES.join(' and ')} checks, but no capability named ${missing.map((m) => `'${m}'`).join(' or ')} is registered (its checks would be skipped); `
    + "import the library through its entry module (lib/index.ts), or add `import '<lib>/capabilities';` once to the app, and keep every line of lib/capabilities.ts");
}
