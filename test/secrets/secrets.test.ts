import * as crypto from 'crypto';
import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Environments, GitOpsApp } from '../../lib/gitops';
import { fileLevels, referenceEdges } from '../../lib/gitops/apply-order';
import { PlatformNamespace } from '../../lib/platform';
import { evaluateManifests, Policy, PolicyError } from '../../lib/policy';
import {
  EXISTING_SECRET_ANNOTATION_PREFIX, EXISTING_SECRETS_ANNOTATION, ExistingSecret, ExternalSecret, SealedSecret, sealedCiphertextProblem, SECRET_CHECKSUMS_ANNOTATION,
  SecretEnv, SecretFiles, SecretStore, SECRETS_DEFAULTS, VaultAuth,
} from '../../lib/secrets';
import { HardenedService, HardenedWorker } from '../../lib/workloads';
import { crdSchemaErrors } from '../fixtures/crd-schema';
import { makeChart } from '../helpers';
import { prng } from '../fixtures/prng';

const image = 'ghcr.io/acme/api:1.2.3';

const bytes = (r: () => number, n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)));

/** Ciphertext shaped like kubeseal output: 2-byte RSA block length, the block, AES-GCM data and tag. */
function sealed(r: () => number, rsa = 256, data = 24): string {
  const b = Buffer.concat([Buffer.alloc(2), bytes(r, rsa + data + 16)]);
  b.writeUInt16BE(rsa, 0);
  return b.toString('base64');
}
const CIPHER = sealed(prng(1));

const vault = (env: string) => SecretStore.vault({ name: `vault-${env}`, server: `https://vault.${env}.example:8200`, path: 'secret', auth: VaultAuth.kubernetes({ role: `shop-${env}` }) });

function gitopsApp(stores: Record<string, SecretStore> | undefined = { vault: vault('dev') }) {
  return new GitOpsApp({
    environments: Environments.define({ dev: { clusters: [{ name: 'dev', server: 'https://dev.k.example' }], secretStores: stores } }),
    argoCd: false,
    flux: false,
  });
}

/** Renders one target: returns manifests or throws. */
function build(body: (ns: PlatformNamespace, chart: Chart) => void, stores?: Record<string, SecretStore>): any[] {
  const app = gitopsApp(stores);
  app.forEachTarget((scope) => body(new PlatformNamespace(scope, 'shop'), scope));
  return app.render().map((o) => o.manifest);
}

const db = (ns: PlatformNamespace, props: Partial<ConstructorParameters<typeof ExternalSecret>[2]> = {}) =>
  new ExternalSecret(ns, props.name ?? 'db', { store: 'vault', data: { url: { key: 'shop/db', property: 'url' } }, ...props });

describe('ExternalSecret', () => {
  const objects = build((ns) => db(ns));
  const es = objects.find((o) => o.kind === 'ExternalSecret');

  test('defaults: refresh 1h, the environment store, target = name, Owner/Retain, key mapping', () => {
    expect(es.spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault-dev' },
      target: { name: 'db', creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      data: [{ secretKey: 'url', remoteRef: { key: 'shop/db', property: 'url' } }],
    });
    expect(es.metadata).toEqual(expect.objectContaining({ name: 'db', namespace: 'shop' }));
    expect(SECRETS_DEFAULTS.refreshInterval).toBe('1h');
  });

  test('renders the environment store once per target (ClusterSecretStore) with the Vault settings', () => {
    const two = build((ns) => {
      db(ns);
      db(ns, { name: 'db2' });
    });
    const stores = two.filter((o) => o.kind === 'ClusterSecretStore');
    expect(stores).toHaveLength(1);
    expect(stores[0].spec.provider.vault).toEqual({
      server: 'https://vault.dev.example:8200', path: 'secret', version: 'v2', auth: { kubernetes: { mountPath: 'kubernetes', role: 'shop-dev' } },
    });
  });

  test('a namespaced SecretStore is rendered in the namespace that uses it', () => {
    const store = SecretStore.awsSecretsManager({ name: 'aws', region: 'eu-west-1', kind: 'SecretStore', serviceAccount: { name: 'eso' } });
    const o = build((ns) => db(ns), { vault: store }).filter((m) => m.kind === 'SecretStore');
    expect(o).toEqual([expect.objectContaining({ metadata: expect.objectContaining({ name: 'aws', namespace: 'shop' }) })]);
  });

  test('an existing store is referenced, not rendered', () => {
    const o = build((ns) => db(ns), { vault: SecretStore.existing({ name: 'platform-vault' }) });
    expect(o.filter((m) => /SecretStore$/.test(m.kind))).toEqual([]);
    expect(o.find((m) => m.kind === 'ExternalSecret').spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'platform-vault' });
  });

  test('every store provider, the ExternalSecret and the SealedSecret validate against the vendored CRD schemas', () => {
    const stores = [
      vault('a'),
      SecretStore.vault({ name: 'b', server: 'https://v:8200', path: 'kv', version: 'v1', vaultNamespace: 'team', auth: VaultAuth.appRole({ roleId: 'r', secretIdRef: { name: 'approle', key: 'secret-id', namespace: 'eso' } }) }),
      SecretStore.vault({ name: 'b2', server: 'https://v:8200', path: 'kv', kind: 'SecretStore', auth: VaultAuth.kubernetes({ role: 'r', serviceAccount: { name: 'sa', audiences: ['vault'] } }) }),
      SecretStore.awsSecretsManager({ name: 'c', region: 'eu-west-1', role: 'arn:aws:iam::1:role/x', serviceAccount: { name: 'eso', namespace: 'eso' } }),
      SecretStore.gcpSecretManager({ name: 'd', projectId: 'p', workloadIdentity: { serviceAccount: { name: 'eso', namespace: 'eso' }, clusterLocation: 'europe-west1', clusterName: 'c', clusterProjectId: 'p' } }),
      SecretStore.azureKeyVault({ name: 'e', vaultUrl: 'https://k.vault.azure.net', tenantId: 't', serviceAccount: { name: 'eso', namespace: 'eso' } }),
      SecretStore.azureKeyVault({ name: 'f', vaultUrl: 'https://k.vault.azure.net' }),
    ];
    const all = build((ns) => {
      stores.forEach((s, i) => new ExternalSecret(ns, `s${i}`, { store: s, data: { k: { key: 'x', version: '3' } }, refreshInterval: '15m' }));
      new SealedSecret(ns, 'sealed', { encryptedData: { token: CIPHER } });
      new SealedSecret(ns, 'wide', { encryptedData: { token: CIPHER }, scope: 'namespace-wide', type: 'kubernetes.io/basic-auth' });
    });
    const custom = all.filter((o) => /SecretStore$|ExternalSecret|SealedSecret/.test(o.kind));
    expect(custom).toHaveLength(stores.length * 2 + 2);
    expect(custom.flatMap((o) => crdSchemaErrors(o).map((e) => `${o.kind}/${o.metadata.name}: ${e}`))).toEqual([]);
  });

  test('a store missing in an environment fails with the environment and the fix', () => {
    expect(() => build((ns) => db(ns, { store: 'aws' }))).toThrow(
      'dev/shop/db: store names no secret store of environment dev, got "aws"; declare it in Environments.define({ dev: { secretStores: { "aws": SecretStore.vault({...}) } } }) or use one of vault');
    expect(() => build((ns) => db(ns), {})).toThrow(/store names no secret store of environment dev, got "vault"/);
    expect(() => db(new PlatformNamespace(makeChart(), 'x'))).toThrow(/store names no secret store of this scope \(not under a GitOpsApp target\)/);
  });

  test('a refresh interval that is not a duration (generated)', () => {
    const bad = ['1 hour', '60', 'h', '-1h', '1d', '', '1.5', 'PT1H', '0s', '10 m', 'forever'];
    for (const refreshInterval of bad) {
      expect(() => build((ns) => db(ns, { refreshInterval }))).toThrow(`dev/shop/db: refreshInterval must be a positive duration with units (s, m, h), at most about 292 years, got ${JSON.stringify(refreshInterval)}; write it like '1h' or '1h30m'`);
    }
    for (const ok of ['30s', '5m', '1h30m', '720h']) expect(() => build((ns) => db(ns, { refreshInterval: ok }))).not.toThrow();
  });

  test('other bad input: keys, remote refs, stores', () => {
    expect(() => build((ns) => db(ns, { data: {} }))).toThrow('dev/shop/db: data must map at least one Secret key');
    expect(() => build((ns) => db(ns, { data: { 'a/b': { key: 'x' } } }))).toThrow('dev/shop/db: data["a/b"] is not a valid ConfigMap/Secret key');
    expect(() => build((ns) => db(ns, { data: { a: { key: ' ' } } }))).toThrow('dev/shop/db: data["a"].key must name the secret in the provider');
    const clash = SecretStore.vault({ name: 'vault-dev', server: 'https://other:8200', path: 'x', auth: VaultAuth.kubernetes({ role: 'r' }) });
    expect(() => build((ns) => {
      db(ns);
      db(ns, { name: 'db2', store: clash });
    })).toThrow('dev/shop/db2: store is a second, different ClusterSecretStore named "vault-dev" in this target');
    const noNs = SecretStore.vault({ name: 'v', server: 'https://v:8200', path: 'x', auth: VaultAuth.kubernetes({ role: 'r', serviceAccount: { name: 'eso' } }) });
    expect(() => build((ns) => db(ns, { store: noNs }))).toThrow('dev/shop/db: store.vault.auth.kubernetes.serviceAccountRef.namespace is required in a ClusterSecretStore');
    const badServer = SecretStore.vault({ name: 'v', server: 'vault:8200', path: 'x', auth: VaultAuth.kubernetes({ role: 'r' }) });
    expect(() => build((ns) => db(ns, { store: badServer }))).toThrow('dev/shop/db: store.vault.server must be the Vault address (http or https, host and optional port), got "vault:8200"');
    const badName = SecretStore.vault({ name: 'Vault_Dev', server: 'https://v', path: 'x', auth: VaultAuth.kubernetes({ role: 'r' }) });
    expect(() => build((ns) => db(ns, { store: badName }))).toThrow(/dev\/shop\/db: store name must be a DNS-1123 subdomain/);
  });
});

describe('store defaults', () => {
  test('an environment without secretStores has none; stores default to ClusterSecretStore, Vault KV v2, auth mounts kubernetes/approle', () => {
    expect(Environments.define({ dev: { clusters: [{ name: 'dev', server: 'https://k' }] } }).get('dev').secretStores).toEqual({});
    const v = SecretStore.vault({ name: 'v', server: 'https://v', path: 'kv', auth: VaultAuth.appRole({ roleId: 'r', secretIdRef: { name: 's', key: 'k' } }) });
    expect(v.kind).toBe('ClusterSecretStore');
    expect(v.providerSpec).toEqual({ vault: { server: 'https://v', path: 'kv', version: 'v2', auth: { appRole: { path: 'approle', roleId: 'r', secretRef: { name: 's', key: 'k' } } } } });
    expect(VaultAuth.kubernetes({ role: 'r' }).spec).toEqual({ mountPath: 'kubernetes', role: 'r' });
    expect(SecretStore.existing({ name: 'x' }).rendered).toBe(false);
    expect(SecretStore.azureKeyVault({ name: 'a', vaultUrl: 'https://a.vault.azure.net' }).providerSpec).toEqual({ azurekv: { vaultUrl: 'https://a.vault.azure.net', authType: 'ManagedIdentity' } });
  });
});

describe('SealedSecret', () => {
  test('scope strict by default: no scope annotation; ciphertext passed through', () => {
    const o = build((ns) => new SealedSecret(ns, 'token', { encryptedData: { token: CIPHER } })).find((m) => m.kind === 'SealedSecret');
    expect(o.metadata.annotations).toBeUndefined();
    expect(o.spec).toEqual({ encryptedData: { token: CIPHER }, template: { metadata: { name: 'token', namespace: 'shop' }, type: 'Opaque' } });
    expect(SECRETS_DEFAULTS.sealedScope).toBe('strict');
  });

  test('cluster-wide scope annotates the object and its template', () => {
    const o = build((ns) => new SealedSecret(ns, 't', { encryptedData: { k: CIPHER }, scope: 'cluster-wide' })).find((m) => m.kind === 'SealedSecret');
    expect(o.metadata.annotations).toEqual({ 'sealedsecrets.bitnami.com/cluster-wide': 'true' });
    expect(o.spec.template.metadata.annotations).toEqual({ 'sealedsecrets.bitnami.com/cluster-wide': 'true' });
  });

  test('accepts generated ciphertexts of 2048-, 3072- and 4096-bit keys, line-wrapped too', () => {
    const r = prng(9);
    for (let i = 0; i < 100; i++) {
      const c = sealed(r, [256, 384, 512][i % 3], 1 + Math.floor(r() * 200));
      expect(sealedCiphertextProblem(c)).toBeUndefined();
      expect(sealedCiphertextProblem(c.replace(/(.{76})/g, '$1\n'))).toBeUndefined();
    }
  });

  test('SealedSecret data that is not ciphertext (generated plaintext, short base64, wrong header) is an error that hides the value', () => {
    const r = prng(10);
    const words = ['hunter2', 'correct horse battery staple', 'sk_live_abc', 'postgres://u:p@db/x'];
    const bad = [
      ...words,
      ...words.map((w) => Buffer.from(w).toString('base64')),
      ...Array.from({ length: 30 }, () => bytes(r, 20 + Math.floor(r() * 200)).toString('base64')), // too short or no RSA header
      Buffer.concat([Buffer.from([0, 100]), bytes(r, 400)]).toString('base64'),
      `${CIPHER}!`,
    ];
    for (const value of bad) {
      expect(sealedCiphertextProblem(value)).toBeDefined();
      let message = '';
      try {
        build((ns) => new SealedSecret(ns, 'tok', { encryptedData: { token: value } }));
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/^dev\/shop\/tok: encryptedData\["token"\] is not Sealed Secrets ciphertext \(.*\), got "<\d+ characters, not shown>"; seal the value: kubectl create secret generic tok -n shop/);
      expect(message).not.toContain(value);
    }
  });

  test('scope and empty data errors', () => {
    expect(() => build((ns) => new SealedSecret(ns, 't', { encryptedData: { k: CIPHER }, scope: 'global' as any }))).toThrow("dev/shop/t: scope must be 'strict', 'namespace-wide' or 'cluster-wide'");
    expect(() => build((ns) => new SealedSecret(ns, 't', { encryptedData: {} }))).toThrow('dev/shop/t: encryptedData must hold at least one key');
  });
});

describe('references from workloads', () => {
  const svc = (ns: any, use: any[], extra: object = {}) => new HardenedService(ns, 'api', { image, port: 8080, use, ...extra });

  test('SecretEnv reads declared keys through secretKeyRef; no rollout annotation by default', () => {
    const o = build((ns) => svc(ns, [SecretEnv.of(db(ns), { DATABASE_URL: 'url' })]));
    const pod = o.find((m) => m.kind === 'Deployment').spec.template;
    expect(pod.spec.containers[0].env).toContainEqual({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'db', key: 'url' } } });
    expect(pod.metadata.annotations).toBeUndefined();
  });

  test('a secret key the source does not declare fails at construction', () => {
    expect(() => build((ns) => svc(ns, [SecretEnv.of(db(ns), { DATABASE_PASSWORD: 'password' })])))
      .toThrow('dev/shop/api: secretEnv(db).DATABASE_PASSWORD names a key ExternalSecret db does not declare, got "password"; use one of url, or add the key to the source');
    expect(() => build((ns) => svc(ns, [SecretFiles.of(new SealedSecret(ns, 'tls', { encryptedData: { crt: CIPHER } }), { mountPath: '/etc/tls', keys: ['key'] })])))
      .toThrow('dev/shop/api: secretFiles(tls).keys names a key SealedSecret tls does not declare, got "key"');
  });

  test('a source in another namespace is an error', () => {
    expect(() => build((ns, chart) => {
      const other = new PlatformNamespace(chart, 'billing');
      svc(ns, [SecretEnv.of(db(other), { X: 'url' })]);
    })).toThrow('dev/shop/api: secretEnv(db) reads ExternalSecret db of namespace billing, but pods can only read Secrets of their own namespace shop');
  });

  test('rollOnChange: a hash of the definition on the pod template, changing exactly when the definition does', () => {
    const hashWith = (props: object, sealedValue = CIPHER) => {
      const o = build((ns) => svc(ns, [
        SecretEnv.of(db(ns, props), { DATABASE_URL: 'url' }, { rollOnChange: true }),
        SecretFiles.of(new SealedSecret(ns, 'tls', { encryptedData: { crt: sealedValue } }), { mountPath: '/etc/tls', rollOnChange: true }),
      ]));
      return o.find((m) => m.kind === 'Deployment').spec.template.metadata.annotations;
    };
    // one annotation lists `<secret>=<hash>` per Secret, sorted by name
    const hashes = (annotations: Record<string, string>) => {
      expect(Object.keys(annotations)).toEqual([SECRET_CHECKSUMS_ANNOTATION]);
      const entries = annotations[SECRET_CHECKSUMS_ANNOTATION].split(',').map((e) => e.split('='));
      expect(entries.map(([n]) => n)).toEqual(['db', 'tls']);
      for (const [, h] of entries) expect(h).toMatch(/^[0-9a-f]{16}$/);
      return Object.fromEntries(entries) as Record<string, string>;
    };
    const base = hashes(hashWith({}));
    expect(hashes(hashWith({}))).toEqual(base);
    const moved = hashes(hashWith({ data: { url: { key: 'shop/db-v2', property: 'url' } } }));
    expect(moved.db).not.toBe(base.db);
    expect(moved.tls).toBe(base.tls);
    const resealed = hashes(hashWith({}, sealed(prng(2))));
    expect(resealed.tls).not.toBe(base.tls);
    expect(resealed.db).toBe(base.db);
  });

  test('rollOnChange over generated sets of sources: one entry per Secret, whatever the binding order', () => {
    const r = prng(77);
    for (let i = 0; i < 15; i++) {
      const names = [...new Set(Array.from({ length: 1 + Math.floor(r() * 5) }, () => `s${Math.floor(r() * 9)}`))];
      const order = [...names].sort(() => r() - 0.5);
      const annotations = (list: readonly string[]) => build((ns) => {
        const sources = new Map(names.map((n) => [n, new SealedSecret(ns, n, { encryptedData: { crt: CIPHER } })]));
        // a Secret read twice (env and files) is listed once
        svc(ns, list.flatMap((n, k) => [
          SecretEnv.of(sources.get(n)!, { [`V_${k}`]: 'crt' }, { rollOnChange: true }),
          ...(k === 0 ? [SecretFiles.of(sources.get(n)!, { mountPath: `/etc/s-${n}`, rollOnChange: true })] : []),
        ]));
      }).find((m) => m.kind === 'Deployment').spec.template.metadata.annotations[SECRET_CHECKSUMS_ANNOTATION];
      const value = annotations(order);
      expect([order, value.split(',').map((e: string) => e.split('=')[0])]).toEqual([order, [...names].sort()]);
      expect(annotations(names)).toBe(value);
    }
  });

  test('SecretFiles mounts keys read-only, mode 0440; a colliding mount path names the prop', () => {
    const o = build((ns) => svc(ns, [SecretFiles.of(db(ns), { mountPath: '/etc/db' })]));
    const pod = o.find((m) => m.kind === 'Deployment').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'secret-db', secret: { secretName: 'db', items: [{ key: 'url', path: 'url' }], defaultMode: 0o440 } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'secret-db', mountPath: '/etc/db', readOnly: true });
    expect(() => build((ns) => svc(ns, [SecretFiles.of(db(ns), { mountPath: '/tmp' })]))).toThrow("dev/shop/api: secretFiles(db).mountPath collides with the mount of volume 'tmp'");
  });

  test('ExistingSecret declares a Secret managed elsewhere on the pod template; rollOnChange is refused for it', () => {
    const legacy = ExistingSecret.of({ name: 'legacy-billing', keys: ['token', 'account'] });
    const o = build((ns) => svc(ns, [SecretEnv.of(legacy, { BILLING_TOKEN: 'token' })]));
    expect(o.find((m) => m.kind === 'Deployment').spec.template.metadata.annotations).toEqual({ [EXISTING_SECRETS_ANNOTATION]: '{"legacy-billing":["account","token"]}' });
    expect(() => build((ns) => svc(ns, [SecretEnv.of(legacy, { T: 'token' }, { rollOnChange: true })])))
      .toThrow('dev/shop/api: secretEnv(legacy-billing).rollOnChange needs a source defined in this repository, but existing Secret legacy-billing is managed elsewhere');
    expect(() => build((ns) => svc(ns, [ExistingSecret.of({ name: 'x', keys: [] })]))).toThrow('dev/shop/api: ExistingSecret(x).keys must list the keys the Secret holds');
    expect(() => build((ns) => svc(ns, [ExistingSecret.of({ name: 'x'.repeat(70), keys: ['k'] })]))).toThrow(/ExistingSecret\.name must be a Secret name .* of at most 63 characters/);
  });
});

describe('existing Secrets: one annotation lists them all', () => {
  const svc = (ns: any, use: any[]) => new HardenedService(ns, 'api', { image, port: 8080, use });
  test('generated sets of existing Secrets on one workload: listed once each, sorted, whatever the order; references to them resolve', () => {
    const r = prng(91);
    for (let i = 0; i < 15; i++) {
      const names = [...new Set(Array.from({ length: 1 + Math.floor(r() * 5) }, () => `legacy-${Math.floor(r() * 9)}`))];
      const keysOf = (n: string) => [`k${n.length % 3}`, 'token'];
      const order = [...names].sort(() => r() - 0.5);
      const value = (list: readonly string[]) => build((ns) => svc(ns, list.flatMap((n, k) => {
        const s = ExistingSecret.of({ name: n, keys: keysOf(n) });
        // read through SecretEnv and attached as an extension: the declaration is the same
        return k % 2 === 0 ? [SecretEnv.of(s, { [`V_${k}`]: 'token' }) as any] : [s as any];
      }))).find((m) => m.kind === 'Deployment').spec.template.metadata.annotations[EXISTING_SECRETS_ANNOTATION];
      const v = value(order);
      expect([order, v]).toEqual([order, JSON.stringify(Object.fromEntries([...names].sort().map((n) => [n, [...keysOf(n)].sort()])))]);
      expect(value(names)).toBe(v);
    }
  });

  test('one Secret declared twice with other keys on one workload is an error naming both', () => {
    expect(() => build((ns) => svc(ns, [ExistingSecret.of({ name: 'legacy', keys: ['a'] }), SecretEnv.of(ExistingSecret.of({ name: 'legacy', keys: ['b'] }), { B: 'b' })])))
      .toThrow("dev/shop/api: ExistingSecret(legacy).keys declares the existing Secret a second time with other keys (first: a), got [\"b\"]");
  });

  test('the reference rule reads the list form and the per-Secret form earlier versions wrote', () => {
    const pod = (annotations: Record<string, string>) => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' }, annotations }, spec: { containers: [{ name: 'api', image, env: [
        { name: 'A', valueFrom: { secretKeyRef: { name: 'one', key: 'a' } } },
        { name: 'B', valueFrom: { secretKeyRef: { name: 'two', key: 'b' } } },
      ] }] } } },
    });
    const unresolved = (annotations: Record<string, string>) => evaluateManifests([pod(annotations)]).filter((f) => f.rule === 'hygiene-secret-reference-resolves').map((f) => f.field).sort();
    expect(unresolved({})).toHaveLength(2);
    expect(unresolved({ [EXISTING_SECRETS_ANNOTATION]: '{"one":["a"],"two":["b"]}' })).toEqual([]);
    expect(unresolved({ [`${EXISTING_SECRET_ANNOTATION_PREFIX}one`]: 'a', [`${EXISTING_SECRET_ANNOTATION_PREFIX}two`]: 'b' })).toEqual([]);
    expect(unresolved({ [EXISTING_SECRETS_ANNOTATION]: '{"one":["a"],"two":["c"]}' })).toHaveLength(1);
    expect(unresolved({ [EXISTING_SECRETS_ANNOTATION]: '{"one":["a"' })).toHaveLength(2);
  });
});

describe('policy: every Secret reference resolves', () => {
  const legacyProp = (ns: any, secret = 'db', key = 'url') => new HardenedWorker(ns, 'worker', { image, secretEnv: { DATABASE_URL: { secret, key } } });
  const findings = (fn: () => any) => {
    try {
      fn();
    } catch (e) {
      if (e instanceof PolicyError) return e.findings.map((f) => `${f.rule} ${f.message}`);
      throw e;
    }
    return [];
  };

  test('the secretEnv prop resolves to an ExternalSecret in the same namespace', () => {
    expect(findings(() => build((ns) => {
      db(ns);
      legacyProp(ns);
    }))).toEqual([]);
  });

  test('a Secret nothing declares fails synth', () => {
    expect(findings(() => build((ns) => legacyProp(ns)))).toEqual([
      'hygiene-secret-reference-resolves container "worker" env DATABASE_URL reads Secret db, which no ExternalSecret, SealedSecret or declared existing Secret in namespace shop of dev provides, got "db"',
    ]);
  });

  test('a key the source does not declare fails synth', () => {
    expect(findings(() => build((ns) => {
      db(ns);
      legacyProp(ns, 'db', 'password');
    }))).toEqual([
      'hygiene-secret-reference-resolves container "worker" env DATABASE_URL reads key "password" of Secret db, which ExternalSecret db does not declare (keys: url), got "password"',
    ]);
  });

  test('a source in another namespace does not count', () => {
    expect(findings(() => build((ns, chart) => {
      db(new PlatformNamespace(chart, 'other'));
      legacyProp(ns);
    }))).toHaveLength(1);
  });

  test('a SealedSecret and a declared existing Secret resolve; exemption lifts the rule', () => {
    expect(findings(() => build((ns) => {
      new SealedSecret(ns, 'db', { encryptedData: { url: CIPHER } });
      legacyProp(ns);
    }))).toEqual([]);
    expect(findings(() => build((ns) => {
      new HardenedWorker(ns, 'w', { image, secretEnv: { T: { secret: 'legacy', key: 'token' } }, use: [ExistingSecret.of({ name: 'legacy', keys: ['token'] })] });
    }))).toEqual([]);
    expect(findings(() => build((ns) => {
      const w = legacyProp(ns, 'from-another-pipeline');
      Policy.exempt(w, 'hygiene-secret-reference-resolves', 'created by the payments team pipeline');
    }))).toEqual([]);
  });
});

describe('policy: no plaintext Secret', () => {
  const findings = (body: (chart: Chart) => void) => {
    try {
      build((_ns, chart) => body(chart));
    } catch (e) {
      if (e instanceof PolicyError) return e.findings.map((f) => `${f.rule} ${f.field} ${f.message}`);
      throw e;
    }
    return [];
  };
  const raw = (chart: Chart, extra: object) => new ApiObject(chart, 'raw', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'shop' }, ...extra });

  test('plaintext in stringData fails', () => {
    expect(findings((c) => raw(c, { stringData: { password: 'hunter2' } }))).toEqual([
      'hygiene-no-plaintext-secret stringData Secret carries its values in stringData (plaintext), got keys ["password"]',
    ]);
  });

  test('base64 in data fails too, and the value is never printed', () => {
    const f = findings((c) => raw(c, { data: { password: Buffer.from('hunter2').toString('base64') } }));
    expect(f).toEqual(['hygiene-no-plaintext-secret data Secret carries its values in data (base64 is an encoding, not encryption), got keys ["password"]']);
    expect(f.join()).not.toContain(Buffer.from('hunter2').toString('base64'));
  });

  test('a cdk8s-plus Secret fails', () => {
    expect(findings((c) => new kplus.Secret(c, 'plus', { metadata: { namespace: 'shop' }, stringData: { token: 'x' } })).map((f) => f.split(' ')[0])).toContain('hygiene-no-plaintext-secret');
    expect(findings((c) => new kplus.Secret(c, 'empty', { metadata: { namespace: 'shop' } }))[0]).toMatch(/^hygiene-no-plaintext-secret data Secret has no data: someone fills it by hand/);
  });

  test('service account token Secrets pass; an exemption with a reason lifts the rule', () => {
    expect(findings((c) => raw(c, { type: 'kubernetes.io/service-account-token', metadata: { name: 't', namespace: 'shop', annotations: { 'kubernetes.io/service-account.name': 'x' } } }))).toEqual([]);
    expect(findings((c) => Policy.exempt(raw(c, { stringData: { a: 'b' } }), 'hygiene-no-plaintext-secret', 'test fixture, no real value'))).toEqual([]);
  });

  test('ExternalSecrets and SealedSecrets put no Secret into the output', () => {
    const o = build((ns) => {
      db(ns);
      new SealedSecret(ns, 's', { encryptedData: { a: CIPHER } });
    });
    expect(o.filter((m) => m.kind === 'Secret')).toEqual([]);
  });
});

test('the example ciphertext helper really produces base64 of the stated shape', () => {
  const b = Buffer.from(CIPHER, 'base64');
  expect(b.readUInt16BE(0)).toBe(256);
  expect(crypto.createHash('sha256').update(b).digest('hex')).toHaveLength(64);
});

describe('the accounts a store logs in with', () => {
  const storeWith = (auth: ReturnType<typeof VaultAuth.kubernetes>, kind: 'SecretStore' | 'ClusterSecretStore' = 'ClusterSecretStore') =>
    SecretStore.vault({ name: 'vault-dev', server: 'https://vault.dev.example:8200', path: 'secret', auth, kind });
  const renderObjects = (store: SecretStore, extra?: (ns: PlatformNamespace) => void) => {
    const app = gitopsApp({ vault: store });
    app.forEachTarget((scope) => {
      const ns = new PlatformNamespace(scope, 'shop');
      db(ns);
      extra?.(ns);
    });
    return app.render();
  };

  test('render: true renders the ServiceAccount beside the store, no token mounted; the store names exactly it', () => {
    const objects = renderObjects(storeWith(VaultAuth.kubernetes({ role: 'r', serviceAccount: { name: 'vault-auth', namespace: 'shop', render: true } })));
    const sa = objects.find((o) => o.manifest.kind === 'ServiceAccount' && o.manifest.metadata.name === 'vault-auth')!;
    expect(sa.manifest).toEqual(expect.objectContaining({ automountServiceAccountToken: false }));
    expect(sa.manifest.metadata.namespace).toBe('shop');
    const store = objects.find((o) => o.manifest.kind === 'ClusterSecretStore')!;
    expect(store.manifest.spec.provider.vault.auth.kubernetes.serviceAccountRef).toEqual({ name: sa.manifest.metadata.name, namespace: sa.manifest.metadata.namespace });
    // no reviewer binding unless Vault reviews with the client's token
    expect(objects.some((o) => o.manifest.kind === 'ClusterRoleBinding' && o.manifest.roleRef?.name === 'system:auth-delegator')).toBe(false);
  });

  test("tokenReviewer 'client' binds the account to system:auth-delegator, once per account", () => {
    const objects = renderObjects(storeWith(VaultAuth.kubernetes({ role: 'r', tokenReviewer: 'client', serviceAccount: { name: 'vault-auth', namespace: 'shop', render: true } })),
      (ns) => db(ns, { name: 'db2' }));
    const bindings = objects.filter((o) => o.manifest.kind === 'ClusterRoleBinding' && o.manifest.roleRef?.name === 'system:auth-delegator');
    expect(bindings).toHaveLength(1);
    expect(bindings[0].manifest.subjects).toEqual([{ kind: 'ServiceAccount', name: 'vault-auth', namespace: 'shop' }]);
    expect(objects.filter((o) => o.manifest.kind === 'ServiceAccount' && o.manifest.metadata.name === 'vault-auth')).toHaveLength(1);
  });

  test('a namespaced SecretStore renders its account in its own namespace; another namespace is refused', () => {
    const objects = renderObjects(storeWith(VaultAuth.kubernetes({ role: 'r', serviceAccount: { name: 'vault-auth', render: true } }), 'SecretStore'));
    const sa = objects.find((o) => o.manifest.kind === 'ServiceAccount' && o.manifest.metadata.name === 'vault-auth')!;
    expect(sa.manifest.metadata.namespace).toBe('shop');
    expect(() => renderObjects(storeWith(VaultAuth.kubernetes({ role: 'r', serviceAccount: { name: 'vault-auth', namespace: 'other', render: true } }), 'SecretStore')))
      .toThrow('dev/shop/db: store.auth.kubernetes.serviceAccount.namespace is not the namespace of the SecretStore (shop)');
  });

  test('the account is applied no later than the store (same phase when the target is phased)', () => {
    const objects = renderObjects(storeWith(VaultAuth.kubernetes({ role: 'r', serviceAccount: { name: 'vault-auth', render: true } }), 'SecretStore'));
    // the store needs the account it logs in with: never an earlier phase than the account
    const folder = objects.filter((o) => o.folder === objects.find((x) => x.manifest.kind === 'SecretStore')!.folder);
    const edges = referenceEdges(folder);
    expect(edges.some((e) => e.from.manifest.kind === 'SecretStore' && e.to.manifest.kind === 'ServiceAccount' && e.to.manifest.metadata.name === 'vault-auth' && e.kind === 'needs')).toBe(true);
    const levels = fileLevels(folder, edges);
    const fileOf = (kind: string) => folder.find((o) => o.manifest.kind === kind)!.file;
    expect(levels.get(fileOf('ServiceAccount'))).toBeLessThanOrEqual(levels.get(fileOf('SecretStore'))!);
  });

  test('mistakes are reported with the construct that renders the store', () => {
    expect(() => renderObjects(storeWith(VaultAuth.kubernetes({ role: 'r', tokenReviewer: 'client' }))))
      .toThrow("dev/shop/db: store.auth.kubernetes.serviceAccount is required with tokenReviewer 'client'");
    expect(() => renderObjects(storeWith(VaultAuth.kubernetes({ role: 'r', tokenReviewer: 'self' as any }))))
      .toThrow("dev/shop/db: store.auth.kubernetes.tokenReviewer must be 'vault' or 'client', got \"self\"");
    expect(() => renderObjects(storeWith(VaultAuth.kubernetes({ role: 'r', serviceAccount: { name: 'a', namespace: 'shop', annotations: { x: 'y' } } }))))
      .toThrow('dev/shop/db: store.auth.kubernetes.serviceAccount.annotations only apply to an account the store renders');
    // generated account names: valid ones render under their name, invalid ones are refused by name
    const r = prng(24);
    for (let i = 0; i < 30; i++) {
      const name = Array.from({ length: 1 + Math.floor(r() * 12) }, () => 'abc-_.Z9'[Math.floor(r() * 8)]).join('');
      const valid = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name);
      const run = () => renderObjects(storeWith(VaultAuth.kubernetes({ role: 'r', serviceAccount: { name, namespace: 'shop', render: true } })));
      if (valid) expect(run().some((o) => o.manifest.kind === 'ServiceAccount' && o.manifest.metadata.name === name)).toBe(true);
      else expect(run).toThrow('store.auth.kubernetes.serviceAccount.name');
    }
  });
});
