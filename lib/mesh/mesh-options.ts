// Types only: the mesh settings of an environment or a cluster, added to the environment model by declaration
// merging (end of file).

/** Mutual TLS between workloads: `STRICT` rejects plain text; `PERMISSIVE` accepts both (for migrations). */
export type MtlsMode = 'STRICT' | 'PERMISSIVE';

/** Istio service-mesh security of an environment (a cluster's settings override its environment's). */
export interface MeshOptions {
  /**
   * Whether workloads run in the Istio mesh: PeerAuthentication and AuthorizationPolicies are rendered.
   * @default false
   */
  readonly istio?: boolean;
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
