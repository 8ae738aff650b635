import type { Capability } from '../environments/capability';
import './edge-declaration';

/**
 * The exposure capability's registration (lib/capabilities.ts): the cluster's Gateway and ingress controller run in
 * namespaces of their own, which no team may claim.
 */
export const exposureCapability: Capability = {
  name: 'exposure',
  reservedNamespaces: ({ cluster }) => [
    ...(cluster.gateway ? [{ namespace: cluster.gateway.namespace, what: `the namespace of the Gateway of cluster '${cluster.name}'` }] : []),
    ...(cluster.ingressController ? [{ namespace: cluster.ingressController.namespace, what: `the namespace of the ingress controller of cluster '${cluster.name}'` }] : []),
  ],
};
