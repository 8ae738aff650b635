import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { assertInt, checkProps, configError } from '../core';
import type { ScaleTargetRef } from '../workloads/long-running-workload';
import { SCALING_DEFAULTS as D } from './defaults';
import { HpaMetric } from './hpa-metric';
import { renderBehavior, ScalingBehavior } from './scaling-behavior';

/** What an HPA scales on and between which bounds (`Scaling.hpa(...)`). */
export interface HpaOptions {
  /** @default 2 */
  readonly minReplicas?: number;
  readonly maxReplicas: number;
  /** @default [HpaMetric.cpu(70)] */
  readonly metrics?: HpaMetric[];
  /** @default - see ScalingBehavior (fast up, slow down) */
  readonly behavior?: ScalingBehavior;
}

export interface HorizontalPodAutoscalerProps extends HpaOptions {
  readonly name: string;
  readonly namespace: string;
  /** @default - none */
  readonly labels?: Record<string, string>;
  /** What it scales, read at synth (a delivery strategy may retarget it at a Rollout). */
  readonly target: () => ScaleTargetRef;
}

/** An `autoscaling/v2` HorizontalPodAutoscaler on any mix of resource, pods, object and external metrics. */
export class HorizontalPodAutoscaler extends Construct {
  public readonly resource: ApiObject;
  public readonly minReplicas: number;
  public readonly maxReplicas: number;

  constructor(scope: Construct, id: string, props: HorizontalPodAutoscalerProps) {
    super(scope, id);
    checkProps(this, 'HorizontalPodAutoscalerProps', props);
    // errors name the props as `Scaling.hpa({...})` takes them
    const { min, max } = replicaBounds(scope, 'hpa.minReplicas', props.minReplicas ?? D.hpa.minReplicas, props.maxReplicas, 1);
    this.minReplicas = min;
    this.maxReplicas = max;
    const metrics = (props.metrics ?? [HpaMetric.cpu()]).map((m, i) => m._render(scope, `hpa.metrics[${i}]`));
    if (metrics.length === 0) throw configError(scope, 'hpa.metrics', 'is empty', [], 'give at least one metric, e.g. HpaMetric.cpu(70)');
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        scaleTargetRef: Lazy.any({ produce: () => ({ ...props.target() }) }),
        minReplicas: min,
        maxReplicas: max,
        metrics,
        behavior: renderBehavior(scope, 'hpa.behavior', props.behavior),
      },
    });
  }
}

/** Checks min and max replicas (min at least `floor`, max at least min); errors name `minProp` and its sibling. */
export function replicaBounds(scope: Construct, minProp: string, min: number, max: number, floor: number): { min: number; max: number } {
  const maxProp = minProp.replace(/minReplicas$/, 'maxReplicas');
  assertInt(scope, minProp, min, floor, 2147483647, Math.max(floor, 1));
  assertInt(scope, maxProp, max, 1, 2147483647, Math.max(min * 3, 3));
  if (min > max) {
    throw configError(scope, minProp, `is above maxReplicas (${max})`, min, `lower minReplicas or raise maxReplicas to at least ${min}`);
  }
  return { min, max };
}
