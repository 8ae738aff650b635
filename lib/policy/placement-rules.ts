import { podTemplatesOf, apiGroupOf } from './pod-template';
import { defineRule, Rule, Violation } from './rule';

/** Placement and scaling a team must not choose on its own: system priorities, a fixed node, zero pods in production. */

const SYSTEM_PRIORITIES = new Set(['system-cluster-critical', 'system-node-critical']);
const SYSTEM_NAMESPACES = new Set(['kube-system']);

export const noSystemPriority = defineRule({
  id: 'tenancy-no-system-priority',
  title: "Team workloads do not take the cluster's system priorities",
  profile: 'tenancy',
  check: (m) => {
    if (SYSTEM_NAMESPACES.has(m.metadata?.namespace ?? '')) return [];
    return podTemplatesOf(m).filter((t) => SYSTEM_PRIORITIES.has(t.spec?.priorityClassName)).map((t) => ({
      field: `${t.specPath}.priorityClassName`,
      message: `takes ${t.spec.priorityClassName}, which preempts other teams' pods and is kept for the cluster's own components`,
      fix: "use one of the platform's PriorityClasses (Priority.of('critical'))",
    }));
  },
});

export const noNodeName = defineRule({
  id: 'tenancy-no-node-name',
  title: 'No pod is bound to a node by name',
  profile: 'tenancy',
  check: (m) => podTemplatesOf(m).filter((t) => t.spec?.nodeName !== undefined && t.spec?.nodeName !== '').map((t) => ({
    field: `${t.specPath}.nodeName`,
    message: `binds the pods to node ${JSON.stringify(t.spec.nodeName)}, past the scheduler: taints, node pools, quotas of the node and spread are skipped`,
    fix: 'select a node pool (NodePool.of(name)) or use node affinity',
  })),
});

export const scaleToZeroInProduction = defineRule({
  id: 'hygiene-scale-to-zero-in-production',
  title: 'Production workloads keep a pod unless the environment allows scaling to zero',
  profile: 'hygiene',
  check: (m, context) => {
    const env = context.environment;
    if (!env?.production || env.allowsScaleToZero === true) return [];
    if (m.kind !== 'ScaledObject' || apiGroupOf(m) !== 'keda.sh') return [];
    const spec = (m as any).spec ?? {};
    const out: Violation[] = [];
    // KEDA's minReplicaCount defaults to 0
    const min = spec.minReplicaCount ?? 0;
    if (min === 0) out.push({ field: 'spec.minReplicaCount', message: `lets KEDA scale to zero pods in production environment ${env.name}${spec.minReplicaCount === undefined ? ' (KEDA\'s default is 0)' : ''}`, fix: 'set minReplicaCount to at least 1, or allow it for the environment (scaling: { allowScaleToZero: true })' });
    if (spec.idleReplicaCount === 0) out.push({ field: 'spec.idleReplicaCount', message: `scales the idle workload to zero pods in production environment ${env.name}`, fix: 'remove idleReplicaCount, or allow it for the environment (scaling: { allowScaleToZero: true })' });
    return out;
  },
});

/** Pod template annotation: the workload survives losing pods at short notice (set by NodePool.of on a spot pool). */
export const INTERRUPTION_TOLERANT_ANNOTATION = 'tenancy.typed-manifests.io/interruption-tolerant';

/** Kinds whose pods are retried by their controller: interruption-tolerant by nature. */
const RETRIED_KINDS = new Set(['Job', 'CronJob', 'ScaledJob']);

export const spotInterruptionTolerant = defineRule({
  id: 'tenancy-spot-interruption-tolerant',
  title: 'Only interruption-tolerant workloads tolerate a spot pool',
  profile: 'tenancy',
  check: (m, context) => {
    const spot = (context.cluster?.nodePools ?? []).filter((p) => p.spot && (p.taints ?? []).some((x) => x.effect !== 'PreferNoSchedule'));
    if (spot.length === 0 || RETRIED_KINDS.has(m.kind ?? '')) return [];
    const out: Violation[] = [];
    for (const t of podTemplatesOf(m)) {
      if (t.metadata?.annotations?.[INTERRUPTION_TOLERANT_ANNOTATION] === 'true') continue;
      const tolerations: any[] = t.spec?.tolerations ?? [];
      for (const pool of spot) {
        const taints = (pool.taints ?? []).filter((x) => x.effect !== 'PreferNoSchedule');
        const tolerated = taints.every((x) => tolerations.some((tol) => (tol?.operator === 'Exists' && (tol.key === undefined || tol.key === x.key)
          || (tol?.key === x.key && (tol.operator ?? 'Equal') === 'Equal' && tol.value === x.value)) && (tol.effect === undefined || tol.effect === x.effect)));
        if (!tolerated) continue;
        out.push({
          field: `${t.specPath}.tolerations`,
          message: `tolerates the taints of spot pool ${JSON.stringify(pool.name)}, but ${m.kind} ${m.metadata?.name} is not declared interruption-tolerant (its pods can vanish at two minutes' notice)`,
          fix: `run it elsewhere, or use NodePool.of('${pool.name}', { interruptionTolerant: true }) if it survives losing pods (it annotates ${INTERRUPTION_TOLERANT_ANNOTATION}: "true")`,
        });
      }
    }
    return out;
  },
});

export const PLACEMENT_RULES: readonly Rule[] = [noSystemPriority, noNodeName, scaleToZeroInProduction, spotInterruptionTolerant];
