import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { assertDnsLabel, assertLabels, assertLabelValue, assertQuantity, configError, INT64_SAFE_MAX, markUnit, setNamespace } from '../core';
import { PLATFORM_DEFAULTS as D } from './defaults';

/** Hard caps on what the namespace may request in total. */
export interface QuotaOptions {
  readonly requestsCpu?: string;
  readonly requestsMemory?: string;
  readonly limitsMemory?: string;
  readonly pods?: number;
}

export interface PlatformNamespaceProps {
  /** @default - the construct id */
  readonly name?: string;
  /** Team that owns the namespace (label `platform.acme.io/team`-style: key `team`). @default - none */
  readonly team?: string;
  /**
   * Relaxation: the Pod Security Admission level to enforce.
   * @default 'restricted'
   */
  readonly podSecurity?: 'restricted' | 'baseline';
  /** @default - no quota */
  readonly quota?: QuotaOptions;
  /** Extra labels on the Namespace. @default - none */
  readonly labels?: Record<string, string>;
}

/**
 * A namespace with its guard rails: Pod Security Admission labels (restricted, enforced), a default-deny
 * NetworkPolicy for ingress and egress, a LimitRange with the workload defaults, an optional ResourceQuota.
 *
 * Workloads created inside it (as children) live in it without repeating the namespace.
 */
export class PlatformNamespace extends Construct {
  public readonly name: string;
  public readonly namespace: ApiObject;
  public readonly defaultDeny: ApiObject;
  public readonly limitRange: ApiObject;
  public readonly quota?: ApiObject;

  constructor(scope: Construct, id: string, props: PlatformNamespaceProps = {}) {
    super(scope, id);
    this.name = assertDnsLabel(this, 'name', props.name ?? id);
    setNamespace(this, this.name);
    const level = props.podSecurity ?? D.podSecurityLevel;
    const labels = { 'app.kubernetes.io/managed-by': 'cdk8s', ...assertLabels(this, 'labels', props.labels), ...(props.team ? { team: assertLabelValue(this, 'team', props.team) } : {}) };

    // cluster-scoped and namespaced guard rails go to different folders, so they are separate units
    const cluster = new Construct(this, 'Cluster');
    markUnit(cluster, this.name);
    this.namespace = new ApiObject(cluster, 'Namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: this.name,
        labels: {
          ...labels,
          'pod-security.kubernetes.io/enforce': level,
          'pod-security.kubernetes.io/enforce-version': D.podSecurityVersion,
          // audit and warn always at restricted, so a relaxed namespace still shows what it lets through
          'pod-security.kubernetes.io/audit': D.podSecurityLevel,
          'pod-security.kubernetes.io/warn': D.podSecurityLevel,
        },
      },
    });

    const guards = new Construct(this, 'Guards');
    markUnit(guards, 'namespace-defaults');
    const metadata = (name: string) => ({ name, namespace: this.name, labels: { ...labels } });
    this.defaultDeny = new ApiObject(guards, 'DefaultDeny', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadata('default-deny'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    this.limitRange = new ApiObject(guards, 'LimitRange', {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: metadata('defaults'),
      spec: { limits: [{ type: 'Container', defaultRequest: { ...D.limitRange.defaultRequest }, default: { ...D.limitRange.default } }] },
    });

    if (props.quota) {
      const q = props.quota;
      const hard: Record<string, string> = {};
      if (q.requestsCpu !== undefined) { assertQuantity(this, 'quota.requestsCpu', q.requestsCpu, '8'); hard['requests.cpu'] = q.requestsCpu; }
      if (q.requestsMemory !== undefined) { assertQuantity(this, 'quota.requestsMemory', q.requestsMemory, '16Gi'); hard['requests.memory'] = q.requestsMemory; }
      if (q.limitsMemory !== undefined) { assertQuantity(this, 'quota.limitsMemory', q.limitsMemory, '32Gi'); hard['limits.memory'] = q.limitsMemory; }
      if (q.pods !== undefined) {
        if (!Number.isInteger(q.pods) || q.pods < 1 || q.pods > INT64_SAFE_MAX) throw configError(this, 'quota.pods', 'must be a positive integer', q.pods, 'use e.g. 50');
        hard.pods = String(q.pods);
      }
      if (Object.keys(hard).length === 0) throw configError(this, 'quota', 'sets no limit', q, 'set requestsCpu, requestsMemory, limitsMemory or pods, or omit quota');
      this.quota = new ApiObject(guards, 'Quota', {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: metadata('quota'),
        spec: { hard },
      });
    }
  }
}
