import type { Capability } from '../environments/capability';

/** The observability capability's registration (lib/capabilities.ts): `env.monitoring` is never undefined. */
export const observabilityCapability: Capability = {
  name: 'observability',
  environmentDefaults: { monitoring: (given) => given ?? {} },
};
