// Types only: what a cluster and an environment declare about their edge (gateway or ingress controller,
// certificate issuer), added to the environment model by declaration merging (end of file).

/** One listener of a shared Gateway API Gateway. */
export interface GatewayListenerDeclaration {
  /** The listener's name (a route's `parentRefs[].sectionName`). */
  readonly name: string;
  /**
   * The host names the listener accepts: exact (`shop.acme.example`) or a wildcard (`*.shop.acme.example`).
   * @default - any host
   */
  readonly hostname?: string;
  /**
   * `HTTPS` terminates TLS at the gateway; `HTTP` is plain text.
   * @default 'HTTPS'
   */
  readonly protocol?: 'HTTPS' | 'HTTP';
  /**
   * A certificate the listener already holds (the Secret its `certificateRefs` name), covering its `hostname`
   * (a wildcard certificate for a wildcard listener). Routes on hosts it covers need no Certificate of their own.
   * Without it, each exposed service gets a cert-manager Certificate in its namespace plus a ReferenceGrant that
   * lets the Gateway read the Secret; the listener's `certificateRefs` list those Secrets.
   * @default - none: per-service certificates
   */
  readonly certificateSecret?: string;
}

/**
 * The shared Gateway (Gateway API) a cluster's routes attach to. Managed outside this repository; its listeners
 * must admit routes from the services' namespaces (`allowedRoutes.namespaces`), and list in `certificateRefs`
 * the per-service Secrets (`<service>-tls` in the service's namespace) of hosts no listener certificate covers.
 */
export interface GatewayDeclaration {
  readonly name: string;
  readonly namespace: string;
  readonly listeners: GatewayListenerDeclaration[];
  /**
   * Labels of the gateway's pods: NetworkPolicies admit exactly these pods.
   * @default - every pod of the gateway's namespace
   */
  readonly podLabels?: Record<string, string>;
  /**
   * The gateway pods' service account: with a mesh, the identity AuthorizationPolicies allow.
   * @default - none: the mesh admits the gateway's namespace
   */
  readonly serviceAccount?: string;
}

/** A cluster's ingress controller (when it exposes through Ingress objects instead of a Gateway). */
export interface IngressControllerDeclaration {
  /** `spec.ingressClassName` of every Ingress (`nginx`). */
  readonly ingressClass: string;
  /** The controller's namespace (`ingress-nginx`). */
  readonly namespace: string;
  /** @default - every pod of the controller's namespace */
  readonly podLabels?: Record<string, string>;
  /** @default - none: the mesh admits the controller's namespace */
  readonly serviceAccount?: string;
}

/** The cert-manager issuer of an environment's certificates. */
export interface CertificateIssuerDeclaration {
  readonly name: string;
  /** @default 'ClusterIssuer' */
  readonly kind?: 'ClusterIssuer' | 'Issuer';
}

// exposure's settings in the one typed `Environments.define`
declare module '../environments/environment' {
  interface ClusterProps {
    /**
     * Exposure: the shared Gateway API Gateway that exposed services' routes attach to.
     * @default - none (or an ingress controller)
     */
    readonly gateway?: GatewayDeclaration;
    /**
     * Exposure: the ingress controller exposed services' Ingresses use, when the cluster has no Gateway.
     * @default - none
     */
    readonly ingressController?: IngressControllerDeclaration;
  }
  interface EnvironmentProps<S> {
    /**
     * Exposure: the cert-manager issuer of the environment's certificates (a staging issuer outside production).
     * @default - none: exposing over TLS needs a certificate the gateway holds
     */
    readonly certificateIssuer?: CertificateIssuerDeclaration;
  }
  interface Environment<N, S> {
    /** Exposure: the environment's certificate issuer, as given. */
    readonly certificateIssuer?: CertificateIssuerDeclaration;
  }
}
