import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { assertInt, checkProps, markUnit } from '../core';
import { NetworkPeer, NetworkRule } from '../workloads/network-peer';
import { HardenedPod } from '../workloads/pod-template';
import { bindExtensions, connectWorkloads, IReachable, IWorkload, IWorkloadExtension, WorkloadControllerKind } from '../workloads/workload';
import { WorkloadProps } from '../workloads/workload-props';
import { SCALING_DEFAULTS as D } from './defaults';
import { KedaTrigger, renderTriggers } from './keda-trigger';

export interface KedaScaledJobProps extends WorkloadProps {
  /** What starts Jobs: one Job per unit of backlog (queue messages, lag). */
  readonly triggers: KedaTrigger[];
  /** Most Jobs running at once. @default 10 */
  readonly maxReplicas?: number;
  /** Seconds between two checks. @default 30 */
  readonly pollingInterval?: number;
  /** Retries of a failed Job. @default 2 */
  readonly backoffLimit?: number;
  /** A Job is killed after this long. @default 3600 */
  readonly activeDeadlineSeconds?: number;
  /** @default 5 */
  readonly successfulJobsHistoryLimit?: number;
  /** @default 5 */
  readonly failedJobsHistoryLimit?: number;
}

/**
 * A batch consumer: KEDA starts a Job per unit of backlog. ServiceAccount, ScaledJob (its Job template is the
 * hardened pod, judged by policy like any other), a TriggerAuthentication per authenticated trigger, and a
 * NetworkPolicy (no ingress; DNS and declared egress).
 */
export class KedaScaledJob extends Construct implements IWorkload {
  public readonly name: string;
  public readonly namespace: string;
  public readonly component = 'job';
  public readonly pod: HardenedPod;
  public readonly serviceAccount: ApiObject;
  public readonly scaledJob: ApiObject;
  public readonly networkPolicy: ApiObject;

  constructor(scope: Construct, id: string, props: KedaScaledJobProps) {
    super(scope, id);
    checkProps(this, 'KedaScaledJobProps', props);
    this.pod = new HardenedPod(this, props, 'job');
    this.name = this.pod.name;
    this.namespace = this.pod.namespace;
    markUnit(this, this.name);
    const s = D.scaledJob;
    const int = (prop: keyof typeof s, min: number) => assertInt(this, prop, props[prop] ?? s[prop], min, 2147483647, s[prop]);
    const maxReplicas = assertInt(this, 'maxReplicas', props.maxReplicas ?? s.maxReplicas, 1, 2147483647, s.maxReplicas);

    this.serviceAccount = new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: this.pod.metadata(),
      automountServiceAccountToken: false,
    });
    this.use(...(props.use ?? []));
    const triggers = renderTriggers(this, this, '', this.name, this.namespace, this.pod.labels, props.triggers, this.pod.secretRefs);
    this.scaledJob = new ApiObject(this, 'ScaledJob', {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledJob',
      metadata: this.pod.metadata(),
      spec: {
        jobTargetRef: {
          backoffLimit: int('backoffLimit', 0),
          activeDeadlineSeconds: int('activeDeadlineSeconds', 1),
          template: this.pod.template({ ports: [], restartPolicy: 'Never' }),
        },
        pollingInterval: int('pollingInterval', 1),
        successfulJobsHistoryLimit: int('successfulJobsHistoryLimit', 0),
        failedJobsHistoryLimit: int('failedJobsHistoryLimit', 0),
        maxReplicaCount: maxReplicas,
        triggers,
      },
    });
    this.networkPolicy = this.pod.networkPolicy(this);
  }

  public get controller(): { readonly kind: WorkloadControllerKind; readonly name: string; readonly apiVersion: string } {
    return { kind: 'Job', name: this.name, apiVersion: 'batch/v1' };
  }

  public get peer(): NetworkPeer {
    return this.pod.peer;
  }

  /** Lets this workload's pods call `other` (a service, a stateful set) on its port: egress here, ingress there. */
  public connectTo(other: IReachable): void {
    connectWorkloads(this, other);
  }

  public allowTo(rule: NetworkRule): void {
    this.pod.addEgress(rule);
  }

  public use(...extensions: IWorkloadExtension[]): void {
    bindExtensions(this, extensions);
  }
}
