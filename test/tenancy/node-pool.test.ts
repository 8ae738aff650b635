import { App, Chart } from 'cdk8s';
import { Environments } from '../../lib/gitops';
import { nodePoolPlacement } from '../../lib/policy/tenancy-rules';
import { NodePool, Team } from '../../lib/tenancy';
import { HardenedCronJob, HardenedService, HardenedWorker } from '../../lib/workloads';
import { podSpec } from '../helpers';
import { POOLS, tenancyApp } from './fixtures';

const groups = { admins: ['oidc:shop-admins'] };
const image = 'ghcr.io/acme/x:1.0.0';

describe('NodePool', () => {
  test('a workload on a tainted pool selects its labels and tolerates its taints', () => {
    const objects = tenancyApp((scope) => {
      const ns = new Team(scope, 'shop', { groups, namespaces: ['shop'] }).namespace('shop');
      new HardenedService(ns, 'db', { image, port: 5432, use: [NodePool.of('high-memory')] });
      new HardenedCronJob(ns, 'report', { image, schedule: '0 3 * * *', use: [NodePool.of('spot')] });
    }, ['dev']).render();
    const db = objects.find((o) => o.manifest.kind === 'Deployment' && o.manifest.metadata.name === 'db')!.manifest;
    expect(podSpec(db).nodeSelector).toEqual({ 'node.acme.io/pool': 'high-memory' });
    expect(podSpec(db).tolerations).toEqual([{ key: 'node.acme.io/pool', operator: 'Equal', value: 'high-memory', effect: 'NoSchedule' }]);
    const report = objects.find((o) => o.manifest.kind === 'CronJob')!.manifest;
    // a taint with no value is tolerated with Exists
    expect(podSpec(report).tolerations).toEqual([{ key: 'node.acme.io/spot', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  test('a pool the target cluster lacks is an error naming the cluster and its pools', () => {
    expect(() => tenancyApp((scope) => {
      new HardenedService(new Team(scope, 'shop', { groups, namespaces: ['shop'] }).namespace('shop'), 'db', { image, port: 5432, use: [NodePool.of('gpu')] });
    }, ['dev'])).toThrow("dev/shop/shop/db: nodePool is not a node pool of cluster 'dev' (environment dev), which has general, high-memory, spot, got \"gpu\"; add the pool to clusters[].nodePools of 'dev' or pick one of its pools");
  });

  test('a pool missing in one cluster of a multi-cluster environment is an error', () => {
    // prod-a has the gpu pool, prod-b does not: building prod-a already fails, naming prod-b
    expect(() => tenancyApp((scope) => {
      new HardenedService(new Team(scope, 'shop', { groups, namespaces: ['shop'] }).namespace('shop'), 'trainer', { image, port: 8080, use: [NodePool.of('gpu')] });
    }, ['prod'])).toThrow(/^prod-a\/shop\/shop\/trainer: nodePool is not a node pool of cluster 'prod-b' \(environment prod\), which has general, high-memory, spot, got "gpu"/);
  });

  test('spot pools take only interruption-tolerant workloads', () => {
    const build = (f: (ns: Chart) => void) => tenancyApp((scope) => f(new Team(scope, 'shop', { groups, namespaces: ['shop'] }).namespace('shop') as unknown as Chart), ['dev']);
    expect(() => build((ns) => new HardenedService(ns, 'api', { image, port: 8080, use: [NodePool.of('spot')] })))
      .toThrow("dev/shop/shop/api: nodePool is a spot pool, and Deployment api is not declared interruption-tolerant, got \"spot\"; run it on another pool, or pass NodePool.of(name, { interruptionTolerant: true })");
    // a worker with a PodDisruptionBudget (2 replicas by default), a cron job, or an explicit flag
    expect(() => build((ns) => new HardenedWorker(ns, 'w', { image, use: [NodePool.of('spot')] }))).not.toThrow();
    expect(() => build((ns) => new HardenedWorker(ns, 'w', { image, replicas: 1, use: [NodePool.of('spot')] }))).toThrow(/is not declared interruption-tolerant/);
    expect(() => build((ns) => new HardenedService(ns, 'api', { image, port: 8080, use: [NodePool.of('spot', { interruptionTolerant: true })] }))).not.toThrow();
  });

  test('outside an environment target there is no cluster to ask', () => {
    expect(() => new HardenedService(new Chart(new App(), 'c', { namespace: 's' }), 'api', { image, port: 8080, use: [NodePool.of('general')] }))
      .toThrow(/^c\/api: nodePool needs the target cluster/);
  });

  test('clusters declare valid pools', () => {
    const define = (nodePools: any) => () => Environments.define({ dev: { clusters: [{ name: 'dev', server: 'https://dev.k.example', nodePools }] } });
    expect(define([{ name: 'Big', labels: { a: 'b' } }])).toThrow(/environments.dev: clusters\[0\].nodePools\[0\].name must be a DNS-1123 label, got "Big"/);
    expect(define([POOLS[0], POOLS[0]])).toThrow(/nodePools\[1\].name is declared twice/);
    expect(define([{ name: 'x', labels: {} }])).toThrow(/nodePools\[0\].labels must select the pool's nodes/);
    expect(define([{ name: 'x', labels: { a: 'b' }, taints: [{ key: 'k', effect: 'NoRun' }] }])).toThrow(/taints effect must be NoSchedule, PreferNoSchedule or NoExecute, got "NoRun"/);
  });

  test('rule tenancy-node-pool-placement: a raw pod on a tainted pool must tolerate it and select it', () => {
    const cluster = { name: 'dev', server: 'https://dev.k.example', nodePools: POOLS };
    const deployment = (spec: any) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 's' }, spec: { template: { spec: { containers: [{ name: 'x' }], ...spec } } } });
    const check = (m: any) => nodePoolPlacement.check(m, { folder: 'dev', objects: [m], cluster });
    expect(check(deployment({ nodeSelector: { 'node.acme.io/pool': 'high-memory' } })).map((f) => f.message)).toEqual([
      expect.stringMatching(/selects node pool "high-memory" of cluster "dev" but does not tolerate its taints node.acme.io\/pool=high-memory:NoSchedule/),
    ]);
    expect(check(deployment({ tolerations: [{ key: 'node.acme.io/spot', operator: 'Exists', effect: 'NoSchedule' }] })).map((f) => f.message)).toEqual([
      expect.stringMatching(/tolerates the taints of node pool "spot" of cluster "dev" but does not select the pool/),
    ]);
    expect(check(deployment({
      nodeSelector: { 'node.acme.io/pool': 'high-memory' },
      tolerations: [{ key: 'node.acme.io/pool', operator: 'Equal', value: 'high-memory', effect: 'NoSchedule' }],
    }))).toEqual([]);
    expect(check(deployment({}))).toEqual([]);
    // without the cluster (plain manifests) the rule has nothing to compare with
    expect(nodePoolPlacement.check(deployment({ nodeSelector: { 'node.acme.io/pool': 'high-memory' } }), { folder: '', objects: [] })).toEqual([]);
  });
});
