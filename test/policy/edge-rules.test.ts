import { Exposure, GatewayDeclaration } from '../../lib/exposure';
import { evaluateManifests, Policy, PolicyError } from '../../lib/policy';
import { routeHostInDomain, routeHostOwner, routeHostPathUnique, routeKindPerHost, routeTlsInProduction } from '../../lib/policy/exposure-rules';
import { gatewayReferences } from '../../lib/policy/gateway-rules';
import { PlatformNamespace } from '../../lib/platform';
import { edgeApp, label, pick, prng, renderEdgeApp, service } from '../exposure/fixtures';

// Rules a hostile or careless user tries at the edge (issue 25), each with generated inputs.

const GW = 'gateway.networking.k8s.io';
const route = (kind: 'HTTPRoute' | 'GRPCRoute', name: string, ns: string, hosts: string[], o: { parent?: any; paths?: string[] } = {}) => ({
  apiVersion: `${GW}/v1`,
  kind,
  metadata: { name, namespace: ns },
  spec: {
    parentRefs: [o.parent ?? { group: GW, kind: 'Gateway', name: 'public', namespace: 'gateway-system' }],
    hostnames: hosts,
    rules: kind === 'HTTPRoute' ? [{ matches: (o.paths ?? ['/']).map((value) => ({ path: { type: 'PathPrefix', value } })) }] : [{}],
  },
});
const ingress = (name: string, ns: string, host: string, tls: boolean) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace: ns },
  spec: { rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix' }] } }], ...(tls ? { tls: [{ hosts: [host], secretName: `${name}-tls` }] } : {}) },
});
const namespace = (name: string, team?: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(team ? { labels: { team } } : {}) } });
const gateway = (listeners: any[]) => ({ apiVersion: `${GW}/v1`, kind: 'Gateway', metadata: { name: 'public', namespace: 'gateway-system' }, spec: { gatewayClassName: 'istio', listeners } });
/** [rule, message] of each finding of the PolicyError `fn` throws. */
function findingsOf(fn: () => unknown): [string, string][] {
  try {
    fn();
  } catch (e) {
    if (e instanceof PolicyError) return e.findings.map((f) => [f.rule, f.message]);
    throw e;
  }
  throw new Error('expected a PolicyError');
}
const run = (objects: any[], rule: any, environment?: { name: string; production: boolean; domain?: string }) =>
  evaluateManifests(objects.map((manifest) => ({ folder: 'prod', manifest, environment })), { rules: [rule] });

describe('hygiene-route-host-in-domain', () => {
  test('generated hosts: inside the domain pass, others (another environment, a lookalike suffix) fail by host', () => {
    const r = prng(2501);
    const domain = 'shop.acme.example';
    for (let i = 0; i < 40; i++) {
      const sub = label(r);
      const host = pick(r, [`${sub}.${domain}`, domain, `*.${domain}`, `${sub}.staging.acme.example`, `${sub}${domain}`, `${sub}.acme.example`, `${domain}.${sub}`]);
      const inside = host === domain || host.endsWith(`.${domain}`);
      const kind = pick(r, ['route', 'ingress']);
      const obj = kind === 'route' ? route('HTTPRoute', 'web', 'shop', [host]) : ingress('web', 'shop', host, true);
      const f = run([obj], routeHostInDomain, { name: 'prod', production: true, domain });
      expect(f.length).toBe(inside ? 0 : 1);
      if (!inside) expect(f[0].message).toBe(`host ${host} is outside environment prod's domain ${domain} (another environment's host, or someone else's)`);
    }
    // without a known domain nothing is judged
    expect(run([route('HTTPRoute', 'web', 'shop', ['x.example'])], routeHostInDomain)).toEqual([]);
  });

  test('through synth: dev claiming the prod host fails; an exemption with a reason on the one service lifts it', () => {
    const build = (exempt: boolean) => renderEdgeApp({ env: { domain: 'dev.shop.example' }, gateway: { name: 'public', namespace: 'gateway-system', listeners: [{ name: 'any' }] } }, (ns) => {
      const web = service(ns, 'web', { use: [Exposure.http({ hosts: ['shop.example'] })] });
      if (exempt) Policy.exempt(web, 'hygiene-route-host-in-domain', 'serves the production host during the migration week');
    });
    expect(findingsOf(() => build(false))).toEqual([['hygiene-route-host-in-domain', "host shop.example is outside environment prod's domain dev.shop.example (another environment's host, or someone else's)"]]);
    expect(() => build(true)).not.toThrow();
  });
});

describe('hygiene-route-tls-in-production', () => {
  const listeners = [{ name: 'https', protocol: 'HTTPS', port: 443, hostname: '*.shop.example' }, { name: 'http', protocol: 'HTTP', port: 80, hostname: '*.shop.example' }];
  test('generated: a route on a plain-HTTP listener or an Ingress host without TLS fails in production only', () => {
    const r = prng(2502);
    for (let i = 0; i < 30; i++) {
      const production = r() < 0.5;
      const plain = r() < 0.5;
      const host = `${label(r)}.shop.example`;
      const obj = r() < 0.5
        ? route(pick(r, ['HTTPRoute', 'GRPCRoute'] as const), 'a', 'shop', [host], { parent: { name: 'public', namespace: 'gateway-system', sectionName: plain ? 'http' : 'https' } })
        : ingress('a', 'shop', host, !plain);
      const f = run([gateway(listeners), obj], routeTlsInProduction, { name: 'prod', production });
      expect(f.length).toBe(production && plain ? 1 : 0);
    }
  });

  test('through synth: tls: false on a Gateway route in production fails; the declared listener counts too', () => {
    const gw: GatewayDeclaration = { name: 'public', namespace: 'gateway-system', listeners: [{ name: 'http', protocol: 'HTTP' }, { name: 'https', hostname: '*.shop.example', certificateSecret: 'wild' }] };
    expect(() => renderEdgeApp({ gateway: gw, env: { production: true } }, (ns) => service(ns, 'web', { use: [Exposure.http({ hosts: ['web.shop.example'], tls: false })] })))
      .toThrow(/hygiene-route-tls-in-production[\s\S]*attaches to plain-HTTP listener http/);
    expect(() => renderEdgeApp({ gateway: gw, env: { production: false } }, (ns) => service(ns, 'web', { use: [Exposure.http({ hosts: ['web.shop.example'], tls: false })] }))).not.toThrow();
  });
});

describe('hygiene-route-host-owner', () => {
  test('generated teams and hosts: a host served by two owners fails for every route on it, naming the other owner', () => {
    const r = prng(2503);
    for (let round = 0; round < 15; round++) {
      const teams = ['storefront', 'payments', 'search'].slice(0, 1 + Math.floor(r() * 3));
      const objects: any[] = teams.map((t) => namespace(t, t));
      objects.push(namespace('edge')); // the platform's own namespace
      const owners = new Map<string, Set<string>>();
      for (let i = 0; i < 5; i++) {
        const ns = pick(r, [...teams, 'edge']);
        const host = pick(r, ['shop.example', 'api.shop.example', 'pay.shop.example']);
        objects.push(route('HTTPRoute', `r${i}`, ns, [host], { paths: [`/p${i}`] }));
        owners.set(host, new Set([...(owners.get(host) ?? []), ns === 'edge' ? 'the platform' : `team ${ns}`]));
      }
      const f = run(objects, routeHostOwner);
      const contested = new Set([...owners].filter(([, o]) => o.size > 1).map(([h]) => h));
      const expected = objects.filter((o) => o.kind === 'HTTPRoute' && contested.has(o.spec.hostnames[0])).map((o) => o.metadata.name).sort();
      expect(f.map((x) => x.object.name).sort()).toEqual(expected);
      for (const x of f) expect(x.message).toMatch(/is also served by (team \w+|the platform) \(HTTPRoute\//);
    }
  });

  test('through synth: the payments team routing a path on the storefront host fails', () => {
    const f = findingsOf(() => renderEdgeApp({}, (ns, scope) => {
      service(ns, 'web', { use: [Exposure.http({ hosts: ['web.shop.example'] })] });
      const pay = new PlatformNamespace(scope, 'payments', { team: 'payments' });
      service(pay, 'pay', { use: [Exposure.http({ hosts: ['web.shop.example'], paths: ['/pay'] })] });
    }));
    expect(f).toEqual([
      ['hygiene-route-host-owner', 'host web.shop.example is also served by the platform (HTTPRoute/shop/web), while this route belongs to team payments'],
      ['hygiene-route-host-owner', 'host web.shop.example is also served by team payments (HTTPRoute/payments/pay), while this route belongs to the platform'],
    ]);
  });
});

describe("'/api' and '/api/' are one claim", () => {
  test('generated prefixes with and without trailing slashes collide across routes', () => {
    const r = prng(2504);
    for (let i = 0; i < 25; i++) {
      const base = `/${label(r)}`;
      const a = base + '/'.repeat(Math.floor(r() * 3));
      const b = base + '/'.repeat(Math.floor(r() * 3));
      const f = run([route('HTTPRoute', 'one', 'shop', ['shop.example'], { paths: [a] }), route('HTTPRoute', 'two', 'shop', ['shop.example'], { paths: [b] })], routeHostPathUnique);
      expect(f.map((x) => x.object.name)).toEqual(['one', 'two']);
    }
  });

  test('one exposure listing both is refused at construction', () => {
    expect(() => renderEdgeApp({}, (ns) => service(ns, 'api', { use: [Exposure.http({ hosts: ['api.shop.example'], paths: ['/api', '/api/'] })] })))
      .toThrow("prod/shop/api: expose.paths[1] is the same path prefix as '/api' (a trailing slash matches the same requests), got \"/api/\"");
  });
});

describe('hygiene-route-kind-per-host', () => {
  test('generated: an HTTPRoute and a GRPCRoute sharing a host on one Gateway fail, on different hosts or gateways pass', () => {
    const r = prng(2505);
    for (let i = 0; i < 25; i++) {
      const h1 = pick(r, ['a.shop.example', 'b.shop.example']);
      const h2 = pick(r, ['a.shop.example', 'b.shop.example']);
      const g2 = pick(r, ['public', 'internal']);
      const objects = [route('HTTPRoute', 'web', 'shop', [h1]), route('GRPCRoute', 'rpc', 'shop', [h2], { parent: { name: g2, namespace: 'gateway-system' } })];
      const f = run(objects, routeKindPerHost);
      expect(f.length).toBe(h1 === h2 && g2 === 'public' ? 2 : 0);
    }
  });
});

describe('hygiene-gateway-references', () => {
  const owned: GatewayDeclaration = { name: 'public', namespace: 'gateway-system', gatewayClassName: 'istio', listeners: [{ name: 'https', hostname: '*.{domain}' }] };

  test('what the library renders for a platform-owned Gateway is consistent both ways', () => {
    expect(() => renderEdgeApp({ gateway: owned }, (ns, scope) => {
      service(ns, 'web', { use: [Exposure.http()] });
      service(ns, 'deep', { use: [Exposure.http({ hosts: ['a.b.shop.example'] })] });
      service(new PlatformNamespace(scope, 'payments'), 'pay', { use: [Exposure.http()] });
    })).not.toThrow();
  });

  test('a raw route naming a missing listener or from a namespace the listener does not admit fails', () => {
    const gw = gateway([{ name: 'https', protocol: 'HTTPS', port: 443, hostname: '*.shop.example',
      allowedRoutes: { namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['shop'] }] } } },
      tls: { certificateRefs: [{ name: 'wild' }] } }]);
    const cert = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'wild', namespace: 'gateway-system' }, spec: { secretName: 'wild' } };
    const r = prng(2506);
    for (let i = 0; i < 20; i++) {
      const ns = pick(r, ['shop', 'payments', label(r)]);
      const section = pick(r, ['https', 'http', undefined]);
      const host = pick(r, ['web.shop.example', 'web.other.example']);
      const f = run([gw, cert, route('HTTPRoute', 'web', ns, [host], { parent: { name: 'public', namespace: 'gateway-system', ...(section ? { sectionName: section } : {}) } })], gatewayReferences);
      const expected = section === 'http' ? 'names listener http' : ns !== 'shop' ? 'is not admitted by Gateway/gateway-system/public' : host !== 'web.shop.example' ? 'match no host name' : undefined;
      if (expected) expect(f.map((x) => x.message).join('\n')).toContain(expected);
      else expect(f).toEqual([]);
    }
  });

  test('a hand-written Gateway naming a certificate Secret nothing provides, or reading another namespace without a grant, fails; a grant no listener uses fails', () => {
    const gw = gateway([{ name: 'https', protocol: 'HTTPS', port: 443, hostname: '*.shop.example', tls: { certificateRefs: [{ name: 'gateway-tls' }, { name: 'web-tls', namespace: 'shop' }] } }]);
    const webCert = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'web-tls', namespace: 'shop' }, spec: { secretName: 'web-tls' } };
    const grant = (name: string) => ({ apiVersion: `${GW}/v1beta1`, kind: 'ReferenceGrant', metadata: { name: `${name}-grant`, namespace: 'shop' },
      spec: { from: [{ group: GW, kind: 'Gateway', namespace: 'gateway-system' }], to: [{ group: '', kind: 'Secret', name }] } });
    const messages = (objects: any[]) => run(objects, gatewayReferences).map((x) => x.message);
    expect(messages([gw, webCert])).toEqual([
      'names Secret gateway-system/gateway-tls, which nothing in this target provides (no Certificate, ExternalSecret, SealedSecret or Secret)',
      'reads Secret shop/web-tls across namespaces, but no ReferenceGrant in shop lets Gateways of gateway-system read it',
    ]);
    // the library's per-service Secret is named api-tls, the hand-written Gateway lists web-tls: the grant is unused
    expect(messages([gw, webCert, grant('web-tls'), grant('api-tls')]).filter((m) => m.includes('api-tls'))).toEqual([
      'lets Gateways of gateway-system read Secret shop/api-tls, but no listener of Gateway/gateway-system/public names it in certificateRefs (its hosts would get another certificate)',
    ]);
  });

  test('a backend in another namespace needs a ReferenceGrant', () => {
    const rt = route('HTTPRoute', 'web', 'shop', ['shop.example']);
    (rt.spec.rules[0] as any).backendRefs = [{ name: 'pay', namespace: 'payments', port: 8080 }];
    expect(run([gateway([{ name: 'h', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } }]), rt], gatewayReferences).map((x) => x.message))
      .toEqual(['sends traffic to Service payments/pay in another namespace, which no ReferenceGrant there allows']);
  });
});

describe('edge apps still render', () => {
  test('the example fixtures pass every new rule', () => {
    expect(() => edgeApp({}, (ns) => service(ns, 'web', { use: [Exposure.http()] })).render()).not.toThrow();
  });
});
