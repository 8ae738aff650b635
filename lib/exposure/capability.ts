import type { Capability } from '../environments/capability';
import { PlatformGateway } from './platform-gateway';

/** The exposure capability's registration (lib/capabilities.ts): a cluster's platform-owned Gateway renders in every target. */
export const exposureCapability: Capability = {
  name: 'exposure',
  setupTarget: (scope) => {
    PlatformGateway.of(scope);
  },
};
