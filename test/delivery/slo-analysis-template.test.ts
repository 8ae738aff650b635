import { ApiObject, App, Chart } from 'cdk8s';
import { ResolvedAnalysis, SloAnalysisTemplate } from '../../lib/delivery';
import { ServiceLevelObjective, SloMetrics } from '../../lib/observability';
import { crdSchemaErrors } from '../fixtures/crd-schema';

const analysis = (overrides: Partial<ResolvedAnalysis> = {}): ResolvedAnalysis => ({
  slo: ServiceLevelObjective.of({ successRate: 0.99, latency: { percentile: 0.9, thresholdMs: 120 } }),
  metrics: SloMetrics.istio(),
  prometheusAddress: 'http://prometheus:9090',
  interval: '30s',
  count: 4,
  failureLimit: 2,
  window: '5m',
  noData: 'inconclusive',
  ...overrides,
});

function render(props: Partial<ConstructorParameters<typeof SloAnalysisTemplate>[2]> = {}): any {
  const chart = new Chart(new App(), 'test');
  new SloAnalysisTemplate(chart, 'T', { name: 'api-slo', namespace: 'shop', analysis: analysis(), ...props });
  return chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)[0].toJson();
}

describe('SloAnalysisTemplate', () => {
  test('one Prometheus metric per objective, measured every interval, counted, tolerating failureLimit failures', () => {
    const t = render();
    expect(t.spec.args).toEqual([{ name: 'service' }]);
    expect(t.spec.metrics.map((m: any) => ({ name: m.name, interval: m.interval, count: m.count, failureLimit: m.failureLimit }))).toEqual([
      { name: 'success-rate', interval: '30s', count: 4, failureLimit: 2 },
      { name: 'latency', interval: '30s', count: 4, failureLimit: 2 },
    ]);
    expect(t.spec.metrics[0].provider.prometheus.address).toBe('http://prometheus:9090');
    expect(t.spec.metrics[1].provider.prometheus.query).toBe(
      'scalar(histogram_quantile(0.9, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="source",destination_service_name="{{args.service}}",destination_service_namespace="shop"}[5m]))))');
    expect(crdSchemaErrors(t)).toEqual([]);
  });

  test.each([
    ['inconclusive', ['result >= 0.99', 'result < 0.99'], ['result <= 120', 'result > 120']],
    ['pass', ['isNaN(result) || result >= 0.99', 'result < 0.99'], ['isNaN(result) || result <= 120', 'result > 120']],
    ['fail', ['result >= 0.99', 'isNaN(result) || result < 0.99'], ['result <= 120', 'isNaN(result) || result > 120']],
  ])('noData %s decides what a measurement without traffic (NaN) means', (noData, success, latency) => {
    const t = render({ analysis: analysis({ noData: noData as any }) });
    expect(t.spec.metrics.map((m: any) => [m.successCondition, m.failureCondition])).toEqual([success, latency]);
  });

  test('an open-ended template (background analysis) has no count', () => {
    expect(render({ counted: false }).spec.metrics.map((m: any) => m.count)).toEqual([undefined, undefined]);
  });

  test('byRevision takes a revision argument and filters on it', () => {
    const t = render({ byRevision: true });
    expect(t.spec.args).toEqual([{ name: 'service' }, { name: 'revision' }]);
    expect(t.spec.metrics[0].provider.prometheus.query).toContain('destination_canonical_revision="{{args.revision}}"');
  });

  test('a latency-only objective yields one metric', () => {
    const t = render({ analysis: analysis({ slo: ServiceLevelObjective.of({ latency: { percentile: 0.99, thresholdMs: 50 } }) }) });
    expect(t.spec.metrics.map((m: any) => m.name)).toEqual(['latency']);
  });
});
