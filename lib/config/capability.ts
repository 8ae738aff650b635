import type { Capability } from '../environments/capability';
import { configGenerationOf, DroppedGeneration, formatDroppedGenerations, retainedConfigGenerations } from './config-generations';

/** Generations the last retention dropped as untrusted (edited, renamed, unmarked, foreign), for the notes. */
let lastDropped: DroppedGeneration[] = [];

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
  retain: (objects, previous) => {
    const dropped: DroppedGeneration[] = [];
    const kept = retainedConfigGenerations(objects, previous, (d) => dropped.push(d));
    lastDropped = dropped;
    return kept;
  },
  notes: () => formatDroppedGenerations(lastDropped),
  diff: { generationOf: configGenerationOf },
};
