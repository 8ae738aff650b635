import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { configError } from '../core';
import { WORKLOAD_DEFAULTS as D } from './defaults';
import { DisruptionBudget } from './disruption-budget';
import { HardenedPod } from './pod-template';

/** The preStop drain and the grace period of a long-running workload (services, workers, stateful sets), validated. */
export function resolveDrain(scope: Construct, props: { readonly drainSeconds?: number; readonly terminationGracePeriodSeconds?: number }): { drainSeconds: number; grace: number } {
  const drainSeconds = props.drainSeconds ?? D.drainSeconds;
  if (!Number.isInteger(drainSeconds) || drainSeconds < 0) {
    throw configError(scope, 'drainSeconds', 'must be a non-negative integer', drainSeconds, `use e.g. ${D.drainSeconds}`);
  }
  const grace = props.terminationGracePeriodSeconds ?? drainSeconds + D.shutdownSeconds;
  if (!Number.isInteger(grace) || grace <= drainSeconds) {
    throw configError(scope, 'terminationGracePeriodSeconds', `must exceed drainSeconds (${drainSeconds}) so the process gets time after SIGTERM`, grace,
      `use at least ${drainSeconds + 1}, e.g. ${drainSeconds + D.shutdownSeconds}`);
  }
  return { drainSeconds, grace };
}

/** The PodDisruptionBudget of a workload's pods (validated against `replicas`). */
export function disruptionBudgetObject(scope: Construct, pod: HardenedPod, budget: DisruptionBudget, replicas: number): ApiObject {
  budget._validate(scope, replicas);
  return new ApiObject(scope, 'PodDisruptionBudget', {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: pod.metadata(),
    spec: {
      [budget.field]: budget.value,
      selector: { matchLabels: { ...pod.selectorLabels } },
      // pods that never became ready must not block node drains
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  });
}
