import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { assertPortName } from '../core';
import { IDeliveryStrategy } from './delivery-strategy';
import { WORKLOAD_DEFAULTS as D } from './defaults';
import { LongRunningProps, LongRunningWorkload } from './long-running-workload';
import { NetworkPeer } from './network-peer';
import { assertPort } from './probe';

export interface HardenedServiceProps extends LongRunningProps {
  /** The port the container listens on; the Service exposes the same number. */
  readonly port: number;
  /** Name of the main port (an IANA service name). @default 'http' */
  readonly portName?: string;
  /**
   * Who may connect to the service port. Nothing may otherwise.
   * @default - no one: add peers here or with allowFrom() / connectTo()
   */
  readonly ingress?: NetworkPeer[];
  /**
   * How new versions roll out, e.g. `env.pick({ dev: undefined, prod: Delivery.canary({...}) })`.
   * @default - the Deployment's rolling update
   */
  readonly delivery?: IDeliveryStrategy;
}

/**
 * A long-running, network-facing service: ServiceAccount, Deployment, Service, NetworkPolicy, a
 * PodDisruptionBudget when more than one replica runs, and an optional HorizontalPodAutoscaler.
 *
 * Passes Pod Security Standards "restricted" with no options set. Every child is exposed for escape hatches.
 */
export class HardenedService extends LongRunningWorkload {
  public readonly port: number;
  public readonly portName: string;
  public readonly service: ApiObject;

  constructor(scope: Construct, id: string, props: HardenedServiceProps) {
    const portName = props.portName ?? D.portName;
    super(scope, id, props, 'server', { name: portName, port: props.port, prop: 'port', nameProp: 'portName' });
    this.port = assertPort(this, 'port', props.port);
    this.portName = assertPortName(this, 'portName', portName);
    this.allowFrom(...(props.ingress ?? []));

    this.service = new ApiObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: this.pod.metadata(),
      spec: {
        type: 'ClusterIP',
        selector: { ...this.pod.selectorLabels },
        ports: [{ name: this.portName, port: this.port, targetPort: this.portName, protocol: 'TCP' }],
      },
    });
    props.delivery?.bind(this);
    this.use(...(props.use ?? []));
  }

  /** Admits traffic to the service port from `peers`. */
  public allowFrom(...peers: NetworkPeer[]): void {
    for (const peer of peers) this.pod.addIngress({ peer, ports: [this.port] });
  }

  /** Lets this service's pods call `other` on its port: egress here, ingress there. */
  public connectTo(other: HardenedService): void {
    other.allowFrom(this.peer);
    this.allowTo({ peer: other.peer, ports: [other.port] });
  }
}
