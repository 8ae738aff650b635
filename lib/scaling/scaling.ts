import { checkProps, configError } from '../core';
import { targetOf } from '../environments/environment';
import { HardenedService } from '../workloads/hardened-service';
import { LongRunningWorkload } from '../workloads/long-running-workload';
import type { IWorkload, IWorkloadExtension } from '../workloads/workload';
import { SCALING_DEFAULTS as D } from './defaults';
import { HorizontalPodAutoscaler, HpaOptions, replicaBounds } from './horizontal-pod-autoscaler';
import { KedaScaledObject } from './keda-scaled-object';
import { KedaTrigger, renderTriggers } from './keda-trigger';
import { ScalingBehavior } from './scaling-behavior';

/** Event-driven scaling with KEDA (`Scaling.keda(...)`). */
export interface KedaOptions {
  /** What the workload scales on (queue length, lag, a Prometheus query, a schedule). */
  readonly triggers: KedaTrigger[];
  /** Pods while any trigger is active. @default 1 */
  readonly minReplicas?: number;
  readonly maxReplicas: number;
  /**
   * Scale to zero pods while every trigger is idle. Only for workloads that take no synchronous traffic (not a
   * HardenedService), and only where the environment allows it.
   * @default - true where the environment allows it (`scaling.allowScaleToZero`, itself true except in production) and the workload serves no traffic; false outside a GitOpsApp
   */
  readonly scaleToZero?: boolean;
  /** Seconds between two checks. @default 30 */
  readonly pollingInterval?: number;
  /** Seconds after the last activity before scaling to zero. @default 300 */
  readonly cooldownPeriod?: number;
  /** @default - see ScalingBehavior */
  readonly behavior?: ScalingBehavior;
}

/**
 * Scalers that own a workload's replica count, attached with `use`: `Scaling.hpa(...)` (HPA v2 on any metric) or
 * `Scaling.keda(...)` (KEDA ScaledObject). One per workload; the Deployment then carries no `replicas`, the
 * disruption budget follows the minimum, and a Rollout that takes over the pods takes over the scaler too.
 */
export class Scaling {
  /** A HorizontalPodAutoscaler (autoscaling/v2) named after the workload. */
  public static hpa(options: HpaOptions): IWorkloadExtension {
    checkProps('Scaling.hpa', 'HpaOptions', options);
    return {
      bind(workload: IWorkload): void {
        const w = longRunning(workload, 'Scaling.hpa');
        const hpa = new HorizontalPodAutoscaler(w, 'Hpa', {
          ...options,
          name: w.name,
          namespace: w.namespace,
          labels: w.pod.labels,
          target: () => w.scaleTargetRef,
        });
        w.claimReplicas({ kind: 'HorizontalPodAutoscaler', minReplicas: hpa.minReplicas, object: hpa.resource, prop: 'use: Scaling.hpa' });
      },
    };
  }

  /** A KEDA ScaledObject named after the workload, and a TriggerAuthentication per authenticated trigger. */
  public static keda(options: KedaOptions): IWorkloadExtension {
    checkProps('Scaling.keda', 'KedaOptions', options);
    return {
      bind(workload: IWorkload): void {
        const w = longRunning(workload, 'Scaling.keda');
        const prop = 'keda';
        const servesTraffic = w instanceof HardenedService;
        const env = targetOf(w)?.env;
        const envAllows = env ? env.scaling.allowScaleToZero ?? (env.production ? D.environment.allowScaleToZeroInProduction : D.environment.allowScaleToZeroOutsideProduction) : false;
        if (options.scaleToZero === true && servesTraffic) {
          throw configError(w, `${prop}.scaleToZero`, 'is set on a service that serves synchronous traffic (a request would find no pod)', true,
            'keep at least one pod (remove scaleToZero), or scale a HardenedWorker that consumes a queue');
        }
        if (options.scaleToZero === true && env && !envAllows) {
          throw configError(w, `${prop}.scaleToZero`, `is not allowed in environment ${env.name} (scaling.allowScaleToZero)`, true,
            `remove scaleToZero here, or set scaling: { allowScaleToZero: true } on environment ${env.name}`);
        }
        const toZero = options.scaleToZero ?? (envAllows && !servesTraffic);
        const { min, max } = replicaBounds(w, `${prop}.minReplicas`, options.minReplicas ?? D.keda.minReplicas, options.maxReplicas, 1);
        const triggers = renderTriggers(w, w, prop, w.name, w.namespace, w.pod.labels, options.triggers, w.pod.secretRefs);
        const scaled = new KedaScaledObject(w, 'ScaledObject', {
          name: w.name,
          namespace: w.namespace,
          labels: w.pod.labels,
          target: () => w.scaleTargetRef,
          // one pod or fewer: KEDA's own floor of 0; more: idle at 0, at least `min` while active
          minReplicas: toZero && min === 1 ? 0 : min,
          idleReplicas: toZero && min > 1 ? 0 : undefined,
          maxReplicas: max,
          triggers,
          pollingInterval: options.pollingInterval,
          cooldownPeriod: options.cooldownPeriod,
          behavior: options.behavior,
        });
        w.claimReplicas({ kind: 'ScaledObject', minReplicas: toZero ? 0 : min, object: scaled.resource, prop: 'use: Scaling.keda' });
      },
    };
  }

  private constructor() {}
}

function longRunning(workload: IWorkload, what: string): LongRunningWorkload {
  if (!(workload instanceof LongRunningWorkload)) {
    throw configError(workload, 'use', `${what} scales Deployments (HardenedService, HardenedWorker), not a ${workload.controller.kind}`, what,
      'use a KedaScaledJob for queue-driven batch jobs');
  }
  return workload;
}
