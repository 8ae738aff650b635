import type { Capability } from '../environments/capability';
import { configGenerationOf, retainedConfigGenerations } from './config-generations';

/**
 * The config capability's registration (lib/capabilities.ts): synth carries the config generations a rollback
 * may still mount over from the previous dist/, and the diff marks generations (new, retained, retired).
 */
export const configCapability: Capability = {
  name: 'config',
  retain: retainedConfigGenerations,
  diff: { generationOf: configGenerationOf },
};
