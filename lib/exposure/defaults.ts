/**
 * The one table of exposure defaults. `@default` docs in this folder quote these values.
 */
export const EXPOSURE_DEFAULTS = {
  /** Host name templates: `{service}` is the service's name, `{domain}` the environment's domain. */
  hosts: ['{service}.{domain}'],
  /** Path prefixes routed to the service. */
  paths: ['/'],
  /** HTTPS at the gateway (or ingress controller). */
  tls: true,
  /** A gateway listener's protocol when the declaration leaves it out. */
  listenerProtocol: 'HTTPS',
  /** The kind of a certificate issuer when the declaration leaves it out. */
  issuerKind: 'ClusterIssuer',
  /** Name suffix of the service's Certificate and of its Secret. */
  certificateSuffix: '-tls',
  /** A Gateway the platform renders: listener ports by protocol. */
  platformGateway: { httpsPort: 443, httpPort: 80 },
  /** Name suffix of the ReferenceGrant that lets the gateway read the certificate Secret. */
  referenceGrantSuffix: '-tls-gateway',
  /**
   * Request timeout at the gateway (HTTPRoute `timeouts.request`, and the VirtualService's `timeout` when the mesh
   * routes the service): long enough for slow pages, short enough that a stuck backend frees the caller.
   */
  timeouts: { request: '30s' },
  /** Circuit breaking with the mesh (DestinationRule `trafficPolicy`). */
  circuitBreaker: {
    /** Eject a pod after this many consecutive 5xx answers... */
    consecutive5xxErrors: 5,
    /** ...counted over this interval... */
    interval: '10s',
    /** ...for at least this long (longer each time it is ejected again)... */
    baseEjectionTime: '30s',
    /** ...but never more than this share of the pods. */
    maxEjectionPercent: 50,
    /** TCP connections to the service, per caller pod. */
    maxConnections: 1024,
    /** Requests waiting for a connection, per caller pod. */
    maxPendingRequests: 1024,
    /** Concurrent requests to the service, per caller pod. */
    maxRequests: 1024,
  },
} as const;
