import type { Capability } from '../environments/capability';
import { Promotion } from './promotion';

/**
 * The promotion capability's registration (lib/capabilities.ts): synth refuses, before anything is written, a
 * ledger that does not admit every release the app renders (the app's Promotion, when it declares one), and any
 * change to a stage inside one of its freeze windows.
 */
export const promotionCapability: Capability = {
  name: 'promotion',
  // the ledger relates every stage: judged once all targets are rendered
  afterTargets: ({ root }) => Promotion.of(root)?.verify(),
  release: (scope) => Promotion.of(scope)?.release(scope),
  // a frozen stage's folders must stay as the previous dist/ holds them
  beforeWrite: (objects, outdir, { root, folders }) => Promotion.of(root)?.checkFrozen(objects, outdir, folders),
};
