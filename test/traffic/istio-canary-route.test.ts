import { ApiObject, App, Chart } from 'cdk8s';
import { IstioCanaryRoute } from '../../lib/traffic';
import { crdSchemaErrors } from '../fixtures/crd-schema';

const chart = () => new Chart(new App(), 'test');
const rendered = (c: Chart) => c.node.findAll().filter((x): x is ApiObject => x instanceof ApiObject).map((o) => o.toJson());
const base = { name: 'api', namespace: 'shop', hosts: ['api'], port: 8080 };

describe('IstioCanaryRoute', () => {
  test('GIVEN a service split THEN one named HTTP route sends everything to the stable Service until Argo Rollouts moves the weights', () => {
    const c = chart();
    const route = new IstioCanaryRoute(c, 'Route', { ...base, services: { stableService: 'api-stable', canaryService: 'api-canary' } });
    const [vs, ...rest] = rendered(c);
    expect(rest).toEqual([]);
    expect(vs).toMatchObject({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'api', namespace: 'shop' } });
    expect(vs.spec).toEqual({
      hosts: ['api'],
      http: [{
        name: 'primary',
        route: [
          { destination: { host: 'api-stable', port: { number: 8080 } }, weight: 100 },
          { destination: { host: 'api-canary', port: { number: 8080 } }, weight: 0 },
        ],
      }],
    });
    expect(route.destinationRule).toBeUndefined();
    expect(route.argoTrafficRouting()).toEqual({ istio: { virtualService: { name: 'api', routes: ['primary'] }, destinationRule: undefined } });
    expect(crdSchemaErrors(vs)).toEqual([]);
  });

  test('GIVEN a subset split THEN a DestinationRule defines stable and canary subsets of one host', () => {
    const c = chart();
    const route = new IstioCanaryRoute(c, 'Route', { ...base, gateways: ['istio-ingress/public', 'mesh'], subsets: { host: 'api', podLabels: { 'app.kubernetes.io/name': 'api' } } });
    const objects = rendered(c);
    const dr = objects.find((o) => o.kind === 'DestinationRule');
    const vs = objects.find((o) => o.kind === 'VirtualService');
    expect(dr.spec).toEqual({
      host: 'api',
      subsets: [
        { name: 'stable', labels: { 'app.kubernetes.io/name': 'api' } },
        { name: 'canary', labels: { 'app.kubernetes.io/name': 'api' } },
      ],
    });
    expect(vs.spec.gateways).toEqual(['istio-ingress/public', 'mesh']);
    expect(vs.spec.http[0].route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['stable', 100], ['canary', 0]]);
    expect(route.argoTrafficRouting().istio.destinationRule).toEqual({ name: 'api', stableSubsetName: 'stable', canarySubsetName: 'canary' });
    for (const o of objects) expect(crdSchemaErrors(o)).toEqual([]);
  });

  test('requires exactly one way to split', () => {
    expect(() => new IstioCanaryRoute(chart(), 'Route', base)).toThrow(/test\/Route: services and subsets are mutually exclusive, and one is required/);
  });
});
