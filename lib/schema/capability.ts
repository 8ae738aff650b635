import type { Capability } from '../environments/capability';
import { checkSchemas, folderVersions } from './check';
import { compatibilityNotesOf, formatCompatibilityNotes } from './compatibility';

/**
 * The schema capability's registration (lib/capabilities.ts; essential: synth refuses to run without it): every
 * rendered object is validated against its cluster's Kubernetes version and the CRD schemas, and synth lists the
 * fallbacks it chose for older clusters.
 */
export const schemaCapability: Capability = {
  name: 'schema',
  check: (objects, { targets }) => checkSchemas(objects, folderVersions(targets)),
  notes: ({ targets }) => formatCompatibilityNotes(compatibilityNotesOf(targets)),
};
