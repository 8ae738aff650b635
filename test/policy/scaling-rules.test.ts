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
    expect(SCALING_RULES.map((r) => r.profile)).toEqual(['hygiene', 'hygiene', 'hygiene']);
  });

  test('hygiene-scaler-target: an autoscaler must target a rendered workload', () => {
    const d = deployment('api');
    const ok = hpa('api', 'api');
    const dangling = hpa('web', 'web');
    const keda = scaledObject('w', 'worker'); // kind defaults to Deployment
    const objects = [d, ok, dangling, keda];
    expect(check('hygiene-scaler-target', ok, objects)).toEqual([]);
    expect(check('hygiene-scaler-target', dangling, objects)).toEqual([expect.objectContaining({
      rule: 'hygiene-scaler-target', field: 'spec.scaleTargetRef', message: 'targets Deployment/web, which is not rendered in namespace shop',
    })]);
    expect(check('hygiene-scaler-target', keda, objects)[0].message).toBe('targets Deployment/worker, which is not rendered in namespace shop');
    expect(check('hygiene-scaler-target', keda, [...objects, deployment('worker')])).toEqual([]);
    expect(check('hygiene-scaler-target', d, objects)).toEqual([]);
  });

  test('hygiene-single-scaler: two autoscalers on one workload', () => {
    const d = deployment('api');
    expect(check('hygiene-single-scaler', d, [d, hpa('api', 'api')])).toEqual([]);
    expect(check('hygiene-single-scaler', d, [d, hpa('api', 'api'), scaledObject('api', 'api')])[0].message)
      .toBe('is scaled by HorizontalPodAutoscaler/api and ScaledObject/api, which fight over its replica count');
    // an HPA on the Rollout does not count against the Deployment it references
    expect(check('hygiene-single-scaler', d, [d, hpa('api', 'api', 'Rollout'), scaledObject('x', 'api')])).toEqual([]);
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
