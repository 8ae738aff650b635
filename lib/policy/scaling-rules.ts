import { show } from '../core';
import { hasReplicas } from './pod-template';
import { defineRule, Rule } from './rule';
import { scalersOf } from './workloads';

/**
 * Rules that keep one owner for a workload's replica count (HPA, KEDA, Flagger, Argo Rollouts). That a scaler
 * targets a rendered workload, and only one scales it, is `hygiene-scale-target` (reference-rules.ts).
 */

export const SCALING_RULES: readonly Rule[] = [
  defineRule({
    id: 'hygiene-scaled-replicas',
    title: 'Autoscaled workloads leave replicas to the autoscaler',
    profile: 'hygiene',
    check: (m, context) => {
      if (!hasReplicas(m)) return [];
      const replicas = (m as any).spec?.replicas;
      const scalers = scalersOf(m, context);
      return replicas === undefined || scalers.length === 0 ? [] : [{
        field: 'spec.replicas',
        message: `is pinned to ${show(replicas)} while ${scalers[0].kind}/${scalers[0].metadata?.name} scales the workload (every sync resets it)`,
        fix: 'remove spec.replicas (the library leaves it out when a scaler is attached)',
      }];
    },
  }),
];
