import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { assertDnsLabel, assertLabels, assertLabelValue, assertQuantity, checkProps, configError, INT64_SAFE_MAX, markUnit, parseQuantity, setNamespace } from '../core';
import { authorizeMeshWorkloads } from '../mesh/mesh-authorization';
import { namespaceEnrolmentLabels } from '../mesh/mesh-enrolment';
import { MeshNamespace } from '../mesh/mesh-namespace';
import { meshOf } from '../mesh/mesh-settings';
import { PLATFORM_DEFAULTS as D } from './defaults';

/** Hard caps on what the namespace may request in total (ResourceQuota `spec.hard`). Unset fields are not capped. */
export interface QuotaOptions {
  /** `requests.cpu`. @default - not capped */
  readonly requestsCpu?: string;
  /** `requests.memory`. @default - not capped */
  readonly requestsMemory?: string;
  /** `limits.cpu`: every container then needs a CPU limit (set `limitRange.defaultCpuLimit`). @default - not capped */
  readonly limitsCpu?: string;
  /** `limits.memory`. @default - not capped */
  readonly limitsMemory?: string;
  /** `requests.storage`: the sum of the claims' storage requests. @default - not capped */
  readonly requestsStorage?: string;
  /** `pods`. @default - not capped */
  readonly pods?: number;
  /** Object counts: `persistentvolumeclaims`, `services`, `configmaps`, `secrets`, or `count/<resource>.<group>`. @default - none */
  readonly objectCounts?: Record<string, number>;
}

/** The LimitRange of a namespace: what containers that declare no resources get. */
export interface LimitRangeOptions {
  /** @default '100m' (the workload default) */
  readonly defaultCpuRequest?: string;
  /** @default '128Mi' (the workload default) */
  readonly defaultMemoryRequest?: string;
  /** @default '256Mi' (the workload default) */
  readonly defaultMemoryLimit?: string;
  /** @default - none (CPU limits throttle) */
  readonly defaultCpuLimit?: string;
  /** Largest memory limit one container may declare. @default - none */
  readonly maxMemory?: string;
  /** Largest CPU limit one container may declare. @default - none */
  readonly maxCpu?: string;
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
  /** @default - requests 100m CPU / 128Mi, memory limit 256Mi (the workload defaults) */
  readonly limitRange?: LimitRangeOptions;
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
  /** With the mesh on in the target: STRICT (or PERMISSIVE) mTLS and a deny-all AuthorizationPolicy. */
  public readonly mesh?: MeshNamespace;

  constructor(scope: Construct, id: string, props: PlatformNamespaceProps = {}) {
    super(scope, id);
    checkProps(this, 'PlatformNamespaceProps', props);
    this.name = assertDnsLabel(this, 'name', props.name ?? id);
    setNamespace(this, this.name);
    const level = props.podSecurity ?? D.podSecurityLevel;
    const labels = { 'app.kubernetes.io/managed-by': 'cdk8s', ...assertLabels(this, 'labels', props.labels), ...(props.team ? { team: assertLabelValue(this, 'team', props.team) } : {}) };

    const mesh = meshOf(this);
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
          // the labels Istio's webhook (sidecar) or CNI (ambient) enrol the namespace's pods by
          ...(mesh ? namespaceEnrolmentLabels(mesh) : {}),
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
      spec: { limits: [limitRangeItem(this, props.limitRange ?? {})] },
    });

    if (props.quota) {
      const q = props.quota;
      const hard: Record<string, string> = {};
      if (q.requestsCpu !== undefined) { assertQuantity(this, 'quota.requestsCpu', q.requestsCpu, '8'); hard['requests.cpu'] = q.requestsCpu; }
      if (q.requestsMemory !== undefined) { assertQuantity(this, 'quota.requestsMemory', q.requestsMemory, '16Gi'); hard['requests.memory'] = q.requestsMemory; }
      if (q.limitsCpu !== undefined) { assertQuantity(this, 'quota.limitsCpu', q.limitsCpu, '16'); hard['limits.cpu'] = q.limitsCpu; }
      if (q.limitsMemory !== undefined) { assertQuantity(this, 'quota.limitsMemory', q.limitsMemory, '32Gi'); hard['limits.memory'] = q.limitsMemory; }
      if (q.requestsStorage !== undefined) { assertQuantity(this, 'quota.requestsStorage', q.requestsStorage, '100Gi'); hard['requests.storage'] = q.requestsStorage; }
      if (q.pods !== undefined) {
        if (!Number.isInteger(q.pods) || q.pods < 1 || q.pods > INT64_SAFE_MAX) throw configError(this, 'quota.pods', 'must be a positive integer', q.pods, 'use e.g. 50');
        hard.pods = String(q.pods);
      }
      for (const [key, n] of Object.entries(q.objectCounts ?? {})) {
        if (!/^([a-z]+|count\/[a-z0-9-]+(\.[a-z0-9.-]+)?)$/.test(key)) {
          throw configError(this, `quota.objectCounts[${JSON.stringify(key)}]`, 'is not a quota object count', key, "use e.g. 'services', 'configmaps' or 'count/deployments.apps'");
        }
        if (!Number.isInteger(n) || n < 0) throw configError(this, `quota.objectCounts[${JSON.stringify(key)}]`, 'must be a non-negative integer', n, 'use e.g. 20');
        hard[key] = String(n);
      }
      if (Object.keys(hard).length === 0) throw configError(this, 'quota', 'sets no limit', q, 'set requestsCpu, requestsMemory, limitsMemory, pods or objectCounts, or omit quota');
      this.quota = new ApiObject(guards, 'Quota', {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: metadata('quota'),
        spec: { hard },
      });
    }

    // --- exposure (mesh) ---
    if (mesh) {
      this.mesh = new MeshNamespace(guards, 'Mesh', { namespace: this.name, mtls: mesh.mtls, labels });
      // once every workload and edge is declared: one ALLOW policy per workload with callers
      authorizeMeshWorkloads(this);
    }
  }
}

/** The Container item of the LimitRange: the workload defaults unless overridden (output unchanged when unset). */
function limitRangeItem(scope: Construct, o: LimitRangeOptions): Record<string, any> {
  const q = (prop: keyof LimitRangeOptions, value: string | undefined, example: string) => {
    if (value !== undefined) assertQuantity(scope, `limitRange.${prop}`, value, example);
    return value;
  };
  const defaultRequest = {
    cpu: q('defaultCpuRequest', o.defaultCpuRequest, '100m') ?? D.limitRange.defaultRequest.cpu,
    memory: q('defaultMemoryRequest', o.defaultMemoryRequest, '128Mi') ?? D.limitRange.defaultRequest.memory,
  };
  const cpuLimit = q('defaultCpuLimit', o.defaultCpuLimit, '1');
  const def: Record<string, string> = { ...(cpuLimit !== undefined ? { cpu: cpuLimit } : {}), memory: q('defaultMemoryLimit', o.defaultMemoryLimit, '256Mi') ?? D.limitRange.default.memory };
  const maxCpu = q('maxCpu', o.maxCpu, '4');
  const maxMemory = q('maxMemory', o.maxMemory, '8Gi');
  const max = { ...(maxCpu !== undefined ? { cpu: maxCpu } : {}), ...(maxMemory !== undefined ? { memory: maxMemory } : {}) };
  if ((parseQuantity(def.memory) ?? 0) < (parseQuantity(defaultRequest.memory) ?? 0)) {
    throw configError(scope, 'limitRange.defaultMemoryLimit', `is below the default memory request ${defaultRequest.memory}`, def.memory, 'raise the limit or lower the request');
  }
  return { type: 'Container', defaultRequest, default: def, ...(Object.keys(max).length > 0 ? { max } : {}) };
}
