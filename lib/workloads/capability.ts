import type { Capability } from '../environments/capability';
import { RUN_BEFORE_ANNOTATION, SPEC_HASH_ANNOTATION } from './hardened-job';

/**
 * The workloads capability's registration (lib/capabilities.ts): a Job that must complete before the services
 * gets its own apply phase, and a Job named after its spec is replaced by design (the diff reports no rename).
 */
export const workloadsCapability: Capability = {
  name: 'workloads',
  applyPhaseOf: (m) => (m?.kind === 'Job' && m?.metadata?.annotations?.[RUN_BEFORE_ANNOTATION] ? 'run-before' : undefined),
  diff: {
    replacedByDesign: (m) => m?.kind === 'Job' && /^batch\/[^/]+$/.test(String(m?.apiVersion)) && !!m?.metadata?.annotations?.[SPEC_HASH_ANNOTATION],
  },
};
