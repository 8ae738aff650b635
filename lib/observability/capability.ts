import { OBSERVABILITY_DEFAULTS } from './defaults';
import type { Capability } from '../environments/capability';

/** The observability capability's registration (lib/capabilities.ts): `env.monitoring` is never undefined. */
export const observabilityCapability: Capability = {
  name: 'observability',
  environmentDefaults: { monitoring: (given) => given ?? {} },
  // Prometheus and its rules live there: no team may claim it
  reservedNamespaces: (target) => [{ namespace: target.env.monitoring?.namespace ?? OBSERVABILITY_DEFAULTS.monitoring.namespace, what: `the monitoring namespace of environment '${target.env.name}'` }],
};
