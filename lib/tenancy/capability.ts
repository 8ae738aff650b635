import type { Capability } from '../environments/capability';
import { nodePoolsProblem } from './node-pool-props';
import { isPlatformOwned, teamOwnerOf, teamsOf } from './registry';

/**
 * Tenancy's registration (lib/capabilities.ts): its cluster settings (node pools) are checked at
 * `Environments.define`, and a target with teams is split into parts: the platform's and one per team, each with
 * its own folder and Argo CD Application / Flux Kustomization (lib/gitops/tenancy-layout.ts).
 */
export const tenancyCapability: Capability = {
  name: 'tenancy',
  clusterProblem: (cluster) => {
    const problem = nodePoolsProblem(cluster.nodePools);
    return problem ? { prop: 'nodePools', problem } : undefined;
  },
  layout: { partsOf: teamsOf, sharedObject: isPlatformOwned, ownerOf: teamOwnerOf },
};
