import type { Capability } from '../environments/capability';
import { nodePoolsProblem } from './node-pool-props';

/** Tenancy's registration (lib/capabilities.ts): its cluster settings (node pools) are checked at `Environments.define`. */
export const tenancyCapability: Capability = {
  name: 'tenancy',
  clusterProblem: (cluster) => {
    const problem = nodePoolsProblem(cluster.nodePools);
    return problem ? { prop: 'nodePools', problem } : undefined;
  },
};
