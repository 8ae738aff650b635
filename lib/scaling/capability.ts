import type { Capability } from '../environments/capability';

/** The scaling capability's registration (lib/capabilities.ts): `env.scaling` is never undefined. */
export const scalingCapability: Capability = {
  name: 'scaling',
  environmentDefaults: { scaling: (given) => given ?? {} },
};
