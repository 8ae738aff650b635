/**
 * The one table of traffic defaults. `@default` docs in this folder quote these values.
 */
export const TRAFFIC_DEFAULTS = {
  /** Name of the HTTP route whose weights Argo Rollouts sets (managed routes are placed above it). */
  routeName: 'primary',
  istio: {
    /** The pseudo-gateway of in-mesh callers. */
    meshGateway: 'mesh',
    /** Gateways set: in-mesh callers are routed as well. */
    includeMesh: true,
    /** Two Services (stable and canary), so analysis can tell the versions apart by Service. */
    split: 'services',
    stableSubset: 'stable',
    canarySubset: 'canary',
  },
  gatewayApi: {
    /** The route matches every path below this prefix. */
    pathPrefix: '/',
    /** The Gateway kind parentRefs point at. */
    parentKind: 'Gateway',
  },
  /** Name of the Argo Rollouts Gateway API traffic router plugin (as registered in argo-rollouts-config). */
  gatewayApiPlugin: 'argoproj-labs/gatewayAPI',
} as const;
