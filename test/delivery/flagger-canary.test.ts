import { CanarySpecAnalysisWebhooksType, CanarySpecProvider } from '../../imports/flagger.app';
import { Delivery } from '../../lib/delivery';
import { ServiceLevelObjective, SloMetrics } from '../../lib/observability';
import { crdSchemaErrors, hasCrdSchema } from '../fixtures/crd-schema';
import { buildService, renderService, sorted } from '../fixtures/service-app';

const slo = ServiceLevelObjective.of({ successRate: 0.999, latency: { percentile: 0.99, thresholdMs: 300 } });
const autoscaling = { minReplicas: 2, maxReplicas: 6 };

/** What Flagger does to the primary's pod labels: the first of its selector labels found in the selector gets `-primary`. */
function primaryLabels(deployment: any): Record<string, string> {
  const label = ['app', 'name', 'app.kubernetes.io/name'].find((l) => l in deployment.spec.selector.matchLabels)!;
  const labels = { ...deployment.spec.template.metadata.labels };
  labels[label] = `${labels[label]}-primary`;
  return labels;
}

const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('Delivery.flagger', () => {
  // GIVEN an autoscaled service delivered by Flagger with a load test and a promotion gate
  const { one, all, objects } = renderService({
    name: 'checkout',
    autoscaling,
    delivery: Delivery.flagger({ slo, loadTest: {}, confirmPromotionUrl: 'http://flagger-loadtester.test/gate/approve' }),
  });
  const canary = one('Canary');

  test('the Canary targets the Deployment and its autoscaler', () => {
    expect(canary.spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout' });
    expect(canary.spec.autoscalerRef).toEqual({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'checkout' });
    expect(one('HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout' });
    expect(one('Deployment').spec.replicas).toBeUndefined();
  });

  test('Flagger owns the Services: the service\'s own Service is left out, ports go to Canary.spec.service', () => {
    expect(all('Service')).toEqual([]);
    expect(canary.spec.service).toEqual({ port: 8080, portName: 'http', targetPort: 'http' });
  });

  test('analysis steps traffic 10% at a time up to 50%, rolling back after 5 failed checks', () => {
    expect(canary.spec.provider).toBe('istio');
    expect(canary.spec.analysis).toMatchObject({ interval: '1m', threshold: 5, stepWeight: 10, maxWeight: 50 });
  });

  test('metrics come from MetricTemplates derived from the SLO', () => {
    expect(canary.spec.analysis.metrics).toEqual([
      { name: 'success-rate', templateRef: { name: 'checkout-success-rate', namespace: 'shop' }, thresholdRange: { min: 0.999 }, interval: '1m' },
      { name: 'latency', templateRef: { name: 'checkout-latency', namespace: 'shop' }, thresholdRange: { max: 300 }, interval: '1m' },
    ]);
    expect(all('MetricTemplate').map((t) => t.metadata.name).sort()).toEqual(['checkout-latency', 'checkout-success-rate']);
    expect(one('MetricTemplate', 'checkout-success-rate').spec.provider).toEqual({ type: 'prometheus', address: 'http://prometheus-operated.monitoring.svc:9090' });
  });

  test('webhooks: a load test against the canary Service and a confirm-promotion gate', () => {
    expect(canary.spec.analysis.webhooks).toEqual([
      { name: 'load-test', type: 'rollout', url: 'http://flagger-loadtester.test/', timeout: '5s',
        metadata: { type: 'cmd', cmd: 'hey -z 1m -q 10 -c 2 http://checkout-canary.shop:8080/' } },
      { name: 'confirm-promotion', type: 'confirm-promotion', url: 'http://flagger-loadtester.test/gate/approve' },
    ]);
  });

  test('the load tester\'s namespace may reach the service port', () => {
    expect(one('NetworkPolicy').spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'test' } } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    }]);
  });

  test('primary pods (relabelled by Flagger) and canary pods are both covered by the PDB and the NetworkPolicy', () => {
    const deployment = one('Deployment');
    expect(deployment.spec.selector.matchLabels.app).toBe('checkout');
    const canaryPods = deployment.spec.template.metadata.labels;
    const primaryPods = primaryLabels(deployment);
    expect(primaryPods.app).toBe('checkout-primary');
    for (const selector of [one('PodDisruptionBudget').spec.selector.matchLabels, one('NetworkPolicy').spec.podSelector.matchLabels]) {
      expect(matches(selector, canaryPods)).toBe(true);
      expect(matches(selector, primaryPods)).toBe(true);
    }
  });

  test('every custom resource validates against its CRD schema', () => {
    const custom = objects.filter(hasCrdSchema);
    expect(custom.map((o) => o.kind).sort()).toEqual(['Canary', 'MetricTemplate', 'MetricTemplate']);
    for (const o of custom) expect(crdSchemaErrors(o)).toEqual([]);
  });

  test('snapshot', () => {
    expect(sorted(objects)).toMatchSnapshot();
  });
});

describe('Delivery.flagger options', () => {
  const render = (options: any) => renderService({ autoscaling, delivery: Delivery.flagger({ slo, ...options }) });

  test('GIVEN builtinMetrics THEN Flagger\'s own checks, in percent, against the environment\'s Prometheus', () => {
    const { one, all } = render({ builtinMetrics: true });
    expect(one('Canary').spec.analysis.metrics).toEqual([
      { name: 'request-success-rate', thresholdRange: { min: 99.9 }, interval: '1m' },
      { name: 'request-duration', thresholdRange: { max: 300 }, interval: '1m' },
    ]);
    expect(one('Canary').spec.metricsServer).toBe('http://prometheus-operated.monitoring.svc:9090');
    expect(all('MetricTemplate')).toEqual([]);
  });

  test('GIVEN iterations THEN blue-green mode: no weights', () => {
    const { one } = render({ iterations: 10, mirror: true });
    const analysis = one('Canary').spec.analysis;
    expect(analysis).toMatchObject({ iterations: 10, mirror: true });
    expect(analysis.stepWeight).toBeUndefined();
    expect(analysis.maxWeight).toBeUndefined();
    expect(crdSchemaErrors(one('Canary'))).toEqual([]);
  });

  test('GIVEN stepWeights, mirroring and an hour-long interval THEN they render in Flagger\'s units', () => {
    const { one } = render({ stepWeights: [5, 20, 50], mirror: true, mirrorWeight: 20, interval: '1h' });
    expect(one('Canary').spec.analysis).toMatchObject({ interval: '60m', stepWeights: [5, 20, 50], mirror: true, mirrorWeight: 20 });
    expect(crdSchemaErrors(one('Canary'))).toEqual([]);
  });

  test('GIVEN gateways and hosts THEN in-mesh callers stay routed too', () => {
    const { one } = render({ gateways: ['istio-ingress/public'], hosts: ['api.example.com'] });
    expect(one('Canary').spec.service).toMatchObject({ gateways: ['istio-ingress/public', 'mesh'], hosts: ['api.example.com', 'api'] });
  });

  test('GIVEN a custom metrics source THEN the MetricTemplates use it', () => {
    const metrics = SloMetrics.custom({ name: 'app', successRate: (s) => `ok{d="${s.name}"}`, latency: (s, p) => `lat{d="${s.name}",q="${p}"}` });
    const { one } = render({ metrics });
    expect(one('MetricTemplate', 'api-success-rate').spec.query).toBe('ok{d="{{ target }}"}');
    expect(one('MetricTemplate', 'api-latency').spec.query).toBe('lat{d="{{ target }}",q="0.99"}');
  });

  test('GIVEN extra webhooks THEN they follow the built-in ones', () => {
    const { one } = render({ webhooks: [{ name: 'smoke', type: CanarySpecAnalysisWebhooksType.PRE_HYPHEN_ROLLOUT, url: 'http://smoke.test/', timeout: 30 }] });
    expect(one('Canary').spec.analysis.webhooks).toEqual([{ name: 'smoke', type: 'pre-rollout', url: 'http://smoke.test/', timeout: '30s' }]);
  });
});

describe('Delivery.flagger rejects bad input', () => {
  const build = (options: any, props: any = { autoscaling }) => () => buildService({ ...props, delivery: Delivery.flagger({ slo, ...options }) });

  test('fixed replicas', () => {
    expect(build({}, { replicas: 3 }))
      .toThrow('prod/shop/api: replicas is fixed while delivery is Flagger (Flagger scales the Deployment to 0 and sizes the primary from the autoscaler), got 3; remove replicas and set autoscaling: { minReplicas: 3, maxReplicas: ... } (min = max for a fixed count)');
  });

  test('no autoscaler', () => {
    expect(build({}, {})).toThrow(/prod\/shop\/api: autoscaling is required with Flagger \(without an autoscaler the primary runs a single pod\), got undefined; set autoscaling/);
  });

  test('no SLO (no metrics source)', () => {
    expect(() => buildService({ autoscaling, delivery: Delivery.flagger({} as any) })).toThrow(/delivery.slo is required by Flagger analysis \(the SLO is the metrics source\)/);
  });

  test.each([
    [{ stepWeights: [50, 20] }, /delivery.stepWeights must increase strictly .*, got \[50,20\]; order them, e.g. \[20,50\]/],
    [{ stepWeights: [10, 120] }, /delivery.stepWeights must be integer percentages between 1 and 100/],
    [{ stepWeights: [] }, /delivery.stepWeights must list at least one weight/],
    [{ stepWeights: [10], stepWeight: 10 }, /delivery.stepWeights is set together with stepWeight\/maxWeight/],
    [{ stepWeight: 0 }, /delivery.stepWeight must be an integer between 1 and 100, got 0/],
    [{ stepWeight: 30, maxWeight: 20 }, /delivery.maxWeight must be at least stepWeight \(30\), got 20/],
    [{ iterations: 10, stepWeight: 10 }, /delivery.stepWeight is set with iterations \(blue-green mode shifts no weights\)/],
    [{ iterations: 0 }, /delivery.iterations must be an integer between 1 and 1000, got 0/],
    [{ mirrorWeight: 20 }, /delivery.mirrorWeight is set without mirror/],
    [{ mirror: true, provider: CanarySpecProvider.LINKERD }, /delivery.mirror needs the istio provider, got provider "linkerd"/],
    [{ interval: '2 minutes' }, /delivery.interval must be a positive duration/],
    [{ threshold: 0 }, /delivery.threshold must be an integer between 1 and 1000, got 0/],
    [{ builtinMetrics: true, slo: ServiceLevelObjective.of({ latency: { percentile: 0.95, thresholdMs: 200 } }) },
      /delivery.slo.latency.percentile must be 0.99 with builtinMetrics .*, got 0.95; set builtinMetrics: false/],
    [{ gateways: ['istio-ingress/public'] }, /delivery.hosts is required when gateways are set/],
    [{ loadTest: { url: 'flagger-loadtester' } }, /delivery.loadTest.url must be an http\(s\) URL, got "flagger-loadtester"/],
    [{ confirmPromotionUrl: 'gate' }, /delivery.confirmPromotionUrl must be an http\(s\) URL/],
  ])('%j', (options, message) => {
    expect(build(options)).toThrow(message);
  });
});
