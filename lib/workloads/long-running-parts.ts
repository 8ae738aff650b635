import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { assertInt, configError, INT64_SAFE_MAX } from '../core';
import { WORKLOAD_DEFAULTS as D } from './defaults';
import { DisruptionBudget } from './disruption-budget';
import { HardenedPod } from './pod-template';

/** The preStop drain and the grace period of a long-running workload (services, workers, stateful sets), validated. */
export function resolveDrain(scope: Construct, props: { readonly drainSeconds?: number; readonly terminationGracePeriodSeconds?: number }): { drainSeconds: number; grace: number } {
  const drainSeconds = props.drainSeconds ?? D.drainSeconds;
  // the preStop sleep action takes int64 seconds; the grace period must still exceed it
  assertInt(scope, 'drainSeconds', drainSeconds, 0, INT64_SAFE_MAX - 1, D.drainSeconds);
  const grace = props.terminationGracePeriodSeconds ?? drainSeconds + D.shutdownSeconds;
  if (props.terminationGracePeriodSeconds !== undefined) assertInt(scope, 'terminationGracePeriodSeconds', grace, 1, INT64_SAFE_MAX, drainSeconds + D.shutdownSeconds);
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
