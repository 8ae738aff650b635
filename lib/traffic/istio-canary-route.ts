import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { DestinationRule, VirtualService, VirtualServiceSpecHttpRoute } from '../../imports/networking.istio.io';
import { assertDnsLabel, assertLabels, assertPort, checkProps, configError } from '../core';
import { TRAFFIC_DEFAULTS as D } from './defaults';

/** Host-level split: callers' traffic goes to two Services. */
export interface IstioServiceSplit {
  readonly stableService: string;
  readonly canaryService: string;
}

/** Subset-level split: one Service, stable and canary subsets of its pods in a DestinationRule. */
export interface IstioSubsetSplit {
  /** The Service the subsets belong to. */
  readonly host: string;
  /** Labels every pod of the service carries (Argo Rollouts adds the pod-template hash to each subset). */
  readonly podLabels: Record<string, string>;
  /** @default 'stable' */
  readonly stableSubset?: string;
  /** @default 'canary' */
  readonly canarySubset?: string;
}

export interface IstioCanaryRouteProps {
  /** Name of the VirtualService (and DestinationRule). */
  readonly name: string;
  readonly namespace: string;
  /** @default - none */
  readonly labels?: Record<string, string>;
  /** Hosts the VirtualService matches (the Service name for in-mesh callers, public hostnames at a gateway). */
  readonly hosts: string[];
  /**
   * Gateways the VirtualService applies to (`mesh` for in-mesh callers).
   * @default - in-mesh callers only
   */
  readonly gateways?: string[];
  /** The port of the backends. */
  readonly port: number;
  /** How the versions are told apart: exactly one of `services` and `subsets`. @default - none */
  readonly services?: IstioServiceSplit;
  /** @default - none */
  readonly subsets?: IstioSubsetSplit;
  /** @default 'primary' */
  readonly routeName?: string;
}

/**
 * An Istio VirtualService that splits one HTTP route between a stable and a canary version, at 100/0 until
 * Argo Rollouts moves the weights; with a subset split also the DestinationRule that defines the subsets.
 */
export class IstioCanaryRoute extends Construct {
  public readonly virtualService: VirtualService;
  public readonly destinationRule?: DestinationRule;
  /** The HTTP route whose weights Argo Rollouts sets. */
  public readonly routeName: string;
  public readonly name: string;
  private readonly subsetNames?: { readonly stable: string; readonly canary: string };
  private httpPolicy: Record<string, any> = {};
  private trafficPolicy?: Record<string, any>;

  constructor(scope: Construct, id: string, props: IstioCanaryRouteProps) {
    super(scope, id);
    checkProps(this, 'IstioCanaryRouteProps', props);
    if ((props.services === undefined) === (props.subsets === undefined)) {
      throw configError(this, 'services', 'and subsets are mutually exclusive, and one is required', { services: props.services, subsets: props.subsets },
        'split by services (two Services) or by subsets (one Service, a DestinationRule)');
    }
    this.name = assertDnsLabel(this, 'name', props.name, 253);
    if (props.namespace !== undefined) assertDnsLabel(this, 'namespace', props.namespace);
    assertPort(this, 'port', props.port);
    assertLabels(this, 'labels', props.labels);
    this.routeName = props.routeName ?? D.routeName;
    const metadata = { name: props.name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined };

    let route: VirtualServiceSpecHttpRoute[];
    if (props.services) {
      route = [
        { destination: { host: props.services.stableService, port: { number: props.port } }, weight: 100 },
        { destination: { host: props.services.canaryService, port: { number: props.port } }, weight: 0 },
      ];
    } else {
      const s = props.subsets!;
      const stable = s.stableSubset ?? D.istio.stableSubset;
      const canary = s.canarySubset ?? D.istio.canarySubset;
      this.subsetNames = { stable, canary };
      route = [
        { destination: { host: s.host, subset: stable, port: { number: props.port } }, weight: 100 },
        { destination: { host: s.host, subset: canary, port: { number: props.port } }, weight: 0 },
      ];
      this.destinationRule = new DestinationRule(this, 'DestinationRule', {
        metadata,
        spec: {
          host: s.host,
          subsets: [
            { name: stable, labels: { ...s.podLabels } },
            { name: canary, labels: { ...s.podLabels } },
          ],
          trafficPolicy: Lazy.any({ produce: () => this.trafficPolicy }) as any,
        },
      });
    }

    this.virtualService = new VirtualService(this, 'VirtualService', {
      metadata,
      spec: {
        hosts: [...props.hosts],
        gateways: props.gateways && props.gateways.length > 0 ? [...props.gateways] : undefined,
        http: Lazy.any({ produce: () => [{ name: this.routeName, route, ...this.httpPolicy }] }) as any,
      },
    });
  }

  /**
   * Sets the route's `timeout` and `retries` (an exposure's resilience settings, applied where the mesh routes
   * the service's callers).
   */
  public setHttpPolicy(policy: { readonly timeout?: string; readonly retries?: Record<string, any> }): void {
    this.httpPolicy = { timeout: policy.timeout, retries: policy.retries ? { ...policy.retries } : undefined };
  }

  /**
   * Sets the DestinationRule's `trafficPolicy` (circuit breaking, in wire format); only with a subset split,
   * which has one.
   */
  public setTrafficPolicy(policy: Record<string, any>): void {
    // the generated DestinationRule class reads its own field names: `consecutive5XxErrors` for the wire's
    // `consecutive5xxErrors` (the others are spelled alike)
    const { consecutive5xxErrors, ...outlier } = policy.outlierDetection ?? {};
    this.trafficPolicy = {
      ...policy,
      outlierDetection: policy.outlierDetection ? { ...outlier, consecutive5XxErrors: consecutive5xxErrors } : undefined,
    };
  }

  /** The Rollout's `trafficRouting.istio` for this route. */
  public argoTrafficRouting(): Record<string, any> {
    const subsets = this.subsetNames;
    return {
      istio: {
        virtualService: { name: this.name, routes: [this.routeName] },
        destinationRule: subsets ? { name: this.name, stableSubsetName: subsets.stable, canarySubsetName: subsets.canary } : undefined,
      },
    };
  }
}
