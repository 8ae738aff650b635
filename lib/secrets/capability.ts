import type { ApplyEdge, ApplyGraphIndex, Capability } from '../environments/capability';
import type { RenderedObject } from '../environments/rendered';

/** Kinds that maintain a Secret from a source outside the repository (or describe where it comes from). */
const SECRET_SOURCE_KINDS = new Set(['ExternalSecret', 'ClusterExternalSecret', 'SealedSecret', 'SecretStore', 'ClusterSecretStore', 'PushSecret']);

/**
 * The secrets capability's registration (lib/capabilities.ts): `env.secretStores` is never undefined, and the
 * review flags every change of a secret source.
 */
export const secretsCapability: Capability = {
  name: 'secrets',
  environmentDefaults: { secretStores: (given) => ({ ...given }) },
  applyEdgesOf: storeEdges,
  // a pod reading the Secret an ExternalSecret or SealedSecret maintains waits for that object
  madeBy: (m) => {
    const group = String(m?.apiVersion ?? '').split('/')[0];
    if (group === 'external-secrets.io' && m.kind === 'ExternalSecret') return [{ kind: 'Secret', name: m.spec?.target?.name ?? m.metadata?.name }];
    if (group === 'bitnami.com' && m.kind === 'SealedSecret') return [{ kind: 'Secret', name: m.spec?.template?.metadata?.name ?? m.metadata?.name }];
    return [];
  },
  risksOf: ({ change, previous, next, fields }) => {
    const kind: string | undefined = (next ?? previous)?.kind;
    if (!kind || !SECRET_SOURCE_KINDS.has(kind)) return [];
    const message = change === 'added' ? `new secret source ${kind}`
      : change === 'removed' ? `secret source ${kind} removed: the Secret it maintains stops being refreshed`
        : `secret source changed (${fields.slice(0, 2).join(', ')})`;
    return [{ risk: 'secret-source-change', message }];
  },
};

/**
 * A SecretStore no earlier than the ServiceAccount it logs in with and the Secrets holding its credentials
 * (wherever its provider names them); an ExternalSecret no earlier than its store.
 */
function storeEdges(o: RenderedObject, index: ApplyGraphIndex): ApplyEdge[] {
  const m = o.manifest;
  if (String(m?.apiVersion ?? '').split('/')[0] !== 'external-secrets.io') return [];
  const ns: string | undefined = m.metadata?.namespace;
  const edges: ApplyEdge[] = [];
  const needs = (kind: string, namespace: string | undefined, name: unknown, why: string) => {
    const to = index.find(kind, namespace, name);
    if (to && to !== o) edges.push({ from: o, to, kind: 'needs', why });
  };
  if (m.kind === 'SecretStore' || m.kind === 'ClusterSecretStore') {
    walk(m.spec, (key, v) => {
      if (key === 'serviceAccountRef') needs('ServiceAccount', v?.namespace ?? ns, v?.name, `logs in as ServiceAccount ${v?.name}`);
      else if (/SecretRef$|^secretRef$/.test(key)) needs('Secret', v?.namespace ?? ns, v?.name, `reads its credentials from Secret ${v?.name}`);
    });
  }
  if (m.kind === 'ExternalSecret') {
    const ref = m.spec?.secretStoreRef;
    const kind = ref?.kind ?? 'SecretStore';
    needs(kind, kind === 'SecretStore' ? ns : undefined, ref?.name, `reads from ${kind} ${ref?.name}`);
  }
  return edges;
}

function walk(node: any, visit: (key: string, value: any) => void): void {
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    visit(k, v);
    walk(v, visit);
  }
}
