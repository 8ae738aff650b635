import { ApiObject, App, Chart } from 'cdk8s';
import { SloMetricTemplates } from '../../lib/delivery';
import { ServiceLevelObjective, SloMetrics } from '../../lib/observability';
import { crdSchemaErrors } from '../fixtures/crd-schema';

describe('SloMetricTemplates', () => {
  const chart = new Chart(new App(), 'test');
  const templates = new SloMetricTemplates(chart, 'M', {
    name: 'checkout', namespace: 'shop', metrics: SloMetrics.istio(), prometheusAddress: 'http://prometheus:9090',
    slo: ServiceLevelObjective.of({ successRate: 0.995, latency: { percentile: 0.95, thresholdMs: 400 } }),
  });
  const rendered = chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson());

  test('query the canary workload with Flagger\'s placeholders', () => {
    expect(rendered.map((t) => t.metadata.name)).toEqual(['checkout-success-rate', 'checkout-latency']);
    expect(rendered[0].spec.query).toContain('destination_workload="{{ target }}",destination_workload_namespace="{{ namespace }}"');
    expect(rendered[0].spec.query).toContain('[{{ interval }}]');
    expect(rendered[1].spec.query).toMatch(/^histogram_quantile\(0.95, /);
    for (const t of rendered) expect(crdSchemaErrors(t)).toEqual([]);
  });

  test('the Canary checks them against the objective', () => {
    expect(templates.canaryMetrics('30s')).toEqual([
      { name: 'success-rate', templateRef: { name: 'checkout-success-rate', namespace: 'shop' }, thresholdRange: { min: 0.995 }, interval: '30s' },
      { name: 'latency', templateRef: { name: 'checkout-latency', namespace: 'shop' }, thresholdRange: { max: 400 }, interval: '30s' },
    ]);
  });
});
