import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { addFinalizer } from '../core';
import { Policy } from '../policy/policy';
import { HardenedPod } from '../workloads/pod-template';
import type { IWorkload } from '../workloads/workload';
import { podEnrolment } from './mesh-enrolment';
import { meshOf, ResolvedMesh } from './mesh-settings';
import { WorkloadAuthorization } from './workload-authorization';

const REGISTERED = Symbol.for('typed-manifests.mesh-authorization');

/**
 * Once the whole tree is built (every workload and edge declared), enrols every workload of a target with the
 * mesh on (its pod labels, its data plane's traffic in its NetworkPolicy), gives every workload with callers its
 * ALLOW AuthorizationPolicy (construct id `MeshAuthorization`) and, where a peer outside the mesh connects in
 * plain text (the scraper), a workload PeerAuthentication accepting plain text on those ports only (construct id
 * `MeshPlaintextPorts`). Registered once per app, by the first PlatformNamespace rendered with the mesh on; one
 * walk over the tree.
 */
/** Workloads the finalizer has seen (each gets its policies once, however often the finalizer runs). */
const AUTHORIZED = new WeakSet<IConstruct>();

export function authorizeMeshWorkloads(scope: IConstruct): void {
  const root = scope.node.root as any;
  if (root[REGISTERED]) return;
  Object.defineProperty(root, REGISTERED, { value: true, enumerable: false, configurable: true });
  addFinalizer(scope, () => {
    // the next target built (a streaming synth builds one at a time) registers again; a workload is done once
    delete root[REGISTERED];
    for (const c of scope.node.root.node.findAll()) {
      if (!isWorkload(c) || AUTHORIZED.has(c)) continue;
      AUTHORIZED.add(c);
      const mesh = meshOf(c);
      if (!mesh) continue;
      if (!c.pod.meshEnrolment) c.pod.enrolInMesh(podEnrolment(mesh, c.pod.ports.map((p) => p.port), c.controller.kind === 'Job' || c.controller.kind === 'CronJob'));
      if (c.pod.ingressRules.length === 0) continue;
      new WorkloadAuthorization(c, 'MeshAuthorization', { workload: c, trustDomain: mesh.trustDomain });
      plaintextPorts(c, mesh);
    }
  });
}

/** Port-level PERMISSIVE for the ports peers outside the mesh reach (a selector is required for port-level mTLS). */
function plaintextPorts(w: IWorkload, mesh: ResolvedMesh): void {
  if (mesh.mtls !== 'STRICT') return;
  const ports = [...new Set(w.pod.ingressRules.filter((r) => r.outsideMesh).flatMap((r) => [...(r.ports ?? [])]))].sort((a, b) => a - b);
  if (ports.length === 0) return;
  const pa = new ApiObject(w as unknown as Construct, 'MeshPlaintextPorts', {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: w.pod.metadata(),
    spec: {
      selector: { matchLabels: { ...w.pod.selectorLabels } },
      mtls: { mode: 'STRICT' },
      portLevelMtls: Object.fromEntries(ports.map((p) => [String(p), { mode: 'PERMISSIVE' }])),
    },
  });
  // the one plain-text exception, by design: only the scraper's ports, which the NetworkPolicy opens to it alone
  Policy.exempt(pa, 'hygiene-mesh-mtls-strict-in-production',
    `a scraper outside the mesh reads port${ports.length > 1 ? 's' : ''} ${ports.join(', ')} in plain text; the NetworkPolicy admits only it there`);
}

function isWorkload(c: unknown): c is IWorkload {
  return (c as any)?.pod instanceof HardenedPod && typeof (c as any).use === 'function';
}
