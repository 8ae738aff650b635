import { isReplicated, networkPoliciesOf, podDisruptionBudgetsOf, replicasOf, RuleContext, selectorMatches } from '../../lib/policy';
import { workloadsSelectedBy } from '../../lib/policy/workloads';
import { prng } from '../fixtures/prng';
import { deployment, hpa, rolloutRef } from './fixtures';

const labels = { app: 'web', tier: 'frontend' };

describe('selectorMatches', () => {
  test.each([
    [{}, true],
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'api' } }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['frontend', 'edge'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['frontend'] }] }, false],
    [{ matchExpressions: [{ key: 'track', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'track', operator: 'Exists' }] }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'Gt', values: ['1'] }] }, false],
  ])('%j matches the pod: %s', (selector, expected) => {
    expect(selectorMatches(selector, labels)).toBe(expected);
  });

  test('a missing selector matches nothing', () => {
    expect(selectorMatches(undefined, labels)).toBe(false);
    expect(selectorMatches(null, labels)).toBe(false);
  });
});

describe('replicas', () => {
  const ctx = (...objects: any[]): RuleContext => ({ folder: 'dev', objects });

  test('defaults to one replica', () => {
    const d = deployment();
    delete d.spec.replicas;
    expect(replicasOf(d, ctx(d))).toEqual({ declared: 1, floor: 1 });
    expect(isReplicated(d, ctx(d))).toBe(false);
  });

  test('takes the floor from a HorizontalPodAutoscaler matched by kind and name', () => {
    const d = deployment();
    d.spec.replicas = 4;
    expect(replicasOf(d, ctx(d, hpa({ kind: 'Deployment', name: 'web' }, 2)))).toEqual({ declared: 4, floor: 2 });
    expect(replicasOf(d, ctx(d, hpa({ kind: 'StatefulSet', name: 'web' }, 2)))).toEqual({ declared: 4, floor: 4 });
    expect(replicasOf(d, ctx(d, hpa({ kind: 'Deployment', name: 'web' }, 2, 'other')))).toEqual({ declared: 4, floor: 4 });
  });

  test('takes the floor from a KEDA ScaledObject', () => {
    const d = deployment();
    const so = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'web', namespace: 'shop' }, spec: { scaleTargetRef: { name: 'web' }, minReplicaCount: 3 } };
    delete d.spec.replicas;
    expect(isReplicated(d, ctx(d, so))).toBe(true);
  });

  test('a Deployment behind a Rollout workloadRef counts the Rollout replicas', () => {
    const d = deployment();
    d.spec.replicas = 0;
    expect(replicasOf(d, ctx(d, rolloutRef(5)))).toEqual({ declared: 5, floor: 5 });
  });

  test('DaemonSets, Jobs and Pods have no replica count', () => {
    const d = deployment();
    d.kind = 'DaemonSet';
    expect(replicasOf(d, ctx(d))).toBeUndefined();
  });
});

describe('selection through the matchLabels index', () => {
  test('300 generated namespaces: the PDBs and NetworkPolicies found for each workload are exactly those a scan finds, in order', () => {
    const rand = prng(2032);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const keys = ['app', 'tier', 'track', 'constructor', '__proto__'];
    const values = ['a', 'b', 'c', ''];
    const labelsOf = () => Object.fromEntries(keys.filter(() => rand() < 0.5).map((k) => [k, pick(values)]));
    const selector = (): any => {
      const r = rand();
      if (r < 0.1) return undefined;
      if (r < 0.2) return {};
      const s: any = {};
      if (rand() < 0.8) s.matchLabels = labelsOf();
      if (rand() < 0.3) s.matchExpressions = [{ key: pick(keys), operator: pick(['In', 'NotIn', 'Exists', 'DoesNotExist']), values: [pick(values)] }];
      return s;
    };
    for (let n = 0; n < 300; n++) {
      const objects: any[] = [];
      for (let i = 0; i < 12; i++) {
        const kind = pick(['Deployment', 'PodDisruptionBudget', 'NetworkPolicy']);
        if (kind === 'Deployment') objects.push({ ...deployment(), metadata: { name: `d${i}`, namespace: 'ns' }, spec: { template: { metadata: { labels: labelsOf() }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
        else if (kind === 'PodDisruptionBudget') objects.push({ apiVersion: 'policy/v1', kind, metadata: { name: `p${i}`, namespace: 'ns' }, spec: { selector: selector() } });
        else objects.push({ apiVersion: 'networking.k8s.io/v1', kind, metadata: { name: `n${i}`, namespace: 'ns' }, spec: { podSelector: selector() } });
      }
      const context: RuleContext = { folder: 'dev', objects };
      for (const w of objects.filter((o) => o.kind === 'Deployment')) {
        const pods = w.spec.template.metadata.labels;
        expect(podDisruptionBudgetsOf(w, context)).toEqual(objects.filter((o) => o.kind === 'PodDisruptionBudget' && selectorMatches(o.spec.selector, pods)));
        expect(networkPoliciesOf(w, context)).toEqual(objects.filter((o) => o.kind === 'NetworkPolicy' && selectorMatches(o.spec.podSelector ?? {}, pods)));
      }
    }
  });

  test('generated namespaces: the workloads a selector picks are exactly those a scan finds, in order, when every pod carries a common label', () => {
    const rand = prng(5150);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const keys = ['app', 'tier', 'track'];
    const labelsOf = () => ({ ...Object.fromEntries(keys.filter(() => rand() < 0.6).map((k) => [k, pick(['a', 'b'])])), part: 'platform' });
    const mismatches: unknown[] = [];
    let picked = 0;
    for (let n = 0; n < 200; n++) {
      const objects: any[] = [];
      for (let i = 0; i < 14; i++) {
        const kind = pick(['Deployment', 'StatefulSet', 'Rollout', 'ConfigMap']);
        const ns = pick(['ns', 'other']);
        if (kind === 'ConfigMap') objects.push({ apiVersion: 'v1', kind, metadata: { name: `c${i}`, namespace: ns } });
        else if (kind === 'Rollout' && rand() < 0.5) objects.push({ ...rolloutRef(2), metadata: { name: `r${i}`, namespace: ns } });
        else objects.push({ apiVersion: kind === 'Rollout' ? 'argoproj.io/v1alpha1' : 'apps/v1', kind, metadata: { name: `w${i}`, namespace: ns }, spec: { template: { metadata: { labels: labelsOf() }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
      }
      const context: RuleContext = { folder: 'dev', objects };
      const selector = rand() < 0.1 ? {} : { matchLabels: Object.fromEntries(Object.entries(labelsOf()).filter(() => rand() < 0.5)) };
      const expected = objects.filter((o) => o.metadata.namespace === 'ns' && o.spec?.template && !o.spec?.workloadRef && selectorMatches(selector, o.spec.template.metadata.labels));
      picked += expected.length;
      const actual = workloadsSelectedBy(selector, 'ns', context);
      if (JSON.stringify(actual.map((o) => o.metadata?.name)) !== JSON.stringify(expected.map((o) => o.metadata.name))) mismatches.push({ n, selector, expected: expected.map((o) => o.metadata.name), actual: actual.map((o) => o.metadata?.name) });
    }
    expect(mismatches).toEqual([]);
    expect(picked).toBeGreaterThan(200);
  });
});
