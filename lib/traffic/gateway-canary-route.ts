import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { HttpRoute, HttpRouteSpecRulesMatchesPathType } from '../../imports/gateway.networking.k8s.io';
import { assertDnsLabel, assertHostname, assertLabels, assertPort, checkProps } from '../core';
import { TRAFFIC_DEFAULTS as D } from './defaults';

/** The Gateway (listener) a route attaches to. */
export interface GatewayParent {
  readonly name: string;
  /** @default - the route's namespace */
  readonly namespace?: string;
  /** A listener of the Gateway. @default - every listener that admits the route */
  readonly sectionName?: string;
}

/** One rule of an exposed route: its path prefixes and timeouts. */
export interface GatewayRouteRule {
  readonly pathPrefixes: readonly string[];
  /** HTTPRoute `timeouts` (`request`, `backendRequest`). @default - the gateway's */
  readonly timeouts?: { readonly request?: string; readonly backendRequest?: string };
}

/** Where an exposure attaches the canary's route: the cluster's gateway, its hosts, its paths. */
export interface GatewayRouteExposure {
  readonly parents: readonly GatewayParent[];
  readonly hostnames: readonly string[];
  readonly rules: readonly GatewayRouteRule[];
}

export interface GatewayCanaryRouteProps {
  /** Name of the HTTPRoute. */
  readonly name: string;
  readonly namespace: string;
  /** @default - none */
  readonly labels?: Record<string, string>;
  /** The Gateways the route attaches to. Empty only when an exposure attaches the route (`expose`). */
  readonly parents: GatewayParent[];
  /** @default - every hostname of the listeners */
  readonly hostnames?: string[];
  /** @default '/' */
  readonly pathPrefix?: string;
  /** The port of both Services. */
  readonly port: number;
  readonly stableService: string;
  readonly canaryService: string;
  /**
   * The error to throw at synth when the route has no parents and no exposure attached it.
   * @default - a generic error
   */
  readonly noParentsError?: () => Error;
}

/**
 * A Gateway API HTTPRoute with one rule that splits traffic between a stable and a canary Service, at 100/0
 * until Argo Rollouts (through its Gateway API plugin) moves the weights.
 */
export class GatewayCanaryRoute extends Construct {
  public readonly httpRoute: HttpRoute;
  public readonly name: string;
  public readonly namespace: string;
  private exposure?: GatewayRouteExposure;

  constructor(scope: Construct, id: string, props: GatewayCanaryRouteProps) {
    super(scope, id);
    checkProps(this, 'GatewayCanaryRouteProps', props);
    this.name = assertDnsLabel(this, 'name', props.name, 253);
    this.namespace = assertDnsLabel(this, 'namespace', props.namespace);
    assertPort(this, 'port', props.port);
    assertLabels(this, 'labels', props.labels);
    (props.hostnames ?? []).forEach((h, i) => assertHostname(this, `hostnames[${i}]`, h, true));
    const backend = (name: string, weight: number) => ({ group: '', kind: 'Service', name, port: props.port, weight });
    const backendRefs = () => [backend(props.stableService, 100), backend(props.canaryService, 0)];
    const parentRef = (p: GatewayParent) => ({
      group: 'gateway.networking.k8s.io',
      kind: D.gatewayApi.parentKind,
      name: p.name,
      namespace: p.namespace,
      sectionName: p.sectionName,
    });
    const prefix = (value: string) => ({ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value } });
    // an exposure (which binds after delivery) attaches this same route to the cluster's gateway, so the
    // fields it sets are read at synth time
    this.httpRoute = new HttpRoute(this, 'HTTPRoute', {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        parentRefs: Lazy.any({
          produce: () => {
            const parents = this.exposure?.parents ?? props.parents;
            if (parents.length === 0) throw props.noParentsError?.() ?? new Error(`${this.node.path}: the HTTPRoute attaches to no Gateway`);
            return parents.map(parentRef);
          },
        }) as any,
        hostnames: Lazy.any({
          produce: () => {
            const hosts = this.exposure?.hostnames ?? props.hostnames ?? [];
            return hosts.length > 0 ? [...hosts] : undefined;
          },
        }) as any,
        rules: Lazy.any({
          produce: () => (this.exposure
            ? this.exposure.rules.map((r) => ({ matches: r.pathPrefixes.map(prefix), backendRefs: backendRefs(), timeouts: r.timeouts ? { ...r.timeouts } : undefined }))
            : [{ matches: [prefix(props.pathPrefix ?? D.gatewayApi.pathPrefix)], backendRefs: backendRefs() }]),
        }) as any,
      },
    });
  }

  /** Whether an exposure attached this route to its gateway. */
  public get exposed(): boolean {
    return this.exposure !== undefined;
  }

  /**
   * Attaches the route to an exposure's gateway, hosts and paths (replacing the canary's own parents, hostnames
   * and prefix): the service keeps one route, whose backends Argo Rollouts weighs.
   */
  public expose(exposure: GatewayRouteExposure): void {
    this.exposure = exposure;
  }

  /** The Rollout's `trafficRouting.plugins` entry for this route. */
  public argoTrafficRouting(options: { readonly headerRoutes?: boolean } = {}): Record<string, any> {
    return {
      plugins: {
        [D.gatewayApiPlugin]: {
          httpRoute: this.name,
          namespace: this.namespace,
          ...(options.headerRoutes ? { useHeaderRoutes: true } : {}),
        },
      },
    };
  }
}
