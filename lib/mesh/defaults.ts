/**
 * The one table of mesh defaults. `@default` docs in this folder (and MeshOptions) quote these values.
 */
export const MESH_DEFAULTS = {
  /** No mesh unless an environment or cluster turns Istio on. */
  istio: false,
  /** Namespace-wide mutual TLS: plain text is rejected. */
  mtls: 'STRICT',
  /** Istio's default trust domain. */
  trustDomain: 'cluster.local',
  /** Name of the namespace-wide PeerAuthentication (Istio reads `default` as the namespace policy by convention). */
  peerAuthenticationName: 'default',
  /** Name of the namespace's deny-all AuthorizationPolicy. */
  denyAllName: 'deny-all',
} as const;
