import { bucketLabel, SloMetrics, SloQueryScope } from '../../lib/observability';

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

describe('SLI ratios (recording rules and burn-rate alerts) from the same definitions as the analysis queries', () => {
  const istio = SloMetrics.istio();

  test('Istio: error ratio is the 5xx share, slow ratio reads the millisecond bucket at the threshold', () => {
    const sel = 'reporter="source",destination_service_name="api-canary",destination_service_namespace="shop"';
    expect(istio.errorRatioQuery(service)).toBe(
      `sum(rate(istio_requests_total{${sel},response_code=~"5.*"}[2m])) / sum(rate(istio_requests_total{${sel}}[2m]))`);
    expect(istio.slowRatioQuery(service, 250)).toBe(
      `1 - (sum(rate(istio_request_duration_milliseconds_bucket{${sel},le="250"}[2m])) / sum(rate(istio_request_duration_milliseconds_bucket{${sel},le="+Inf"}[2m])))`);
  });

  test('http (application metrics): seconds buckets, status code label, latency in milliseconds for analysis', () => {
    const http = SloMetrics.http();
    expect(http.successRateQuery(service)).toBe(
      'sum(rate(http_requests_total{namespace="shop",service="api-canary",code!~"5.."}[2m])) / sum(rate(http_requests_total{namespace="shop",service="api-canary"}[2m]))');
    expect(http.latencyQuery(service, 0.99)).toBe(
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="shop",service="api-canary"}[2m]))) * 1000');
    expect(http.slowRatioQuery(service, 300)).toContain('le="0.3"');
    expect(http.errorRatioQuery(workload)).toContain('pod=~"{{ target }}-[a-z0-9]+-[a-z0-9]+"');
    const custom = SloMetrics.http({ requests: 'requests_total', durationBuckets: 'latency_ms_bucket', unit: 'milliseconds', codeLabel: 'status' });
    expect(custom.slowRatioQuery(service, 300)).toContain('latency_ms_bucket{namespace="shop",service="api-canary",le="300"}');
    expect(custom.errorRatioQuery(service)).toContain('status=~"5.."');
  });

  test('bucket bounds print as Prometheus clients print them (generated)', () => {
    for (let ms = 1; ms < 5000; ms += 37) {
      expect(Number(bucketLabel(ms / 1000))).toBe(ms / 1000);
      expect(bucketLabel(ms / 1000)).not.toMatch(/e|0{6}/);
    }
  });

  test('a custom source derives the error ratio from its success rate and has no slow ratio unless given', () => {
    const c = SloMetrics.custom({ name: 'linkerd', successRate: (s) => `sr{svc="${s.name}"}`, latency: () => 'lat' });
    expect(c.errorRatioQuery(service)).toBe('1 - (sr{svc="api-canary"})');
    expect(c.hasSlowRatio).toBe(false);
    expect(() => c.slowRatioQuery(service, 300)).toThrow(/no slowRatio/);
    const d = SloMetrics.custom({ name: 'x', successRate: () => 'a', latency: () => 'b', errorRatio: () => 'e', slowRatio: (_s, t) => `slow${t}` });
    expect([d.errorRatioQuery(service), d.slowRatioQuery(service, 7), d.hasSlowRatio]).toEqual(['e', 'slow7', true]);
  });
});
