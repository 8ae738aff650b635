import { CRD_SCOPES } from './crd-tables.generated';
import { Manifest } from './rule';

/**
 * Whether objects of a kind live in a namespace: the built-in Kubernetes kinds here (by API group), custom resources
 * from their CRDs' `spec.scope` (generated from vendor/crds).
 */
const BUILT_IN: { readonly [group: string]: { readonly namespaced: readonly string[]; readonly cluster: readonly string[] } } = {
  '': {
    namespaced: ['ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'Pod', 'PodTemplate', 'ReplicationController', 'Endpoints',
      'PersistentVolumeClaim', 'LimitRange', 'ResourceQuota', 'Event', 'Binding'],
    cluster: ['Namespace', 'Node', 'PersistentVolume', 'ComponentStatus'],
  },
  apps: { namespaced: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ControllerRevision'], cluster: [] },
  batch: { namespaced: ['Job', 'CronJob'], cluster: [] },
  autoscaling: { namespaced: ['HorizontalPodAutoscaler'], cluster: [] },
  policy: { namespaced: ['PodDisruptionBudget'], cluster: [] },
  'networking.k8s.io': { namespaced: ['NetworkPolicy', 'Ingress'], cluster: ['IngressClass', 'IPAddress', 'ServiceCIDR'] },
  'rbac.authorization.k8s.io': { namespaced: ['Role', 'RoleBinding'], cluster: ['ClusterRole', 'ClusterRoleBinding'] },
  'storage.k8s.io': { namespaced: ['CSIStorageCapacity'], cluster: ['StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'VolumeAttributesClass'] },
  'scheduling.k8s.io': { namespaced: [], cluster: ['PriorityClass'] },
  'node.k8s.io': { namespaced: [], cluster: ['RuntimeClass'] },
  'coordination.k8s.io': { namespaced: ['Lease'], cluster: [] },
  'discovery.k8s.io': { namespaced: ['EndpointSlice'], cluster: [] },
  'events.k8s.io': { namespaced: ['Event'], cluster: [] },
  'apiextensions.k8s.io': { namespaced: [], cluster: ['CustomResourceDefinition'] },
  'apiregistration.k8s.io': { namespaced: [], cluster: ['APIService'] },
  'admissionregistration.k8s.io': {
    namespaced: [],
    cluster: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'],
  },
  'certificates.k8s.io': { namespaced: [], cluster: ['CertificateSigningRequest', 'ClusterTrustBundle'] },
  'flowcontrol.apiserver.k8s.io': { namespaced: [], cluster: ['FlowSchema', 'PriorityLevelConfiguration'] },
};

/** True when the kind is namespaced, false when cluster-scoped, undefined when this project does not know it. */
export function isNamespacedKind(manifest: Manifest): boolean | undefined {
  const v = manifest.apiVersion ?? '';
  const group = v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
  const kind = manifest.kind ?? '';
  const builtIn = Object.prototype.hasOwnProperty.call(BUILT_IN, group) ? BUILT_IN[group] : undefined;
  if (builtIn?.namespaced.includes(kind)) return true;
  if (builtIn?.cluster.includes(kind)) return false;
  const key = `${group}/${kind}`;
  if (Object.prototype.hasOwnProperty.call(CRD_SCOPES, key)) return CRD_SCOPES[key] === 'Namespaced';
  return undefined;
}
