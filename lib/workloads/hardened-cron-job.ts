import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { assertCron, assertInt, assertOneOf, checkProps, configError, INT32_MAX, INT64_SAFE_MAX, markUnit } from '../core';
import { WORKLOAD_DEFAULTS as D } from './defaults';
import { NetworkPeer, NetworkRule } from './network-peer';
import { HardenedPod } from './pod-template';
import { WorkloadProps } from './workload-props';
import { bindExtensions, connectWorkloads, IReachable, IWorkload, IWorkloadExtension, WorkloadControllerKind } from './workload';

export interface HardenedCronJobProps extends WorkloadProps {
  /** Cron schedule, five fields (`30 2 * * *`) or a macro (`@daily`). */
  readonly schedule: string;
  /** IANA time zone the schedule is read in. @default 'Etc/UTC' */
  readonly timeZone?: string;
  /** @default 'Forbid' (a slow run never overlaps the next) */
  readonly concurrencyPolicy?: 'Forbid' | 'Replace' | 'Allow';
  /** Retries of a failed run. @default 2 */
  readonly backoffLimit?: number;
  /** A run is killed after this long. @default 3600 */
  readonly activeDeadlineSeconds?: number;
  /** A missed run still starts if it is at most this late. @default 300 */
  readonly startingDeadlineSeconds?: number;
  /** Finished Jobs are deleted after this long. @default 86400 */
  readonly ttlSecondsAfterFinished?: number;
  /** @default false */
  readonly suspend?: boolean;
}


/**
 * A scheduled batch job: ServiceAccount, CronJob and a NetworkPolicy (no ingress; DNS and declared egress).
 * Runs never overlap by default, are retried twice, time out after an hour and are cleaned up after a day.
 */
export class HardenedCronJob extends Construct implements IWorkload {
  public readonly name: string;
  public readonly namespace: string;
  public readonly component = 'job';
  public readonly pod: HardenedPod;
  public readonly serviceAccount: ApiObject;
  public readonly cronJob: ApiObject;
  public readonly networkPolicy: ApiObject;

  constructor(scope: Construct, id: string, props: HardenedCronJobProps) {
    super(scope, id);
    checkProps(this, 'HardenedCronJobProps', props);
    this.pod = new HardenedPod(this, props, 'job');
    this.name = this.pod.name;
    this.namespace = this.pod.namespace;
    markUnit(this, this.name);
    if (this.name.length > 52) {
      // the CronJob controller appends an 11-character suffix to Job names
      throw configError(this, 'name', 'must be at most 52 characters for a CronJob', this.name, 'shorten it');
    }
    assertCron(this, 'schedule', props.schedule);
    const c = D.cronJob;
    // backoffLimit and ttlSecondsAfterFinished are int32 in the API, the deadlines int64
    for (const key of ['backoffLimit', 'activeDeadlineSeconds', 'startingDeadlineSeconds', 'ttlSecondsAfterFinished'] as const) {
      const v = props[key];
      const max = key === 'backoffLimit' || key === 'ttlSecondsAfterFinished' ? INT32_MAX : INT64_SAFE_MAX;
      if (v !== undefined) assertInt(this, key, v, key === 'backoffLimit' ? 0 : 1, max, c[key]);
    }
    if (props.concurrencyPolicy !== undefined) assertOneOf(this, 'concurrencyPolicy', props.concurrencyPolicy, ['Forbid', 'Replace', 'Allow']);
    if (props.timeZone !== undefined && (typeof props.timeZone !== 'string' || !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(props.timeZone))) {
      throw configError(this, 'timeZone', 'must be an IANA time zone name', props.timeZone, "write it like 'Europe/Berlin' or 'Etc/UTC'");
    }
    if (props.suspend !== undefined && typeof props.suspend !== 'boolean') throw configError(this, 'suspend', 'must be true or false', props.suspend, 'use true or false');

    this.serviceAccount = new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: this.pod.metadata(),
      automountServiceAccountToken: false,
    });

    this.cronJob = new ApiObject(this, 'CronJob', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: this.pod.metadata(),
      spec: {
        schedule: props.schedule,
        timeZone: props.timeZone ?? c.timeZone,
        concurrencyPolicy: props.concurrencyPolicy ?? c.concurrencyPolicy,
        startingDeadlineSeconds: props.startingDeadlineSeconds ?? c.startingDeadlineSeconds,
        successfulJobsHistoryLimit: c.successfulJobsHistoryLimit,
        failedJobsHistoryLimit: c.failedJobsHistoryLimit,
        suspend: props.suspend ?? false,
        jobTemplate: {
          metadata: { labels: { ...this.pod.labels } },
          spec: {
            backoffLimit: props.backoffLimit ?? c.backoffLimit,
            activeDeadlineSeconds: props.activeDeadlineSeconds ?? c.activeDeadlineSeconds,
            ttlSecondsAfterFinished: props.ttlSecondsAfterFinished ?? c.ttlSecondsAfterFinished,
            template: this.pod.template({ ports: [], restartPolicy: 'Never' }),
          },
        },
      },
    });

    this.networkPolicy = this.pod.networkPolicy(this);
    this.use(...(props.use ?? []));
  }

  /** Lets this workload's pods call `other` (a service, a stateful set) on its port: egress here, ingress there. */
  public connectTo(other: IReachable): void {
    connectWorkloads(this, other);
  }

  /** Allows egress to `rule`'s peer and ports (DNS is always allowed). */
  public allowTo(rule: NetworkRule): void {
    this.pod.addEgress(rule);
  }

  public get controller(): { readonly kind: WorkloadControllerKind; readonly name: string; readonly apiVersion: string } {
    return { kind: 'CronJob', name: this.name, apiVersion: 'batch/v1' };
  }

  /** Attaches capabilities (config, secrets, metrics...) to this job. */
  public use(...extensions: IWorkloadExtension[]): void {
    bindExtensions(this, extensions);
  }

  /** A peer that selects this job's pods, for other workloads' rules. */
  public get peer(): NetworkPeer {
    return this.pod.peer;
  }
}
