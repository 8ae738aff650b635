import { buildApp } from '../../apps/main';
import { GitOpsApp, RenderedObject } from '../../lib/gitops';
import { KyvernoPolicies } from '../../lib/policy';
import { Access, Team } from '../../lib/tenancy';
import { HardenedService } from '../../lib/workloads';
import { prng, randomString } from '../fixtures/prng';
import { tenancyApp } from '../tenancy/fixtures';
import { admissionVerdicts, patternProblem, runTimeObjects, wildcard } from './kyverno-admission';

/** The rendered manifests of each environment target folder (not argocd/ and flux/). */
function byTarget(objects: readonly RenderedObject[]): Map<string, any[]> {
  const out = new Map<string, any[]>();
  for (const o of objects) {
    if (o.folder === 'argocd' || o.folder === 'flux') continue;
    if (!out.has(o.folder)) out.set(o.folder, []);
    out.get(o.folder)!.push(o.manifest);
  }
  return out;
}
const POD_BEARING = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Rollout'];

describe('the admission model (the pattern subset the library emits)', () => {
  test('wildcards, negation, ?*, =() and X() anchors, lists (generated values)', () => {
    const rand = prng(50);
    for (let i = 0; i < 200; i++) {
      const repo = `ghcr.io/${randomString(rand, 'abcxyz', 1 + Math.floor(rand() * 5))}`;
      const tag = [undefined, 'latest', '1.2.3', randomString(rand, 'abc123.', 3)][Math.floor(rand() * 4)];
      const image = tag ? `${repo}:${tag}` : repo;
      expect(patternProblem({ image }, { image: '*:*' }) === undefined).toBe(image.includes(':'));
      expect(patternProblem({ image }, { image: '!*:latest' }) === undefined).toBe(!image.endsWith(':latest'));
      const s = randomString(rand, 'ab*?', Math.floor(rand() * 4));
      expect(wildcard(s.replace(/[*?]/g, ''), s.replace(/[*?]/g, ''))).toBe(true);
    }
    expect(patternProblem({ a: '' }, { a: '?*' })).toBe('.a: "" does not match "?*"');
    expect(patternProblem({}, { a: '?*' })).toBe('.a: missing');
    expect(patternProblem({}, { '=(a)': [{ b: true }] })).toBeUndefined();
    expect(patternProblem({ a: [{ b: true }, { b: false }] }, { '=(a)': [{ b: true }] })).toBe('.a[1].b: false does not match true');
    expect(patternProblem({ m: { x: '1' } }, { m: { 'X(x)': 'null' } })).toBe('.m.x: must not be set');
    expect(patternProblem({ p: 'Never' }, { '=(p)': '!Never' })).toBe('.p: "Never" does not match "!Never"');
  });

  test('a pod controller is judged itself (auto-generated rules) and through the ReplicaSets, Jobs and Pods it creates', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } } } };
    expect(runTimeObjects(deployment).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ReplicaSet/web-7c9d5f', 'Pod/web-7c9d5f-x2k4p']);
    const objects = [...new KyvernoPoliciesManifests().all, deployment];
    const verdicts = admissionVerdicts(objects, [deployment]);
    // no token setting: the Deployment (autogen), its ReplicaSet (autogen) and its Pod (the Pod rule) are refused
    expect(verdicts.filter((v) => v.policy === 'hygiene-automount-service-account-token').map((v) => `${v.rule} ${v.object}`)).toEqual([
      'autogen-no-token-mount Deployment/shop/web', 'autogen-no-token-mount ReplicaSet/shop/web-7c9d5f', 'no-token-mount Pod/shop/web-7c9d5f-x2k4p',
    ]);
  });
});

/** The ClusterPolicies KyvernoPolicies emits, as manifests (one throwaway target). */
class KyvernoPoliciesManifests {
  public readonly all: any[];
  constructor() {
    const app = tenancyApp((scope) => new KyvernoPolicies(scope, 'kyverno'), ['dev']);
    this.all = app.render().map((o) => o.manifest).filter((m) => m.kind === 'ClusterPolicy');
  }
}

describe('what synth accepts, admission accepts', () => {
  test('the example platform: every pod-bearing object and what it creates passes the emitted policies, exceptions included', () => {
    const targets = byTarget(buildApp('/nonexistent-dist-never-written').render());
    expect([...targets.keys()].sort()).toEqual(['dev', 'prod/prod-eu-west-1', 'prod/prod-us-east-1', 'staging']);
    for (const [folder, manifests] of targets) {
      const podBearing = manifests.filter((m) => POD_BEARING.includes(m.kind));
      expect(podBearing.length).toBeGreaterThan(5);
      expect(manifests.filter((m) => m.kind === 'ClusterPolicy').length).toBe(10);
      expect({ folder, verdicts: admissionVerdicts(manifests) }).toEqual({ folder, verdicts: [] });
      // without the PolicyExceptions the library's relaxation (the worker's token, for its Lease grant) is refused
      const bare = manifests.filter((m) => m.kind !== 'PolicyException');
      expect([...new Set(admissionVerdicts(bare).map((v) => `${v.policy} ${v.object}`))].sort()).toEqual([
        'hygiene-automount-service-account-token Deployment/storefront/order-worker',
        'hygiene-automount-service-account-token Pod/storefront/order-worker-7c9d5f-x2k4p',
        'hygiene-automount-service-account-token ReplicaSet/storefront/order-worker-7c9d5f',
      ]);
    }
  });

  test('generated workloads with exemptions: admitted with their exceptions, refused without, and an exception covers only its object', () => {
    const rand = prng(51);
    const names = ['api', 'api-admin', 'api-v2', 'web', 'web-api', 'worker'];
    for (let round = 0; round < 5; round++) {
      const plan = names.map((name) => ({ name, relax: ['none', 'token', 'writable', 'both'][Math.floor(rand() * 4)] }));
      let app!: GitOpsApp<any>;
      app = tenancyApp((scope) => {
        new KyvernoPolicies(scope, 'kyverno');
        const ns = new Team(scope, 'shop', { groups: { admins: ['oidc:shop-admins'] }, namespaces: ['shop'], quota: { pods: 200, requestsCpu: '100' } }).namespace('shop');
        for (const p of plan) {
          new HardenedService(ns, p.name, {
            image: `ghcr.io/acme/${p.name}:1.0.${round}`,
            port: 8080,
            replicas: 1,
            ...(p.relax === 'writable' || p.relax === 'both' ? { security: { writableRootFilesystem: { reason: `${p.name} unpacks plugins at start` } } } : {}),
            use: p.relax === 'token' || p.relax === 'both' ? [Access.grant({ resources: ['configmaps'], verbs: ['get'] })] : [],
          });
        }
      }, ['dev']);
      const manifests = byTarget(app.render()).get('dev')!;
      expect(admissionVerdicts(manifests)).toEqual([]);
      const refused = new Set(admissionVerdicts(manifests.filter((m) => m.kind !== 'PolicyException'))
        .filter((v) => v.object.startsWith('Deployment/')).map((v) => `${v.object.split('/')[2]} ${v.policy}`));
      const expected = plan.flatMap((p) => [
        ...(p.relax === 'token' || p.relax === 'both' ? [`${p.name} hygiene-automount-service-account-token`] : []),
        ...(p.relax === 'writable' || p.relax === 'both' ? [`${p.name} hygiene-read-only-root-filesystem`] : []),
      ]);
      expect([...refused].sort()).toEqual(expected.sort());
      // an exempted Deployment's exception does not cover a neighbour whose name it prefixes
      const exempted = plan.find((p) => p.relax !== 'none' && p.name === 'api');
      if (exempted) {
        const copy = JSON.parse(JSON.stringify(manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'api')));
        copy.metadata.name = 'api-shadow';
        copy.spec.template.metadata.labels['app.kubernetes.io/instance'] = 'api-shadow';
        expect(admissionVerdicts(manifests, [copy]).length).toBeGreaterThan(0);
      }
    }
  });
});
