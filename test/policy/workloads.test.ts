import { isReplicated, replicasOf, RuleContext, selectorMatches } from '../../lib/policy';
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
