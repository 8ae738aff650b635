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
  /** Sidecar injection unless a cluster runs ambient. */
  dataplane: 'sidecar',
  /** Where istiod runs, and the label its pods carry (Istio's charts set `app: istiod`). */
  controlPlaneNamespace: 'istio-system',
  istiodPodLabels: { app: 'istiod' },
  /** Istio's ports (Istio's "ports used by Istio" table). */
  ports: {
    /** istiod: xDS and certificate signing over mTLS, what every sidecar dials. */
    istiodXds: 15012,
    /** HBONE: ambient's tunnel; every in-cluster connection to or from an ambient pod arrives on it. */
    hbone: 15008,
    /** pilot-agent: merged Prometheus metrics and the rewritten probes (`/app-health/...`); not intercepted. */
    agentTelemetry: 15020,
  },
  /** The link-local address ztunnel gives kubelet probes in ambient (they pass ztunnel without mTLS). */
  ambientProbeSource: '169.254.7.127/32',
  /**
   * Where the environment's Prometheus runs when its `monitoring` settings say nothing: the same values as the
   * observability defaults (two capabilities do not import each other), for the sidecars' telemetry port.
   */
  prometheusNamespace: 'monitoring',
  prometheusPodLabels: { 'app.kubernetes.io/name': 'prometheus' },
} as const;
