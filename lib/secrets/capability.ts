import type { Capability } from '../environments/capability';

/** Kinds that maintain a Secret from a source outside the repository (or describe where it comes from). */
const SECRET_SOURCE_KINDS = new Set(['ExternalSecret', 'ClusterExternalSecret', 'SealedSecret', 'SecretStore', 'ClusterSecretStore', 'PushSecret']);

/**
 * The secrets capability's registration (lib/capabilities.ts): `env.secretStores` is never undefined, and the
 * review flags every change of a secret source.
 */
export const secretsCapability: Capability = {
  name: 'secrets',
  environmentDefaults: { secretStores: (given) => ({ ...given }) },
  risksOf: ({ change, previous, next, fields }) => {
    const kind: string | undefined = (next ?? previous)?.kind;
    if (!kind || !SECRET_SOURCE_KINDS.has(kind)) return [];
    const message = change === 'added' ? `new secret source ${kind}`
      : change === 'removed' ? `secret source ${kind} removed: the Secret it maintains stops being refreshed`
        : `secret source changed (${fields.slice(0, 2).join(', ')})`;
    return [{ risk: 'secret-source-change', message }];
  },
};
