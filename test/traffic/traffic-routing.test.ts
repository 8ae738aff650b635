import { CanaryStep, Delivery } from '../../lib/delivery';
import { TrafficRouting } from '../../lib/traffic';
import { buildService, renderService } from '../fixtures/service-app';

const canary = (trafficRouting: TrafficRouting, steps?: CanaryStep[]) => ({ delivery: Delivery.canary({ trafficRouting, steps }) });

describe('TrafficRouting.istio', () => {
  test('routes in-mesh callers of the service by default', () => {
    const { one } = renderService(canary(TrafficRouting.istio()));
    expect(one('VirtualService').spec.hosts).toEqual(['api']);
    expect(one('VirtualService').spec.gateways).toBeUndefined();
    expect(one('Rollout').spec.strategy.canary.trafficRouting).toEqual({ istio: { virtualService: { name: 'api', routes: ['primary'] } } });
  });

  test('GIVEN gateways THEN it routes the public hosts there and keeps in-mesh callers (mesh gateway, service name)', () => {
    const { one } = renderService(canary(TrafficRouting.istio({ gateways: ['istio-ingress/public'], hosts: ['api.shop.example.com'] })));
    expect(one('VirtualService').spec.gateways).toEqual(['istio-ingress/public', 'mesh']);
    expect(one('VirtualService').spec.hosts).toEqual(['api.shop.example.com', 'api']);
  });

  test('GIVEN includeMesh false THEN only the gateway is routed', () => {
    const { one } = renderService(canary(TrafficRouting.istio({ gateways: ['istio-ingress/public'], hosts: ['api.shop.example.com'], includeMesh: false })));
    expect(one('VirtualService').spec).toMatchObject({ gateways: ['istio-ingress/public'], hosts: ['api.shop.example.com'] });
  });

  test('GIVEN a subset split THEN no stable/canary Services are needed', () => {
    const { all, one } = renderService(canary(TrafficRouting.istio({ split: 'subsets' })));
    expect(all('Service').map((s) => s.metadata.name)).toEqual(['api']);
    expect(one('DestinationRule').spec.host).toBe('api');
    expect(one('Rollout').spec.strategy.canary.stableService).toBeUndefined();
  });

  test('rejects gateways without a host', () => {
    expect(() => buildService(canary(TrafficRouting.istio({ gateways: ['istio-ingress/public'] }))))
      .toThrow("prod/shop/api: delivery.trafficRouting.hosts is required when gateways are set (a VirtualService at a gateway routes public hostnames), got undefined; add the public hostname, e.g. hosts: ['api.example.com']");
  });

  test.each([
    [{ hosts: [] }, /delivery.trafficRouting.hosts is empty, so the VirtualService routes nothing, got \[\]/],
    [{ hosts: ['API.example.com'] }, /delivery.trafficRouting.hosts\[0\] must be a hostname .*, got "API.example.com"/],
    [{ gateways: ['a/b/c'], hosts: ['x.example.com'] }, /delivery.trafficRouting.gateways\[0\] must name an Istio Gateway/],
    [{ split: 'weights' }, /delivery.trafficRouting.split must be 'services' or 'subsets', got "weights"/],
  ])('rejects %j', (options, message) => {
    expect(() => buildService(canary(TrafficRouting.istio(options as any)))).toThrow(message);
  });
});

describe('TrafficRouting.gatewayApi', () => {
  const gateways = [{ name: 'public', namespace: 'gateway-system' }];

  test('renders an HTTPRoute and the plugin configuration', () => {
    const { one } = renderService(canary(TrafficRouting.gatewayApi({ gateways, hostnames: ['api.example.com'] })));
    expect(one('HTTPRoute').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateway-system' }]);
    expect(one('Rollout').spec.strategy.canary.trafficRouting).toEqual({ plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'api', namespace: 'shop' } } });
  });

  test('rejects a route without gateways', () => {
    expect(() => buildService(canary(TrafficRouting.gatewayApi({ gateways: [] }))))
      .toThrow(/prod\/shop\/api: delivery.trafficRouting.gateways must name at least one Gateway the HTTPRoute attaches to, got \[\]/);
  });

  test('rejects mirror steps (the plugin cannot mirror)', () => {
    expect(() => buildService(canary(TrafficRouting.gatewayApi({ gateways }), [CanaryStep.setWeight(10), CanaryStep.mirror()])))
      .toThrow(/delivery.trafficRouting does not support setMirrorRoute steps .*; route with TrafficRouting.istio/);
  });

  test.each([
    [{ gateways: [{ name: 'Public' }] }, /delivery.trafficRouting.gateways\[0\].name must be a DNS-1123 label/],
    [{ gateways, hostnames: ['*'] }, /delivery.trafficRouting.hostnames\[0\] must be a hostname/],
    [{ gateways, pathPrefix: 'api' }, /delivery.trafficRouting.pathPrefix must start with '\/', got "api"/],
  ])('rejects %j', (options, message) => {
    expect(() => buildService(canary(TrafficRouting.gatewayApi(options as any)))).toThrow(message);
  });
});
