import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type { ScaleTargetRef } from '../workloads/long-running-workload';
import { SCALING_DEFAULTS as D } from './defaults';
import { renderBehavior, ScalingBehavior } from './scaling-behavior';
import { checkProps } from '../core';

export interface KedaScaledObjectProps {
  readonly name: string;
  readonly namespace: string;
  /** @default - none */
  readonly labels?: Record<string, string>;
  /** What it scales, read at synth (a delivery strategy may retarget it at a Rollout). */
  readonly target: () => ScaleTargetRef;
  /** 0 scales to zero when every trigger is idle. */
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Pods while every trigger is idle (only 0, below minReplicas). @default - minReplicas */
  readonly idleReplicas?: number;
  /** Rendered triggers (see KedaTrigger). */
  readonly triggers: Record<string, any>[];
  /** @default 30 */
  readonly pollingInterval?: number;
  /** @default 300 */
  readonly cooldownPeriod?: number;
  /** Behaviour of the HPA KEDA manages. @default - see ScalingBehavior */
  readonly behavior?: ScalingBehavior;
}

/** A KEDA ScaledObject: event-driven scaling of a Deployment (or the Rollout that runs its pods). */
export class KedaScaledObject extends Construct {
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: KedaScaledObjectProps) {
    super(scope, id);
    checkProps(this, 'KedaScaledObjectProps', props);
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        scaleTargetRef: Lazy.any({ produce: () => ({ ...props.target() }) }),
        pollingInterval: props.pollingInterval ?? D.keda.pollingInterval,
        cooldownPeriod: props.cooldownPeriod ?? D.keda.cooldownPeriod,
        idleReplicaCount: props.idleReplicas,
        minReplicaCount: props.minReplicas,
        maxReplicaCount: props.maxReplicas,
        advanced: { horizontalPodAutoscalerConfig: { behavior: renderBehavior(scope, 'keda.behavior', props.behavior) } },
        triggers: props.triggers,
      },
    });
  }
}
