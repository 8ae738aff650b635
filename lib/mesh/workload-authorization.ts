import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkProps, configError } from '../core';
import type { NetworkRule } from '../workloads/network-peer';
import type { IWorkload } from '../workloads/workload';
import { MESH_DEFAULTS as D } from './defaults';

export interface WorkloadAuthorizationProps {
  /** The workload whose callers are allowed: its `pod.ingressRules`, the same edges its NetworkPolicy admits. */
  readonly workload: IWorkload;
  /** @default 'cluster.local' */
  readonly trustDomain?: string;
}

/** One rule of an ALLOW AuthorizationPolicy: who, on which ports. */
interface AllowRule {
  principals: string[];
  namespaces: string[];
  ipBlocks: string[];
  notIpBlocks: string[];
  ports: string[];
}

/**
 * An Istio AuthorizationPolicy (ALLOW) for one workload, rendered from its connection graph: every ingress edge
 * becomes a source on the edge's ports. A workload peer becomes its principal
 * (`<trustDomain>/ns/<namespace>/sa/<serviceAccount>`), a namespace peer `source.namespaces`, an IP block
 * `source.ipBlocks`. Together with the namespace's deny-all, exactly the declared callers get through, the
 * same ones the NetworkPolicy admits.
 */
export class WorkloadAuthorization extends Construct {
  public readonly policy: ApiObject;
  /** The rules, in the order the edges were declared (edges on the same ports share a rule). */
  public readonly rules: readonly Record<string, any>[];

  constructor(scope: Construct, id: string, props: WorkloadAuthorizationProps) {
    super(scope, id);
    checkProps(this, 'WorkloadAuthorizationProps', props);
    const w = props.workload;
    const trustDomain = props.trustDomain ?? D.trustDomain;
    const byPorts = new Map<string, AllowRule>();
    // peers outside the mesh have no identity to authorize: their ports are allowed by port alone (the
    // NetworkPolicy still admits only them)
    const plaintext = [...new Set(w.pod.ingressRules.filter((r) => r.outsideMesh).flatMap(portsOf))];
    w.pod.ingressRules.forEach((rule, i) => {
      if (rule.outsideMesh) return;
      const key = portsOf(rule).join(',');
      let r = byPorts.get(key);
      if (!r) byPorts.set(key, r = { principals: [], namespaces: [], ipBlocks: [], notIpBlocks: [], ports: portsOf(rule) });
      const s = rule.peer.source;
      if (s.type === 'pods') {
        if (!s.identity) {
          throw configError(w, `ingress[${i}]`, `admits ${rule.peer.description}, which has no workload identity for the mesh to authorize`, rule.peer.description,
            "connect with the workload itself (other.connectTo(this), or allowFrom(other.peer)), or give NetworkPeer.pods(labels, namespace, { namespace, serviceAccount })");
        }
        push(r.principals, `${trustDomain}/ns/${s.identity.namespace}/sa/${s.identity.serviceAccount}`);
      } else if (s.type === 'namespace') {
        push(r.namespaces, s.namespace);
      } else {
        push(r.ipBlocks, s.cidr);
        for (const e of s.except ?? []) push(r.notIpBlocks, e);
      }
    });
    const rules: Record<string, any>[] = [...byPorts.values()].map((r) => {
      const from: Record<string, any>[] = [];
      if (r.principals.length > 0) from.push({ source: { principals: r.principals } });
      if (r.namespaces.length > 0) from.push({ source: { namespaces: r.namespaces } });
      if (r.ipBlocks.length > 0) from.push({ source: { ipBlocks: r.ipBlocks, notIpBlocks: r.notIpBlocks.length > 0 ? r.notIpBlocks : undefined } });
      return { from, to: r.ports.length > 0 ? [{ operation: { ports: r.ports } }] : undefined };
    });
    if (plaintext.length > 0) rules.push({ to: [{ operation: { ports: plaintext } }] });
    this.rules = rules;
    this.policy = new ApiObject(this, 'AuthorizationPolicy', {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: w.pod.metadata(),
      spec: {
        selector: { matchLabels: { ...w.pod.selectorLabels } },
        action: 'ALLOW',
        rules: this.rules,
      },
    });
  }
}

function portsOf(rule: NetworkRule): string[] {
  return [...(rule.ports ?? [])].map(String);
}

function push(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}
