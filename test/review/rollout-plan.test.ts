import { durationToSeconds, formatDuration, planOf, PlanContext } from '../../lib/review';
import { deployment, meta, Obj, prng } from './trees';

function context(objects: Obj[]): PlanContext {
  return {
    find: (kind, name) => objects.find((o) => o.kind === kind && o.metadata.name === name),
    scalersOf: (kind, name) => objects.filter((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec.scaleTargetRef.kind === kind && o.spec.scaleTargetRef.name === name),
    deliveryOf: (name) => objects.find((o) => (o.kind === 'Rollout' && o.spec.workloadRef?.name === name) || (o.kind === 'Canary' && o.spec.targetRef?.name === name)),
  };
}

const template = (name: string, metrics: Obj[]): Obj => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: meta(name), spec: { metrics } });
const successRate = { name: 'success-rate', interval: '1m', count: 5, successCondition: 'result >= 0.999' };
const latency = { name: 'latency', interval: '30s', count: 4, successCondition: 'result <= 300' };

describe('rollout plans', () => {
  test('Argo canary: weights, pauses, gates with what they measure, header routes, mirroring, background analysis', () => {
    const rollout: Obj = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: meta('api'),
      spec: {
        workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
        strategy: {
          canary: {
            analysis: { templates: [{ templateName: 'api-bg' }] },
            steps: [
              { setCanaryScale: { replicas: 1 } },
              { setMirrorRoute: { name: 'm', percentage: 50, match: [{ method: { exact: 'GET' } }] } },
              { setWeight: 5 },
              { setHeaderRoute: { name: 'h', match: [{ headerName: 'x-canary', headerValue: { exact: 'always' } }] } },
              { pause: { duration: '10m' } },
              { analysis: { templates: [{ templateName: 'api-slo' }] } },
              { setWeight: 50 },
              { pause: {} },
            ],
          },
        },
      },
    };
    const plan = planOf(deployment('api', 'x/api:2.0.0'), context([rollout, template('api-slo', [successRate, latency]), template('api-bg', [successRate])]))!;
    expect(plan.strategy).toBe('canary');
    expect(plan.phases.map((p) => [p.kind, p.weight])).toEqual([
      ['scale', 0], ['mirror', 0], ['weight', 5], ['header-route', 5], ['pause', 5], ['analysis', 5], ['weight', 50], ['pause', 50], ['done', 100],
    ]);
    expect(plan.phases[1].label).toBe('mirror 50% of GET');
    expect(plan.phases[3].label).toBe('header route x-canary: always');
    expect(plan.phases[5].measures).toEqual(['success-rate: >= 0.999', 'latency: <= 300']);
    // 10 minutes of pause + the longest metric of the gate (5 x 1m)
    expect(plan.minSeconds).toBe(600 + 300);
    expect(plan.manual).toBe(true);
    expect(plan.background).toEqual(['success-rate: >= 0.999']);
  });

  test('blue-green: preview, pre-promotion gate, manual promotion, post-promotion gate, scale-down delay', () => {
    const rollout: Obj = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: meta('web'),
      spec: {
        workloadRef: { kind: 'Deployment', name: 'web' },
        strategy: { blueGreen: { activeService: 'web', previewService: 'web-preview', autoPromotionEnabled: false, prePromotionAnalysis: { templates: [{ templateName: 't' }] }, postPromotionAnalysis: { templates: [{ templateName: 't' }] }, scaleDownDelaySeconds: 300 } },
      },
    };
    const plan = planOf(deployment('web', 'x/web:2.0.0'), context([rollout, template('t', [successRate])]))!;
    expect(plan.strategy).toBe('blue-green');
    expect(plan.phases.map((p) => p.kind)).toEqual(['preview', 'analysis', 'pause', 'promote', 'analysis', 'done']);
    expect(plan.manual).toBe(true);
    expect(plan.minSeconds).toBe(300 + 300 + 300);
  });

  test('Flagger: step weights, checks per interval, rollback threshold', () => {
    const canary: Obj = {
      apiVersion: 'flagger.app/v1beta1', kind: 'Canary', metadata: meta('checkout'),
      spec: { targetRef: { kind: 'Deployment', name: 'checkout' }, analysis: { interval: '1m', threshold: 3, stepWeights: [5, 10, 25, 50], metrics: [{ name: 'success-rate', thresholdRange: { min: 0.999 } }, { name: 'latency', thresholdRange: { max: 500 } }] } },
    };
    const plan = planOf(deployment('checkout', 'x/checkout:2.0.0'), context([canary]))!;
    expect(plan.strategy).toBe('flagger');
    expect(plan.phases.filter((p) => p.kind === 'weight').map((p) => p.weight)).toEqual([5, 10, 25, 50]);
    expect(plan.phases.find((p) => p.kind === 'analysis')!.measures).toEqual(['success-rate ≥ 0.999', 'latency ≤ 500']);
    // four intervals of checks, one for the promotion
    expect(plan.minSeconds).toBe(5 * 60);
    expect(plan.notes).toContain('rolls back after 3 failed checks');
  });

  test('Flagger stepWeight up to maxWeight', () => {
    const canary: Obj = { kind: 'Canary', metadata: meta('c'), spec: { targetRef: { name: 'c' }, analysis: { interval: '30s', stepWeight: 20, maxWeight: 60 } } };
    const plan = planOf(deployment('c', 'x/c:1.0.0'), context([canary]))!;
    expect(plan.phases.filter((p) => p.kind === 'weight').map((p) => p.weight)).toEqual([20, 40, 60]);
  });

  test('rolling update: batches from maxSurge and maxUnavailable over the replicas', () => {
    const plan = planOf(deployment('api', 'x/api:2.0.0', { replicas: 8 }), context([]))!;
    expect(plan.strategy).toBe('rolling-update');
    // 25% of 8 = 2 new pods at a time, none unavailable: 4 batches
    expect(plan.phases.filter((p) => p.kind === 'batch')).toHaveLength(4);
    expect(plan.phases.map((p) => p.weight)).toEqual([25, 50, 75, 100, 100]);
    const fast = planOf(deployment('api', 'x/api:2.0.0', { replicas: 8, strategy: { rollingUpdate: { maxSurge: 2, maxUnavailable: 2 } } }), context([]))!;
    expect(fast.phases.filter((p) => p.kind === 'batch')).toHaveLength(2);
  });

  test('StatefulSet: one pod at a time, down to the partition', () => {
    const sts: Obj = { kind: 'StatefulSet', metadata: meta('db'), spec: { replicas: 3, updateStrategy: { rollingUpdate: { partition: 1 } } } };
    const plan = planOf(sts, context([]))!;
    expect(plan.phases.filter((p) => p.kind === 'batch').map((p) => p.label)).toEqual(['pod 2 replaced', 'pod 1 replaced']);
  });
});

describe('durations', () => {
  test('generated durations round-trip through seconds', () => {
    const rand = prng(7);
    for (let i = 0; i < 500; i++) {
      const h = Math.floor(rand() * 5);
      const m = Math.floor(rand() * 60);
      const s = Math.floor(rand() * 60);
      const text = `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || (!h && !m) ? `${s}s` : ''}`;
      expect(durationToSeconds(text)).toBe(h * 3600 + m * 60 + s);
      const total = h * 3600 + m * 60 + s;
      expect(durationToSeconds(formatDuration(total).replace(/ /g, ''))).toBe(total || 0);
    }
    for (const bad of ['10 minutes', 'm', '5x', '', '1h-5m']) expect(durationToSeconds(bad)).toBeUndefined();
  });
});
