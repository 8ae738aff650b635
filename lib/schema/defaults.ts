/**
 * The Kubernetes minor versions the library renders for and validates against: one vendored OpenAPI copy per
 * minor (vendor/k8s-schemas/k8s-v<minor>.0.json). Adding one: see scripts/import-schemas.ts.
 */
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36'] as const;

/** A Kubernetes minor version the library supports (`'1.29'`). */
export type KubernetesVersion = typeof SUPPORTED_KUBERNETES_VERSIONS[number];

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
