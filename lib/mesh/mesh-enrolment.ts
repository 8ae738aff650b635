import { NetworkPeer } from '../workloads/network-peer';
import type { PodMeshEnrolment } from '../workloads/workload';
import { MESH_DEFAULTS as D } from './defaults';
import type { ResolvedMesh } from './mesh-settings';

/**
 * The labels that put a namespace's pods in the mesh, as Istio's webhook and CNI read them: `istio-injection:
 * enabled` (the default revision injects), `istio.io/rev: <revision>` (that revision injects), or
 * `istio.io/dataplane-mode: ambient` (ztunnel captures).
 */
export function namespaceEnrolmentLabels(mesh: ResolvedMesh): Record<string, string> {
  if (mesh.dataplane === 'ambient') return { 'istio.io/dataplane-mode': 'ambient' };
  return mesh.revision !== undefined ? { 'istio.io/rev': mesh.revision } : { 'istio-injection': 'enabled' };
}

/**
 * The pod labels that enrol a pod whatever its namespace carries (a workload in a namespace this app does not
 * render): `sidecar.istio.io/inject: "true"`, `istio.io/rev`, or `istio.io/dataplane-mode: ambient`.
 */
export function podEnrolmentLabels(mesh: ResolvedMesh): Record<string, string> {
  if (mesh.dataplane === 'ambient') return { 'istio.io/dataplane-mode': 'ambient' };
  return mesh.revision !== undefined ? { 'istio.io/rev': mesh.revision } : { 'sidecar.istio.io/inject': 'true' };
}

/**
 * What the data plane adds to a pod's NetworkPolicy.
 *
 * - sidecar: egress to istiod on 15012 (xDS and certificates; without it the proxy never becomes ready), and
 *   Prometheus on the agent's port 15020 (Istio's request metrics and merged application metrics; the port is
 *   not intercepted, so plain text works under STRICT). The sidecar rewrites HTTP/TCP/gRPC probes to 15020 too;
 *   kubelet probes come from the node, which NetworkPolicy implementations admit.
 * - ambient: every in-cluster edge also admits HBONE (15008), the port ztunnel tunnels each connection through,
 *   on both ends; the kubelet's probes arrive from ztunnel's link-local address 169.254.7.127, which the
 *   NetworkPolicy must admit on the pod's ports. ztunnel, not the pod, talks to istiod.
 */
export function podEnrolment(mesh: ResolvedMesh, podPorts: readonly number[], runsToCompletion = false): PodMeshEnrolment {
  const podLabels = podEnrolmentLabels(mesh);
  if (mesh.dataplane === 'ambient') {
    return {
      dataplane: 'ambient',
      podLabels,
      tunnelPort: D.ports.hbone,
      egress: [],
      ingress: podPorts.length > 0 ? [{ peer: NetworkPeer.ipBlock(D.ambientProbeSource), ports: [...podPorts] }] : [],
    };
  }
  return {
    dataplane: 'sidecar',
    podLabels,
    // a classic sidecar never exits, so a Job's pod would never complete: run the proxy as a Kubernetes native
    // sidecar (an init container that restarts; the SidecarContainers feature, on by default since 1.29)
    podAnnotations: runsToCompletion ? { 'sidecar.istio.io/nativeSidecar': 'true' } : undefined,
    egress: [{ peer: NetworkPeer.namespace(mesh.controlPlaneNamespace, mesh.istiodPodLabels), ports: [D.ports.istiodXds] }],
    ingress: [{ peer: NetworkPeer.namespace(mesh.prometheus.namespace, mesh.prometheus.podLabels), ports: [D.ports.agentTelemetry] }],
  };
}
