import type { IConstruct } from 'constructs';
import type { GatewayCanaryRoute } from './gateway-canary-route';
import type { IstioCanaryRoute } from './istio-canary-route';

/** What an Argo Rollouts canary offers the route a service is exposed on. */
export interface CanaryBackends {
  /** The Services the route splits between (Argo Rollouts narrows their selectors to one version each). */
  readonly stableService: string;
  readonly canaryService: string;
  /** The canary has setHeaderRoute steps (the route's router must manage header routes too). */
  readonly headerRoutes: boolean;
  /** Adds a traffic router to the Rollout's `trafficRouting` (Argo Rollouts drives several at once). */
  addRouter(router: Record<string, any>): void;
}

/** A Gateway the exposure attached the service's route to. */
export interface ExposureGatewayRef {
  readonly name: string;
  readonly namespace: string;
  readonly sectionName?: string;
}

/** How a service is exposed, for routers that generate the route themselves (Flagger). */
export interface ExposureRouting {
  readonly hosts: readonly string[];
  readonly gateways: readonly ExposureGatewayRef[];
}

const KEY = Symbol.for('typed-manifests.service-routes');

/**
 * The routes of one service, so that delivery (which binds first) and exposure (which binds later) share one
 * route instead of rendering two: the canary registers its backends and its router's route, the exposure
 * attaches that route to the cluster's gateway, or adds its own route to the canary's routers.
 */
export class ServiceRoutes {
  /** The registry of `service` (created on first use). */
  public static of(service: IConstruct): ServiceRoutes {
    let r = (service as any)[KEY] as ServiceRoutes | undefined;
    if (!r) {
      r = new ServiceRoutes();
      Object.defineProperty(service, KEY, { value: r, enumerable: false });
    }
    return r;
  }

  /** Set by an Argo Rollouts canary with a traffic router that splits between two Services. */
  public canary?: CanaryBackends;
  /** The HTTPRoute of a `TrafficRouting.gatewayApi()` canary: the exposure attaches it instead of a second one. */
  public gatewayRoute?: GatewayCanaryRoute;
  /** The VirtualService (and DestinationRule) of a `TrafficRouting.istio()` canary. */
  public istioRoute?: IstioCanaryRoute;
  /** Set by a Flagger canary: Flagger generates the route from Canary.spec.service. */
  public flaggerProvider?: string;
  /** Set by the exposure, read by Flagger's Canary at synth time. */
  public exposure?: ExposureRouting;

  private constructor() {}
}
