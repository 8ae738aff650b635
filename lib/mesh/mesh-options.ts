// Types only: the mesh settings of an environment or a cluster, added to the environment model by declaration
// merging (end of file).

/** Mutual TLS between workloads: `STRICT` rejects plain text; `PERMISSIVE` accepts both (for migrations). */
export type MtlsMode = 'STRICT' | 'PERMISSIVE';

/**
 * How the cluster's mesh puts a pod in the mesh: `sidecar` (istiod's injection webhook adds an Envoy to each
 * pod of a labelled namespace) or `ambient` (the node's ztunnel captures the pods of a labelled namespace; no
 * sidecar, in-cluster traffic tunnelled over HBONE, port 15008).
 */
export type MeshDataplane = 'sidecar' | 'ambient';

/** Istio service-mesh security of an environment (a cluster's settings override its environment's). */
export interface MeshOptions {
  /**
   * Whether workloads run in the Istio mesh: PeerAuthentication and AuthorizationPolicies are rendered, and
   * namespaces and pods carry the labels that enrol them.
   * @default false
   */
  readonly istio?: boolean;
  /**
   * How the mesh enrols pods.
   * @default 'sidecar'
   */
  readonly dataplane?: MeshDataplane;
  /**
   * Sidecar only: the istiod revision whose webhook injects (`istio.io/rev: <revision>`, for canary upgrades of
   * the control plane). Without it namespaces carry `istio-injection: enabled` (the default revision's webhook).
   * @default - the default revision
   */
  readonly revision?: string;
  /**
   * Namespace istiod runs in: sidecars reach it on 15012 (xDS and certificates).
   * @default 'istio-system'
   */
  readonly controlPlaneNamespace?: string;
  /**
   * The namespace-wide mTLS mode.
   * @default 'STRICT'
   */
  readonly mtls?: MtlsMode;
  /**
   * The mesh trust domain of principals (`<trustDomain>/ns/<namespace>/sa/<serviceAccount>`).
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;
  /**
   * The resources of the sidecar proxy the mesh injects into every pod of a meshed namespace (what the Istio
   * installation sets, `global.proxy.resources`): quota fits count them per pod.
   * @default - Istio's defaults: requests 100m CPU and 128Mi, limits 2 CPU and 1Gi
   */
  readonly sidecar?: SidecarResources;
}

/** Resources of the injected sidecar proxy (Kubernetes quantities). */
export interface SidecarResources {
  /** @default '100m' */
  readonly cpuRequest?: string;
  /** @default '128Mi' */
  readonly memoryRequest?: string;
  /** @default '2' */
  readonly cpuLimit?: string;
  /** @default '1Gi' */
  readonly memoryLimit?: string;
}

// mesh settings in the one typed `Environments.define`
declare module '../environments/environment' {
  interface ClusterProps {
    /**
     * Mesh settings of this cluster, over its environment's (`{ mtls: 'PERMISSIVE' }` while it migrates).
     * @default - the environment's
     */
    readonly mesh?: MeshOptions;
  }
  interface EnvironmentProps<S> {
    /**
     * Istio mesh security: `{ istio: true }` renders STRICT mTLS and AuthorizationPolicies from the connection graph.
     * @default - no mesh: NetworkPolicies only
     */
    readonly mesh?: MeshOptions;
  }
  interface Environment<N, S> {
    /** Mesh settings as given (lib/mesh resolves the defaults). */
    readonly mesh?: MeshOptions;
  }
}
