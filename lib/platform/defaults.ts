import { WORKLOAD_DEFAULTS } from '../workloads/defaults';

/** Defaults of the platform layer (namespaces and their guard rails). */
export const PLATFORM_DEFAULTS = {
  /** Pod Security Admission level enforced, audited and warned about. */
  podSecurityLevel: 'restricted',
  podSecurityVersion: 'latest',
  /** Containers created without resources (by hand, by an operator) get the workload defaults. */
  limitRange: {
    defaultRequest: { cpu: WORKLOAD_DEFAULTS.resources.cpuRequest, memory: WORKLOAD_DEFAULTS.resources.memoryRequest },
    default: { memory: WORKLOAD_DEFAULTS.resources.memoryLimit },
  },
} as const;
