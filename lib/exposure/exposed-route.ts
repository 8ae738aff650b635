import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { assertHostname, assertInt, checkProps, configError, parseGoDuration } from '../core';
import { targetOf } from '../environments/environment';
import { meshOf } from '../mesh/mesh-settings';
import { TRAFFIC_DEFAULTS } from '../traffic/defaults';
import { GatewayParent } from '../traffic/gateway-canary-route';
import { ServiceRoutes } from '../traffic/service-routes';
import type { HardenedService } from '../workloads/hardened-service';
import { NetworkPeer } from '../workloads/network-peer';
import { EXPOSURE_DEFAULTS as D } from './defaults';
import { CertificateIssuerDeclaration, GatewayDeclaration, GatewayListenerDeclaration } from './edge-declaration';
import { PlatformGateway, resolveGateway } from './platform-gateway';

/** Gateway timeouts of the route (Gateway API duration strings: `30s`, `1m30s`, `500ms`). */
export interface RouteTimeouts {
  /** The whole request, from the gateway's point of view (retries included). @default '30s' */
  readonly request?: string;
  /** One attempt at the backend; at most `request`. @default - the gateway's */
  readonly backendRequest?: string;
}

/** Retries of failed requests (Istio: the service's VirtualService). */
export interface RouteRetries {
  /** Attempts after the first. */
  readonly attempts: number;
  /** @default - the route's request timeout */
  readonly perTryTimeout?: string;
  /** Envoy retry conditions. @default - Istio's ('connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes') */
  readonly retryOn?: string;
}

/** Circuit breaking with the mesh: outlier detection and connection pool limits (per caller pod). */
export interface CircuitBreakerOptions {
  /** @default 5 */
  readonly consecutive5xxErrors?: number;
  /** @default '10s' */
  readonly interval?: string;
  /** @default '30s' */
  readonly baseEjectionTime?: string;
  /** @default 50 */
  readonly maxEjectionPercent?: number;
  /** @default 1024 */
  readonly maxConnections?: number;
  /** @default 1024 */
  readonly maxPendingRequests?: number;
  /** @default 1024 */
  readonly maxRequests?: number;
}

/** How a service is exposed. */
export interface ExposureOptions {
  /**
   * Host names: full names, or templates with `{service}` (the service's name) and `{domain}` (the environment's
   * domain): `['{domain}']` exposes on the domain itself. A `*.` wildcard needs a wildcard listener.
   * @default ['{service}.{domain}']
   */
  readonly hosts?: string[];
  /**
   * Path prefixes routed to the service, each starting with '/' (HTTP only).
   * @default ['/']
   */
  readonly paths?: string[];
  /**
   * The service port the route sends traffic to (the Service has only its main port).
   * @default - the service's port
   */
  readonly port?: number;
  /**
   * `grpc` renders a GRPCRoute.
   * @default - 'grpc' when the service's port is named grpc (or grpc-...), else 'http'
   */
  readonly protocol?: 'http' | 'grpc';
  /**
   * HTTPS at the edge, with the gateway's certificate for the host or a cert-manager Certificate from the
   * environment's issuer.
   * @default true
   */
  readonly tls?: boolean;
  /** @default { request: '30s' } */
  readonly timeouts?: RouteTimeouts;
  /**
   * Retries; rendered on the service's VirtualService, so they need the mesh (the Gateway API standard channel
   * v1.6 has no HTTPRoute retry).
   * @default - none beyond the mesh's own
   */
  readonly retries?: RouteRetries;
  /**
   * Circuit breaking with the mesh; `false` renders none.
   * @default - the defaults table (5 consecutive 5xx eject a pod for 30s, at most 50%; 1024 connections/requests)
   */
  readonly circuitBreaker?: CircuitBreakerOptions | false;
}

export interface ExposedRouteProps extends ExposureOptions {
  /** The service to expose (only services: a worker has no Service to route to). */
  readonly service: HardenedService;
}

/**
 * A HardenedService exposed on host names of its environment, through the cluster's declared edge: a Gateway API
 * HTTPRoute (GRPCRoute for gRPC) attached to the shared Gateway, or an Ingress of the cluster's ingress class.
 * TLS by a certificate the gateway already holds for the host, or a cert-manager Certificate (from the
 * environment's issuer) with a ReferenceGrant so the Gateway may read its Secret. The NetworkPolicy admits the
 * gateway's pods (the mesh its identity) on the port.
 *
 * One route: a canary of the service splits this route (its Gateway API route is attached here instead of a
 * second one, an Istio canary gets this route as a second router, Flagger generates it from the hosts and
 * gateway given here). With the mesh: circuit breaking in a DestinationRule, timeout and retries on the
 * service's VirtualService.
 */
export class ExposedRoute extends Construct {
  /** The host names, resolved. */
  public readonly hosts: readonly string[];
  public readonly paths: readonly string[];
  /** HTTPRoute, GRPCRoute or Ingress; undefined when Flagger generates the route. */
  public readonly route?: ApiObject;
  public readonly certificate?: ApiObject;
  public readonly referenceGrant?: ApiObject;
  public readonly destinationRule?: ApiObject;
  public readonly virtualService?: ApiObject;

  constructor(scope: Construct, id: string, props: ExposedRouteProps) {
    super(scope, id);
    checkProps(this, 'ExposedRouteProps', props);
    const service = props.service;
    const target = targetOf(this);
    if (!target) {
      throw configError(service, 'expose', 'needs the environment target the service is rendered for (its cluster declares the gateway)', undefined,
        'create the service inside app.forEachTarget(...) of a GitOpsApp');
    }
    const { env, cluster } = target;
    const gateway = resolveGateway(service, target);
    const ingress = cluster.ingressController;
    if (!gateway && !ingress) {
      throw configError(service, 'expose', `needs an edge, but cluster '${cluster.name}' declares neither gateway nor ingressController`, undefined,
        "declare e.g. gateway: { name: 'public', namespace: 'gateway-system', listeners: [{ name: 'https', hostname: '*.acme.example' }] } on the cluster");
    }

    const protocol = props.protocol ?? (/^grpc(-|$)/.test(service.portName) ? 'grpc' : 'http');
    if (protocol !== 'http' && protocol !== 'grpc') {
      throw configError(service, 'expose.protocol', "must be 'http' or 'grpc'", protocol, "use 'http'");
    }
    this.hosts = resolveHosts(service, props.hosts ?? [...D.hosts], env.domain, env.name);
    if (protocol === 'grpc' && props.paths !== undefined) {
      throw configError(service, 'expose.paths', 'do not apply to gRPC (a GRPCRoute matches services and methods)', props.paths, 'remove paths');
    }
    this.paths = resolvePaths(service, props.paths ?? [...D.paths]);
    const port = props.port ?? service.port;
    if (port !== service.port) {
      throw configError(service, 'expose.port', `is not a port of the Service '${service.name}' (it has ${service.portName}: ${service.port})`, port,
        `route to ${service.port}, or leave port out`);
    }
    const timeouts = resolveTimeouts(service, props.timeouts ?? D.timeouts);
    const tls = props.tls ?? D.tls;
    const mesh = meshOf(this);
    const routes = ServiceRoutes.of(service);
    const metadata = (name: string = service.name) => service.pod.metadata(name);

    // --- TLS, and the route on the cluster's edge ---
    let needCertificate: string[];
    let attach: GatewayAttachment | undefined;
    const platform = gateway?.rendered ? PlatformGateway.of(this) : undefined;
    if (gateway) {
      attach = attachToGateway(service, gateway, this.hosts, tls);
      needCertificate = attach.uncovered;
      // a Gateway the platform renders admits exactly the namespaces of the routes attached to each listener
      for (const l of attach.listeners) platform?.admit(l.name, service.namespace);
      const parents: GatewayParent[] = attach.listeners.map((l) => ({
        name: gateway.name,
        namespace: gateway.namespace,
        sectionName: gateway.listeners.length > 1 ? l.name : undefined,
      }));
      if (routes.flaggerProvider !== undefined) {
        if (!routes.flaggerProvider.startsWith('gatewayapi')) {
          throw configError(service, 'expose', `is through a Gateway API Gateway, but Flagger routes with provider '${routes.flaggerProvider}'`, routes.flaggerProvider,
            "set the Flagger provider to 'gatewayapi:v1' so that Flagger's HTTPRoute is the exposure's route");
        }
        // Flagger generates the HTTPRoute from Canary.spec.service: hand it the hosts and the gateway
        routes.exposure = { hosts: [...this.hosts], gateways: parents.map((p) => ({ name: p.name, namespace: p.namespace!, sectionName: p.sectionName })) };
      } else if (routes.gatewayRoute) {
        // the canary's own Gateway API route becomes the exposure route
        routes.gatewayRoute.expose({ parents, hostnames: [...this.hosts], rules: [{ pathPrefixes: [...this.paths], timeouts }] });
        this.route = routes.gatewayRoute.httpRoute;
      } else {
        const canary = routes.canary;
        const backend = (name: string, weight?: number) => ({ group: '', kind: 'Service', name, port, weight });
        const backendRefs = canary ? [backend(canary.stableService, 100), backend(canary.canaryService, 0)] : [backend(service.name)];
        const parentRefs = parents.map((p) => ({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: p.name, namespace: p.namespace, sectionName: p.sectionName }));
        this.route = protocol === 'grpc'
          ? new ApiObject(this, 'GRPCRoute', {
            apiVersion: 'gateway.networking.k8s.io/v1',
            kind: 'GRPCRoute',
            metadata: metadata(),
            spec: { parentRefs, hostnames: [...this.hosts], rules: [{ backendRefs }] },
          })
          : new ApiObject(this, 'HTTPRoute', {
            apiVersion: 'gateway.networking.k8s.io/v1',
            kind: 'HTTPRoute',
            metadata: metadata(),
            spec: {
              parentRefs,
              hostnames: [...this.hosts],
              rules: [{ matches: this.paths.map((value) => ({ path: { type: 'PathPrefix', value } })), backendRefs, timeouts }],
            },
          });
        // an Istio canary splits in-mesh traffic in its VirtualService; this route carries the edge's share
        canary?.addRouter({
          plugins: {
            [TRAFFIC_DEFAULTS.gatewayApiPlugin]: {
              [protocol === 'grpc' ? 'grpcRoute' : 'httpRoute']: service.name,
              namespace: service.namespace,
              ...(canary.headerRoutes ? { useHeaderRoutes: true } : {}),
            },
          },
        });
      }
    } else {
      const ic = ingress!;
      if (protocol === 'grpc') {
        throw configError(service, 'expose.protocol', `is 'grpc', but cluster '${cluster.name}' exposes through Ingress (gRPC needs controller-specific annotations)`, protocol,
          'declare a Gateway API gateway on the cluster, or expose over http');
      }
      if (routes.flaggerProvider !== undefined || routes.gatewayRoute) {
        throw configError(service, 'expose', `is through the Ingress class '${ic.ingressClass}', which the service's canary does not route`, ic.ingressClass,
          'declare a Gateway API gateway on the cluster, or deliver the service without a Gateway API or Flagger canary');
      }
      needCertificate = tls ? [...this.hosts] : [];
      this.route = new ApiObject(this, 'Ingress', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: metadata(),
        spec: {
          ingressClassName: ic.ingressClass,
          rules: this.hosts.map((host) => ({
            host,
            http: { paths: this.paths.map((path) => ({ path, pathType: 'Prefix', backend: { service: { name: service.name, port: { number: port } } } })) },
          })),
          tls: tls ? ingressTls(this.hosts, certifiedHosts(target, service.namespace), `${service.name}${D.certificateSuffix}`) : undefined,
        },
      });
    }

    // a host already certified in this namespace (another service on the same host) reuses that Secret
    const certified = certifiedHosts(target, service.namespace);
    const uncovered = needCertificate;
    needCertificate = needCertificate.filter((h) => !certified.has(h));
    if (needCertificate.length > 0) {
      const issuer = env.certificateIssuer;
      if (!issuer) {
        throw configError(service, 'expose.tls', `needs a certificate for ${needCertificate.join(', ')}, but environment '${env.name}' has no certificateIssuer`, tls,
          `set certificateIssuer: { name: 'letsencrypt' } on environment '${env.name}', use a listener holding a certificate for the host, or tls: false`);
      }
      this.certificate = this.renderCertificate(service, issuer, needCertificate);
      for (const h of needCertificate) certified.set(h, `${service.name}${D.certificateSuffix}`);
      if (gateway) {
        // the Gateway (in its own namespace) references the Secret here: the Secret's namespace must allow it
        this.referenceGrant = new ApiObject(this, 'ReferenceGrant', {
          apiVersion: 'gateway.networking.k8s.io/v1beta1',
          kind: 'ReferenceGrant',
          metadata: metadata(`${service.name}${D.referenceGrantSuffix}`),
          spec: {
            from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: gateway.namespace }],
            to: [{ group: '', kind: 'Secret', name: `${service.name}${D.certificateSuffix}` }],
          },
        });
      }
    }
    // a rendered Gateway serves the route's own certificate on the listener of each host its certificate misses
    if (platform && attach) {
      for (const h of uncovered) platform.addCertificate(attach.listenerOf.get(h)!.name, service.namespace, certified.get(h)!);
    }

    // --- the edge may reach the service: NetworkPolicy, and with the mesh its identity ---
    const edge = gateway ?? ingress!;
    const peer = edge.serviceAccount
      ? NetworkPeer.pods({ ...(edge.podLabels ?? {}) }, edge.namespace, { namespace: edge.namespace, serviceAccount: edge.serviceAccount })
      : NetworkPeer.namespace(edge.namespace, edge.podLabels);
    service.pod.addIngress({ peer, ports: [port] });

    // --- resilience with the mesh ---
    if (props.timeouts !== undefined && !mesh && (protocol === 'grpc' || !gateway)) {
      throw configError(service, 'expose.timeouts', `have nowhere to go: ${protocol === 'grpc' ? 'a GRPCRoute' : 'an Ingress'} has no timeouts field and environment '${env.name}' runs without the mesh`,
        props.timeouts, "remove timeouts, or turn the mesh on (the service's VirtualService carries them)");
    }
    if (props.retries !== undefined && !mesh) {
      throw configError(service, 'expose.retries', `need the Istio mesh (environment '${env.name}' runs without one, and the Gateway API standard channel has no HTTPRoute retry)`,
        props.retries, `turn the mesh on for '${env.name}' (mesh: { istio: true }), or remove retries`);
    }
    if (mesh) {
      const retries = props.retries ? resolveRetries(service, props.retries) : undefined;
      const httpPolicy = { timeout: timeouts?.request, retries };
      if (routes.istioRoute) {
        routes.istioRoute.setHttpPolicy(httpPolicy);
      } else if (retries || (props.timeouts !== undefined && (protocol === 'grpc' || !gateway))) {
        // retries (and timeouts a GRPCRoute or an Ingress cannot carry) go on a VirtualService for the service
        this.virtualService = new ApiObject(this, 'VirtualService', {
          apiVersion: 'networking.istio.io/v1',
          kind: 'VirtualService',
          metadata: metadata(),
          spec: { hosts: [service.name], http: [{ route: [{ destination: { host: service.name, port: { number: port } } }], ...httpPolicy }] },
        });
      }
      if (props.circuitBreaker !== false) {
        const trafficPolicy = circuitBreaker(service, props.circuitBreaker ?? {});
        if (routes.istioRoute?.destinationRule) {
          routes.istioRoute.setTrafficPolicy(trafficPolicy);
        } else {
          this.destinationRule = new ApiObject(this, 'DestinationRule', {
            apiVersion: 'networking.istio.io/v1',
            kind: 'DestinationRule',
            metadata: metadata(),
            spec: { host: service.name, trafficPolicy },
          });
          // a canary split by Services sends the mesh's traffic to these hosts instead: same limits there
          if (routes.canary) {
            for (const [cid, host] of [['StableDestinationRule', routes.canary.stableService], ['CanaryDestinationRule', routes.canary.canaryService]]) {
              new ApiObject(this, cid, { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: metadata(host), spec: { host, trafficPolicy } });
            }
          }
        }
      }
    } else if (props.circuitBreaker !== undefined && props.circuitBreaker !== false) {
      throw configError(service, 'expose.circuitBreaker', `needs the Istio mesh (environment '${env.name}' runs without one)`, props.circuitBreaker,
        `turn the mesh on for '${env.name}', or remove circuitBreaker`);
    }
  }

  private renderCertificate(service: HardenedService, issuer: CertificateIssuerDeclaration, dnsNames: string[]): ApiObject {
    return new ApiObject(this, 'Certificate', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: service.pod.metadata(`${service.name}${D.certificateSuffix}`),
      spec: {
        secretName: `${service.name}${D.certificateSuffix}`,
        dnsNames,
        issuerRef: { group: 'cert-manager.io', kind: issuer.kind ?? D.issuerKind, name: issuer.name },
      },
    });
  }
}

/** Hosts that have a Certificate in a namespace of a target, and its Secret. */
const CERTIFIED = new WeakMap<object, Map<string, Map<string, string>>>();

/** Forgets the target's certified hosts (a streaming synth released the target's tree with its Certificates). */
export function releaseCertifiedHostsOf(target: object): void {
  CERTIFIED.delete(target);
}

function certifiedHosts(target: object, namespace: string): Map<string, string> {
  let byNs = CERTIFIED.get(target);
  if (!byNs) CERTIFIED.set(target, byNs = new Map());
  let hosts = byNs.get(namespace);
  if (!hosts) byNs.set(namespace, hosts = new Map());
  return hosts;
}

/** Ingress `tls`: one entry per Secret, hosts certified earlier keep their Secret. */
function ingressTls(hosts: readonly string[], certified: ReadonlyMap<string, string>, own: string): Record<string, any>[] {
  const bySecret = new Map<string, string[]>();
  for (const h of hosts) {
    const secret = certified.get(h) ?? own;
    bySecret.set(secret, [...(bySecret.get(secret) ?? []), h]);
  }
  return [...bySecret].map(([secretName, hs]) => ({ hosts: hs, secretName }));
}

/** Expands `{service}` and `{domain}`, checks every host is a DNS name (a `*.` wildcard allowed) and unique. */
function resolveHosts(service: HardenedService, templates: readonly string[], domain: string | undefined, envName: string): string[] {
  if (!Array.isArray(templates) || templates.length === 0) {
    throw configError(service, 'expose.hosts', 'must list at least one host name', templates, "leave hosts out for '{service}.{domain}', or list e.g. ['shop.acme.example']");
  }
  const out: string[] = [];
  templates.forEach((t, i) => {
    if (typeof t === 'string' && t.includes('{domain}') && !domain) {
      throw configError(service, `expose.hosts[${i}]`, `uses {domain}, but environment '${envName}' has no domain`, t,
        `set domain on environment '${envName}', or give the full host name`);
    }
    const host = typeof t === 'string' ? t.split('{service}').join(service.name).split('{domain}').join(domain ?? '') : t;
    assertHostname(service, `expose.hosts[${i}]`, host, true);
    if (out.includes(host)) throw configError(service, `expose.hosts[${i}]`, 'is listed twice', host, 'list every host once');
    out.push(host);
  });
  return out;
}

/** Checks every path prefix starts with '/' and is unique. */
function resolvePaths(service: HardenedService, paths: readonly string[]): string[] {
  if (!Array.isArray(paths) || paths.length === 0) {
    throw configError(service, 'expose.paths', 'must list at least one path prefix', paths, "leave paths out for '/', or list e.g. ['/api']");
  }
  const out: string[] = [];
  paths.forEach((p, i) => {
    if (typeof p !== 'string' || !p.startsWith('/') || /[\s?#]/.test(p) || p.length > 1024) {
      throw configError(service, `expose.paths[${i}]`, "must be a path prefix starting with '/' (no spaces, '?' or '#')", p, `write it like '/${typeof p === 'string' ? p.replace(/^\/*/, '').replace(/[\s?#].*$/, '') : 'api'}'`);
    }
    // prefixes match whole path elements: '/api' and '/api/' are one claim
    const same = out.find((o) => o.replace(/\/+$/, '') === p.replace(/\/+$/, ''));
    if (same !== undefined) throw configError(service, `expose.paths[${i}]`, same === p ? 'is listed twice' : `is the same path prefix as '${same}' (a trailing slash matches the same requests)`, p, 'list every path once');
    out.push(p);
  });
  return out;
}

const GATEWAY_DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

function resolveTimeouts(service: HardenedService, t: RouteTimeouts): { request?: string; backendRequest?: string } | undefined {
  for (const key of ['request', 'backendRequest'] as const) {
    const v = t[key];
    if (v !== undefined && (typeof v !== 'string' || !GATEWAY_DURATION.test(v))) {
      throw configError(service, `expose.timeouts.${key}`, 'must be a Gateway API duration (1 to 4 groups of up to 5 digits with h, m, s or ms)', v, "write it like '30s' or '1m30s'");
    }
  }
  if (t.request !== undefined && t.backendRequest !== undefined) {
    const request = parseGoDuration(t.request)!;
    if (request !== 0 && parseGoDuration(t.backendRequest)! > request) {
      throw configError(service, 'expose.timeouts.backendRequest', `is longer than the request timeout ${t.request}`, t.backendRequest, 'make it at most the request timeout');
    }
  }
  return t.request === undefined && t.backendRequest === undefined ? undefined : { request: t.request, backendRequest: t.backendRequest };
}

function resolveRetries(service: HardenedService, r: RouteRetries): Record<string, any> {
  const attempts = assertInt(service, 'expose.retries.attempts', r.attempts, 0, 10, 2);
  if (r.perTryTimeout !== undefined && !(parseGoDuration(r.perTryTimeout)! > 0)) {
    throw configError(service, 'expose.retries.perTryTimeout', 'must be a positive duration', r.perTryTimeout, "write it like '2s'");
  }
  if (r.retryOn !== undefined && !/^[a-z0-9-]+(,[a-z0-9-]+)*$/.test(r.retryOn)) {
    throw configError(service, 'expose.retries.retryOn', 'must be a comma-separated list of Envoy retry conditions', r.retryOn, "write it like '5xx,reset,connect-failure'");
  }
  return { attempts, perTryTimeout: r.perTryTimeout, retryOn: r.retryOn };
}

function circuitBreaker(service: HardenedService, o: CircuitBreakerOptions): Record<string, any> {
  const c = D.circuitBreaker;
  const int = (key: keyof CircuitBreakerOptions, min: number, max: number) =>
    assertInt(service, `expose.circuitBreaker.${key}`, o[key] ?? c[key], min, max, c[key] as number);
  const duration = (key: 'interval' | 'baseEjectionTime') => {
    const v = o[key] ?? c[key];
    if (!(parseGoDuration(v)! > 0)) throw configError(service, `expose.circuitBreaker.${key}`, 'must be a positive duration', v, `write it like '${c[key]}'`);
    return v;
  };
  return {
    connectionPool: {
      tcp: { maxConnections: int('maxConnections', 1, 2 ** 31 - 1) },
      http: { http1MaxPendingRequests: int('maxPendingRequests', 1, 2 ** 31 - 1), http2MaxRequests: int('maxRequests', 1, 2 ** 31 - 1) },
    },
    outlierDetection: {
      consecutive5xxErrors: int('consecutive5xxErrors', 1, 2 ** 31 - 1),
      interval: duration('interval'),
      baseEjectionTime: duration('baseEjectionTime'),
      maxEjectionPercent: int('maxEjectionPercent', 1, 100),
    },
  };
}

interface GatewayAttachment {
  /** The listeners the route attaches to, in the order hosts chose them. */
  readonly listeners: GatewayListenerDeclaration[];
  /** Hosts no listener certificate covers (they need a Certificate). */
  readonly uncovered: string[];
  /** The listener each host attaches to. */
  readonly listenerOf: Map<string, GatewayListenerDeclaration>;
}

/** Picks a listener for every host (exact, then wildcard, then any-host), or explains why none fits. */
function attachToGateway(service: HardenedService, gateway: GatewayDeclaration, hosts: readonly string[], tls: boolean): GatewayAttachment {
  const wanted = tls ? 'HTTPS' : 'HTTP';
  const listeners = (gateway.listeners ?? []).filter((l) => (l.protocol ?? D.listenerProtocol) === wanted);
  const chosen: GatewayListenerDeclaration[] = [];
  const uncovered: string[] = [];
  const listenerOf = new Map<string, GatewayListenerDeclaration>();
  hosts.forEach((host, i) => {
    const score = (l: GatewayListenerDeclaration) => (l.hostname === undefined ? 1 : l.hostname === host ? 3 : wildcardMatches(l.hostname, host) ? 2 : 0);
    const best = [...listeners].sort((a, b) => score(b) - score(a))[0];
    if (!best || score(best) === 0) {
      if (host.startsWith('*.') && !listeners.some((l) => l.hostname?.startsWith('*.'))) {
        throw configError(service, `expose.hosts[${i}]`, `is a wildcard, but gateway ${gateway.namespace}/${gateway.name} has no wildcard ${wanted} listener`, host,
          `add a listener with hostname '${host}' to the gateway declaration, or expose exact host names`);
      }
      const known = listeners.map((l) => `${l.name} (${l.hostname ?? 'any host'})`).join(', ') || 'none';
      throw configError(service, `expose.hosts[${i}]`, `matches no ${wanted} listener of gateway ${gateway.namespace}/${gateway.name} (listeners: ${known})`, host,
        'use a host one of the listeners accepts, or add a listener for it');
    }
    if (!chosen.includes(best)) chosen.push(best);
    listenerOf.set(host, best);
    if (tls && !(best.certificateSecret && certificateCovers(best.hostname, host))) uncovered.push(host);
  });
  return { listeners: chosen, uncovered, listenerOf };
}

/** Gateway API listener wildcards match one or more labels (`*.example.com` accepts `a.b.example.com`). */
function wildcardMatches(listener: string, host: string): boolean {
  if (!listener.startsWith('*.')) return false;
  const suffix = listener.slice(1);
  return host.endsWith(suffix) && host.length > suffix.length;
}

/** A certificate for the listener's hostname covers the host: exact, or one label below a wildcard (RFC 6125). */
function certificateCovers(listener: string | undefined, host: string): boolean {
  if (listener === undefined || listener === host) return true;
  if (!listener.startsWith('*.')) return false;
  if (host.startsWith('*.')) return host === listener;
  const suffix = listener.slice(1);
  return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.');
}
