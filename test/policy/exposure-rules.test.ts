import { Chart } from 'cdk8s';
import { Exposure } from '../../lib/exposure';
import { connectionNamespaceExists, EXPOSURE_RULES, routeClaims, routeHostPathUnique } from '../../lib/policy/exposure-rules';
import { evaluateManifests, Policy, PolicyRules } from '../../lib/policy';
import { HardenedService } from '../../lib/workloads';
import { edgeApp, GATEWAY, label, prng, service } from '../exposure/fixtures';

const httpRoute = (name: string, hosts: string[], paths: string[], extra: any = {}) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name, namespace: 'shop' },
  spec: { hostnames: hosts, rules: [{ matches: paths.map((value) => ({ path: { type: 'PathPrefix', value }, ...extra })) }] },
});
const ingress = (name: string, host: string, paths: string[]) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace: 'shop' },
  spec: { rules: [{ host, http: { paths: paths.map((path) => ({ path, pathType: 'Prefix' })) } }] },
});
const findings = (objects: any[], rule = routeHostPathUnique) => evaluateManifests(objects, { rules: [rule] });

describe('hygiene-route-host-path-unique', () => {
  test('is in the catalogue, CI-side', () => {
    expect(PolicyRules.find('hygiene-route-host-path-unique')).toBe(routeHostPathUnique);
    expect(EXPOSURE_RULES).toContain(connectionNamespaceExists);
  });

  test('flags two routes (of any kind) claiming the same host and path, both ways', () => {
    const f = findings([httpRoute('web', ['shop.example'], ['/']), ingress('legacy', 'shop.example', ['/', '/old'])]);
    expect(f.map((x) => `${x.object.kind}/${x.object.name} ${x.field}: ${x.message}`)).toEqual([
      'HTTPRoute/web spec.rules[0].matches[0]: host shop.example path / is also claimed by Ingress/shop/legacy',
      'Ingress/legacy spec.rules[0].http.paths[0]: host shop.example path / is also claimed by HTTPRoute/shop/web',
    ]);
  });

  test('accepts distinct paths on one host, one route claiming twice, and header-matched rules', () => {
    expect(findings([httpRoute('web', ['shop.example'], ['/']), httpRoute('api', ['shop.example'], ['/api'])])).toEqual([]);
    expect(findings([httpRoute('web', ['shop.example', 'www.shop.example'], ['/', '/'])])).toEqual([]);
    expect(findings([httpRoute('web', ['shop.example'], ['/']), httpRoute('canary', ['shop.example'], ['/'], { headers: [{ name: 'x-canary', value: 'always' }] })])).toEqual([]);
  });

  test('generated claims: a finding exactly when two routes share a host and path', () => {
    const rand = prng(99);
    for (let i = 0; i < 40; i++) {
      const hostsA = [`${label(rand)}.example`];
      const hostsB = rand() < 0.5 ? hostsA : [`${label(rand)}.other`];
      const pathsA = [`/${label(rand)}`];
      const pathsB = rand() < 0.5 ? pathsA : [`/${label(rand)}x`];
      const clash = hostsA[0] === hostsB[0] && pathsA[0] === pathsB[0];
      expect(findings([httpRoute('a', hostsA, pathsA), httpRoute('b', hostsB, pathsB)]).length).toBe(clash ? 2 : 0);
    }
  });

  test('reads claims from GRPCRoutes by service and method', () => {
    const grpc = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GRPCRoute', metadata: { name: 'rpc' }, spec: { hostnames: ['rpc.example'], rules: [{}] } };
    expect(routeClaims(grpc)).toEqual([{ key: 'rpc.example grpc:*/*', field: 'spec.rules[0].matches[0]' }]);
  });

  test('two exposed services claiming the same host and path fail synth', () => {
    const app = edgeApp({}, (ns) => {
      service(ns, 'web', { use: [Exposure.http({ hosts: ['www.shop.example'] })] });
      service(ns, 'shop', { use: [Exposure.http({ hosts: ['www.shop.example'] })] });
    });
    expect(() => app.render()).toThrow(/hygiene-route-host-path-unique/);
  });

  test('can be exempted with a reason', () => {
    const app = edgeApp({ gateway: { ...GATEWAY, listeners: [{ name: 'any' }] } }, (ns) => {
      service(ns, 'web', { use: [Exposure.http({ hosts: ['shop.example'] })] });
      const old = service(ns, 'old', { use: [Exposure.http({ hosts: ['shop.example'] })] });
      Policy.exempt(old, 'hygiene-route-host-path-unique', 'old is being replaced by web during the migration window');
    });
    // web's route is still flagged (only old is exempt)
    expect(() => app.render()).toThrow(/HTTPRoute\/shop\/web/);
  });
});

describe('hygiene-connection-namespace-exists', () => {
  test('a connection to a service in a namespace the target does not render fails synth', () => {
    const app = edgeApp({}, (ns, scope: Chart) => {
      const ghost = new HardenedService(new Chart(scope, 'elsewhere', { namespace: 'ghost' }), 'db', { image: 'ghcr.io/acme/db:1.0.0', port: 5432 });
      service(ns, 'api').connectTo(ghost);
    });
    expect(() => app.render()).toThrow(/hygiene-connection-namespace-exists/);
  });

  test('names the workload, the namespace and the fix', () => {
    const np = {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'api', namespace: 'shop' },
      spec: { egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ghost' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'db' } } }] }] },
    };
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
    const [f] = evaluateManifests([{ folder: 'prod', manifest: np }, { folder: 'prod', manifest: namespace }], { rules: [connectionNamespaceExists] });
    expect(f.field).toBe('spec.egress[0].to[0].namespaceSelector');
    expect(f.message).toBe('connects to db in namespace ghost, which prod does not render');
    expect(f.fix).toBe('create the namespace ghost in this target (PlatformNamespace), or connect to a service that exists here');
  });

  test('ignores namespace-only peers (DNS, monitoring, ingress controllers), existing namespaces, and folders rendering no Namespace', () => {
    const np = (ns: string, pod?: Record<string, string>) => ({
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'api', namespace: 'shop' },
      spec: { egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } }, ...(pod ? { podSelector: { matchLabels: pod } } : {}) }] }] },
    });
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
    expect(findings([np('kube-system', { 'k8s-app': 'kube-dns' }), namespace], connectionNamespaceExists)).toEqual([]);
    expect(findings([np('shop', { 'app.kubernetes.io/name': 'db' }), namespace], connectionNamespaceExists)).toEqual([]);
    expect(findings([np('ghost', { 'app.kubernetes.io/name': 'db' })], connectionNamespaceExists)).toEqual([]);
  });
});
