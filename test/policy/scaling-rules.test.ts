import { PolicyRules, SCALING_RULES } from '../../lib/policy';

const rule = (id: string) => SCALING_RULES.find((r) => r.id === id)!;
const deployment = (name: string, replicas?: number) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'shop' },
  spec: { ...(replicas === undefined ? {} : { replicas }), selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [] } } },
});
const hpa = (name: string, target: string, kind = 'Deployment') => ({
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name, namespace: 'shop' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind, name: target }, minReplicas: 2, maxReplicas: 4 },
});
const scaledObject = (name: string, target: string) => ({
  apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name, namespace: 'shop' },
  spec: { scaleTargetRef: { name: target }, triggers: [] },
});
const check = (id: string, m: any, objects: any[]) => rule(id).check(m, { folder: 'dev', objects });

describe('scaling rules', () => {
  test('are in the catalogue, as hygiene rules', () => {
    for (const r of SCALING_RULES) expect(PolicyRules.find(r.id)).toBe(r);
    expect(SCALING_RULES.map((r) => r.profile)).toEqual(['hygiene']);
  });

  test('hygiene-scaled-replicas: a scaled workload must not pin replicas', () => {
    const pinned = deployment('api', 3);
    expect(check('hygiene-scaled-replicas', pinned, [pinned, hpa('api', 'api')])[0]).toEqual(expect.objectContaining({
      field: 'spec.replicas', message: 'is pinned to 3 while HorizontalPodAutoscaler/api scales the workload (every sync resets it)',
    }));
    expect(check('hygiene-scaled-replicas', pinned, [pinned])).toEqual([]);
    const free = deployment('api');
    expect(check('hygiene-scaled-replicas', free, [free, scaledObject('api', 'api')])).toEqual([]);
  });
});
