import { Construct } from 'constructs';
import { HttpRoute, HttpRouteSpecRulesMatchesPathType } from '../../imports/gateway.networking.k8s.io';
import { assertDnsLabel, assertHostname, assertLabels, assertPort } from '../core';
import { TRAFFIC_DEFAULTS as D } from './defaults';

/** The Gateway (listener) a route attaches to. */
export interface GatewayParent {
  readonly name: string;
  /** @default - the route's namespace */
  readonly namespace?: string;
  /** A listener of the Gateway. @default - every listener that admits the route */
  readonly sectionName?: string;
}

export interface GatewayCanaryRouteProps {
  /** Name of the HTTPRoute. */
  readonly name: string;
  readonly namespace: string;
  /** @default - none */
  readonly labels?: Record<string, string>;
  /** The Gateways the route attaches to. */
  readonly parents: GatewayParent[];
  /** @default - every hostname of the listeners */
  readonly hostnames?: string[];
  /** @default '/' */
  readonly pathPrefix?: string;
  /** The port of both Services. */
  readonly port: number;
  readonly stableService: string;
  readonly canaryService: string;
}

/**
 * A Gateway API HTTPRoute with one rule that splits traffic between a stable and a canary Service, at 100/0
 * until Argo Rollouts (through its Gateway API plugin) moves the weights.
 */
export class GatewayCanaryRoute extends Construct {
  public readonly httpRoute: HttpRoute;
  public readonly name: string;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: GatewayCanaryRouteProps) {
    super(scope, id);
    this.name = assertDnsLabel(this, 'name', props.name, 253);
    this.namespace = assertDnsLabel(this, 'namespace', props.namespace);
    assertPort(this, 'port', props.port);
    assertLabels(this, 'labels', props.labels);
    (props.hostnames ?? []).forEach((h, i) => assertHostname(this, `hostnames[${i}]`, h, true));
    const backend = (name: string, weight: number) => ({ group: '', kind: 'Service', name, port: props.port, weight });
    this.httpRoute = new HttpRoute(this, 'HTTPRoute', {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        parentRefs: props.parents.map((p) => ({
          group: 'gateway.networking.k8s.io',
          kind: D.gatewayApi.parentKind,
          name: p.name,
          namespace: p.namespace,
          sectionName: p.sectionName,
        })),
        hostnames: props.hostnames && props.hostnames.length > 0 ? [...props.hostnames] : undefined,
        rules: [{
          matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: props.pathPrefix ?? D.gatewayApi.pathPrefix } }],
          backendRefs: [backend(props.stableService, 100), backend(props.canaryService, 0)],
        }],
      },
    });
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
