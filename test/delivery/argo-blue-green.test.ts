import { Delivery } from '../../lib/delivery';
import { ServiceLevelObjective } from '../../lib/observability';
import { crdSchemaErrors, hasCrdSchema } from '../fixtures/crd-schema';
import { buildService, renderService, sorted } from '../fixtures/service-app';

const slo = ServiceLevelObjective.of({ successRate: 0.995, latency: { percentile: 0.95, thresholdMs: 250 } });

describe('Delivery.blueGreen with promotion analysis', () => {
  // GIVEN a service with fixed replicas delivered blue-green with pre- and post-promotion analysis
  const { one, all, objects } = renderService({
    name: 'web',
    replicas: 4,
    delivery: Delivery.blueGreen({
      slo,
      postPromotionAnalysis: true,
      autoPromotionSeconds: 600,
      previewReplicaCount: 1,
      previewPort: 8081,
      scaleDownDelaySeconds: 120,
    }),
  });
  const rollout = one('Rollout');
  const blueGreen = rollout.spec.strategy.blueGreen;

  test('the service\'s own Service is the active one; a preview Service reaches the new version', () => {
    expect(blueGreen.activeService).toBe('web');
    expect(blueGreen.previewService).toBe('web-preview');
    expect(all('Service').map((s) => s.metadata.name).sort()).toEqual(['web', 'web-preview']);
    expect(one('Service', 'web-preview').spec.ports).toEqual([{ name: 'http', port: 8081, targetPort: 'http', protocol: 'TCP' }]);
    expect(one('Service', 'web-preview').spec.selector).toEqual(one('Service', 'web').spec.selector);
  });

  test('the Rollout runs the fixed replicas from the Deployment\'s template', () => {
    expect(rollout.spec.replicas).toBe(4);
    expect(rollout.spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    expect(one('Deployment').spec.replicas).toBe(0);
  });

  test('the preview is analysed before promotion, the new active version after it', () => {
    expect(blueGreen.prePromotionAnalysis).toEqual({ templates: [{ templateName: 'web-slo' }], args: [{ name: 'service', value: 'web-preview' }] });
    expect(blueGreen.postPromotionAnalysis).toEqual({ templates: [{ templateName: 'web-slo' }], args: [{ name: 'service', value: 'web' }] });
    const template = one('AnalysisTemplate', 'web-slo');
    expect(template.spec.metrics.map((m: any) => [m.name, m.successCondition, m.failureCondition, m.count])).toEqual([
      ['success-rate', 'result >= 0.995', 'result < 0.995', 5],
      ['latency', 'result <= 250', 'result > 250', 5],
    ]);
    expect(template.spec.metrics[1].provider.prometheus.query).toMatch(/^scalar\(histogram_quantile\(0.95, /);
  });

  test('promotion, scale-down and preview sizing follow the options', () => {
    expect(blueGreen).toMatchObject({ autoPromotionEnabled: true, autoPromotionSeconds: 600, scaleDownDelaySeconds: 120, previewReplicaCount: 1 });
    expect(blueGreen.antiAffinity).toEqual({ preferredDuringSchedulingIgnoredDuringExecution: { weight: 100 } });
  });

  test('the disruption budget covers active and preview pods (same stable labels)', () => {
    expect(one('PodDisruptionBudget').spec.selector).toEqual(rollout.spec.selector);
  });

  test('every custom resource validates against its CRD schema', () => {
    const custom = objects.filter(hasCrdSchema);
    expect(custom.map((o) => o.kind).sort()).toEqual(['AnalysisTemplate', 'Rollout']);
    for (const o of custom) expect(crdSchemaErrors(o)).toEqual([]);
  });

  test('snapshot', () => {
    expect(sorted(objects)).toMatchSnapshot();
  });
});

describe('Delivery.blueGreen defaults', () => {
  test('GIVEN no SLO THEN no analysis; promotion is automatic with a 30s scale-down delay', () => {
    const { one, all } = renderService({ delivery: Delivery.blueGreen() });
    const bg = one('Rollout').spec.strategy.blueGreen;
    expect(bg).toEqual({
      activeService: 'api',
      previewService: 'api-preview',
      autoPromotionEnabled: true,
      scaleDownDelaySeconds: 30,
      antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 100 } },
    });
    expect(all('AnalysisTemplate')).toEqual([]);
    expect(one('Service', 'api-preview').spec.ports[0].port).toBe(8080);
  });

  test('GIVEN an SLO THEN pre-promotion analysis is on and post-promotion analysis off', () => {
    const { one } = renderService({ delivery: Delivery.blueGreen({ slo }) });
    const bg = one('Rollout').spec.strategy.blueGreen;
    expect(bg.prePromotionAnalysis).toBeDefined();
    expect(bg.postPromotionAnalysis).toBeUndefined();
  });

  test('GIVEN manual promotion THEN autoPromotionEnabled is false', () => {
    const { one } = renderService({ delivery: Delivery.blueGreen({ autoPromotionEnabled: false }) });
    expect(one('Rollout').spec.strategy.blueGreen.autoPromotionEnabled).toBe(false);
  });

  test('GIVEN an autoscaler THEN it scales the Rollout', () => {
    const { one } = renderService({ autoscaling: { minReplicas: 2, maxReplicas: 5 }, delivery: Delivery.blueGreen() });
    expect(one('HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'api' });
    expect(one('Rollout').spec.replicas).toBeUndefined();
  });
});

describe('Delivery.blueGreen rejects bad input', () => {
  const build = (options: any, props: any = {}) => () => buildService({ ...props, delivery: Delivery.blueGreen(options) });

  test.each([[0], [70000], [null], [80.5]])('a preview Service without a usable port: %p', (previewPort) => {
    expect(build({ previewPort })).toThrow(/prod\/shop\/api: delivery.previewPort must be the port \(1-65535\) the preview Service exposes, got .*; leave it out to use the service's port \(8080\)/);
  });

  test('autoPromotionSeconds with auto promotion off', () => {
    expect(build({ autoPromotionEnabled: false, autoPromotionSeconds: 60 }))
      .toThrow('prod/shop/api: delivery.autoPromotionSeconds is set while autoPromotionEnabled is false (it would never apply), got 60; remove autoPromotionSeconds, or enable auto promotion');
  });

  test('more preview pods than replicas', () => {
    expect(build({ previewReplicaCount: 3 }, { replicas: 2 })).toThrow(/delivery.previewReplicaCount must be an integer between 1 and 2, got 3/);
  });

  test('promotion analysis without an SLO', () => {
    expect(build({ prePromotionAnalysis: true })).toThrow(/delivery.slo is required by prePromotionAnalysis \(the SLO is the analysis' metrics source\)/);
    expect(build({ postPromotionAnalysis: true })).toThrow(/delivery.slo is required by postPromotionAnalysis/);
  });

  test('post-promotion analysis with nothing left to switch back to', () => {
    expect(build({ slo, postPromotionAnalysis: true, scaleDownDelaySeconds: 0 }))
      .toThrow(/delivery.scaleDownDelaySeconds is 0 while postPromotionAnalysis is on \(nothing would be left to switch back to\)/);
  });

  test('a negative scale-down delay', () => {
    expect(build({ scaleDownDelaySeconds: -1 })).toThrow(/delivery.scaleDownDelaySeconds must be an integer between 0 and 86400, got -1/);
  });
});
