import { show } from '../core';
import { credentialsInObject } from './credential-detector';
import { apiGroupOf, containersOf, PodTemplate, podTemplateOf } from './pod-template';
import { defineRule, Manifest, Rule, RuleContext, Violation } from './rule';
import { namespaceOf } from './workloads';

/**
 * Pod template annotation declaring the Secrets that exist on the cluster but are managed outside this
 * repository, with their keys, as JSON sorted by Secret name: `existing.secrets.typed-manifests.io/declared:
 * '{"legacy-billing":["account","token"]}'` (written by lib/secrets' ExistingSecret). The reference rule accepts references to
 * exactly these keys of those Secrets from the annotated workload. One key for all Secrets: a key per Secret
 * gives every pod template of a large platform an object shape of its own, which slows synth down.
 */
export const EXISTING_SECRETS_ANNOTATION = 'existing.secrets.typed-manifests.io/declared';

/**
 * The per-Secret form earlier versions wrote (`existing.secrets.typed-manifests.io/<secret>: <key>,<key>`), still
 * read, so that manifests rendered by them (a base branch's dist/ in a review) are judged alike.
 */
export const EXISTING_SECRET_ANNOTATION_PREFIX = 'existing.secrets.typed-manifests.io/';

/**
 * The annotation value declaring `secrets` (name -> keys), sorted by name. JSON, which the credential rule reads
 * as structured text: a list of names under a key that names secrets is not a secret.
 */
export function existingSecretsValue(secrets: ReadonlyMap<string, readonly string[]>): string {
  const entries = [...secrets].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([name, keys]) => `${JSON.stringify(name)}:${JSON.stringify(keys)}`).join(',')}}`;
}

/** Secrets in Git: no plaintext, no credentials hidden in config, every reference to a Secret resolves. */

const MOVE_IT = 'move it to a secret store: an ExternalSecret (Vault, a cloud secrets manager) or a SealedSecret (lib/secrets), read with SecretEnv/SecretFiles';

export const noPlaintextSecret = defineRule({
  id: 'hygiene-no-plaintext-secret',
  title: 'No Secret objects in Git: secrets come from an ExternalSecret or a SealedSecret',
  profile: 'hygiene',
  check: (m) => {
    if (m.kind !== 'Secret' || apiGroupOf(m) !== '') return [];
    const s = m as any;
    const fields = ['data', 'stringData'].filter((f) => s[f] && typeof s[f] === 'object' && Object.keys(s[f]).length > 0);
    if (fields.length > 0) {
      return fields.map((f): Violation => ({
        field: f,
        message: `Secret carries its values in ${f} (${f === 'data' ? 'base64 is an encoding, not encryption' : 'plaintext'}), got keys ${show(Object.keys(s[f]).sort())}`,
        fix: `${MOVE_IT}; or exempt with a reason`,
      }));
    }
    if (s.type === 'kubernetes.io/service-account-token') return [];
    return [{
      field: 'data',
      message: 'Secret has no data: someone fills it by hand on the cluster, where a sync can overwrite or prune it, got an empty Secret',
      fix: `${MOVE_IT}, or declare a Secret managed elsewhere with ExistingSecret.of({ name, keys }); or exempt with a reason`,
    }];
  },
});

/** Masks a value for a message: its kind and length, never the value. */
function hidden(length: number): string {
  return `<${length} characters, not shown>`;
}

/** Where a rule's own values are judged by another rule, or hold ciphertext: not read for credentials. */
function credentialSkip(m: Manifest): readonly (readonly string[])[] {
  // hygiene-no-plaintext-secret reports a Secret's values; its exemption (a Secret kept on purpose) covers them
  if (m.kind === 'Secret' && apiGroupOf(m) === '') return [['data'], ['stringData']];
  if (m.kind === 'SealedSecret' && apiGroupOf(m) === 'bitnami.com') return [['spec', 'encryptedData']]; // ciphertext
  return [];
}

export const CREDENTIALS_RULE_ID = 'hygiene-no-plaintext-credentials';

export const noPlaintextCredentials = defineRule({
  id: CREDENTIALS_RULE_ID,
  title: 'No credential-looking value anywhere in an object (labels, annotations, args, env, headers, config files, templates, Helm values)',
  profile: 'hygiene',
  exemptPerValue: true,
  check: (m) => credentialsInObject(m, { skipFields: credentialSkip(m) }).map((h): Violation => ({
    field: h.path,
    message: `${h.inKey ? 'the key' : 'the value'} at ${h.path}${h.within ? ` (key ${JSON.stringify(h.within)} of the file)` : ''} looks like ${h.what}, got ${hidden(h.length)}`,
    fix: `${MOVE_IT}; if it is not a credential, exempt this one value: Policy.exemptValue(scope, '${CREDENTIALS_RULE_ID}', ${JSON.stringify(h.path)}, 'why')`,
  })),
});

/** Keys a Secret is declared to have, or 'any' when its source does not list them (dataFrom). */
type Keys = Set<string> | 'any';

const SOURCES = new WeakMap<readonly Manifest[], Map<string, Map<string, { keys: Keys; by: string }>>>();

/** Secret sources of a folder, by namespace and Secret name: ExternalSecrets, SealedSecrets, Secrets. */
function sourcesOf(context: RuleContext, namespace: string): Map<string, { keys: Keys; by: string }> | undefined {
  let folder = SOURCES.get(context.objects);
  if (!folder) {
    folder = new Map();
    for (const o of context.objects) {
      const s = o as any;
      let name: string | undefined;
      let keys: Keys;
      let by: string;
      if (o.kind === 'ExternalSecret' && apiGroupOf(o) === 'external-secrets.io') {
        name = s.spec?.target?.name ?? o.metadata?.name;
        const k = new Set<string>([...(s.spec?.data ?? []).map((d: any) => d?.secretKey), ...Object.keys(s.spec?.target?.template?.data ?? {})]);
        keys = (s.spec?.dataFrom ?? []).length > 0 ? 'any' : k;
        by = `ExternalSecret ${o.metadata?.name}`;
      } else if (o.kind === 'SealedSecret' && apiGroupOf(o) === 'bitnami.com') {
        name = s.spec?.template?.metadata?.name ?? o.metadata?.name;
        keys = new Set([...Object.keys(s.spec?.encryptedData ?? {}), ...Object.keys(s.spec?.template?.data ?? {})]);
        by = `SealedSecret ${o.metadata?.name}`;
      } else if (o.kind === 'Secret' && apiGroupOf(o) === '') {
        name = o.metadata?.name;
        keys = new Set([...Object.keys(s.data ?? {}), ...Object.keys(s.stringData ?? {})]);
        by = `Secret ${name}`;
      } else {
        continue;
      }
      if (typeof name !== 'string') continue;
      const ns = namespaceOf(o);
      let byName = folder.get(ns);
      if (!byName) folder.set(ns, (byName = new Map()));
      const prev = byName.get(name);
      if (prev && prev.keys !== 'any' && keys !== 'any') keys = new Set([...prev.keys, ...keys]);
      else if (prev) keys = 'any';
      byName.set(name, { keys, by: prev ? `${prev.by} and ${by}` : by });
    }
    SOURCES.set(context.objects, folder);
  }
  return folder.get(namespace);
}

interface SecretUse {
  readonly field: string;
  readonly what: string;
  readonly secret: string;
  /** Undefined for a whole-Secret reference (envFrom, a volume without items). */
  readonly key?: string;
}

function usesOf(t: PodTemplate): SecretUse[] {
  const out: SecretUse[] = [];
  for (const c of containersOf(t)) {
    (c.container.env ?? []).forEach((e: any, i: number) => {
      const ref = e?.valueFrom?.secretKeyRef;
      if (ref?.name) out.push({ field: `${c.path}.env[${i}].valueFrom.secretKeyRef`, what: `${c.label} env ${e.name}`, secret: ref.name, key: ref.key });
    });
    (c.container.envFrom ?? []).forEach((e: any, i: number) => {
      if (e?.secretRef?.name) out.push({ field: `${c.path}.envFrom[${i}].secretRef`, what: `${c.label} envFrom`, secret: e.secretRef.name });
    });
  }
  // the kubelet pulls the image with these: a name nothing provides fails every pull
  (t.spec?.imagePullSecrets ?? []).forEach((p: any, i: number) => {
    if (p?.name) out.push({ field: `${t.specPath}.imagePullSecrets[${i}]`, what: 'imagePullSecrets', secret: p.name });
  });
  (t.spec?.volumes ?? []).forEach((v: any, i: number) => {
    const at = `${t.specPath}.volumes[${i}]`;
    const refs: [string, string, any[] | undefined][] = [];
    if (v?.secret?.secretName) refs.push([`${at}.secret`, v.secret.secretName, v.secret.items]);
    (v?.projected?.sources ?? []).forEach((s: any, j: number) => {
      if (s?.secret?.name) refs.push([`${at}.projected.sources[${j}].secret`, s.secret.name, s.secret.items]);
    });
    for (const [field, secret, items] of refs) {
      const what = `volume ${JSON.stringify(v.name)}`;
      if (items && items.length > 0) items.forEach((it: any) => out.push({ field, what, secret, key: it?.key }));
      else out.push({ field, what, secret });
    }
  });
  return out;
}

/** Existing Secrets the pod template declares (EXISTING_SECRETS_ANNOTATION, or the per-Secret form). */
function declaredExisting(t: PodTemplate): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (name: string, keys: string) => {
    const set = out.get(name) ?? new Set<string>();
    for (const k of keys.split(',')) if (k !== '') set.add(k);
    out.set(name, set);
  };
  for (const [k, v] of Object.entries(t.metadata?.annotations ?? {})) {
    if (typeof v !== 'string' || !k.startsWith(EXISTING_SECRET_ANNOTATION_PREFIX)) continue;
    // key lists never start with '{': such a value is the JSON form (a Secret named `declared` in the old form is not)
    if (k === EXISTING_SECRETS_ANNOTATION && v.startsWith('{')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(v);
      } catch {
        continue; // unreadable: nothing is declared, so the references are reported as unresolved
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) continue;
      for (const [name, keys] of Object.entries(parsed)) if (Array.isArray(keys)) add(name, keys.filter((x): x is string => typeof x === 'string').join(','));
    } else {
      add(k.slice(EXISTING_SECRET_ANNOTATION_PREFIX.length), v);
    }
  }
  return out;
}

export const secretReferenceResolves = defineRule({
  id: 'hygiene-secret-reference-resolves',
  title: 'Every Secret a pod reads is declared: an ExternalSecret, a SealedSecret or a declared existing Secret in its namespace',
  profile: 'hygiene',
  check: (m, context) => {
    const t = podTemplateOf(m);
    if (!t) return [];
    const uses = usesOf(t);
    if (uses.length === 0) return [];
    const ns = namespaceOf(m);
    const sources = sourcesOf(context, ns);
    const existing = declaredExisting(t);
    const where = `namespace ${ns || '(none)'}${context.folder ? ` of ${context.folder}` : ''}`;
    const out: Violation[] = [];
    for (const u of uses) {
      const src = sources?.get(u.secret);
      const ex = existing.get(u.secret);
      if (!src && !ex) {
        out.push({
          field: u.field,
          message: `${u.what} reads Secret ${u.secret}, which no ExternalSecret, SealedSecret or declared existing Secret in ${where} provides, got ${show(u.secret)}`,
          fix: 'declare its source (new ExternalSecret(...) or new SealedSecret(...) in the namespace, or ExistingSecret.of({ name, keys }) on the workload), or fix the name',
        });
        continue;
      }
      if (u.key === undefined) continue;
      const keys = new Set<string>([...(src && src.keys !== 'any' ? src.keys : []), ...(ex ?? [])]);
      if (src?.keys === 'any' || keys.has(u.key)) continue;
      out.push({
        field: u.field,
        message: `${u.what} reads key ${JSON.stringify(u.key)} of Secret ${u.secret}, which ${src ? src.by : 'its existing-secret declaration'} does not declare (keys: ${[...keys].sort().join(', ') || 'none'}), got ${show(u.key)}`,
        fix: 'add the key to the source (ExternalSecret data, SealedSecret encryptedData, ExistingSecret keys), or fix the key',
      });
    }
    return out;
  },
});

export const SECRET_RULES: readonly Rule[] = [noPlaintextSecret, noPlaintextCredentials, secretReferenceResolves];
