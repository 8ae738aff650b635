import { SloMetrics, SloQueryScope } from '../../lib/observability';

const service: SloQueryScope = { selector: 'service', name: 'api-canary', namespace: 'shop', window: '2m' };
const workload: SloQueryScope = { selector: 'workload', name: '{{ target }}', namespace: '{{ namespace }}', window: '{{ interval }}' };

describe('SloMetrics.istio', () => {
  const istio = SloMetrics.istio();

  test('measures a Service as its callers report it: non-5xx share of istio_requests_total', () => {
    expect(istio.successRateQuery(service)).toBe(
      'sum(rate(istio_requests_total{reporter="source",destination_service_name="api-canary",destination_service_namespace="shop",response_code!~"5.*"}[2m]))'
      + ' / sum(rate(istio_requests_total{reporter="source",destination_service_name="api-canary",destination_service_namespace="shop"}[2m]))');
  });

  test('computes the latency percentile from the duration histogram', () => {
    expect(istio.latencyQuery(service, 0.95)).toBe(
      'histogram_quantile(0.95, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="source",destination_service_name="api-canary",destination_service_namespace="shop"}[2m])))');
  });

  test('measures a workload as its own sidecars report it, placeholders kept verbatim', () => {
    const q = istio.successRateQuery(workload);
    expect(q).toContain('reporter="destination",destination_workload="{{ target }}",destination_workload_namespace="{{ namespace }}"');
    expect(q).toContain('[{{ interval }}]');
  });

  test('narrows to one revision when asked', () => {
    expect(istio.latencyQuery({ ...service, revision: '1.4.2' }, 0.99)).toContain('destination_canonical_revision="1.4.2"');
    expect(istio.latencyQuery(service, 0.99)).not.toContain('destination_canonical_revision');
  });
});

describe('SloMetrics.custom', () => {
  test('plugs in any PromQL source', () => {
    const seen: SloQueryScope[] = [];
    const linkerd = SloMetrics.custom({
      name: 'linkerd',
      successRate: (s) => { seen.push(s); return `success{deployment="${s.name}"}`; },
      latency: (s, p) => `latency{deployment="${s.name}",q="${p}"}`,
    });
    expect(linkerd.name).toBe('linkerd');
    expect(linkerd.successRateQuery(workload)).toBe('success{deployment="{{ target }}"}');
    expect(linkerd.latencyQuery(workload, 0.9)).toBe('latency{deployment="{{ target }}",q="0.9"}');
    expect(seen).toEqual([workload]);
  });
});
