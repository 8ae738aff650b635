import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { configError, markUnit } from '../core';
import { WORKLOAD_DEFAULTS as D } from './defaults';
import { NetworkRule } from './network-peer';
import { HardenedPod } from './pod-template';
import { WorkloadProps } from './workload-props';

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

const FIELD = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;
const NAMED = /^[A-Za-z]{3}(-[A-Za-z]{3})?(,[A-Za-z]{3}(-[A-Za-z]{3})?)*$/;
const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/**
 * A scheduled batch job: ServiceAccount, CronJob and a NetworkPolicy (no ingress; DNS and declared egress).
 * Runs never overlap by default, are retried twice, time out after an hour and are cleaned up after a day.
 */
export class HardenedCronJob extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly pod: HardenedPod;
  public readonly serviceAccount: ApiObject;
  public readonly cronJob: ApiObject;
  public readonly networkPolicy: ApiObject;

  constructor(scope: Construct, id: string, props: HardenedCronJobProps) {
    super(scope, id);
    this.pod = new HardenedPod(this, props, 'job');
    this.name = this.pod.name;
    this.namespace = this.pod.namespace;
    markUnit(this, this.name);
    if (this.name.length > 52) {
      // the CronJob controller appends an 11-character suffix to Job names
      throw configError(this, 'name', 'must be at most 52 characters for a CronJob', this.name, 'shorten it');
    }
    validateSchedule(this, props.schedule);
    const c = D.cronJob;
    for (const key of ['backoffLimit', 'activeDeadlineSeconds', 'startingDeadlineSeconds', 'ttlSecondsAfterFinished'] as const) {
      const v = props[key];
      if (v !== undefined && (!Number.isInteger(v) || v < (key === 'backoffLimit' ? 0 : 1))) {
        throw configError(this, key, `must be an integer of at least ${key === 'backoffLimit' ? 0 : 1}`, v, `use e.g. ${c[key]}`);
      }
    }

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

    this.networkPolicy = this.pod.networkPolicy(this, () => []);
  }

  /** Allows egress to `rule`'s peer and ports (DNS is always allowed). */
  public allowTo(rule: NetworkRule): void {
    this.pod.addEgress(rule);
  }
}

function validateSchedule(scope: Construct, schedule: string): void {
  const fields = typeof schedule === 'string' ? schedule.trim().split(/\s+/) : [];
  const ok = MACROS.includes(String(schedule).trim())
    || (fields.length === 5 && fields.every((f, i) => FIELD.test(f) || ((i === 3 || i === 4) && NAMED.test(f)) || (f === '?' && (i === 2 || i === 4))));
  if (!ok) {
    throw configError(scope, 'schedule', 'must be a five-field cron expression or a macro like @daily', schedule, "write it like '30 2 * * *' (02:30 every day)");
  }
}
