// The node pool description a cluster declares (ClusterProps.nodePools, added to the environment model by
// declaration merging at the end of this file; checked by Environments.define through tenancy's registration).

/** A node taint (`kubectl taint nodes ... key=value:effect`). */
export interface NodeTaint {
  readonly key: string;
  /** @default - none (tolerated with operator Exists) */
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** One pool of nodes of a cluster: how its nodes are labelled and tainted. */
export interface NodePoolProps {
  /** Pool name (a DNS-1123 label) that workloads ask for: `NodePool.of('high-memory')`. */
  readonly name: string;
  /** Labels every node of the pool carries; a workload on the pool selects all of them. */
  readonly labels: Readonly<Record<string, string>>;
  /** Taints of the pool's nodes; a workload on the pool tolerates all of them. @default - none */
  readonly taints?: readonly NodeTaint[];
  /**
   * Nodes that the provider may reclaim at short notice (spot, preemptible): only interruption-tolerant
   * workloads may ask for the pool.
   * @default false
   */
  readonly spot?: boolean;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The first problem of a cluster's node pool list, as `<prop> <problem>, got <value>; <fix>`, or undefined.
 * (Environments are validated before any construct exists, so this returns text instead of throwing.)
 */
export function nodePoolsProblem(pools: readonly NodePoolProps[] | undefined): string | undefined {
  const seen = new Set<string>();
  for (const [i, p] of (pools ?? []).entries()) {
    const at = `nodePools[${i}]`;
    if (typeof p?.name !== 'string' || p.name.length > 63 || !DNS_LABEL.test(p.name)) return `${at}.name must be a DNS-1123 label, got ${JSON.stringify(p?.name)}; use e.g. 'high-memory'`;
    if (seen.has(p.name)) return `${at}.name is declared twice, got ${JSON.stringify(p.name)}; declare each pool once`;
    seen.add(p.name);
    if (!p.labels || Object.keys(p.labels).length === 0) return `${at}.labels must select the pool's nodes, got ${JSON.stringify(p.labels)}; add e.g. { 'node.acme.io/pool': '${p.name}' }`;
    for (const t of p.taints ?? []) {
      if (!['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) return `${at}.taints effect must be NoSchedule, PreferNoSchedule or NoExecute, got ${JSON.stringify(t.effect)}; use 'NoSchedule'`;
      if (typeof t.key !== 'string' || t.key === '') return `${at}.taints key must be set, got ${JSON.stringify(t.key)}; use e.g. 'node.acme.io/pool'`;
    }
  }
  return undefined;
}

// tenancy's cluster settings in the one typed `Environments.define`
declare module '../environments/environment' {
  interface ClusterProps {
    /**
     * Tenancy: the cluster's node pools (labels, taints, spot), which workloads ask for with `NodePool.of(name)`.
     * @default - none declared
     */
    readonly nodePools?: readonly NodePoolProps[];
  }
}
