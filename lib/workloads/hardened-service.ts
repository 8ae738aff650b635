import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { assertPortName, configError } from '../core';
import { WORKLOAD_DEFAULTS as D } from './defaults';
import { LongRunningProps, LongRunningWorkload } from './long-running-workload';
import { NetworkPeer } from './network-peer';
import { assertPort } from './probe';
import { connectWorkloads, IWorkload } from './workload';

/**
 * How a service's new versions reach users. The default is the Deployment's rolling update; progressive
 * strategies (lib/delivery: `Delivery.canary(...)`, `Delivery.blueGreen(...)`, `Delivery.flagger(...)`)
 * implement this on the same hardened pod template. (Declared with the service it binds to, so the two
 * modules do not import each other.)
 */
export interface IDeliveryStrategy {
  /** Called once, at the end of the service's constructor, to add or rewire objects. */
  bind(service: HardenedService): void;
}

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
  private readonly servicePorts: { name: string; port: number; targetPort: string; protocol: string }[];

  constructor(scope: Construct, id: string, props: HardenedServiceProps) {
    const portName = props.portName ?? D.portName;
    super(scope, id, props, 'server', { name: portName, port: props.port, prop: 'port', nameProp: 'portName' }, 'HardenedServiceProps');
    this.port = assertPort(this, 'port', props.port);
    this.portName = assertPortName(this, 'portName', portName);
    this.allowFrom(...(props.ingress ?? []));
    this.servicePorts = [{ name: this.portName, port: this.port, targetPort: this.portName, protocol: 'TCP' }];

    this.service = new ApiObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: this.pod.metadata(),
      spec: {
        type: 'ClusterIP',
        selector: { ...this.pod.selectorLabels },
        ports: this.servicePorts,
      },
    });
    // extensions first: delivery strategies read what they add (the scaler that owns the replica count); those
    // that build on the strategy (the exposure route a canary splits) after it
    const uses = props.use ?? [];
    this.use(...uses.filter((e) => !e.bindAfterDelivery));
    props.delivery?.bind(this);
    this.use(...uses.filter((e) => e.bindAfterDelivery));
  }

  /**
   * Exposes another container port of the pods on the Service (a metrics port a ServiceMonitor scrapes). The
   * pod must declare it (`pod.addPort`); names and numbers are unique on the Service.
   */
  public addServicePort(port: { readonly name: string; readonly port: number }): void {
    if (!this.pod.ports.some((p) => p.name === port.name && p.port === port.port)) {
      throw configError(this, `ports.${port.name}`, 'is not a port the pods declare', port.port, 'add it with pod.addPort first');
    }
    const clash = this.servicePorts.find((p) => p.name === port.name || p.port === port.port);
    if (clash) {
      throw configError(this, `ports.${port.name}`, `duplicates Service port ${clash.port} ('${clash.name}')`, port.port, 'give every port its own name and number');
    }
    this.servicePorts.push({ name: port.name, port: port.port, targetPort: port.name, protocol: 'TCP' });
  }

  /** The Service's ports (name and number). */
  public get serviceExposedPorts(): readonly { readonly name: string; readonly port: number }[] {
    return this.servicePorts.map((p) => ({ name: p.name, port: p.port }));
  }

  /** Admits traffic to the service port from `peers`. */
  public allowFrom(...peers: NetworkPeer[]): void {
    for (const peer of peers) this.pod.addIngress({ peer, ports: [this.port] });
  }


  /** Lets `clients` (any workload: a worker, a cron job, a job) call this one's port: egress there, ingress here. */
  public connectFrom(...clients: IWorkload[]): void {
    for (const c of clients) connectWorkloads(c, this);
  }
}
