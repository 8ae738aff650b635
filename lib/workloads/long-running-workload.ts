import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { assertInt32, checkProps, configError, markUnit, PropShapeName } from '../core';
import { WORKLOAD_DEFAULTS as D } from './defaults';
import { DisruptionBudget } from './disruption-budget';
import { disruptionBudgetObject, resolveDrain } from './long-running-parts';
import { NetworkPeer, NetworkRule } from './network-peer';
import { HardenedPod, Manifest } from './pod-template';
import { Probe } from './probe';
import { WorkloadProps } from './workload-props';
import { bindExtensions, connectWorkloads, IReachable, IWorkload, IWorkloadExtension, WorkloadControllerKind } from './workload';

/** Horizontal autoscaling on CPU utilisation. */
export interface AutoscalingOptions {
  /** @default 2 */
  readonly minReplicas?: number;
  readonly maxReplicas: number;
  /** Target average CPU utilisation, percent of the request. @default 70 */
  readonly cpuUtilization?: number;
}

/** An extra container port (metrics, admin). */
export interface ExtraPort {
  readonly name: string;
  readonly port: number;
}

/** Props of workloads that run continuously (services and workers). */
export interface LongRunningProps extends WorkloadProps {
  /**
   * Fixed replica count. Not allowed together with `autoscaling`.
   * @default 2
   */
  readonly replicas?: number;
  /** Scale with a HorizontalPodAutoscaler instead of a fixed count. @default - fixed replicas */
  readonly autoscaling?: AutoscalingOptions;
  /** @default Probe.http('/healthz') on the main port */
  readonly readiness?: Probe;
  /** @default Probe.http('/healthz') on the main port */
  readonly liveness?: Probe;
  /** For slow starters: liveness waits until this succeeds. @default - none */
  readonly startup?: Probe;
  /**
   * Seconds the preStop hook sleeps so endpoints drop the pod before it gets SIGTERM; 0 disables it. Uses the
   * kubelet sleep action on Kubernetes 1.30+, `exec: [sleep, N]` on older clusters (the image then needs a
   * `sleep` binary; see lib/schema/version-rules.ts).
   * @default 5
   */
  readonly drainSeconds?: number;
  /** @default - drainSeconds + 25 */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Created whenever more than one replica runs.
   * @default DisruptionBudget.maxUnavailable(1)
   */
  readonly disruptionBudget?: DisruptionBudget;
  /**
   * Relaxation: set false for no topology spread (soft spread over zones and hosts otherwise).
   * @default true
   */
  readonly spread?: boolean;
  /** More container ports. @default - none */
  readonly extraPorts?: ExtraPort[];
}

/** A reference to the object that runs the pods, for the autoscaler. */
export interface ScaleTargetRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

/**
 * The controller that owns a workload's replica count (an autoscaler from lib/scaling, or the legacy
 * `autoscaling` prop). With an owner the Deployment (and a Rollout) carries no `replicas`.
 */
export interface ReplicaOwner {
  /** The scaler's kind, for errors and delivery strategies (`HorizontalPodAutoscaler`, `ScaledObject`). */
  readonly kind: string;
  /** The fewest pods the owner keeps (0 when it may scale to zero). */
  readonly minReplicas: number;
  /** The scaler object. */
  readonly object: ApiObject;
  /** How the user attached it, for errors (`autoscaling`, `use: Scaling.keda`). */
  readonly prop: string;
}

/**
 * What services and workers share: ServiceAccount, Deployment, NetworkPolicy, a PodDisruptionBudget when more
 * than one replica runs, an optional HorizontalPodAutoscaler.
 */
export abstract class LongRunningWorkload extends Construct implements IWorkload {
  public readonly name: string;
  public readonly namespace: string;
  public readonly component: string;
  public readonly pod: HardenedPod;
  public readonly serviceAccount: ApiObject;
  public readonly deployment: ApiObject;
  public readonly networkPolicy: ApiObject;
  /** The `replicas` prop as given: undefined when it was left to the default (or autoscaled). For delivery strategies. */
  public readonly requestedReplicas?: number;
  /** The pod template the Deployment carries (a Rollout may carry the same one). */
  public readonly podTemplate: Manifest;
  private scaleTarget: ScaleTargetRef;
  private readonly fixedReplicas: number;
  private replicaOwner?: ReplicaOwner;
  private readonly disruptionBudget?: DisruptionBudget;
  private budgetObject?: ApiObject;

  protected constructor(scope: Construct, id: string, props: LongRunningProps, component: string,
    main: { readonly name: string; readonly port: number; readonly prop: string; readonly nameProp?: string }, shape: PropShapeName) {
    super(scope, id);
    checkProps(this, shape, props);
    this.pod = new HardenedPod(this, props, component);
    this.component = component;
    this.name = this.pod.name;
    this.namespace = this.pod.namespace;
    markUnit(this, this.name);

    if (props.replicas !== undefined && props.autoscaling) {
      throw configError(this, 'replicas', 'is fixed while autoscaling is set (the autoscaler owns the replica count)', props.replicas, 'remove replicas, or remove autoscaling');
    }
    if (props.replicas !== undefined) assertInt32(this, 'replicas', props.replicas, 0, D.replicas);
    const scaling = props.autoscaling ? validateAutoscaling(this, props.autoscaling) : undefined;
    this.fixedReplicas = props.replicas ?? D.replicas;
    this.requestedReplicas = props.replicas;
    this.disruptionBudget = props.disruptionBudget;

    const { drainSeconds, grace } = resolveDrain(this, props);

    this.podTemplate = this.pod.template({
      ports: [main, ...(props.extraPorts ?? []).map((x, i) => ({ name: x?.name, port: x?.port, prop: `extraPorts[${i}].port`, nameProp: `extraPorts[${i}].name` }))],
      longRunning: {
        probePort: main.port,
        readiness: props.readiness ?? Probe.http(D.probes.path),
        liveness: props.liveness ?? Probe.http(D.probes.path),
        startup: props.startup,
        drainSeconds,
        terminationGracePeriodSeconds: grace,
        spread: props.spread ?? true,
      },
    });

    this.serviceAccount = new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: this.pod.metadata(),
      automountServiceAccountToken: false,
    });

    this.scaleTarget = { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name };
    this.deployment = new ApiObject(this, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: this.pod.metadata(),
      spec: {
        // left to the scaler when one owns the count (attached after construction too)
        replicas: Lazy.any({ produce: () => this.replicas }),
        revisionHistoryLimit: D.revisionHistoryLimit,
        progressDeadlineSeconds: D.progressDeadlineSeconds,
        selector: { matchLabels: { ...this.pod.selectorLabels } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { ...D.rollingUpdate } },
        template: this.podTemplate,
      },
    });

    this.networkPolicy = this.pod.networkPolicy(this);

    // the legacy prop's minimum decides the budget before the HPA object exists (construct order = output order)
    const legacyOwner = scaling ? { kind: 'HorizontalPodAutoscaler', minReplicas: scaling.minReplicas, prop: 'autoscaling' } : undefined;
    if (legacyOwner) this.replicaOwner = legacyOwner as ReplicaOwner;
    this.syncDisruptionBudget();

    if (scaling) {
      const autoscaler = new ApiObject(this, 'HorizontalPodAutoscaler', {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: this.pod.metadata(),
        spec: {
          scaleTargetRef: Lazy.any({ produce: () => ({ ...this.scaleTarget }) }),
          minReplicas: scaling.minReplicas,
          maxReplicas: scaling.maxReplicas,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: scaling.cpuUtilization } } }],
        },
      });
      this.replicaOwner = { ...legacyOwner!, object: autoscaler };
    }
  }

  /** Replicas when fixed; undefined when a scaler owns the count. */
  public get replicas(): number | undefined {
    return this.replicaOwner ? undefined : this.fixedReplicas;
  }

  /** The lowest number of pods that run (fixed replicas, or the scaler's minimum). */
  public get minReplicas(): number {
    return this.replicaOwner ? this.replicaOwner.minReplicas : this.fixedReplicas;
  }

  /** The HorizontalPodAutoscaler that owns the replica count, if one does (Flagger's autoscalerRef). */
  public get autoscaler(): ApiObject | undefined {
    return this.replicaOwner?.kind === 'HorizontalPodAutoscaler' ? this.replicaOwner.object : undefined;
  }

  /** The controller that owns the replica count, if not fixed. */
  public get scaler(): ReplicaOwner | undefined {
    return this.replicaOwner;
  }

  /** Created whenever more than one pod always runs (the fixed count, or the scaler's minimum). */
  public get podDisruptionBudget(): ApiObject | undefined {
    return this.budgetObject;
  }

  /**
   * Hands the replica count to a scaler (lib/scaling): the Deployment then carries no `replicas`, and the
   * disruption budget follows the scaler's minimum. One owner only: a second scaler is an error, so is a
   * fixed `replicas` prop. Attach scalers through `use` so delivery strategies (bound after) see them.
   */
  public claimReplicas(owner: ReplicaOwner): void {
    if (this.replicaOwner) {
      throw configError(this, owner.prop, `adds a ${owner.kind} while ${this.replicaOwner.kind} (${this.replicaOwner.prop}) already scales the workload`,
        owner.kind, 'keep one scaler per workload (an HPA or a KEDA ScaledObject, not both)');
    }
    if (this.requestedReplicas !== undefined) {
      throw configError(this, 'replicas', `is fixed while a ${owner.kind} (${owner.prop}) scales the workload (the scaler owns the replica count)`,
        this.requestedReplicas, 'remove replicas');
    }
    this.replicaOwner = owner;
    this.syncDisruptionBudget();
  }

  private syncDisruptionBudget(): void {
    const min = this.minReplicas;
    if (min <= 1) {
      if (this.budgetObject) {
        this.node.tryRemoveChild('PodDisruptionBudget');
        this.budgetObject = undefined;
      }
      return;
    }
    const budget = this.disruptionBudget ?? DisruptionBudget.maxUnavailable(D.disruptionBudget.maxUnavailable);
    if (this.budgetObject) budget._validate(this, min);
    else this.budgetObject = disruptionBudgetObject(this, this.pod, budget, min);
  }

  /** The Deployment that runs the pods (a Rollout may run them instead: see `scaleTargetRef`). */
  public get controller(): { readonly kind: WorkloadControllerKind; readonly name: string; readonly apiVersion: string } {
    return { kind: 'Deployment', name: this.name, apiVersion: 'apps/v1' };
  }

  /** What a scaler must target: the Deployment, or the object a delivery strategy retargeted scaling to. */
  public get scaleTargetRef(): ScaleTargetRef {
    return { ...this.scaleTarget };
  }

  /** Attaches capabilities (config, secrets, metrics, scaling...) to this workload. */
  public use(...extensions: IWorkloadExtension[]): void {
    bindExtensions(this, extensions);
  }

  /** Lets this workload's pods call `other` (a service, a stateful set) on its port: egress here, ingress there. */
  public connectTo(other: IReachable): void {
    connectWorkloads(this, other);
  }

  /** Allows egress to `rule`'s peer and ports (DNS is always allowed). */
  public allowTo(rule: NetworkRule): void {
    this.pod.addEgress(rule);
  }

  /** Adds an environment variable to the container. */
  public addEnv(name: string, value: string): void {
    this.pod.addEnv(name, value);
  }

  /** A peer that selects this workload's pods, for other workloads' rules. */
  public get peer(): NetworkPeer {
    return this.pod.peer;
  }

  /** Points the autoscaler at the object that really runs the pods (a Rollout, say). For delivery strategies. */
  public retargetScaling(target: ScaleTargetRef): void {
    this.scaleTarget = { ...target };
  }
}

function validateAutoscaling(scope: Construct, a: AutoscalingOptions): Required<AutoscalingOptions> {
  const minReplicas = a.minReplicas ?? D.replicas;
  const cpuUtilization = a.cpuUtilization ?? D.autoscaling.cpuUtilization;
  assertInt32(scope, 'autoscaling.minReplicas', minReplicas, 1, D.replicas);
  assertInt32(scope, 'autoscaling.maxReplicas', a.maxReplicas, 1, Math.max(minReplicas * 3, 3));
  if (a.maxReplicas < minReplicas) {
    throw configError(scope, 'autoscaling.maxReplicas', `must be an integer of at least minReplicas (${minReplicas})`, a.maxReplicas, `use e.g. ${Math.max(minReplicas * 3, 3)}`);
  }
  if (!Number.isInteger(cpuUtilization) || cpuUtilization < 1 || cpuUtilization > 100) {
    throw configError(scope, 'autoscaling.cpuUtilization', 'must be a percentage between 1 and 100', a.cpuUtilization, `use e.g. ${D.autoscaling.cpuUtilization}`);
  }
  return { minReplicas, maxReplicas: a.maxReplicas, cpuUtilization };
}
