import { KubernetesVersion } from './defaults';

/**
 * A field of a built-in kind that the schema of an older version already has but that does not work there by
 * default (alpha, behind a feature gate that is off): synth rejects it on clusters older than `since`. When
 * `fallback` is set, the library's own constructs render that instead on older clusters, and synth lists it.
 */
export interface FieldRule {
  readonly type: 'field';
  /** Id constructs ask about (`Compatibility.supports(scope, id)`) and notes name. */
  readonly id: string;
  /** OpenAPI definition holding the field (`io.k8s.api.core.v1.LifecycleHandler`). */
  readonly definition: string;
  readonly field: string;
  /** The field as users see it, for messages. */
  readonly label: string;
  /** First minor where the field works without enabling a feature gate. */
  readonly since: KubernetesVersion;
  /** State of the field before `since` (for the message). */
  readonly before: string;
  /** What the library renders instead on older clusters. @default - none: the prop is an error there */
  readonly fallback?: string;
}

/** An API version the API server no longer serves from `removedIn` on. */
export interface RemovedApiRule {
  readonly type: 'removed-api';
  readonly apiVersion: string;
  readonly kinds: readonly string[];
  /** Minor that stopped serving it (`'1.25'`). */
  readonly removedIn: string;
  /** apiVersion to use instead, or what replaces the kind. */
  readonly replacement: string;
}

export type VersionRule = FieldRule | RemovedApiRule;

const removed = (apiVersion: string, kinds: string[], removedIn: string, replacement: string): RemovedApiRule =>
  ({ type: 'removed-api', apiVersion, kinds, removedIn, replacement });

/**
 * Every version-dependent rule, in one table. Facts: the Kubernetes "Deprecated API Migration Guide"
 * (removals), KEP-3960 (sleep action: alpha 1.29, beta and on by default 1.30), KEP-4444 (trafficDistribution:
 * alpha 1.30, beta and on by default 1.31). A field missing from the target's schema altogether needs no row:
 * the validator finds the version that adds it in the newer schemas ("arrives in 1.NN").
 */
export const VERSION_RULES: readonly VersionRule[] = [
  {
    type: 'field',
    id: 'lifecycle-sleep-action',
    definition: 'io.k8s.api.core.v1.LifecycleHandler',
    field: 'sleep',
    label: 'lifecycle hook sleep action',
    since: '1.30',
    before: 'alpha behind the PodLifecycleSleepAction feature gate, off by default, in 1.29',
    fallback: 'preStop drain as `exec: [sleep, <drainSeconds>]` instead of the kubelet sleep action: the image needs a `sleep` binary (distroless images lack one: set drainSeconds: 0 there)',
  },
  {
    type: 'field',
    id: 'service-traffic-distribution',
    definition: 'io.k8s.api.core.v1.ServiceSpec',
    field: 'trafficDistribution',
    label: 'Service spec.trafficDistribution',
    since: '1.31',
    before: 'alpha behind the ServiceTrafficDistribution feature gate, off by default, in 1.30',
  },
  removed('extensions/v1beta1', ['Deployment', 'DaemonSet', 'ReplicaSet'], '1.16', 'apps/v1'),
  removed('apps/v1beta1', ['Deployment', 'StatefulSet', 'ReplicaSet'], '1.16', 'apps/v1'),
  removed('apps/v1beta2', ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'], '1.16', 'apps/v1'),
  removed('extensions/v1beta1', ['NetworkPolicy'], '1.16', 'networking.k8s.io/v1'),
  removed('extensions/v1beta1', ['Ingress'], '1.22', 'networking.k8s.io/v1'),
  removed('networking.k8s.io/v1beta1', ['Ingress', 'IngressClass'], '1.22', 'networking.k8s.io/v1'),
  removed('admissionregistration.k8s.io/v1beta1', ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], '1.22', 'admissionregistration.k8s.io/v1'),
  removed('apiextensions.k8s.io/v1beta1', ['CustomResourceDefinition'], '1.22', 'apiextensions.k8s.io/v1'),
  removed('apiregistration.k8s.io/v1beta1', ['APIService'], '1.22', 'apiregistration.k8s.io/v1'),
  removed('certificates.k8s.io/v1beta1', ['CertificateSigningRequest'], '1.22', 'certificates.k8s.io/v1'),
  removed('coordination.k8s.io/v1beta1', ['Lease'], '1.22', 'coordination.k8s.io/v1'),
  removed('rbac.authorization.k8s.io/v1beta1', ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'], '1.22', 'rbac.authorization.k8s.io/v1'),
  removed('scheduling.k8s.io/v1beta1', ['PriorityClass'], '1.22', 'scheduling.k8s.io/v1'),
  removed('storage.k8s.io/v1beta1', ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], '1.22', 'storage.k8s.io/v1'),
  removed('batch/v1beta1', ['CronJob'], '1.25', 'batch/v1'),
  removed('discovery.k8s.io/v1beta1', ['EndpointSlice'], '1.25', 'discovery.k8s.io/v1'),
  removed('events.k8s.io/v1beta1', ['Event'], '1.25', 'events.k8s.io/v1'),
  removed('autoscaling/v2beta1', ['HorizontalPodAutoscaler'], '1.25', 'autoscaling/v2'),
  removed('policy/v1beta1', ['PodDisruptionBudget'], '1.25', 'policy/v1'),
  removed('policy/v1beta1', ['PodSecurityPolicy'], '1.25', 'Pod Security Admission (namespace labels; PlatformNamespace sets them)'),
  removed('node.k8s.io/v1beta1', ['RuntimeClass'], '1.25', 'node.k8s.io/v1'),
  removed('autoscaling/v2beta2', ['HorizontalPodAutoscaler'], '1.26', 'autoscaling/v2'),
  removed('flowcontrol.apiserver.k8s.io/v1beta1', ['FlowSchema', 'PriorityLevelConfiguration'], '1.26', 'flowcontrol.apiserver.k8s.io/v1'),
  removed('storage.k8s.io/v1beta1', ['CSIStorageCapacity'], '1.27', 'storage.k8s.io/v1'),
  removed('flowcontrol.apiserver.k8s.io/v1beta2', ['FlowSchema', 'PriorityLevelConfiguration'], '1.29', 'flowcontrol.apiserver.k8s.io/v1'),
  removed('flowcontrol.apiserver.k8s.io/v1beta3', ['FlowSchema', 'PriorityLevelConfiguration'], '1.32', 'flowcontrol.apiserver.k8s.io/v1'),
];

/** The field rule with this id; throws on an unknown id (a typo in library code). */
export function fieldRule(id: string): FieldRule {
  const r = VERSION_RULES.find((x): x is FieldRule => x.type === 'field' && x.id === id);
  if (!r) throw new Error(`no version rule '${id}' in VERSION_RULES`);
  return r;
}

/** The removal rule of an apiVersion and kind, if the API was removed in some version. */
export function removedApiRule(apiVersion: string, kind: string): RemovedApiRule | undefined {
  return REMOVED.get(`${apiVersion}/${kind}`);
}

// looked up once per object: index the removals by `<apiVersion>/<Kind>`
const REMOVED = new Map<string, RemovedApiRule>();
for (const r of VERSION_RULES) {
  if (r.type === 'removed-api') for (const k of r.kinds) REMOVED.set(`${r.apiVersion}/${k}`, r);
}

/** Minor number of a `'1.NN'` string. */
export function minorNumber(version: string): number {
  return Number(version.split('.')[1]);
}
