import type { Capability } from '../environments/capability';
import { Promotion } from './promotion';

/**
 * The promotion capability's registration (lib/capabilities.ts): synth refuses, before anything is written, a
 * ledger that does not admit every release the app renders (the app's Promotion, when it declares one), and any
 * change to a stage inside one of its freeze windows.
 */
export const promotionCapability: Capability = {
  name: 'promotion',
  check: (objects) => {
    if (objects.length > 0) Promotion.of(objects[0].apiObject)?.verify();
  },
  // a frozen stage's folders must stay as the previous dist/ holds them
  beforeWrite: (objects, outdir) => {
    if (objects.length > 0) Promotion.of(objects[0].apiObject)?.checkFrozen(objects, outdir);
  },
};
