import { INTERRUPTION_TOLERANT_ANNOTATION } from '../policy/placement-rules';
import { checkProps, configError } from '../core';
import { clusterNameOf, targetOf } from '../environments/environment';
import type { IWorkload, IWorkloadExtension } from '../workloads/workload';
import { NodePoolProps } from './node-pool-props';

export interface NodePoolOptions {
  /**
   * The workload survives losing pods at short notice (retries, checkpoints): required for a spot pool unless
   * the workload is a (cron) job or a worker with a PodDisruptionBudget.
   * @default false
   */
  readonly interruptionTolerant?: boolean;
}

/**
 * Runs a workload on a node pool of its target cluster (`ClusterProps.nodePools`): `use: [NodePool.of('high-memory')]`.
 * The pods select every label of the pool and tolerate every taint of it. The pool must exist in every cluster
 * of the environment; a spot pool takes only interruption-tolerant workloads.
 */
export class NodePool implements IWorkloadExtension {
  public static of(name: string, options: NodePoolOptions = {}): NodePool {
    checkProps('NodePool.of', 'NodePoolOptions', options);
    return new NodePool(name, options);
  }

  private constructor(public readonly name: string, private readonly options: NodePoolOptions) {}

  public bind(workload: IWorkload): void {
    const target = targetOf(workload);
    if (!target) {
      throw configError(workload, 'nodePool', 'needs the target cluster, but the workload is not under an environment target', this.name,
        'create the workload inside app.forEachTarget(...)');
    }
    const poolsOf = (c: { readonly nodePools?: readonly NodePoolProps[] }) => c.nodePools ?? [];
    // every cluster of the environment gets the same description: a pool missing in one of them is an error too
    // (the name compared through clusterNameOf: fleets share a rendering unless the objects depend on the name)
    for (const cluster of [target.cluster, ...target.env.clusters.filter((c) => c.name !== clusterNameOf(target.cluster))]) {
      if (!poolsOf(cluster).some((p) => p.name === this.name)) {
        const has = poolsOf(cluster).map((p) => p.name);
        throw configError(workload, 'nodePool', `is not a node pool of cluster '${cluster.name}' (environment ${target.env.name}), which has ${has.length > 0 ? has.join(', ') : 'no pools'}`, this.name,
          `add the pool to clusters[].nodePools of '${cluster.name}' or pick one of its pools`);
      }
    }
    const pool = poolsOf(target.cluster).find((p) => p.name === this.name)!;
    if (pool.spot && !this.interruptionTolerant(workload)) {
      throw configError(workload, 'nodePool', `is a spot pool, and ${workload.controller.kind} ${workload.name} is not declared interruption-tolerant`, this.name,
        'run it on another pool, or pass NodePool.of(name, { interruptionTolerant: true }) if it survives losing pods at short notice (cron jobs and workers with a PodDisruptionBudget are)');
    }
    // a spot pool's tolerations are judged by policy on the rendered pod: say why this one may run there
    const kind = workload.controller.kind;
    if (pool.spot && kind !== 'CronJob' && kind !== 'Job') workload.pod.addPodAnnotation(INTERRUPTION_TOLERANT_ANNOTATION, 'true');
    for (const [key, value] of Object.entries(pool.labels)) workload.pod.addNodeSelector(key, value);
    for (const t of pool.taints ?? []) {
      workload.pod.addToleration(t.value !== undefined
        ? { key: t.key, operator: 'Equal', value: t.value, effect: t.effect }
        : { key: t.key, operator: 'Exists', effect: t.effect });
    }
  }

  private interruptionTolerant(workload: IWorkload): boolean {
    if (this.options.interruptionTolerant) return true;
    const kind = workload.controller.kind;
    if (kind === 'CronJob' || kind === 'Job') return true;
    return workload.component === 'worker' && (workload as { podDisruptionBudget?: unknown }).podDisruptionBudget !== undefined;
  }
}
