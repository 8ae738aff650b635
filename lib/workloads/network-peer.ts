import { k8s } from 'cdk8s-plus-27';

/** Something on the network a workload talks to or accepts traffic from. */
export class NetworkPeer {
  /** Pods with these labels, in `namespace` (default: the workload's own namespace). */
  public static pods(labels: Record<string, string>, namespace?: string): NetworkPeer {
    return new NetworkPeer(`pods ${JSON.stringify(labels)}${namespace ? ` in ${namespace}` : ''}`, (own) => ({
      podSelector: { matchLabels: { ...labels } },
      ...(namespace && namespace !== own ? { namespaceSelector: namespaceSelector(namespace) } : {}),
    }));
  }

  /** Every pod of a namespace (an ingress controller's, the monitoring stack's). */
  public static namespace(name: string): NetworkPeer {
    return new NetworkPeer(`namespace ${name}`, () => ({ namespaceSelector: namespaceSelector(name) }));
  }

  /** An IP range outside the cluster (`10.0.0.0/8`), minus `except`. */
  public static ipBlock(cidr: string, except?: string[]): NetworkPeer {
    return new NetworkPeer(`ipBlock ${cidr}`, () => ({ ipBlock: { cidr, except } }));
  }

  private constructor(
    /** human description, for errors */
    public readonly description: string,
    private readonly render: (ownNamespace: string) => k8s.NetworkPolicyPeer,
  ) {}

  /** @internal */
  public _toPeer(ownNamespace: string): k8s.NetworkPolicyPeer {
    return this.render(ownNamespace);
  }
}

/** `kubernetes.io/metadata.name` is set by the API server on every namespace (1.22+). */
function namespaceSelector(name: string): k8s.LabelSelector {
  return { matchLabels: { 'kubernetes.io/metadata.name': name } };
}

/** A peer plus the ports allowed to or from it. */
export interface NetworkRule {
  readonly peer: NetworkPeer;
  /** TCP ports; empty means the workload's own port (ingress) or any port (egress). */
  readonly ports?: readonly number[];
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}
