import { CanarySpecProvider } from '../../imports/flagger.app';
import { Delivery } from '../../lib/delivery';
import { EXPOSURE_DEFAULTS, Exposure } from '../../lib/exposure';
import { Metrics, ServiceLevelObjective } from '../../lib/observability';
import { TrafficRouting } from '../../lib/traffic';
import { HardenedWorker } from '../../lib/workloads';
import { crdSchemaErrors, hasCrdSchema } from '../fixtures/crd-schema';
import { edgeApp, GATEWAY, INGRESS, label, ofKind, pick, prng, renderEdgeApp, service } from './fixtures';

const slo = ServiceLevelObjective.of({ successRate: 0.999, latency: { percentile: 0.99, thresholdMs: 300 } });
// the routes are the subject; the alerts a gate yields (on the mesh's metrics) are tested in test/observability
const noGateAlerts = Metrics.withoutSloAlerts('exposure test');

/** Every custom resource of `objects` validates against its vendored CRD schema. */
function expectValidCrds(objects: any[]): void {
  const crds = objects.filter(hasCrdSchema);
  expect(crds.length).toBeGreaterThan(0);
  for (const o of crds) expect({ object: `${o.kind}/${o.metadata.name}`, errors: crdSchemaErrors(o) }).toEqual({ object: `${o.kind}/${o.metadata.name}`, errors: [] });
}

describe('Exposure.http through a Gateway API gateway', () => {
  let objects: any[];
  beforeAll(() => {
    objects = renderEdgeApp({}, (ns) => { service(ns, 'api', { use: [Exposure.http()] }); });
  });

  test('routes the default host {service}.{domain} and path / to the service port, with the default timeout', () => {
    const [route] = ofKind(objects, 'HTTPRoute', 'api');
    expect(route.spec.hostnames).toEqual(['api.shop.example']);
    expect(route.spec.rules).toEqual([{
      matches: [{ path: { type: 'PathPrefix', value: EXPOSURE_DEFAULTS.paths[0] } }],
      backendRefs: [{ group: '', kind: 'Service', name: 'api', port: 8080 }],
      timeouts: { request: '30s' },
    }]);
    expect(EXPOSURE_DEFAULTS.timeouts.request).toBe('30s');
  });

  test('attaches to the declared gateway, without sectionName when it has one listener', () => {
    const [route] = ofKind(objects, 'HTTPRoute', 'api');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateway-system' }]);
  });

  test('TLS by default: a Certificate from the environment issuer (ClusterIssuer by default) and a ReferenceGrant for the gateway', () => {
    const [cert] = ofKind(objects, 'Certificate');
    expect(cert.metadata).toMatchObject({ name: 'api-tls', namespace: 'shop' });
    expect(cert.spec).toEqual({ secretName: 'api-tls', dnsNames: ['api.shop.example'], issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt' } });
    const [grant] = ofKind(objects, 'ReferenceGrant');
    expect(grant.metadata).toMatchObject({ name: 'api-tls-gateway', namespace: 'shop' });
    expect(grant.spec).toEqual({
      from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'gateway-system' }],
      to: [{ group: '', kind: 'Secret', name: 'api-tls' }],
    });
  });

  test("the NetworkPolicy admits the gateway's pods on the port", () => {
    const [np] = ofKind(objects, 'NetworkPolicy', 'api');
    expect(np.spec.ingress).toEqual([{
      from: [{ podSelector: { matchLabels: GATEWAY.podLabels }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway-system' } } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    }]);
  });

  test('without a mesh: no DestinationRule, VirtualService or mesh policy', () => {
    for (const kind of ['DestinationRule', 'VirtualService', 'AuthorizationPolicy', 'PeerAuthentication']) expect(ofKind(objects, kind)).toEqual([]);
  });

  test('every custom resource validates against its CRD', () => expectValidCrds(objects));
});

describe('listeners and certificates', () => {
  const twoListeners = {
    ...GATEWAY,
    listeners: [
      { name: 'apex', hostname: 'shop.example' },
      { name: 'wildcard', hostname: '*.shop.example', certificateSecret: 'wildcard-tls' },
      { name: 'plain', protocol: 'HTTP' as const },
    ],
  };

  test('a host the listener certificate covers needs no Certificate; sectionName names the listener', () => {
    const objects = renderEdgeApp({ gateway: twoListeners }, (ns) => { service(ns, 'api', { use: [Exposure.http()] }); });
    expect(ofKind(objects, 'Certificate')).toEqual([]);
    expect(ofKind(objects, 'ReferenceGrant')).toEqual([]);
    expect(ofKind(objects, 'HTTPRoute')[0].spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateway-system', sectionName: 'wildcard' }]);
  });

  test('a wildcard certificate covers one label only: a deeper host gets its own Certificate', () => {
    const objects = renderEdgeApp({ gateway: twoListeners }, (ns) => { service(ns, 'api', { use: [Exposure.http({ hosts: ['a.b.shop.example'] })] }); });
    expect(ofKind(objects, 'Certificate')[0].spec.dnsNames).toEqual(['a.b.shop.example']);
  });

  test('an exact listener wins over a wildcard; hosts on two listeners give two parentRefs', () => {
    const objects = renderEdgeApp({ gateway: twoListeners }, (ns) => { service(ns, 'api', { use: [Exposure.http({ hosts: ['{domain}', 'www.{domain}'] })] }); });
    expect(ofKind(objects, 'HTTPRoute')[0].spec.parentRefs.map((p: any) => p.sectionName)).toEqual(['apex', 'wildcard']);
    expect(ofKind(objects, 'Certificate')[0].spec.dnsNames).toEqual(['shop.example']);
  });

  test('tls: false attaches to an HTTP listener and renders no Certificate', () => {
    const objects = renderEdgeApp({ gateway: twoListeners }, (ns) => { service(ns, 'api', { use: [Exposure.http({ tls: false })] }); });
    expect(ofKind(objects, 'HTTPRoute')[0].spec.parentRefs[0].sectionName).toBe('plain');
    expect(ofKind(objects, 'Certificate')).toEqual([]);
  });

  test('two services on one host share the first one\'s Certificate', () => {
    const objects = renderEdgeApp({}, (ns) => {
      service(ns, 'api', { use: [Exposure.http({ hosts: ['www.{domain}'], paths: ['/api'] })] });
      service(ns, 'web', { use: [Exposure.http({ hosts: ['www.{domain}'] })] });
    });
    expect(ofKind(objects, 'Certificate').map((c) => c.metadata.name)).toEqual(['api-tls']);
    expect(ofKind(objects, 'HTTPRoute').map((r) => r.metadata.name).sort()).toEqual(['api', 'web']);
  });
});

describe('gRPC and Ingress', () => {
  test("a service whose port is named grpc gets a GRPCRoute", () => {
    const objects = renderEdgeApp({}, (ns) => { service(ns, 'rpc', { portName: 'grpc', use: [Exposure.http()] }); });
    const [route] = ofKind(objects, 'GRPCRoute');
    expect(route.spec.rules).toEqual([{ backendRefs: [{ group: '', kind: 'Service', name: 'rpc', port: 8080 }] }]);
    expect(ofKind(objects, 'HTTPRoute')).toEqual([]);
    expectValidCrds(objects);
  });

  test('Exposure.grpc() forces a GRPCRoute', () => {
    const objects = renderEdgeApp({}, (ns) => { service(ns, 'rpc', { use: [Exposure.grpc()] }); });
    expect(ofKind(objects, 'GRPCRoute')).toHaveLength(1);
  });

  test('a cluster with an ingress controller gets an Ingress of its class, a Certificate and no ReferenceGrant', () => {
    const objects = renderEdgeApp({ gateway: undefined, ingressController: INGRESS }, (ns) => {
      service(ns, 'web', { use: [Exposure.http({ hosts: ['{domain}'], paths: ['/', '/static'] })] });
    });
    const [ing] = ofKind(objects, 'Ingress');
    expect(ing.spec.ingressClassName).toBe('nginx');
    expect(ing.spec.rules).toEqual([{ host: 'shop.example', http: { paths: ['/', '/static'].map((path) => ({ path, pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 8080 } } } })) } }]);
    expect(ing.spec.tls).toEqual([{ hosts: ['shop.example'], secretName: 'web-tls' }]);
    expect(ofKind(objects, 'Certificate')).toHaveLength(1);
    expect(ofKind(objects, 'ReferenceGrant')).toEqual([]);
    expect(ofKind(objects, 'NetworkPolicy', 'web')[0].spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }]);
  });
});

describe('with the mesh', () => {
  test('circuit breaking by default: a DestinationRule with the defaults table', () => {
    const objects = renderEdgeApp({ env: { mesh: { istio: true } } }, (ns) => { service(ns, 'api', { use: [Exposure.http()] }); });
    const c = EXPOSURE_DEFAULTS.circuitBreaker;
    expect(ofKind(objects, 'DestinationRule', 'api')[0].spec).toEqual({
      host: 'api',
      trafficPolicy: {
        connectionPool: { tcp: { maxConnections: c.maxConnections }, http: { http1MaxPendingRequests: c.maxPendingRequests, http2MaxRequests: c.maxRequests } },
        outlierDetection: { consecutive5xxErrors: c.consecutive5xxErrors, interval: c.interval, baseEjectionTime: c.baseEjectionTime, maxEjectionPercent: c.maxEjectionPercent },
      },
    });
    expect(ofKind(objects, 'VirtualService')).toEqual([]);
    expectValidCrds(objects);
  });

  test('circuitBreaker: false renders none; retries render a VirtualService with the timeout', () => {
    const objects = renderEdgeApp({ env: { mesh: { istio: true } } }, (ns) => {
      service(ns, 'api', { use: [Exposure.http({ circuitBreaker: false, retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx,reset' } })] });
    });
    expect(ofKind(objects, 'DestinationRule')).toEqual([]);
    expect(ofKind(objects, 'VirtualService', 'api')[0].spec).toEqual({
      hosts: ['api'],
      http: [{ route: [{ destination: { host: 'api', port: { number: 8080 } } }], timeout: '30s', retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx,reset' } }],
    });
    expectValidCrds(objects);
  });
});

describe('one route with a canary', () => {
  test('a Gateway API canary: its HTTPRoute is the exposure route (one HTTPRoute, split stable/canary)', () => {
    const objects = renderEdgeApp({}, (ns) => {
      service(ns, 'api', { delivery: Delivery.canary({ trafficRouting: TrafficRouting.gatewayApi() }), use: [Exposure.http({ paths: ['/v1', '/v2'] })] });
    });
    const routes = ofKind(objects, 'HTTPRoute');
    expect(routes).toHaveLength(1);
    expect(routes[0].spec.hostnames).toEqual(['api.shop.example']);
    expect(routes[0].spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateway-system' }]);
    expect(routes[0].spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/v1' } }, { path: { type: 'PathPrefix', value: '/v2' } }]);
    expect(routes[0].spec.rules[0].backendRefs.map((b: any) => [b.name, b.weight])).toEqual([['api-stable', 100], ['api-canary', 0]]);
    expect(ofKind(objects, 'Rollout')[0].spec.strategy.canary.trafficRouting).toEqual({ plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'api', namespace: 'shop' } } });
    expectValidCrds(objects);
  });

  test('a Gateway API canary without gateways and without exposure fails at synth, naming the fix', () => {
    const app = edgeApp({}, (ns) => { service(ns, 'api', { delivery: Delivery.canary({ trafficRouting: TrafficRouting.gatewayApi() }) }); });
    expect(() => app.render()).toThrow(/prod\/shop\/api: delivery.trafficRouting.gateways names no Gateway and the service is not exposed, so the HTTPRoute attaches to nothing, got undefined; .*Exposure.http/);
  });

  test('an Istio canary: the exposure HTTPRoute splits the edge and joins the Rollout as a second router; the VirtualService gets the timeout', () => {
    const objects = renderEdgeApp({ env: { mesh: { istio: true } } }, (ns) => {
      service(ns, 'api', { delivery: Delivery.canary({ trafficRouting: TrafficRouting.istio(), slo }), use: [Exposure.http(), noGateAlerts] });
    });
    expect(ofKind(objects, 'HTTPRoute')).toHaveLength(1);
    expect(ofKind(objects, 'HTTPRoute')[0].spec.rules[0].backendRefs.map((b: any) => b.name)).toEqual(['api-stable', 'api-canary']);
    const tr = ofKind(objects, 'Rollout')[0].spec.strategy.canary.trafficRouting;
    expect(tr.istio.virtualService).toEqual({ name: 'api', routes: ['primary'] });
    expect(tr.plugins).toEqual({ 'argoproj-labs/gatewayAPI': { httpRoute: 'api', namespace: 'shop' } });
    expect(ofKind(objects, 'VirtualService', 'api')[0].spec.http[0].timeout).toBe('30s');
    // circuit breaking for the hosts the mesh really routes to
    expect(ofKind(objects, 'DestinationRule').map((d) => d.spec.host).sort()).toEqual(['api', 'api-canary', 'api-stable']);
    expectValidCrds(objects);
  });

  test('a blue-green service is exposed through its active Service', () => {
    const objects = renderEdgeApp({}, (ns) => { service(ns, 'web', { delivery: Delivery.blueGreen(), use: [Exposure.http()] }); });
    expect(ofKind(objects, 'HTTPRoute')[0].spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'web', port: 8080 }]);
  });

  test('Flagger (gatewayapi provider) generates the route from the exposure\'s hosts and gateway: no second HTTPRoute', () => {
    const objects = renderEdgeApp({}, (ns) => {
      service(ns, 'checkout', {
        autoscaling: { minReplicas: 2, maxReplicas: 4 },
        delivery: Delivery.flagger({ slo, provider: 'gatewayapi:v1' as CanarySpecProvider }),
        use: [Exposure.http(), noGateAlerts],
      });
    });
    expect(ofKind(objects, 'HTTPRoute')).toEqual([]);
    const [canary] = ofKind(objects, 'Canary');
    expect(canary.spec.service.hosts).toEqual(['checkout.shop.example']);
    expect(canary.spec.service.gatewayRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateway-system' }]);
    expectValidCrds(objects);
  });

  test('Flagger with another provider is an error naming the fix', () => {
    expect(() => edgeApp({}, (ns) => {
      service(ns, 'checkout', { autoscaling: { minReplicas: 2, maxReplicas: 4 }, delivery: Delivery.flagger({ slo }), use: [Exposure.http(), noGateAlerts] });
    })).toThrow("prod/shop/checkout: expose is through a Gateway API Gateway, but Flagger routes with provider 'istio', got \"istio\"; set the Flagger provider to 'gatewayapi:v1'");
  });
});

describe('bad input', () => {
  const expose = (options: Parameters<typeof Exposure.http>[0], app: Parameters<typeof edgeApp>[0] = {}) =>
    () => edgeApp(app, (ns) => { service(ns, 'api', { use: [Exposure.http(options)] }); });

  test('a host that is not a DNS name (generated)', () => {
    const rand = prng(12);
    const bad = ['Shop.Example', 'shop..example', '-shop.example', 'shop_example.com', 'a b.example', `${'x'.repeat(64)}.example`, 'shop.example.', '*'];
    for (let i = 0; i < 30; i++) {
      const host = i < bad.length ? bad[i] : `${label(rand)}${pick(rand, ['_', ' ', '..', '!', 'A'])}${label(rand)}.shop.example`;
      expect(expose({ hosts: [host] })).toThrow(`prod/shop/api: expose.hosts[0] must be a DNS host name (optionally starting with '*.'), got ${JSON.stringify(host)}; write it like 'shop.acme.example'`);
    }
  });

  test('valid generated hosts and paths are routed exactly as given', () => {
    const rand = prng(7);
    const gateway = { ...GATEWAY, listeners: [{ name: 'any' }] };
    for (let i = 0; i < 20; i++) {
      // below the environment's domain (a host outside it is hygiene-route-host-in-domain's)
      const hosts = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => `${Array.from({ length: 1 + Math.floor(rand() * 3) }, () => label(rand)).join('.')}.shop.example`))];
      const paths = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => `/${Array.from({ length: Math.floor(rand() * 3) }, () => label(rand)).join('/')}`))];
      const objects = renderEdgeApp({ gateway }, (ns) => { service(ns, 'api', { use: [Exposure.http({ hosts, paths })] }); });
      const [route] = ofKind(objects, 'HTTPRoute');
      expect(route.spec.hostnames).toEqual(hosts);
      expect(route.spec.rules[0].matches.map((m: any) => m.path.value)).toEqual(paths);
      expect(ofKind(objects, 'Certificate')[0].spec.dnsNames).toEqual(hosts);
    }
  });

  test('a path without a leading / (generated)', () => {
    const rand = prng(3);
    for (let i = 0; i < 20; i++) {
      const path = i === 0 ? 'api' : i === 1 ? '' : `${label(rand)}/${label(rand)}`;
      expect(expose({ paths: ['/', path] })).toThrow(`prod/shop/api: expose.paths[1] must be a path prefix starting with '/' (no spaces, '?' or '#'), got ${JSON.stringify(path)}`);
    }
  });

  test('a wildcard host where the gateway has no wildcard listener', () => {
    expect(expose({ hosts: ['*.shop.example'] }, { gateway: { ...GATEWAY, listeners: [{ name: 'https', hostname: 'shop.example' }] } }))
      .toThrow("prod/shop/api: expose.hosts[0] is a wildcard, but gateway gateway-system/public has no wildcard HTTPS listener, got \"*.shop.example\"; add a listener with hostname '*.shop.example'");
  });

  test('a host no listener accepts', () => {
    expect(expose({ hosts: ['other.example'] })).toThrow('prod/shop/api: expose.hosts[0] matches no HTTPS listener of gateway gateway-system/public (listeners: https (*.shop.example)), got "other.example"');
  });

  test('exposing a worker (no Service)', () => {
    expect(() => edgeApp({}, (ns) => { new HardenedWorker(ns, 'jobs', { image: 'ghcr.io/acme/jobs:1.0.0', use: [Exposure.http()] }); }))
      .toThrow("prod/shop/jobs: use exposes a worker without a Service (Deployment 'jobs'), so there is nothing to route to, got \"Exposure\"; expose a HardenedService");
  });

  test('TLS asked with no issuer in the environment', () => {
    expect(expose({}, { env: { certificateIssuer: undefined } }))
      .toThrow("prod/shop/api: expose.tls needs a certificate for api.shop.example, but environment 'prod' has no certificateIssuer, got true; set certificateIssuer: { name: 'letsencrypt' } on environment 'prod'");
  });

  test('a route to a port the service does not have', () => {
    expect(expose({ port: 9090 })).toThrow("prod/shop/api: expose.port is not a port of the Service 'api' (it has http: 8080), got 9090; route to 8080, or leave port out");
  });

  test('{domain} in an environment without a domain', () => {
    expect(expose({}, { env: { domain: undefined } })).toThrow("prod/shop/api: expose.hosts[0] uses {domain}, but environment 'prod' has no domain, got \"{service}.{domain}\"");
  });

  test('a cluster without gateway or ingress controller', () => {
    expect(expose({}, { gateway: undefined })).toThrow("prod/shop/api: expose needs an edge, but cluster 'prod' declares neither gateway nor ingressController");
  });

  test('timeouts that are not Gateway API durations, or a backend timeout above the request timeout', () => {
    expect(expose({ timeouts: { request: '30' } })).toThrow("prod/shop/api: expose.timeouts.request must be a Gateway API duration (1 to 4 groups of up to 5 digits with h, m, s or ms), got \"30\"");
    expect(expose({ timeouts: { request: '10s', backendRequest: '1m' } })).toThrow('prod/shop/api: expose.timeouts.backendRequest is longer than the request timeout 10s, got "1m"');
  });

  test('retries or circuit breaking without the mesh', () => {
    expect(expose({ retries: { attempts: 2 } })).toThrow("prod/shop/api: expose.retries need the Istio mesh (environment 'prod' runs without one");
    expect(expose({ circuitBreaker: { maxConnections: 10 } })).toThrow("prod/shop/api: expose.circuitBreaker needs the Istio mesh (environment 'prod' runs without one)");
  });

  test('out-of-range circuit breaker and retry values', () => {
    const mesh = { env: { mesh: { istio: true } } };
    expect(expose({ circuitBreaker: { maxEjectionPercent: 150 } }, mesh)).toThrow(/prod\/shop\/api: expose.circuitBreaker.maxEjectionPercent .*got 150/);
    expect(expose({ retries: { attempts: -1 } }, mesh)).toThrow(/prod\/shop\/api: expose.retries.attempts .*got -1/);
  });

  test('explicit timeouts where the route cannot carry them and no mesh does', () => {
    expect(() => edgeApp({}, (ns) => { service(ns, 'rpc', { use: [Exposure.grpc({ timeouts: { request: '5s' } })] }); }))
      .toThrow("prod/shop/rpc: expose.timeouts have nowhere to go: a GRPCRoute has no timeouts field and environment 'prod' runs without the mesh");
    expect(() => edgeApp({ gateway: undefined, ingressController: INGRESS }, (ns) => { service(ns, 'web', { use: [Exposure.http({ timeouts: { request: '5s' } })] }); }))
      .toThrow("prod/shop/web: expose.timeouts have nowhere to go: an Ingress has no timeouts field");
  });

  test('gRPC over an Ingress', () => {
    expect(() => edgeApp({ gateway: undefined, ingressController: INGRESS }, (ns) => { service(ns, 'rpc', { use: [Exposure.grpc()] }); }))
      .toThrow("prod/shop/rpc: expose.protocol is 'grpc', but cluster 'prod' exposes through Ingress");
  });
});

describe('a gRPC service with an Istio canary', () => {
  test('the GRPCRoute splits stable/canary and the plugin is told it is a grpcRoute', () => {
    const objects = renderEdgeApp({}, (ns) => {
      service(ns, 'rpc', { portName: 'grpc', delivery: Delivery.canary({ trafficRouting: TrafficRouting.istio() }), use: [Exposure.http()] });
    });
    expect(ofKind(objects, 'GRPCRoute')[0].spec.rules[0].backendRefs.map((b: any) => [b.name, b.weight])).toEqual([['rpc-stable', 100], ['rpc-canary', 0]]);
    expect(ofKind(objects, 'Rollout')[0].spec.strategy.canary.trafficRouting.plugins).toEqual({ 'argoproj-labs/gatewayAPI': { grpcRoute: 'rpc', namespace: 'shop' } });
    expectValidCrds(objects);
  });
});

describe('an Istio subset canary with the mesh', () => {
  test("circuit breaking goes on the canary's own DestinationRule (one per host), not a second one", () => {
    const objects = renderEdgeApp({ env: { mesh: { istio: true } } }, (ns) => {
      service(ns, 'api', { delivery: Delivery.canary({ trafficRouting: TrafficRouting.istio({ split: 'subsets' }) }), use: [Exposure.http()] });
    });
    const rules = ofKind(objects, 'DestinationRule');
    expect(rules).toHaveLength(1);
    expect(rules[0].spec.subsets.map((s: any) => s.name)).toEqual(['stable', 'canary']);
    expect(rules[0].spec.trafficPolicy.outlierDetection.consecutive5xxErrors).toBe(EXPOSURE_DEFAULTS.circuitBreaker.consecutive5xxErrors);
    // no Services to split between at the edge: the route sends to the service
    expect(ofKind(objects, 'HTTPRoute')[0].spec.rules[0].backendRefs.map((b: any) => b.name)).toEqual(['api']);
    expectValidCrds(objects);
  });
});

test('with the mesh, timeouts a GRPCRoute cannot carry go on a VirtualService', () => {
  const objects = renderEdgeApp({ env: { mesh: { istio: true } } }, (ns) => { service(ns, 'rpc', { use: [Exposure.grpc({ timeouts: { request: '5s' } })] }); });
  expect(ofKind(objects, 'VirtualService', 'rpc')[0].spec.http[0]).toEqual({ route: [{ destination: { host: 'rpc', port: { number: 8080 } } }], timeout: '5s' });
});
