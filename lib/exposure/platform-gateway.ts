import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { assertDnsLabel, assertDnsSubdomain, assertHostname, checkProps, configError, markUnit } from '../core';
import { Target, targetOf } from '../environments/environment';
import { EXPOSURE_DEFAULTS as D } from './defaults';
import { GatewayDeclaration, GatewayListenerDeclaration } from './edge-declaration';

/** A Gateway declaration of one target: `{domain}` expanded; a rendered Gateway's HTTPS listeners name their Secret. */
export type ResolvedGateway = GatewayDeclaration & { readonly rendered: boolean };

const RESOLVED = new WeakMap<object, ResolvedGateway | undefined>();
const GATEWAYS = new WeakMap<object, PlatformGateway>();

/** Forgets the target's gateway construct (a streaming synth released the target's tree; a rebuild makes a new one). */
export function releaseGatewayOf(target: object): void {
  GATEWAYS.delete(target);
}

/**
 * The cluster's Gateway as a target sees it: listener host names with `{domain}` replaced by the environment's
 * domain, and, when the platform renders it, every HTTPS listener's certificate Secret named.
 */
export function resolveGateway(scope: IConstruct, target: Target<any, any>): ResolvedGateway | undefined {
  if (RESOLVED.has(target)) return RESOLVED.get(target);
  const g = target.cluster.gateway;
  let resolved: ResolvedGateway | undefined;
  if (g) {
    const rendered = g.gatewayClassName !== undefined;
    const listeners = (Array.isArray(g.listeners) ? g.listeners : []).map((l, i): GatewayListenerDeclaration => {
      let hostname = l.hostname;
      if (typeof hostname === 'string' && hostname.includes('{domain}')) {
        if (!target.env.domain) {
          throw configError(scope, `gateway.listeners[${i}].hostname`, `uses {domain}, but environment '${target.env.name}' has no domain`, hostname,
            `set domain on environment '${target.env.name}', or give the full host name`);
        }
        hostname = hostname.split('{domain}').join(target.env.domain);
      }
      const https = (l.protocol ?? D.listenerProtocol) === 'HTTPS';
      const certificateSecret = rendered && https ? l.certificateSecret ?? `${g.name}-${l.name}${D.certificateSuffix}` : l.certificateSecret;
      return { ...l, ...(hostname !== undefined ? { hostname } : {}), ...(certificateSecret !== undefined ? { certificateSecret } : {}) };
    });
    resolved = { ...g, listeners, rendered };
  }
  RESOLVED.set(target, resolved);
  return resolved;
}

export interface PlatformGatewayProps {
  /** The cluster's Gateway declaration, with `gatewayClassName` set. */
  readonly gateway: GatewayDeclaration;
}

/**
 * The cluster's Gateway, rendered by the platform (`gateway.gatewayClassName` set on the cluster). Rendered once
 * per target into `<gateway namespace>/gateway-<name>.yaml`:
 *
 * - the Gateway: one listener per declaration (HTTPS on 443 terminating TLS, HTTP on 80), host names from the
 *   environment's domain (`{domain}`);
 * - a cert-manager Certificate per HTTPS listener, from the environment's `certificateIssuer`, whose Secret is
 *   the listener's first `certificateRefs` entry; a route on a host that certificate does not cover (two labels
 *   below a wildcard) adds its own certificate's Secret (with the ReferenceGrant in its namespace);
 * - `allowedRoutes` per listener: exactly the namespaces whose routes attach to it (a selector on
 *   `kubernetes.io/metadata.name`), and no other namespace while none does.
 */
export class PlatformGateway extends Construct {
  /** The gateway of the target `scope` is in (created on first use), or undefined when the platform does not render it. */
  public static of(scope: IConstruct): PlatformGateway | undefined {
    const target = targetOf(scope);
    if (!target) return undefined;
    const existing = GATEWAYS.get(target);
    if (existing) return existing;
    if (target.cluster.gateway?.gatewayClassName === undefined) return undefined;
    const chart = scope.node.scopes.find((c): c is Chart => Chart.isChart(c) && targetOf(c) === target) ?? Chart.of(scope);
    return new PlatformGateway(chart, `gateway-${target.cluster.gateway.name}`, { gateway: target.cluster.gateway });
  }

  public readonly resource: ApiObject;
  public readonly certificates: readonly ApiObject[];
  private readonly gateway: ResolvedGateway;
  private readonly routeNamespaces = new Map<string, Set<string>>();
  private readonly extraCertificates = new Map<string, Map<string, { namespace: string; name: string }>>();

  constructor(scope: Construct, id: string, props: PlatformGatewayProps) {
    super(scope, id);
    checkProps(this, 'PlatformGatewayProps', props);
    const target = targetOf(this);
    if (!target) {
      throw configError(this, 'gateway', 'needs the environment target it is rendered for', undefined, 'render it inside app.forEachTarget(...) of a GitOpsApp');
    }
    GATEWAYS.set(target, this);
    const g = props.gateway;
    const gw = resolveGateway(this, target)!;
    this.gateway = gw;
    assertDnsSubdomain(this, 'gateway.name', g.name);
    assertDnsLabel(this, 'gateway.namespace', g.namespace);
    if (typeof g.gatewayClassName !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(g.gatewayClassName) || g.gatewayClassName.length > 253) {
      throw configError(this, 'gateway.gatewayClassName', 'must name a GatewayClass (a DNS subdomain)', g.gatewayClassName, "use e.g. 'istio'");
    }
    if (gw.listeners.length === 0 || gw.listeners.length > 64) {
      throw configError(this, 'gateway.listeners', 'must list 1 to 64 listeners', g.listeners, "declare e.g. [{ name: 'https', hostname: '*.{domain}' }]");
    }
    markUnit(this, `gateway-${g.name}`);
    const issuer = target.env.certificateIssuer;
    const labels = { 'app.kubernetes.io/name': g.name, 'app.kubernetes.io/component': 'gateway', 'app.kubernetes.io/managed-by': 'cdk8s' };
    const seen = new Set<string>();
    const certificates: ApiObject[] = [];
    const listeners = gw.listeners.map((l, i) => {
      const prop = `gateway.listeners[${i}]`;
      if (typeof l.name !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(l.name) || l.name.length > 63) {
        throw configError(this, `${prop}.name`, 'must be a listener name (a DNS-1123 label: a route names it as sectionName)', l.name, "use e.g. 'https'");
      }
      if (seen.has(l.name)) throw configError(this, `${prop}.name`, 'is used by two listeners', l.name, 'give each listener its own name');
      seen.add(l.name);
      const protocol = l.protocol ?? D.listenerProtocol;
      if (protocol !== 'HTTPS' && protocol !== 'HTTP') throw configError(this, `${prop}.protocol`, "must be 'HTTPS' or 'HTTP'", protocol, "use 'HTTPS'");
      if (l.hostname !== undefined) assertHostname(this, `${prop}.hostname`, l.hostname, true);
      const listener: Record<string, unknown> = {
        name: l.name,
        ...(l.hostname !== undefined ? { hostname: l.hostname } : {}),
        port: protocol === 'HTTPS' ? D.platformGateway.httpsPort : D.platformGateway.httpPort,
        protocol,
        allowedRoutes: Lazy.any({ produce: () => this.allowedRoutes(l.name) }),
      };
      if (protocol === 'HTTPS') {
        if (l.hostname === undefined) {
          throw configError(this, `${prop}.hostname`, 'is required on an HTTPS listener of a rendered Gateway (its certificate is issued for it)', l.hostname,
            "give it a host name, e.g. '*.{domain}'");
        }
        if (!issuer) {
          throw configError(this, `${prop}`, `is HTTPS, but environment '${target.env.name}' has no certificateIssuer to issue its certificate`, l.name,
            `set certificateIssuer on environment '${target.env.name}', or make the listener HTTP`);
        }
        const secretName = assertDnsSubdomain(this, `${prop}.certificateSecret`, l.certificateSecret!);
        const certificate = new ApiObject(this, `Certificate-${l.name}`, {
          apiVersion: 'cert-manager.io/v1',
          kind: 'Certificate',
          metadata: { name: secretName, namespace: g.namespace, labels },
          spec: {
            secretName,
            dnsNames: [l.hostname],
            issuerRef: { group: 'cert-manager.io', kind: issuer.kind ?? D.issuerKind, name: issuer.name },
          },
        });
        certificates.push(certificate);
        listener.tls = {
          mode: 'Terminate',
          certificateRefs: Lazy.any({
            produce: () => [
              { group: '', kind: 'Secret', name: secretName },
              ...[...(this.extraCertificates.get(l.name)?.values() ?? [])]
                .sort((a, b) => (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1))
                .map((c) => ({ group: '', kind: 'Secret', name: c.name, ...(c.namespace !== g.namespace ? { namespace: c.namespace } : {}) })),
            ],
          }),
        };
      }
      return listener;
    });
    this.certificates = certificates;
    this.resource = new ApiObject(this, 'Gateway', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: g.name, namespace: g.namespace, labels },
      spec: { gatewayClassName: g.gatewayClassName, listeners },
    });
  }

  /** A route in `namespace` attaches to `listener`: the listener admits that namespace. */
  public admit(listener: string, namespace: string): void {
    this.listenerNamed(listener);
    let set = this.routeNamespaces.get(listener);
    if (!set) this.routeNamespaces.set(listener, (set = new Set()));
    set.add(namespace);
  }

  /** A route's own certificate (a host the listener's certificate does not cover): the listener serves it too. */
  public addCertificate(listener: string, namespace: string, secretName: string): void {
    this.listenerNamed(listener);
    let map = this.extraCertificates.get(listener);
    if (!map) this.extraCertificates.set(listener, (map = new Map()));
    map.set(`${namespace}/${secretName}`, { namespace, name: secretName });
  }

  private listenerNamed(name: string): GatewayListenerDeclaration {
    const l = this.gateway.listeners.find((x) => x.name === name);
    if (!l) throw new Error(`PlatformGateway: no listener ${name}`); // callers pass listeners of this gateway only
    return l;
  }

  private allowedRoutes(listener: string): Record<string, unknown> {
    const namespaces = [...(this.routeNamespaces.get(listener) ?? [])].sort();
    if (namespaces.length === 0) return { namespaces: { from: 'Same' } };
    return {
      namespaces: {
        from: 'Selector',
        selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: namespaces }] },
      },
    };
  }
}
