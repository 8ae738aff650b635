import { CanaryStep, Delivery } from '../../lib/delivery';
import { ServiceLevelObjective } from '../../lib/observability';
import { TrafficRouting } from '../../lib/traffic';
import { HardenedService } from '../../lib/workloads';
import { makeChart } from '../helpers';
import { crdSchemaErrors, hasCrdSchema } from '../fixtures/crd-schema';
import { buildService, renderService, sorted } from '../fixtures/service-app';

const slo = ServiceLevelObjective.of({ successRate: 0.999, latency: { percentile: 0.99, thresholdMs: 300 } });

describe('Delivery.canary with Istio and SLO analysis', () => {
  // GIVEN an autoscaled service delivered by an Istio canary with header, mirror and analysis steps
  const { one, all, objects } = renderService({
    autoscaling: { minReplicas: 3, maxReplicas: 9 },
    delivery: Delivery.canary({
      trafficRouting: TrafficRouting.istio(),
      slo,
      steps: [
        CanaryStep.setWeight(5),
        CanaryStep.headerRoute({ header: 'x-canary', value: 'always' }),
        CanaryStep.mirror({ percentage: 50, method: 'GET' }),
        CanaryStep.pause('5m'),
        CanaryStep.analysis(),
        CanaryStep.setWeight(50),
        CanaryStep.pause(),
      ],
    }),
  });
  const rollout = one('Rollout');
  const canary = rollout.spec.strategy.canary;

  test('the Rollout takes the hardened pod template from the Deployment, which runs no pods itself', () => {
    expect(rollout.spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' });
    expect(rollout.spec.template).toBeUndefined();
    expect(rollout.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } });
    expect(one('Deployment').spec.replicas).toBe(0);
    expect(one('Deployment').spec.template.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
  });

  test('the autoscaler scales the Rollout, which therefore has no fixed replica count', () => {
    expect(one('HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'api' });
    expect(rollout.spec.replicas).toBeUndefined();
  });

  test('the disruption budget selects the stable labels that stable and canary pods share', () => {
    expect(one('PodDisruptionBudget').spec.selector).toEqual(rollout.spec.selector);
  });

  test('stable and canary Services sit next to the service\'s own Service, which keeps its name', () => {
    expect(all('Service').map((s) => s.metadata.name).sort()).toEqual(['api', 'api-canary', 'api-stable']);
    expect(canary.stableService).toBe('api-stable');
    expect(canary.canaryService).toBe('api-canary');
    for (const s of all('Service')) expect(s.spec.selector).toEqual(rollout.spec.selector.matchLabels);
  });

  test('Istio routes the named VirtualService route; header and mirror routes are managed above it', () => {
    expect(canary.trafficRouting).toEqual({
      istio: { virtualService: { name: 'api', routes: ['primary'] } },
      managedRoutes: [{ name: 'test-group' }, { name: 'mirror' }],
    });
    expect(one('VirtualService').spec.http[0].name).toBe('primary');
  });

  test('steps render in order, header routing and mirroring included', () => {
    expect(canary.steps).toEqual([
      { setWeight: 5 },
      { setHeaderRoute: { name: 'test-group', match: [{ headerName: 'x-canary', headerValue: { exact: 'always' } }] } },
      { setMirrorRoute: { name: 'mirror', percentage: 50, match: [{ path: { prefix: '/' }, method: { exact: 'GET' } }] } },
      { pause: { duration: '5m' } },
      { analysis: { templates: [{ templateName: 'api-slo' }], args: [{ name: 'service', value: 'api-canary' }] } },
      { setWeight: 50 },
      { pause: {} },
    ]);
  });

  test('background analysis measures the canary Service from its first traffic until promotion', () => {
    expect(canary.analysis).toEqual({
      templates: [{ templateName: 'api-slo-background' }],
      args: [{ name: 'service', value: 'api-canary' }],
      startingStep: 1,
    });
    const background = one('AnalysisTemplate', 'api-slo-background');
    expect(background.spec.metrics.map((m: any) => m.count)).toEqual([undefined, undefined]);
    expect(one('AnalysisTemplate', 'api-slo').spec.metrics.map((m: any) => m.count)).toEqual([5, 5]);
  });

  test('a failing rollout aborts: no progress within the deadline, and canary and stable pods keep apart', () => {
    expect(rollout.spec.progressDeadlineAbort).toBe(true);
    expect(canary.antiAffinity).toEqual({ preferredDuringSchedulingIgnoredDuringExecution: { weight: 100 } });
    expect(canary.scaleDownDelaySeconds).toBe(30);
    expect(canary.abortScaleDownDelaySeconds).toBe(30);
  });

  test('every custom resource validates against its CRD schema', () => {
    const custom = objects.filter(hasCrdSchema);
    expect(custom.map((o) => o.kind).sort()).toEqual(['AnalysisTemplate', 'AnalysisTemplate', 'Rollout', 'VirtualService']);
    for (const o of custom) expect(crdSchemaErrors(o)).toEqual([]);
  });

  test('snapshot', () => {
    expect(sorted(objects)).toMatchSnapshot();
  });
});

describe('Delivery.canary defaults', () => {
  test('GIVEN no steps THEN weights 10, 25, 50 each followed by a 2m pause', () => {
    const { one } = renderService({ delivery: Delivery.canary({ trafficRouting: TrafficRouting.istio() }) });
    expect(one('Rollout').spec.strategy.canary.steps).toEqual([
      { setWeight: 10 }, { pause: { duration: '2m' } },
      { setWeight: 25 }, { pause: { duration: '2m' } },
      { setWeight: 50 }, { pause: { duration: '2m' } },
    ]);
  });

  test('GIVEN no SLO THEN there is no analysis and no AnalysisTemplate', () => {
    const { one, all } = renderService({ delivery: Delivery.canary({ trafficRouting: TrafficRouting.istio() }) });
    expect(one('Rollout').spec.strategy.canary.analysis).toBeUndefined();
    expect(all('AnalysisTemplate')).toEqual([]);
  });

  test('GIVEN fixed replicas THEN the Rollout carries them and the Deployment is scaled to zero', () => {
    const { one } = renderService({ replicas: 4, delivery: Delivery.canary() });
    expect(one('Rollout').spec.replicas).toBe(4);
    expect(one('Deployment').spec.replicas).toBe(0);
  });

  test('GIVEN no traffic router THEN weights follow pod counts and analysis tells the versions apart by revision', () => {
    const { one } = renderService({ delivery: Delivery.canary({ slo }) });
    const canary = one('Rollout').spec.strategy.canary;
    expect(canary.trafficRouting).toBeUndefined();
    expect(canary.scaleDownDelaySeconds).toBeUndefined();
    expect(canary.analysis.args).toEqual([{ name: 'service', value: 'api' }, { name: 'revision', value: '1.4.2' }]);
    expect(one('AnalysisTemplate').spec.metrics[0].provider.prometheus.query).toContain('destination_canonical_revision="{{args.revision}}"');
  });

  test('GIVEN backgroundAnalysis false THEN only analysis steps measure', () => {
    const { one, all } = renderService({ delivery: Delivery.canary({ slo, backgroundAnalysis: false, steps: [CanaryStep.setWeight(20), CanaryStep.analysis()] }) });
    expect(one('Rollout').spec.strategy.canary.analysis).toBeUndefined();
    expect(all('AnalysisTemplate').map((t) => t.metadata.name)).toEqual(['api-slo']);
  });

  test('the Prometheus address comes from the environment, and can be overridden', () => {
    const address = (o: any) => o.one('AnalysisTemplate').spec.metrics[0].provider.prometheus.address;
    expect(address(renderService({ delivery: Delivery.canary({ slo }) }, { prometheusAddress: 'http://prom.eu:9090' }))).toBe('http://prom.eu:9090');
    expect(address(renderService({ delivery: Delivery.canary({ slo, analysis: { prometheusAddress: 'https://thanos.example' } }) }))).toBe('https://thanos.example');
  });
});

describe('Delivery.canary rejects bad input', () => {
  const build = (options: any, props: any = {}) => () => buildService({ ...props, delivery: Delivery.canary(options) });
  const routed = (steps: CanaryStep[]) => ({ trafficRouting: TrafficRouting.istio(), steps });

  test('weights that do not increase', () => {
    expect(build({ steps: [CanaryStep.setWeight(50), CanaryStep.setWeight(20)] }))
      .toThrow('prod/shop/api: delivery.steps weights must increase strictly (traffic only moves towards the new version), got [50,20]; order them, e.g. [20,50]');
  });

  test.each([[0], [101], [12.5]])('weight %p outside 1-100', (w) => {
    expect(build({ steps: [CanaryStep.setWeight(w)] })).toThrow(/prod\/shop\/api: delivery.steps weights must be integer percentages between 1 and 100/);
  });

  test.each([['5 minutes'], ['1d'], [0], [-30], [1.5], ['']])('pause duration %p', (d) => {
    expect(build({ steps: [CanaryStep.setWeight(10), CanaryStep.pause(d as any)] }))
      .toThrow(/prod\/shop\/api: delivery.steps\[1\].pause must be a positive duration: '30s', '5m', '1h' or a number of seconds, got .*; write e.g. '5m' or 300/);
  });

  test('accepts seconds as a number', () => {
    const { one } = renderService({ delivery: Delivery.canary({ steps: [CanaryStep.setWeight(10), CanaryStep.pause(90)] }) });
    expect(one('Rollout').spec.strategy.canary.steps[1]).toEqual({ pause: { duration: '90s' } });
  });

  test('analysis without a metrics source (no SLO)', () => {
    expect(build({ steps: [CanaryStep.setWeight(10), CanaryStep.analysis()] }))
      .toThrow(/prod\/shop\/api: delivery.slo is required by analysis steps \(the SLO is the analysis' metrics source\), got undefined; set slo: ServiceLevelObjective.of/);
    expect(build({ backgroundAnalysis: true })).toThrow(/delivery.slo is required by backgroundAnalysis/);
    expect(build({ analysis: { interval: '1m' } })).toThrow(/delivery.analysis is set but there is no SLO to analyse \(no metrics source\)/);
  });

  test('analysis outside a GitOpsApp environment without a Prometheus address', () => {
    expect(() => new HardenedService(makeChart(), 'api', { image: 'ghcr.io/acme/api:1.4.2', port: 8080, delivery: Delivery.canary({ slo }) }))
      .toThrow(/test\/api: delivery.analysis.prometheusAddress is unknown \(the service is not inside a GitOpsApp environment.*\), got undefined; pass the Prometheus URL/);
  });

  test.each([
    [{ interval: '1 minute' }, /delivery.analysis.interval must be a positive duration/],
    [{ count: 0 }, /delivery.analysis.count must be an integer between 1 and 1000, got 0/],
    [{ failureLimit: 5 }, /delivery.analysis.failureLimit must be below count \(5\), or a run could never fail, got 5/],
    [{ noData: 'ignore' }, /delivery.analysis.noData must be 'inconclusive', 'pass' or 'fail', got "ignore"/],
    [{ prometheusAddress: 'prometheus:9090' }, /delivery.analysis.prometheusAddress must be an http\(s\) URL, got "prometheus:9090"/],
  ])('analysis options %j', (analysis, message) => {
    expect(build({ slo, analysis })).toThrow(message);
  });

  test('an SLO that declares nothing', () => {
    expect(build({ slo: ServiceLevelObjective.of({}) })).toThrow(/prod\/shop\/api: delivery.slo declares no objective/);
  });

  test('header and mirror routes without a traffic router', () => {
    expect(build({ steps: [CanaryStep.setWeight(10), CanaryStep.headerRoute({ header: 'x-canary', value: 'yes' })] }))
      .toThrow(/delivery.steps\[1\] \(setHeaderRoute\) needs trafficRouting .*, got "setHeaderRoute"; set trafficRouting: TrafficRouting.istio\(\)/);
  });

  test('a mirror route before any canary pods run', () => {
    expect(build(routed([CanaryStep.mirror(), CanaryStep.setWeight(10)])))
      .toThrow(/delivery.steps\[0\] \(setMirrorRoute\) comes before any canary pods run, got "setMirrorRoute"; put CanaryStep.setWeight\(...\) or CanaryStep.scaleCanary\(...\) before it/);
    expect(() => buildService({ delivery: Delivery.canary(routed([CanaryStep.scaleCanary(10), CanaryStep.mirror()])) })).not.toThrow();
  });

  test.each([
    [CanaryStep.mirror({ name: 'primary' }), /delivery.steps\[1\].name is the name of the route Argo Rollouts sets weights on/],
    [CanaryStep.mirror({ percentage: 0 }), /delivery.steps\[1\].mirror.percentage must be an integer between 1 and 100, got 0/],
    [CanaryStep.mirror({ method: 'get' }), /delivery.steps\[1\].mirror.method must be an HTTP method in capitals/],
    [CanaryStep.mirror({ pathPrefix: 'api' }), /delivery.steps\[1\].mirror.pathPrefix must start with '\/'/],
    [CanaryStep.headerRoute({ header: 'x canary', value: 'y' }), /delivery.steps\[1\].headerRoute.header must be an HTTP header name/],
    [CanaryStep.headerRoute({ header: 'x-canary', value: '' }), /delivery.steps\[1\].headerRoute.value must be a non-empty string/],
    [CanaryStep.headerRoute({ header: 'x-canary', value: 'y', name: 'Test_Group' }), /delivery.steps\[1\].name must be a DNS-1123 label/],
  ])('route step %#', (step, message) => {
    expect(build(routed([CanaryStep.setWeight(10), step]))).toThrow(message);
  });

  test('a mirror and a header route with the same name', () => {
    expect(build(routed([CanaryStep.setWeight(10), CanaryStep.mirror({ name: 'x' }), CanaryStep.headerRoute({ header: 'h', value: 'v', name: 'x' })])))
      .toThrow(/delivery.steps\[2\].name is already the name of a setMirrorRoute route, got "x"/);
  });

  test('a scale-down delay without a traffic router', () => {
    expect(build({ scaleDownDelaySeconds: 60 })).toThrow(/delivery.scaleDownDelaySeconds only applies with trafficRouting/);
  });

  test('steps that are not CanarySteps', () => {
    expect(build({ steps: [{ setWeight: 10 }] })).toThrow(/delivery.steps\[0\] is not a CanaryStep, got \{"setWeight":10\}/);
  });

  test('fixed replicas together with an autoscaler (enforced by the service)', () => {
    expect(build({}, { replicas: 2, autoscaling: { maxReplicas: 4 } })).toThrow(/prod\/shop\/api: replicas is fixed while autoscaling is set/);
  });
});
