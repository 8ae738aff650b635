import type { Construct } from 'constructs';
import type { Capability } from '../environments/capability';
import { checkClaimSizes, shrunkClaims } from './claim-sizes';
import { StorageClass } from './storage-class';

/**
 * The storage capability's registration (lib/capabilities.ts): each target renders its cluster's StorageClasses,
 * synth refuses a claim template smaller than in the previous dist/, and the diff warns about it.
 */
export const storageCapability: Capability = {
  name: 'storage',
  setupTarget: (scope, target) => {
    StorageClass.renderAll(scope as Construct, target.cluster.storageClasses);
  },
  beforeWrite: checkClaimSizes,
  diff: {
    warnings: (previous, next) => {
      if (next?.kind !== 'StatefulSet' || !/^apps\/[^/]+$/.test(String(next?.apiVersion))) return [];
      return shrunkClaims(previous, next).map((s) => ({
        kind: 'claim-shrunk' as const,
        message: `claim template '${s.claim}' shrinks from ${s.previous} to ${s.next}; a volume claim can never shrink (Kubernetes rejects it, and re-created claims keep the old size). Keep at least ${s.previous}; synth refuses it.`,
      }));
    },
  },
};
