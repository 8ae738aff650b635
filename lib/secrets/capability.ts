import type { Capability } from '../environments/capability';

/** The secrets capability's registration (lib/capabilities.ts): `env.secretStores` is never undefined. */
export const secretsCapability: Capability = {
  name: 'secrets',
  environmentDefaults: { secretStores: (given) => ({ ...given }) },
};
