import { GatewayDeclaration, Exposure } from '../../lib/exposure';
import { PlatformNamespace } from '../../lib/platform';
import { edgeApp, label, ofKind, prng, renderEdgeApp, service } from './fixtures';

// The platform renders its own Gateway: listeners from the environment's domain, certificates from its issuer,
// allowedRoutes exactly the namespaces whose routes attach.

const OWNED: GatewayDeclaration = {
  name: 'public',
  namespace: 'gateway-system',
  gatewayClassName: 'istio',
  podLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' },
  listeners: [{ name: 'apex', hostname: '{domain}' }, { name: 'https', hostname: '*.{domain}' }, { name: 'http', protocol: 'HTTP', hostname: '*.{domain}' }],
};

describe('a Gateway the platform renders', () => {
  test('renders even with no route: listeners from the domain, a Certificate per HTTPS listener, no namespace admitted yet', () => {
    const objects = renderEdgeApp({ gateway: OWNED }, () => undefined);
    const [gw] = ofKind(objects, 'Gateway');
    expect(gw.metadata).toMatchObject({ name: 'public', namespace: 'gateway-system' });
    expect(gw.spec.gatewayClassName).toBe('istio');
    expect(gw.spec.listeners.map((l: any) => [l.name, l.hostname, l.port, l.protocol])).toEqual([
      ['apex', 'shop.example', 443, 'HTTPS'], ['https', '*.shop.example', 443, 'HTTPS'], ['http', '*.shop.example', 80, 'HTTP'],
    ]);
    expect(gw.spec.listeners.every((l: any) => l.allowedRoutes.namespaces.from === 'Same')).toBe(true);
    const certs = ofKind(objects, 'Certificate');
    expect(certs.map((c) => [c.metadata.namespace, c.spec.secretName, c.spec.dnsNames])).toEqual([
      ['gateway-system', 'public-apex-tls', ['shop.example']], ['gateway-system', 'public-https-tls', ['*.shop.example']],
    ]);
    expect(gw.spec.listeners[0].tls).toEqual({ mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'public-apex-tls' }] });
    // render() validated the Gateway against the vendored Gateway API schema (vendor/crd-schemas)
  });

  test('routes attach by listener name and their namespaces are admitted, per listener; covered hosts need no Certificate of their own', () => {
    const app = edgeApp({ gateway: OWNED }, (ns, scope) => {
      service(ns, 'web', { use: [Exposure.http({ hosts: ['{domain}'] })] });
      const pay = new PlatformNamespace(scope, 'payments');
      service(pay, 'pay', { use: [Exposure.http({ hosts: ['pay.{domain}'] })] });
    });
    const objects = app.render().map((o) => o.manifest);
    const [gw] = ofKind(objects, 'Gateway');
    const admitted = (name: string) => gw.spec.listeners.find((l: any) => l.name === name).allowedRoutes.namespaces;
    expect(admitted('apex')).toEqual({ from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['shop'] }] } });
    expect(admitted('https').selector.matchExpressions[0].values).toEqual(['payments']);
    expect(admitted('http')).toEqual({ from: 'Same' });
    const web = ofKind(objects, 'HTTPRoute', 'web')[0];
    expect(web.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateway-system', sectionName: 'apex' }]);
    expect(ofKind(objects, 'Certificate').filter((c) => c.metadata.namespace !== 'gateway-system')).toEqual([]);
    expect(ofKind(objects, 'ReferenceGrant')).toEqual([]);
  });

  test('a host two labels below the wildcard brings its own certificate, which the listener serves (with a ReferenceGrant)', () => {
    const objects = renderEdgeApp({ gateway: OWNED }, (ns) => service(ns, 'api', { use: [Exposure.http({ hosts: ['api.eu.{domain}'] })] }));
    const [gw] = ofKind(objects, 'Gateway');
    const https = gw.spec.listeners.find((l: any) => l.name === 'https');
    expect(https.tls.certificateRefs).toEqual([
      { group: '', kind: 'Secret', name: 'public-https-tls' },
      { group: '', kind: 'Secret', name: 'api-tls', namespace: 'shop' },
    ]);
    expect(ofKind(objects, 'Certificate', 'api-tls')[0].spec.dnsNames).toEqual(['api.eu.shop.example']);
    expect(ofKind(objects, 'ReferenceGrant')[0].spec).toEqual({
      from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'gateway-system' }],
      to: [{ group: '', kind: 'Secret', name: 'api-tls' }],
    });
  });

  test('generated team namespaces: each listener admits exactly the namespaces routed through it, sorted, same bytes every time', () => {
    const r = prng(240);
    for (let round = 0; round < 4; round++) {
      const names = [...new Set(Array.from({ length: 1 + Math.floor(r() * 5) }, () => `t-${label(r)}`))];
      const apexNs = names.filter(() => r() < 0.5);
      const build = () => edgeApp({ gateway: OWNED }, (_ns, scope) => {
        names.forEach((n, i) => {
          const ns = new PlatformNamespace(scope, n);
          service(ns, `s${i}`, { use: [Exposure.http({ hosts: [apexNs.includes(n) ? '{domain}' : `s${i}-${n}.{domain}`], paths: [`/${n}`] })] });
        });
      }).render().map((o) => o.manifest);
      const objects = build();
      const [gw] = ofKind(objects, 'Gateway');
      const values = (l: string) => gw.spec.listeners.find((x: any) => x.name === l).allowedRoutes.namespaces.selector?.matchExpressions[0].values ?? [];
      expect(values('apex')).toEqual([...apexNs].sort());
      expect(values('https')).toEqual(names.filter((n) => !apexNs.includes(n)).sort());
      expect(JSON.stringify(build())).toBe(JSON.stringify(objects));
    }
  });

  test('mistakes: an HTTPS listener without hostname or without issuer, a bad class, {domain} without a domain', () => {
    expect(() => renderEdgeApp({ gateway: { ...OWNED, listeners: [{ name: 'https' }] } }, () => undefined))
      .toThrow('prod/gateway-public: gateway.listeners[0].hostname is required on an HTTPS listener of a rendered Gateway');
    expect(() => renderEdgeApp({ gateway: OWNED, env: { certificateIssuer: undefined } }, () => undefined))
      .toThrow("prod/gateway-public: gateway.listeners[0] is HTTPS, but environment 'prod' has no certificateIssuer");
    expect(() => renderEdgeApp({ gateway: { ...OWNED, gatewayClassName: 'Istio Gateway' } }, () => undefined))
      .toThrow('gateway.gatewayClassName must name a GatewayClass');
    expect(() => renderEdgeApp({ gateway: OWNED, env: { domain: undefined } }, () => undefined))
      .toThrow("gateway.listeners[0].hostname uses {domain}, but environment 'prod' has no domain");
    expect(() => renderEdgeApp({ gateway: { ...OWNED, listeners: [{ name: 'a', hostname: '{domain}' }, { name: 'a', hostname: 'x.{domain}' }] } }, () => undefined))
      .toThrow('gateway.listeners[1].name is used by two listeners');
  });

  test('a declared (not rendered) gateway still renders no Gateway', () => {
    const objects = renderEdgeApp({}, (ns) => service(ns, 'web', { use: [Exposure.http()] }));
    expect(ofKind(objects, 'Gateway')).toEqual([]);
  });
});
