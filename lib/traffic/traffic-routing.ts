import type { HardenedService } from '../workloads/hardened-service';
import { assertDnsLabel, checkProps, configError } from '../core';
import { TRAFFIC_DEFAULTS as D } from './defaults';
import { GatewayCanaryRoute, GatewayParent } from './gateway-canary-route';
import { IstioCanaryRoute } from './istio-canary-route';
import { ServiceRoutes } from './service-routes';

export interface IstioRoutingOptions {
  /**
   * Hosts the VirtualService routes. Required when `gateways` are set: a VirtualService bound to a gateway
   * routes public hostnames (`api.shop.example.com`).
   * @default - the service's name, for in-mesh callers
   */
  readonly hosts?: string[];
  /**
   * Istio Gateways (`istio-ingress/public`) whose traffic is split too.
   * @default - none: in-mesh callers only
   */
  readonly gateways?: string[];
  /**
   * With gateways set, split in-mesh callers' traffic as well (adds the `mesh` gateway and the service's name).
   * @default true
   */
  readonly includeMesh?: boolean;
  /**
   * How the versions are told apart. `services`: a stable and a canary Service (host-level split; canary
   * analysis measures the canary Service). `subsets`: stable and canary subsets of the service in a
   * DestinationRule (subset-level split; analysis measures the service's requests served by the new version's
   * `app.kubernetes.io/version`, so a release must change the version to be told apart).
   * @default 'services'
   */
  readonly split?: 'services' | 'subsets';
}

export interface GatewayApiRoutingOptions {
  /**
   * The Gateways the HTTPRoute attaches to. At least one, unless the service is exposed (lib/exposure), whose
   * route this then is.
   * @default - the exposure's gateway
   */
  readonly gateways?: GatewayParent[];
  /** @default - every hostname of the listeners */
  readonly hostnames?: string[];
  /** @default '/' */
  readonly pathPrefix?: string;
}

/** What a canary asks of its traffic router. */
export interface CanaryRoutingRequest {
  /** The prop the router was given as, for errors (`delivery.trafficRouting`). */
  readonly prop: string;
  readonly stableService: string;
  readonly canaryService: string;
  /** The canary has setHeaderRoute steps. */
  readonly headerRoutes: boolean;
  /** The canary has setMirrorRoute steps. */
  readonly mirrorRoutes: boolean;
}

/** What a traffic router gives the canary. */
export interface CanaryRouting {
  /** The Rollout's `strategy.canary.trafficRouting`, without `managedRoutes`. */
  readonly trafficRouting: Record<string, any>;
  /** True when the split is between the stable and canary Services (they must exist and the Rollout names them). */
  readonly splitsServices: boolean;
}

type Binder = (service: HardenedService, request: CanaryRoutingRequest) => CanaryRouting;

const HOST = /^(\*|(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$/;
const GATEWAY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/**
 * How a canary's traffic is split between the stable and the new version: Istio (VirtualService, and a
 * DestinationRule for a subset split) or the Gateway API (HTTPRoute, through the Argo Rollouts plugin).
 */
export class TrafficRouting {
  /** An Istio VirtualService; by default for in-mesh callers of the service, split between two Services. */
  public static istio(options: IstioRoutingOptions = {}): TrafficRouting {
    checkProps('TrafficRouting.istio', 'IstioRoutingOptions', options);
    return new TrafficRouting('istio', true, (service, request) => {
      const prop = request.prop;
      const gateways = options.gateways ?? [];
      gateways.forEach((g, i) => {
        if (typeof g !== 'string' || !GATEWAY.test(g)) {
          throw configError(service, `${prop}.gateways[${i}]`, 'must name an Istio Gateway as `name` or `namespace/name`', g, "use e.g. 'istio-ingress/public'");
        }
      });
      const includeMesh = options.includeMesh ?? D.istio.includeMesh;
      if (gateways.length > 0 && (options.hosts === undefined || options.hosts.length === 0)) {
        throw configError(service, `${prop}.hosts`, 'is required when gateways are set (a VirtualService at a gateway routes public hostnames)', options.hosts,
          `add the public hostname, e.g. hosts: ['${service.name}.example.com']`);
      }
      if (options.hosts !== undefined && options.hosts.length === 0) {
        throw configError(service, `${prop}.hosts`, 'is empty, so the VirtualService routes nothing', options.hosts,
          `leave it out to route in-mesh callers of '${service.name}', or list hostnames`);
      }
      (options.hosts ?? []).forEach((h, i) => {
        if (typeof h !== 'string' || !HOST.test(h)) {
          throw configError(service, `${prop}.hosts[${i}]`, 'must be a hostname (lowercase DNS name, optionally starting with *.)', h, `use e.g. '${service.name}.example.com'`);
        }
      });
      const hosts = gateways.length === 0
        ? options.hosts ?? [service.name]
        : unique([...options.hosts!, ...(includeMesh ? [service.name] : [])]);
      const renderedGateways = gateways.length === 0 ? undefined : unique([...gateways, ...(includeMesh ? [D.istio.meshGateway] : [])]);

      const split = options.split ?? D.istio.split;
      if (split !== 'services' && split !== 'subsets') {
        throw configError(service, `${prop}.split`, "must be 'services' or 'subsets'", split, "use 'services' (the default)");
      }
      const route = new IstioCanaryRoute(service, 'IstioRoute', {
        name: service.name,
        namespace: service.namespace,
        labels: service.pod.labels,
        hosts,
        gateways: renderedGateways,
        port: service.port,
        services: split === 'services' ? { stableService: request.stableService, canaryService: request.canaryService } : undefined,
        subsets: split === 'subsets' ? { host: service.name, podLabels: service.pod.selectorLabels } : undefined,
      });
      ServiceRoutes.of(service).istioRoute = route;
      return { trafficRouting: route.argoTrafficRouting(), splitsServices: split === 'services' };
    });
  }

  /** A Gateway API HTTPRoute, its weights set by the Argo Rollouts Gateway API plugin (`argoproj-labs/gatewayAPI`). */
  public static gatewayApi(options: GatewayApiRoutingOptions = {}): TrafficRouting {
    checkProps('TrafficRouting.gatewayApi', 'GatewayApiRoutingOptions', options);
    return new TrafficRouting('gatewayApi', false, (service, request) => {
      const prop = request.prop;
      if (request.mirrorRoutes) {
        throw configError(service, `${prop}`, 'does not support setMirrorRoute steps (the Gateway API plugin splits and header-routes only)', 'gatewayApi',
          'route with TrafficRouting.istio(...), or remove the mirror step');
      }
      if (options.gateways !== undefined && options.gateways.length === 0) {
        throw configError(service, `${prop}.gateways`, 'must name at least one Gateway the HTTPRoute attaches to', options.gateways,
          "add e.g. gateways: [{ name: 'public', namespace: 'gateway-system' }]");
      }
      (options.gateways ?? []).forEach((g, i) => {
        assertDnsLabel(service, `${prop}.gateways[${i}].name`, g?.name);
        if (g.namespace !== undefined) assertDnsLabel(service, `${prop}.gateways[${i}].namespace`, g.namespace);
      });
      (options.hostnames ?? []).forEach((h, i) => {
        if (typeof h !== 'string' || h === '*' || !HOST.test(h)) {
          throw configError(service, `${prop}.hostnames[${i}]`, 'must be a hostname (lowercase DNS name, optionally starting with *.)', h, `use e.g. '${service.name}.example.com'`);
        }
      });
      const pathPrefix = options.pathPrefix ?? D.gatewayApi.pathPrefix;
      if (typeof pathPrefix !== 'string' || !pathPrefix.startsWith('/')) {
        throw configError(service, `${prop}.pathPrefix`, "must start with '/'", pathPrefix, `use e.g. '${D.gatewayApi.pathPrefix}'`);
      }
      const route = new GatewayCanaryRoute(service, 'HttpRoute', {
        name: service.name,
        namespace: service.namespace,
        labels: service.pod.labels,
        parents: options.gateways ?? [],
        hostnames: options.hostnames,
        pathPrefix,
        port: service.port,
        stableService: request.stableService,
        canaryService: request.canaryService,
        noParentsError: () => configError(service, `${prop}.gateways`, 'names no Gateway and the service is not exposed, so the HTTPRoute attaches to nothing', options.gateways,
          "add e.g. gateways: [{ name: 'public', namespace: 'gateway-system' }], or expose the service (Exposure.http(...))"),
      });
      ServiceRoutes.of(service).gatewayRoute = route;
      return { trafficRouting: route.argoTrafficRouting({ headerRoutes: request.headerRoutes }), splitsServices: true };
    });
  }

  private constructor(
    /** `istio` or `gatewayApi`. */
    public readonly provider: 'istio' | 'gatewayApi',
    /** Whether traffic can be mirrored to the canary (setMirrorRoute steps). */
    public readonly supportsMirroring: boolean,
    private readonly binder: Binder,
  ) {}

  /**
   * @internal Creates the routing objects below `service` and returns the Rollout's trafficRouting.
   */
  public _bindCanary(service: HardenedService, request: CanaryRoutingRequest): CanaryRouting {
    return this.binder(service, request);
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
