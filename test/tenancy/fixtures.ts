import { Chart } from 'cdk8s';
import { Environments, GitOpsApp, Target } from '../../lib/gitops';
import { NodePoolProps } from '../../lib/tenancy';
export { prng } from '../fixtures/prng';

export const POOLS: NodePoolProps[] = [
  { name: 'general', labels: { 'node.acme.io/pool': 'general' } },
  { name: 'high-memory', labels: { 'node.acme.io/pool': 'high-memory' }, taints: [{ key: 'node.acme.io/pool', value: 'high-memory', effect: 'NoSchedule' }] },
  { name: 'spot', labels: { 'node.acme.io/pool': 'spot' }, taints: [{ key: 'node.acme.io/spot', effect: 'NoSchedule' }], spot: true },
];
export const GPU: NodePoolProps = { name: 'gpu', labels: { 'node.acme.io/pool': 'gpu' }, taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] };

/** dev (one cluster) and prod (two clusters; only prod-a has a gpu pool). */
export function tenancyApp(build: (scope: Chart, target: Target<'dev' | 'prod'>) => void, envs: ('dev' | 'prod')[] = ['dev', 'prod']): GitOpsApp<'dev' | 'prod'> {
  const all = {
    dev: { clusters: [{ name: 'dev', server: 'https://dev.k.example', nodePools: POOLS }] },
    prod: {
      production: true,
      clusters: [
        { name: 'prod-a', server: 'https://prod-a.k.example', nodePools: [...POOLS, GPU] },
        { name: 'prod-b', server: 'https://prod-b.k.example', nodePools: POOLS },
      ],
    },
  };
  const defs: any = {};
  for (const e of envs) defs[e] = all[e];
  const app = new GitOpsApp<'dev' | 'prod'>({ environments: Environments.define(defs), repository: { url: 'https://example.com/gitops.git' } });
  app.forEachTarget(build);
  return app;
}

