import type { Capability } from '../environments/capability';
import type { PreviousTree } from '../environments/rendered';
import { configGenerationOf, DroppedGeneration, formatDroppedGenerations, retainedConfigGenerations } from './config-generations';

/** Generations the last retention dropped as untrusted (edited, renamed, unmarked, foreign), for the notes. */
let lastDropped: DroppedGeneration[] = [];
let lastPrevious: PreviousTree | undefined;

/** The config generations of the previous dist/ that the last synth dropped as untrusted (what synth reports on stderr). */
export function droppedConfigGenerations(): readonly DroppedGeneration[] {
  return lastDropped;
}

/**
 * The config capability's registration (lib/capabilities.ts): synth carries the config generations a rollback
 * may still mount over from the previous dist/ (only those the library wrote, unchanged), reports the ones it
 * dropped, and the diff marks generations (new, retained, retired).
 */
export const configCapability: Capability = {
  name: 'config',
  // called once per target of a synth (all with the same previous tree): a new tree starts a new list
  retain: (objects, previous) => {
    if (previous !== lastPrevious) {
      lastPrevious = previous;
      lastDropped = [];
    }
    return retainedConfigGenerations(objects, previous, (d) => lastDropped.push(d));
  },
  notes: () => formatDroppedGenerations(lastDropped),
  diff: { generationOf: configGenerationOf },
};
