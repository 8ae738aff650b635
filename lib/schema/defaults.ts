import type { KubernetesVersion } from '../environments/kubernetes-version';

export { SUPPORTED_KUBERNETES_VERSIONS } from '../environments/kubernetes-version';
export type { KubernetesVersion } from '../environments/kubernetes-version';

/** Every default of the schema and compatibility capability. */
export const SCHEMA_DEFAULTS = {
  /**
   * A cluster without `kubernetesVersion` (and a construct built outside a GitOpsApp, e.g. in a unit test) is
   * taken to run the newest supported minor: new clusters get the library's best defaults; older clusters must
   * say so, and then get the documented fallbacks.
   */
  kubernetesVersion: '1.36' as KubernetesVersion,
  /** Folder (below the repository root) of the vendored Kubernetes OpenAPI definitions. */
  k8sSchemaDir: 'vendor/k8s-schemas',
  /** Folder of the CRD schemas extracted from vendor/crds by scripts/import-schemas.ts. */
  crdSchemaDir: 'vendor/crd-schemas',
};
