// Types only: the mesh settings of an environment or a cluster. lib/gitops/environment.ts imports this file, so
// it imports nothing from lib/gitops.

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
