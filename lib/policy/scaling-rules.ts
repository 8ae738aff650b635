import { show } from '../core';
import { apiGroupOf, hasReplicas } from './pod-template';
import { defineRule, Manifest, Rule } from './rule';
import { namespaceOf, objectNamed, scalersOf } from './workloads';

/** Rules that keep one owner for a workload's replica count (HPA, KEDA, Flagger, Argo Rollouts). */

const isScaler = (m: Manifest) => (m.kind === 'HorizontalPodAutoscaler' && apiGroupOf(m) === 'autoscaling')
  || (m.kind === 'ScaledObject' && apiGroupOf(m) === 'keda.sh');

function targetOf(m: Manifest): { kind: string; name: string } {
  const ref = (m as any).spec?.scaleTargetRef ?? {};
  return { kind: ref.kind ?? (m.kind === 'ScaledObject' ? 'Deployment' : ''), name: ref.name ?? '' };
}

export const SCALING_RULES: readonly Rule[] = [
  defineRule({
    id: 'hygiene-scaler-target',
    title: 'Autoscalers target a workload of the same folder',
    profile: 'hygiene',
    check: (m, context) => {
      if (!isScaler(m)) return [];
      const t = targetOf(m);
      return objectNamed(context, namespaceOf(m), t.kind, t.name) ? [] : [{
        field: 'spec.scaleTargetRef',
        message: `targets ${t.kind}/${t.name}, which is not rendered in namespace ${namespaceOf(m) || '(none)'}`,
        fix: 'point scaleTargetRef at a rendered Deployment or Rollout (attach the scaler with use: [Scaling.hpa(...)])',
      }];
    },
  }),
  defineRule({
    id: 'hygiene-single-scaler',
    title: 'At most one autoscaler per workload',
    profile: 'hygiene',
    check: (m, context) => {
      if (!hasReplicas(m)) return [];
      const scalers = scalersOf(m, context);
      return scalers.length <= 1 ? [] : [{
        field: 'metadata.name',
        message: `is scaled by ${scalers.map((s) => `${s.kind}/${s.metadata?.name}`).join(' and ')}, which fight over its replica count`,
        fix: 'keep one scaler: an HPA or a KEDA ScaledObject (which manages its own HPA)',
      }];
    },
  }),
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
