import { Metrics, OBSERVABILITY_DEFAULTS, ServiceLevelObjective, SloMetrics } from '../../lib/observability';
import { Delivery } from '../../lib/delivery';
import { HardenedCronJob, HardenedService, HardenedWorker } from '../../lib/workloads';
import { crdSchemaErrors } from '../fixtures/crd-schema';
import { prng, renderEnvApp } from '../fixtures/env-app';

const image = 'ghcr.io/acme/api:1.4.2';
const slo = ServiceLevelObjective.of({ successRate: 0.999, latency: { percentile: 0.99, thresholdMs: 300 } });
const buckets = [100, 300, 1000];

describe('Metrics.scrape', () => {
  const app = renderEnvApp((ns) => {
    new HardenedService(ns, 'api', { image, port: 8080, use: [Metrics.scrape({ port: 9090 })] });
    new HardenedWorker(ns, 'orders', { image, use: [Metrics.scrape({ port: 9100, path: '/stats', interval: '1m', portName: 'prom' })] });
    new HardenedCronJob(ns, 'report', { image, schedule: '@daily', use: [Metrics.scrape({ port: 9091 })] });
  });

  test('a service gets a ServiceMonitor on its Service, with the port added to the pods and the Service (defaults: metrics, /metrics, 30s)', () => {
    const m = app.one('dev', 'ServiceMonitor', 'api');
    expect(m.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } },
      namespaceSelector: { matchNames: ['shop'] },
      endpoints: [{ port: OBSERVABILITY_DEFAULTS.metrics.portName, path: '/metrics', interval: '30s' }],
    });
    expect(app.one('dev', 'Service', 'api').spec.ports).toContainEqual({ name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' });
    const container = app.one('dev', 'Deployment', 'api').spec.template.spec.containers[0];
    expect(container.ports).toContainEqual({ name: 'metrics', containerPort: 9090, protocol: 'TCP' });
  });

  test('opens only the metrics port, only to the Prometheus pods of the monitoring namespace (defaults)', () => {
    const np = app.one('dev', 'NetworkPolicy', 'api');
    const rule = np.spec.ingress.find((r: any) => r.ports.some((p: any) => p.port === 9090));
    expect(rule).toEqual({
      from: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': OBSERVABILITY_DEFAULTS.monitoring.namespace } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
      }],
      ports: [{ protocol: 'TCP', port: 9090 }],
    });
  });

  test('workers and jobs get a PodMonitor on the pods', () => {
    const m = app.one('dev', 'PodMonitor', 'orders');
    expect(m.spec.podMetricsEndpoints).toEqual([{ port: 'prom', path: '/stats', interval: '1m' }]);
    expect(app.one('dev', 'PodMonitor', 'report').spec.podMetricsEndpoints[0].port).toBe('metrics');
    expect(app.all('dev', 'ServiceMonitor').map((o) => o.metadata.name)).toEqual(['api']);
  });

  test('a Flagger service (whose Services Flagger generates) gets its metrics port by port discovery and the monitor labels', () => {
    const a = renderEnvApp((ns) => {
      const noAlerts = Metrics.withoutSloAlerts('this test looks at the monitor');
      new HardenedService(ns, 'api', { image, port: 8080, autoscaling: { maxReplicas: 4 }, use: [Metrics.scrape({ port: 9090 }), noAlerts], delivery: Delivery.flagger({ slo }) });
      new HardenedService(ns, 'web', { image, port: 8080, autoscaling: { maxReplicas: 4 }, use: [noAlerts], delivery: Delivery.flagger({ slo }) });
    });
    const labels = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' };
    expect(a.one('dev', 'Canary', 'api').spec.service).toMatchObject({ portDiscovery: true, apex: { labels }, canary: { labels } });
    expect(a.one('dev', 'Canary', 'web').spec.service.portDiscovery).toBeUndefined();
    expect(a.one('dev', 'ServiceMonitor', 'api').spec.selector.matchLabels).toEqual(labels);
  });

  test('monitors validate against the prometheus-operator CRD schemas', () => {
    for (const kind of ['ServiceMonitor', 'PodMonitor']) {
      for (const o of app.all('prod', kind)) expect(crdSchemaErrors(o)).toEqual([]);
    }
  });

  test('reuses a port the workload already has (by number or name) instead of adding one', () => {
    const a = renderEnvApp((ns) => {
      new HardenedService(ns, 'api', { image, port: 8080, use: [Metrics.scrape({ port: 8080 })] });
      new HardenedService(ns, 'web', { image, port: 8080, extraPorts: [{ name: 'admin', port: 9000 }], use: [Metrics.scrape({ port: 'admin' })] });
    });
    expect(a.one('dev', 'ServiceMonitor', 'api').spec.endpoints[0].port).toBe('http');
    expect(a.one('dev', 'Service', 'api').spec.ports).toHaveLength(1);
    expect(a.one('dev', 'Service', 'web').spec.ports.map((p: any) => p.name)).toEqual(['http', 'admin']);
  });

  test("takes the monitoring namespace, Prometheus labels and the monitors' selector labels from the environment", () => {
    const a = renderEnvApp((ns) => { new HardenedService(ns, 'api', { image, port: 8080, use: [Metrics.scrape({ port: 9090 })] }); },
      { prod: { monitoring: { namespace: 'observability', prometheusPodLabels: { app: 'vmagent' }, selectorLabels: { release: 'kps' } } } });
    const rule = a.one('prod', 'NetworkPolicy', 'api').spec.ingress.find((r: any) => r.ports.some((p: any) => p.port === 9090));
    expect(rule.from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } }, podSelector: { matchLabels: { app: 'vmagent' } } }]);
    expect(a.one('prod', 'ServiceMonitor').metadata.labels.release).toBe('kps');
    expect(a.one('dev', 'ServiceMonitor').metadata.labels.release).toBeUndefined();
  });

  test('rejects malformed environment monitoring settings, naming the environment', () => {
    const build = (monitoring: any) => () => renderEnvApp((ns) => { new HardenedService(ns, 'api', { image, port: 8080, use: [Metrics.scrape({ port: 9090 })] }); }, { dev: { monitoring } });
    expect(build({ runbookBaseUrl: 'runbooks/' })).toThrow(/dev\/shop\/api: environments.dev.monitoring.runbookBaseUrl must be an http\(s\) URL without a trailing slash, got "runbooks\/"/);
    expect(build({ namespace: 'Monitoring' })).toThrow(/environments.dev.monitoring.namespace must be a DNS-1123 label/);
    expect(build({ prometheusPodLabels: { 'bad key!': 'x' } })).toThrow(/environments.dev.monitoring.prometheusPodLabels/);
  });

  test.each([
    [{ port: 'admin' }, /dev\/shop\/api: metrics.port is not a port the workload exposes, got "admin"; use one of 'http'/],
    [{ port: 70000 }, /metrics.port must be an integer port between 1 and 65535, got 70000/],
    [{ port: 9090, interval: '30 seconds' }, /metrics.interval must be a Prometheus duration, got "30 seconds"/],
    [{ port: 9090, path: 'metrics' }, /metrics.path must be an absolute path/],
    [{ port: 9090, latencyBucketsMs: [300, 100] }, /metrics.latencyBucketsMs must be increasing positive milliseconds, got \[300,100\]/],
  ])('rejects %j', (options, message) => {
    expect(() => renderEnvApp((ns) => { new HardenedService(ns, 'api', { image, port: 8080, use: [Metrics.scrape(options as any)] }); })).toThrow(message);
  });

  test('one endpoint per workload', () => {
    expect(() => renderEnvApp((ns) => { new HardenedService(ns, 'api', { image, port: 8080, use: [Metrics.scrape({ port: 9090 }), Metrics.scrape({ port: 9091 })] }); }))
      .toThrow(/use: Metrics.scrape declares a second metrics endpoint, got 9091; scrape one endpoint per workload/);
  });
});

describe('Metrics.slo', () => {
  const http = SloMetrics.http();
  const build = (extra: { team?: string } = {}) => renderEnvApp((ns) => {
    new HardenedService(ns, 'api', { image, port: 8080, use: [Metrics.scrape({ port: 9090, latencyBucketsMs: buckets }), Metrics.slo(slo, { metrics: SloMetrics.http(), ...extra })] });
  });
  const app = build();
  const groups = (env: 'dev' | 'prod') => app.one(env, 'PrometheusRule', 'api-slo').spec.groups;
  const alert = (env: 'dev' | 'prod', name: string, slo_: string) => groups(env).flatMap((g: any) => g.rules).find((r: any) => r.alert === name && r.labels.slo === slo_);

  test('records each SLI error ratio over 5m, 30m, 1h, 2h, 6h, 1d and 3d', () => {
    for (const kind of ['availability', 'latency']) {
      const g = groups('prod').find((x: any) => x.name === `api-${kind}-sli`);
      expect(g.rules.map((r: any) => r.record)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d'].map((w) => `slo:sli_error:ratio_rate${w}`));
      for (const r of g.rules) {
        expect(r.labels).toEqual({ slo: `api-${kind}`, namespace: 'shop', service: 'api' });
        expect(r.expr).toContain(`[${r.record.replace('slo:sli_error:ratio_rate', '')}]`);
      }
    }
    const avail = groups('prod')[0].rules[0].expr;
    expect(avail).toBe('sum(rate(http_requests_total{namespace="shop",service="api",code=~"5.."}[5m])) / sum(rate(http_requests_total{namespace="shop",service="api"}[5m]))');
    const latency = groups('prod').find((x: any) => x.name === 'api-latency-sli').rules[0].expr;
    expect(latency).toBe('1 - (sum(rate(http_request_duration_seconds_bucket{namespace="shop",service="api",le="0.3"}[5m]))'
      + ' / sum(rate(http_request_duration_seconds_bucket{namespace="shop",service="api",le="+Inf"}[5m])))');
  });

  test('fast burn: 14.4x over 1h and 5m or 6x over 6h and 30m; slow burn: 3x over 1d and 2h or 1x over 3d and 6h', () => {
    const sel = '{slo="api-availability",namespace="shop"}';
    expect(alert('prod', 'SLOAvailabilityFastBurn', 'api-availability').expr).toBe(
      `(slo:sli_error:ratio_rate1h${sel} > (14.4 * 0.001) and slo:sli_error:ratio_rate5m${sel} > (14.4 * 0.001))`
      + ` or (slo:sli_error:ratio_rate6h${sel} > (6 * 0.001) and slo:sli_error:ratio_rate30m${sel} > (6 * 0.001))`);
    expect(alert('prod', 'SLOAvailabilitySlowBurn', 'api-availability').expr).toBe(
      `(slo:sli_error:ratio_rate1d${sel} > (3 * 0.001) and slo:sli_error:ratio_rate2h${sel} > (3 * 0.001))`
      + ` or (slo:sli_error:ratio_rate3d${sel} > (1 * 0.001) and slo:sli_error:ratio_rate6h${sel} > (1 * 0.001))`);
    // latency: the budget is the share allowed above the threshold (1 - 0.99)
    expect(alert('prod', 'SLOLatencyFastBurn', 'api-latency').expr).toContain('slo:sli_error:ratio_rate1h{slo="api-latency",namespace="shop"} > (14.4 * 0.01)');
  });

  test('pages only in production (default): fast burns open tickets elsewhere', () => {
    expect(alert('prod', 'SLOAvailabilityFastBurn', 'api-availability').labels.severity).toBe('page');
    expect(alert('dev', 'SLOAvailabilityFastBurn', 'api-availability').labels.severity).toBe('ticket');
    expect(alert('prod', 'SLOLatencySlowBurn', 'api-latency').labels.severity).toBe('ticket');
    const paged = renderEnvApp((ns) => {
      new HardenedService(ns, 'api', { image, port: 8080, use: [Metrics.scrape({ port: 9090, latencyBucketsMs: buckets }), Metrics.slo(slo, { metrics: SloMetrics.http() })] });
    }, { dev: { monitoring: { paging: true } }, prod: { monitoring: { paging: false } } });
    const sev = (env: 'dev' | 'prod') => paged.one(env, 'PrometheusRule').spec.groups[1].rules[0].labels.severity;
    expect([sev('dev'), sev('prod')]).toEqual(['page', 'ticket']);
  });

  test('labels alerts with team (default: part-of), service, environment and severity; annotates summary, description and runbook', () => {
    const a = alert('prod', 'SLOAvailabilityFastBurn', 'api-availability');
    expect(a.labels).toEqual({ severity: 'page', team: 'shop', service: 'api', environment: 'prod', slo: 'api-availability' });
    expect([a.for, alert('prod', 'SLOAvailabilitySlowBurn', 'api-availability').for]).toEqual([OBSERVABILITY_DEFAULTS.alerts.fastFor, OBSERVABILITY_DEFAULTS.alerts.slowFor]);
    expect(OBSERVABILITY_DEFAULTS.alerts).toMatchObject({ fastFor: '2m', slowFor: '15m' });
    expect(a.annotations.runbook_url).toBe(`${OBSERVABILITY_DEFAULTS.monitoring.runbookBaseUrl}/SLOAvailabilityFastBurn`);
    expect(a.annotations.summary).toBe('shop/api: availability error budget burning fast');
    expect(a.annotations.description).toContain('99.9% of requests succeed (error budget 0.1%)');
    expect(build({ team: 'payments' }).one('dev', 'PrometheusRule').spec.groups[1].rules[0].labels.team).toBe('payments');
    const custom = renderEnvApp((ns) => {
      new HardenedService(ns, 'api', { image, port: 8080, use: [Metrics.scrape({ port: 9090, latencyBucketsMs: buckets }), Metrics.slo(slo, { metrics: http })] });
    }, { dev: { monitoring: { runbookBaseUrl: 'https://wiki.example.com/runbooks' } } });
    expect(custom.one('dev', 'PrometheusRule').spec.groups[1].rules[0].annotations.runbook_url).toBe('https://wiki.example.com/runbooks/SLOAvailabilityFastBurn');
  });

  test('the PrometheusRule validates against its CRD schema', () => {
    expect(crdSchemaErrors(app.one('prod', 'PrometheusRule'))).toEqual([]);
  });

  test('a Grafana dashboard per SLO: sidecar label, SLI, budget remaining and burn-rate panels, deterministic JSON', () => {
    const cm = app.one('prod', 'ConfigMap', 'api-slo-dashboard');
    expect(cm.metadata.labels.grafana_dashboard).toBe('1');
    const json = cm.data['shop-api-slo.json'];
    const d = JSON.parse(json);
    expect(d.uid).toBe('slo-shop-api');
    expect(d.panels.map((p: any) => p.title)).toEqual([
      'availability: 99.9% of requests succeed', 'SLI (5m)', 'Error budget remaining (30d)', 'Burn rate',
      'latency: 99% of requests complete within 300 ms', 'SLI (5m)', 'Error budget remaining (30d)', 'Burn rate',
    ]);
    expect(d.panels[2].targets[0].expr).toBe('1 - (avg_over_time(slo:sli_error:ratio_rate1h{slo="api-availability",namespace="shop"}[30d]) / 0.001)');
    expect(build().one('prod', 'ConfigMap', 'api-slo-dashboard').data['shop-api-slo.json']).toBe(json);
  });

  test('dashboards can be turned off per environment or per SLO', () => {
    const a = renderEnvApp((ns) => {
      new HardenedService(ns, 'api', { image, port: 8080, use: [Metrics.scrape({ port: 9090, latencyBucketsMs: buckets }), Metrics.slo(slo, { metrics: http })] });
      new HardenedService(ns, 'web', { image, port: 8080, use: [Metrics.scrape({ port: 9090, latencyBucketsMs: buckets }), Metrics.slo(slo, { metrics: http, dashboard: false })] });
    }, { dev: { monitoring: { dashboards: false } } });
    expect(a.all('dev', 'ConfigMap').filter((c) => c.metadata.labels?.grafana_dashboard)).toEqual([]);
    expect(a.all('prod', 'ConfigMap').filter((c) => c.metadata.labels?.grafana_dashboard).map((c) => c.metadata.name)).toEqual(['api-slo-dashboard']);
  });

  test('burn thresholds follow any objective (generated)', () => {
    const rnd = prng(13);
    for (let i = 0; i < 25; i++) {
      const nines = 1 + Math.floor(rnd() * 4);
      const successRate = Number((1 - 10 ** -nines - Math.floor(rnd() * 5) * 10 ** -(nines + 1)).toPrecision(6));
      const threshold = buckets[Math.floor(rnd() * buckets.length)];
      const s = ServiceLevelObjective.of({ successRate, latency: { percentile: 0.95, thresholdMs: threshold } });
      const a = renderEnvApp((ns) => {
        new HardenedWorker(ns, 'w', { image, use: [Metrics.scrape({ port: 9090, latencyBucketsMs: buckets }), Metrics.slo(s, { metrics: SloMetrics.http({ unit: 'milliseconds' }), dashboard: false })] });
      });
      const rules = a.one('dev', 'PrometheusRule').spec.groups.flatMap((g: any) => g.rules);
      const budget = Number((1 - successRate).toPrecision(12));
      expect(rules.find((r: any) => r.alert === 'SLOAvailabilityFastBurn').expr).toContain(`> (14.4 * ${budget})`);
      // a histogram in milliseconds: the bucket label is the threshold itself
      expect(rules.find((r: any) => r.record && r.labels.slo === 'w-latency').expr).toContain(`le="${threshold}"`);
    }
  });

  test.each([
    ['not scraped', [Metrics.slo(slo, { metrics: http })],
      /validation failed:[\s\S]*dev\/shop\/api: slo is an SLO whose metrics \(http_requests_total, http_request_duration_seconds_bucket\) are not scraped \(the workload declares no metrics endpoint\)/],
    ['threshold not a bucket', [Metrics.scrape({ port: 9090, latencyBucketsMs: [100, 250] }), Metrics.slo(slo, { metrics: http })],
      /slo.latency.thresholdMs is not a bucket bound of the request-duration histogram the endpoint declares \(100, 250\), got 300/],
    ['no buckets declared', [Metrics.scrape({ port: 9090 }), Metrics.slo(slo, { metrics: http })], /declares \(none declared\), got 300/],
    ['custom metrics without slowRatio', [Metrics.scrape({ port: 9090, latencyBucketsMs: buckets }),
      Metrics.slo(slo, { metrics: SloMetrics.custom({ name: 'linkerd', successRate: () => 'x', latency: () => 'y' }) })],
    /slo.latency cannot be alerted on: metrics source linkerd has no slowRatio query/],
    ['invalid objective', [Metrics.slo(ServiceLevelObjective.of({ successRate: 1.5 }))], /slo.successRate must be a fraction between 0 and 1/],
  ])('rejects an SLO: %s', (_what, use, message) => {
    expect(() => renderEnvApp((ns) => { new HardenedService(ns, 'api', { image, port: 8080, use: use as any }); })).toThrow(message);
  });

  test('one SLO per workload', () => {
    expect(() => renderEnvApp((ns) => {
      new HardenedService(ns, 'api', { image, port: 8080, use: [Metrics.scrape({ port: 9090, latencyBucketsMs: buckets }), Metrics.slo(slo, { metrics: http }), Metrics.slo(slo, { metrics: http })] });
    })).toThrow(/dev\/shop\/api: slo declares a second SLO for the workload, got .*; put success rate and latency in one ServiceLevelObjective/);
  });

  test('the scrape may come after the SLO in use', () => {
    expect(() => renderEnvApp((ns) => {
      new HardenedService(ns, 'api', { image, port: 8080, use: [Metrics.slo(slo, { metrics: http }), Metrics.scrape({ port: 9090, latencyBucketsMs: buckets })] });
    })).not.toThrow();
  });

  test('a canary gate must be at least as strict as the SLO its alerts protect', () => {
    const svc = (gate: ServiceLevelObjective) => renderEnvApp((ns, env) => {
      new HardenedService(ns, 'api', {
        image, port: 8080,
        use: [Metrics.scrape({ port: 9090, latencyBucketsMs: buckets }), Metrics.slo(slo, { metrics: http })],
        delivery: env.is('prod') ? Delivery.blueGreen({ slo: gate }) : undefined,
      });
    });
    expect(() => svc(slo)).not.toThrow();
    expect(() => svc(ServiceLevelObjective.of({ successRate: 0.9999, latency: { percentile: 0.999, thresholdMs: 100 } }))).not.toThrow();
    expect(() => svc(ServiceLevelObjective.of({ successRate: 0.99, latency: { percentile: 0.99, thresholdMs: 300 } })))
      .toThrow(/validation failed:[\s\S]*prod\/shop\/api: delivery.slo is a canary gate looser than the SLO its alerts protect \(success rate 0.99 below 0.999\), got "successRate 0.99, p99 <= 300 ms"; gate on at least successRate 0.999, p99 <= 300 ms/);
    expect(() => svc(ServiceLevelObjective.of({ successRate: 0.999, latency: { percentile: 0.99, thresholdMs: 500 } })))
      .toThrow(/latency threshold 500 ms above 300 ms/);
    expect(() => svc(ServiceLevelObjective.of({ successRate: 0.999 }))).toThrow(/\(latency unchecked\)/);
    expect(() => svc(ServiceLevelObjective.of({ successRate: 0.999, latency: { percentile: 0.95, thresholdMs: 300 } }))).toThrow(/\(latency percentile 0.95 below 0.99\)/);
    expect(() => svc(ServiceLevelObjective.of({ latency: { percentile: 0.99, thresholdMs: 300 } }))).toThrow(/\(success rate unchecked below 0.999\)/);
  });
});

describe('SLOs on the mesh metrics', () => {
  const meshed = { dev: { mesh: { istio: true } }, prod: { mesh: { istio: true } } };
  const onIstio = ServiceLevelObjective.of({ successRate: 0.999, latency: { percentile: 0.99, thresholdMs: 250 } });

  test('an SLO measured on Istio needs no application scrape: the rules read istio_requests_total and its histogram', () => {
    const a = renderEnvApp((ns) => { new HardenedService(ns, 'api', { image, port: 8080, use: [Metrics.slo(onIstio, { metrics: SloMetrics.istio() })] }); }, meshed);
    const exprs = a.one('prod', 'PrometheusRule', 'api-slo').spec.groups.flatMap((g: any) => g.rules).filter((r: any) => r.record).map((r: any) => r.expr);
    expect(exprs.some((e: string) => e.includes('istio_requests_total{reporter="source",destination_service_name="api"'))).toBe(true);
    expect(exprs.some((e: string) => e.includes('istio_request_duration_milliseconds_bucket') && e.includes('le="250"'))).toBe(true);
    expect(a.all('prod', 'ServiceMonitor')).toEqual([]);
  });

  test("the check knows which metrics and buckets each source reads", () => {
    const istio = SloMetrics.istio();
    expect([istio.measuredOn, istio.metricNames, istio.durationBucketsMs]).toEqual(['mesh', ['istio_requests_total', 'istio_request_duration_milliseconds_bucket'], OBSERVABILITY_DEFAULTS.istio.durationBucketsMs]);
    expect(OBSERVABILITY_DEFAULTS.istio.durationBucketsMs.slice(0, 13)).toEqual([0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000]);
    expect([SloMetrics.http().measuredOn, SloMetrics.http().metricNames]).toEqual(['application', ['http_requests_total', 'http_request_duration_seconds_bucket']]);
    expect(SloMetrics.custom({ name: 'x', successRate: () => 'a', latency: () => 'b' }).measuredOn).toBeUndefined();
  });

  test.each([
    ['a threshold off the mesh histogram', meshed, ServiceLevelObjective.of({ latency: { percentile: 0.99, thresholdMs: 300 } }),
      /dev\/shop\/api: slo.latency.thresholdMs is not a bucket bound of the mesh's request-duration histogram \(0.5, 1, 5, [^)]*\), got 300; use one of its bounds \(e.g. 250\)/],
    ['no mesh', {}, onIstio, /dev\/shop\/api: slo.metrics reads the mesh's metrics \(istio_requests_total, istio_request_duration_milliseconds_bucket\), but no mesh enrols the workload/],
    ['ambient (no L7 metrics without a waypoint)', { dev: { mesh: { istio: true, dataplane: 'ambient' as const } } }, onIstio,
      /dev\/shop\/api: slo.metrics reads the mesh's request metrics .*which ambient's ztunnel does not produce/],
  ])('rejects a mesh-measured SLO: %s', (_what, overrides, objective, message) => {
    expect(() => renderEnvApp((ns) => { new HardenedService(ns, 'api', { image, port: 8080, use: [Metrics.slo(objective)] }); }, overrides as any)).toThrow(message);
  });

  test('mesh buckets overridden in the mesh config can be declared', () => {
    const s = ServiceLevelObjective.of({ latency: { percentile: 0.99, thresholdMs: 300 } });
    expect(() => renderEnvApp((ns) => {
      new HardenedService(ns, 'api', { image, port: 8080, use: [Metrics.slo(s, { metrics: SloMetrics.istio({ durationBucketsMs: [100, 300, 1000] }) })] });
    }, meshed)).not.toThrow();
  });
});

describe('every SLO alerts: gates of delivery analysis', () => {
  const meshed = { dev: { mesh: { istio: true } }, prod: { mesh: { istio: true } } };
  const gate = ServiceLevelObjective.of({ successRate: 0.995, latency: { percentile: 0.95, thresholdMs: 1000 } });
  const blueGreen = (use: any[] = []) => renderEnvApp((ns) => {
    new HardenedService(ns, 'web', { image, port: 8080, use, delivery: Delivery.blueGreen({ slo: gate }) });
  }, meshed);

  test('a blue-green service whose only SLO is its gate gets recording rules and burn-rate alerts on the metrics its analysis reads', () => {
    const rule = blueGreen().one('prod', 'PrometheusRule', 'web-slo');
    const rules = rule.spec.groups.flatMap((g: any) => g.rules);
    expect(rules.filter((r: any) => r.alert).map((r: any) => r.alert).sort()).toEqual(['SLOAvailabilityFastBurn', 'SLOAvailabilitySlowBurn', 'SLOLatencyFastBurn', 'SLOLatencySlowBurn']);
    expect(rules.find((r: any) => r.record && r.labels.slo === 'web-latency').expr).toContain('istio_request_duration_milliseconds_bucket{reporter="source",destination_service_name="web",destination_service_namespace="shop",le="1000"}');
    expect(crdSchemaErrors(rule)).toEqual([]);
  });

  test('generated: every service with a gate SLO gets exactly one PrometheusRule, whatever the strategy', () => {
    const rnd = prng(21);
    for (let i = 0; i < 8; i++) {
      const n = 1 + Math.floor(rnd() * 4);
      const kinds = Array.from({ length: n }, () => Math.floor(rnd() * 3));
      const a = renderEnvApp((ns) => {
        kinds.forEach((k, j) => {
          const delivery = k === 0 ? Delivery.blueGreen({ slo: gate }) : k === 1 ? Delivery.canary({ slo: gate }) : undefined;
          new HardenedService(ns, `s${j}`, { image, port: 8080, delivery });
        });
      }, meshed);
      const names = a.all('prod', 'PrometheusRule').map((r) => r.metadata.name).sort();
      expect(names).toEqual(kinds.map((k, j) => (k < 2 ? `s${j}-slo` : undefined)).filter((x) => x).sort());
    }
  });

  test('opting out takes a reason; opting out and alerting is a contradiction', () => {
    expect(blueGreen([Metrics.withoutSloAlerts('the edge team alerts on this path')]).all('prod', 'PrometheusRule')).toEqual([]);
    expect(() => blueGreen([Metrics.withoutSloAlerts(' ')])).toThrow("dev/shop/web: use: Metrics.withoutSloAlerts must say why the SLO has no alerts, got \" \"");
    expect(() => blueGreen([Metrics.slo(gate), Metrics.withoutSloAlerts('x')])).toThrow('opts out of SLO alerts although slo alerts on an SLO');
  });

  test('an explicit Metrics.slo wins over the gate (one rule, the objective the gate is checked against)', () => {
    const a = blueGreen([Metrics.slo(gate)]);
    expect(a.all('prod', 'PrometheusRule')).toHaveLength(1);
  });
});
