import { createHash } from 'crypto';
import { ApiObject, ApiObjectProps, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { checkProps, configError, markUnit } from '../core';
import { WORKLOAD_DEFAULTS as W } from './defaults';
import { NetworkPeer, NetworkRule } from './network-peer';
import { HardenedPod } from './pod-template';
import { WorkloadProps } from './workload-props';
import { bindExtensions, connectWorkloads, IReachable, IWorkload, IWorkloadExtension, WorkloadControllerKind } from './workload';

/** Annotation on a Job: the workloads (`name` or `namespace/name`) that must not roll out before it completed. */
export const RUN_BEFORE_ANNOTATION = 'typed-manifests.io/run-before';
/** Annotation on a Job: the hash of its spec that its name ends with (a new spec is a new Job, by design). */
export const SPEC_HASH_ANNOTATION = 'typed-manifests.io/spec-hash';

export interface HardenedJobProps extends WorkloadProps {
  /** Retries of a failed pod. @default 2 */
  readonly backoffLimit?: number;
  /** The run is stopped after this many seconds. @default 600 */
  readonly activeDeadlineSeconds?: number;
  /**
   * Deletes the finished Job after this long. Leave it unset under GitOps: Argo CD and Flux re-create a deleted
   * Job and it runs again.
   * @default - none (the Job stays until a new spec replaces it)
   */
  readonly ttlSecondsAfterFinished?: number;
  /**
   * Workloads of the same target that must not roll out before this Job completed (a schema migration before
   * the API): a workload, or its name (`'api'`, `'storefront/api'`). The target's apply order puts the Job
   * after its stateful workloads and before its services, for Argo CD (sync waves) and Flux (phased
   * Kustomizations) alike.
   * @default - none: the Job applies with the services
   */
  readonly runBefore?: (IWorkload | string)[];
}

/**
 * A one-off Job with the hardened pod (restricted PSS, resources, no token), retries, a deadline, a
 * NetworkPolicy (no ingress) and its own ServiceAccount.
 *
 * The Job is named `<name>-<hash of its spec>`: a Job's pod template is immutable, so a new version is a new
 * Job (the old one is pruned by the GitOps controller), and an unchanged one never runs again on a re-sync.
 */
export class HardenedJob extends Construct implements IWorkload {
  public readonly name: string;
  public readonly namespace: string;
  public readonly component = 'job';
  public readonly pod: HardenedPod;
  public readonly serviceAccount: ApiObject;
  public readonly job: ApiObject;
  public readonly networkPolicy: ApiObject;
  private readonly runBefore: (IWorkload | string)[];

  constructor(scope: Construct, id: string, props: HardenedJobProps) {
    super(scope, id);
    checkProps(this, 'HardenedJobProps', props);
    this.pod = new HardenedPod(this, props, 'job');
    this.name = this.pod.name;
    this.namespace = this.pod.namespace;
    markUnit(this, this.name);
    if (this.name.length > 52) {
      // the Job name gets an 11-character spec hash suffix and must stay a label value (job-name)
      throw configError(this, 'name', 'must be at most 52 characters for a Job (its name gets a hash suffix)', this.name, 'shorten it');
    }
    const j = W.job;
    const backoffLimit = props.backoffLimit ?? j.backoffLimit;
    const activeDeadlineSeconds = props.activeDeadlineSeconds ?? j.activeDeadlineSeconds;
    for (const [key, v, min] of [['backoffLimit', backoffLimit, 0], ['activeDeadlineSeconds', activeDeadlineSeconds, 1], ['ttlSecondsAfterFinished', props.ttlSecondsAfterFinished, 0]] as const) {
      if (v !== undefined && (!Number.isInteger(v) || v < min)) {
        throw configError(this, key, `must be an integer of at least ${min}`, v, `use e.g. ${key === 'ttlSecondsAfterFinished' ? 3600 : (j as any)[key]}`);
      }
    }
    this.runBefore = [...(props.runBefore ?? [])];

    this.serviceAccount = new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: this.pod.metadata(),
      automountServiceAccountToken: false,
    });

    const runBefore = () => this.resolveRunBefore();
    this.job = new SpecNamedJob(this, 'Job', this.name, runBefore, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: this.pod.metadata(),
      spec: {
        backoffLimit,
        activeDeadlineSeconds,
        ttlSecondsAfterFinished: props.ttlSecondsAfterFinished,
        template: this.pod.template({ ports: [], restartPolicy: 'Never' }),
      },
    });

    this.networkPolicy = this.pod.networkPolicy(this);
    // a missing or misplaced runBefore workload fails synth, before anything is written
    this.node.addValidation({ validate: () => { this.resolveRunBefore(); return []; } });
    this.use(...(props.use ?? []));
  }

  /** Adds workloads that must wait for this Job. */
  public addRunBefore(...workloads: (IWorkload | string)[]): void {
    this.runBefore.push(...workloads);
  }

  /** Lets this workload's pods call `other` (a service, a stateful set) on its port: egress here, ingress there. */
  public connectTo(other: IReachable): void {
    connectWorkloads(this, other);
  }

  /** Allows egress to `rule`'s peer and ports (DNS is always allowed). */
  public allowTo(rule: NetworkRule): void {
    this.pod.addEgress(rule);
  }

  /** The Job; `name` is the workload name (the Job object itself is `<name>-<spec hash>`, known at render). */
  public get controller(): { readonly kind: WorkloadControllerKind; readonly name: string; readonly apiVersion: string } {
    return { kind: 'Job', name: this.name, apiVersion: 'batch/v1' };
  }

  /** Attaches capabilities (config, secrets...) to this job. */
  public use(...extensions: IWorkloadExtension[]): void {
    bindExtensions(this, extensions);
  }

  /** A peer that selects this job's pods. */
  public get peer(): NetworkPeer {
    return this.pod.peer;
  }

  /** `namespace/name` of every runBefore workload; throws when one is not a long-running workload of this target. */
  private resolveRunBefore(): string[] {
    const chart = Chart.of(this);
    // only names need a search of the target (once per target: the tree is complete when Jobs render)
    const workloads = this.runBefore.some((w) => typeof w === 'string') ? workloadsOf(chart) : [];
    return [...new Set(this.runBefore.map((w, i) => {
      const prop = `runBefore[${i}]`;
      let found: IWorkload | undefined;
      if (typeof w === 'string') {
        const [ns, name] = w.includes('/') ? w.split('/', 2) : [this.namespace, w];
        found = workloads.find((x) => x.name === name && x.namespace === ns);
        if (!found) {
          const known = workloads.filter((x) => !isJob(x)).map((x) => (x.namespace === this.namespace ? x.name : `${x.namespace}/${x.name}`));
          throw configError(this, prop, `names a workload that does not exist in target '${chart.node.id}'`, w,
            known.length > 0 ? `use one of ${known.sort().join(', ')}` : 'create the workload in the same target first');
        }
      } else {
        found = w;
        if (Chart.of(w) !== chart) {
          throw configError(this, prop, `is a workload of another target ('${Chart.of(w).node.id}')`, w.node.path, 'pass the workload of the same target');
        }
      }
      if (isJob(found)) {
        throw configError(this, prop, 'is a job (jobs run before services, not before other jobs)', found.name, 'name a service, worker or stateful set');
      }
      return `${found.namespace}/${found.name}`;
    }))].sort();
  }
}

function isJob(w: IWorkload): boolean {
  return w.controller.kind === 'Job' || w.controller.kind === 'CronJob';
}

const WORKLOADS = new WeakMap<IConstruct, IWorkload[]>();

/** Every workload (anything with a hardened pod and a controller) below `root`, found once per root. */
function workloadsOf(root: IConstruct): IWorkload[] {
  let found = WORKLOADS.get(root);
  if (!found) {
    found = root.node.findAll().filter((c): c is IWorkload & IConstruct => (c as any).pod instanceof HardenedPod && typeof (c as any).controller === 'object');
    WORKLOADS.set(root, found);
  }
  return found;
}

/** A Job named after its spec, annotated with the workloads it runs before. */
class SpecNamedJob extends ApiObject {
  constructor(scope: Construct, id: string, private readonly baseName: string, private readonly runBefore: () => string[], props: ApiObjectProps) {
    super(scope, id, props);
  }

  public toJson(): any {
    const json = super.toJson();
    const hash = createHash('sha256').update(canonical(json.spec)).digest('hex').slice(0, 10);
    json.metadata.name = `${this.baseName}-${hash}`;
    const before = this.runBefore();
    json.metadata.annotations = {
      ...json.metadata.annotations,
      ...(before.length > 0 ? { [RUN_BEFORE_ANNOTATION]: before.join(',') } : {}),
      [SPEC_HASH_ANNOTATION]: hash,
    };
    return json;
  }
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as any)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}
