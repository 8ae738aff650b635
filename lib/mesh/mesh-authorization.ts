import { IConstruct } from 'constructs';
import { addFinalizer } from '../core';
import { HardenedPod } from '../workloads/pod-template';
import type { IWorkload } from '../workloads/workload';
import { meshOf } from './mesh-settings';
import { WorkloadAuthorization } from './workload-authorization';

const REGISTERED = Symbol.for('typed-manifests.mesh-authorization');

/**
 * Once the whole tree is built (every workload and edge declared), gives every workload with callers in a
 * target with the mesh on its ALLOW AuthorizationPolicy (construct id `MeshAuthorization`). Registered once per
 * app, by the first PlatformNamespace rendered with the mesh on; one walk over the tree.
 */
export function authorizeMeshWorkloads(scope: IConstruct): void {
  const root = scope.node.root as any;
  if (root[REGISTERED]) return;
  Object.defineProperty(root, REGISTERED, { value: true, enumerable: false });
  addFinalizer(scope, () => {
    for (const c of scope.node.root.node.findAll()) {
      if (!isWorkload(c) || c.pod.ingressRules.length === 0) continue;
      const mesh = meshOf(c);
      if (mesh) new WorkloadAuthorization(c, 'MeshAuthorization', { workload: c, trustDomain: mesh.trustDomain });
    }
  });
}

function isWorkload(c: unknown): c is IWorkload {
  return (c as any)?.pod instanceof HardenedPod && typeof (c as any).use === 'function';
}
