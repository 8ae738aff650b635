import { k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { assertCidr, assertDnsLabel, assertLabels, assertOneOf, assertPort, cidrStrictlyContains, configError, namespaceOf } from '../core';

/** The workload identity behind a peer: what a mesh authorizes (`<namespace>/<serviceAccount>`). */
export interface PeerIdentity {
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** What a peer is, for layers other than the NetworkPolicy (mesh authorization, reviews). */
export type PeerSource =
  | { readonly type: 'pods'; readonly labels: Record<string, string>; readonly namespace?: string; readonly identity?: PeerIdentity }
  | { readonly type: 'namespace'; readonly namespace: string; readonly podLabels?: Record<string, string> }
  | { readonly type: 'ipBlock'; readonly cidr: string; readonly except?: readonly string[] };

/** Something on the network a workload talks to or accepts traffic from. */
export class NetworkPeer {
  /**
   * Pods with these labels, in `namespace` (default: the workload's own namespace). Give their `identity` (the
   * service account they run as) so a mesh can authorize them too.
   */
  public static pods(labels: Record<string, string>, namespace?: string, identity?: PeerIdentity): NetworkPeer {
    return new NetworkPeer(`pods ${JSON.stringify(labels)}${namespace ? ` in ${namespace}` : ''}`, (own) => ({
      podSelector: { matchLabels: { ...labels } },
      ...(namespace && namespace !== own ? { namespaceSelector: namespaceSelector(namespace) } : {}),
    }), { type: 'pods', labels: { ...labels }, namespace, identity });
  }

  /** Every pod of a namespace (an ingress controller's, the monitoring stack's), or those with `podLabels`. */
  public static namespace(name: string, podLabels?: Record<string, string>): NetworkPeer {
    return new NetworkPeer(`namespace ${name}`, () => ({
      namespaceSelector: namespaceSelector(name),
      ...(podLabels ? { podSelector: { matchLabels: { ...podLabels } } } : {}),
    }), { type: 'namespace', namespace: name, podLabels });
  }

  /** An IP range outside the cluster (`10.0.0.0/8`), minus `except`. */
  public static ipBlock(cidr: string, except?: string[]): NetworkPeer {
    return new NetworkPeer(`ipBlock ${cidr}`, () => ({ ipBlock: { cidr, except } }), { type: 'ipBlock', cidr, except });
  }

  private constructor(
    /** human description, for errors */
    public readonly description: string,
    private readonly render: (ownNamespace: string) => k8s.NetworkPolicyPeer,
    /** what the peer is, for the mesh and other layers that read the connection graph */
    public readonly source: PeerSource,
  ) {}

  /**
   * @internal Throws unless the peer renders to a NetworkPolicy peer the API server accepts: valid labels and
   * namespace names, CIDR blocks with `except` entries strictly inside the block.
   */
  public _validate(scope: IConstruct, prop: string): void {
    const s = this.source;
    if (s.type === 'pods') {
      assertLabels(scope, `${prop}.labels`, s.labels);
      if (s.namespace !== undefined) assertDnsLabel(scope, `${prop}.namespace`, s.namespace);
      if (s.identity !== undefined) {
        const id = s.identity;
        // the mesh admits exactly this account: a wildcard would admit every workload of the namespace
        if (typeof id.serviceAccount !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(id.serviceAccount) || id.serviceAccount.length > 253) {
          throw configError(scope, `${prop}.identity.serviceAccount`, 'must name one ServiceAccount (a DNS subdomain, no wildcard)', id.serviceAccount,
            "name the account the peer's pods run as, or use NetworkPeer.namespace(...) to admit a whole namespace");
        }
        assertDnsLabel(scope, `${prop}.identity.namespace`, id.namespace);
        const podsNamespace = s.namespace ?? namespaceOf(scope);
        if (podsNamespace !== undefined && id.namespace !== podsNamespace) {
          throw configError(scope, `${prop}.identity.namespace`, `is not the namespace of the peer's pods (${podsNamespace}): a pod runs as an account of its own namespace`, id.namespace,
            `use namespace '${podsNamespace}' for the identity, or select the pods in '${id.namespace}'`);
        }
      }
    } else if (s.type === 'namespace') {
      assertDnsLabel(scope, `${prop}.namespace`, s.namespace);
      assertLabels(scope, `${prop}.podLabels`, s.podLabels);
    } else if (s.type === 'ipBlock') {
      assertCidr(scope, `${prop}.cidr`, s.cidr);
      (s.except ?? []).forEach((e, i) => {
        assertCidr(scope, `${prop}.except[${i}]`, e);
        if (!cidrStrictlyContains(s.cidr, e)) {
          throw configError(scope, `${prop}.except[${i}]`, `must lie strictly inside ${s.cidr}`, e, `use a longer prefix inside ${s.cidr}, or drop it`);
        }
      });
    }
  }

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
  /**
   * The peer connects in plain text from outside the mesh (a Prometheus without a proxy): a mesh accepts plain
   * text on these ports and authorizes them by port alone; the NetworkPolicy still admits only this peer.
   * @default false
   */
  readonly outsideMesh?: boolean;
}

/** Throws unless `rule` has a valid peer, ports between 1 and 65535 and a known protocol. */
export function assertNetworkRule(scope: IConstruct, prop: string, rule: NetworkRule): NetworkRule {
  if (!rule || typeof rule !== 'object' || !(rule.peer instanceof NetworkPeer)) {
    throw configError(scope, prop, 'must be a { peer, ports } rule with a NetworkPeer', rule, 'write it like { peer: NetworkPeer.namespace(\'monitoring\'), ports: [9090] }');
  }
  rule.peer._validate(scope, `${prop}.peer`);
  if (rule.ports !== undefined) {
    if (!Array.isArray(rule.ports)) throw configError(scope, `${prop}.ports`, 'must be a list of port numbers', rule.ports, 'write it like [8080]');
    rule.ports.forEach((port, i) => assertPort(scope, `${prop}.ports[${i}]`, port));
  }
  if (rule.protocol !== undefined) assertOneOf(scope, `${prop}.protocol`, rule.protocol, ['TCP', 'UDP', 'SCTP']);
  return rule;
}
