import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { assertConfigKey, assertDnsLabel, assertDnsSubdomain, assertGoDuration, checkProps, configError, markUnit, namespaceOf } from '../core';
import { targetOf } from '../environments/environment';
import { SECRETS_DEFAULTS as D } from './defaults';
import { canonicalJson, definitionHash } from './hash';
import type { ISecretSource } from './secret-source';
import { SecretStore } from './secret-store';

/** Where one key of the Secret comes from in the provider. */
export interface RemoteRef {
  /** The provider's secret (Vault path below the engine mount, AWS secret name, GCP secret id...). */
  readonly key: string;
  /** A field of a structured secret (a Vault KV key, a JSON property). @default - the whole value */
  readonly property?: string;
  /** @default - the latest version */
  readonly version?: string;
}

export interface ExternalSecretProps {
  /**
   * The store: the key of one of the environment's `secretStores` (a different store per environment), or a
   * SecretStore given directly.
   */
  readonly store: string | SecretStore;
  /** The Secret's keys and where each comes from. */
  readonly data: { readonly [secretKey: string]: RemoteRef };
  /**
   * Name of the ExternalSecret and of the Secret it writes (what workloads reference).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * How often the operator re-reads the provider (a Go duration). A value rotated at the provider reaches the
   * Secret within this interval; pods see it on their next start (or through a reloader).
   * @default '1h'
   */
  readonly refreshInterval?: string;
  /** @default - the enclosing PlatformNamespace, else the chart's namespace */
  readonly namespace?: string;
}

/**
 * A Secret synced from an external secrets manager by External Secrets Operator: renders the ExternalSecret
 * (and the environment's store, the first time a target uses it) into `<namespace>/<name>.yaml`. Nothing
 * secret reaches Git: only where the value lives.
 */
export class ExternalSecret extends Construct implements ISecretSource {
  public readonly secretName: string;
  public readonly secretNamespace: string;
  public readonly secretKeys: readonly string[];
  public readonly definitionHash: string;
  public readonly store: SecretStore;
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id);
    checkProps(this, 'ExternalSecretProps', props);
    this.secretName = assertDnsSubdomain(this, 'name', props.name ?? id);
    const namespace = props.namespace ?? namespaceOf(this);
    if (namespace === undefined) {
      throw configError(this, 'namespace', 'is required (no PlatformNamespace or chart namespace encloses this ExternalSecret)', namespace, 'create it inside a PlatformNamespace');
    }
    this.secretNamespace = assertDnsLabel(this, 'namespace', namespace);
    markUnit(this, this.secretName);
    const refreshInterval = props.refreshInterval ?? D.refreshInterval;
    assertGoDuration(this, 'refreshInterval', refreshInterval, D.refreshInterval);
    this.store = resolveStore(this, props.store);

    const keys = Object.keys(props.data ?? {}).sort();
    if (keys.length === 0) throw configError(this, 'data', 'must map at least one Secret key', props.data, "write e.g. { url: { key: 'storefront/db', property: 'url' } }");
    const data = keys.map((secretKey) => {
      assertConfigKey(this, `data[${JSON.stringify(secretKey)}]`, secretKey);
      const ref = props.data[secretKey];
      if (!ref || typeof ref.key !== 'string' || ref.key.trim() === '') {
        throw configError(this, `data[${JSON.stringify(secretKey)}].key`, 'must name the secret in the provider', ref?.key, "write e.g. { key: 'storefront/db', property: 'url' }");
      }
      return {
        secretKey,
        remoteRef: { key: ref.key, ...(ref.property !== undefined ? { property: ref.property } : {}), ...(ref.version !== undefined ? { version: ref.version } : {}) },
      };
    });
    this.secretKeys = keys;
    const spec = {
      refreshInterval,
      secretStoreRef: { kind: this.store.kind, name: this.store.name },
      target: { name: this.secretName, creationPolicy: D.creationPolicy, deletionPolicy: D.deletionPolicy },
      data,
    };
    // the store's provider settings are part of the definition: another Vault path is another value
    this.definitionHash = definitionHash({ spec, provider: this.store.providerSpec ?? null });
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: this.secretName, namespace: this.secretNamespace, labels: { 'app.kubernetes.io/name': this.secretName, 'app.kubernetes.io/managed-by': 'cdk8s' } },
      spec,
    });
    renderStore(this, this.store, this.secretNamespace);
  }

  public get description(): string {
    return `ExternalSecret ${this.secretName}`;
  }
}

function resolveStore(scope: IConstruct, store: string | SecretStore): SecretStore {
  if (store instanceof SecretStore) return store;
  const target = targetOf(scope);
  const stores = target?.env.secretStores ?? {};
  const found = Object.prototype.hasOwnProperty.call(stores, store) ? stores[store] : undefined;
  if (!found) {
    const env = target ? `environment ${target.env.name}` : 'this scope (not under a GitOpsApp target)';
    const known = Object.keys(stores);
    throw configError(scope, 'store', `names no secret store of ${env}`, store,
      `declare it in Environments.define({ ${target?.env.name ?? '<env>'}: { secretStores: { ${JSON.stringify(store)}: SecretStore.vault({...}) } } })${known.length ? ` or use one of ${known.join(', ')}` : ''}`);
  }
  return found;
}

/** Renders a declared store once per target (ClusterSecretStore) or per target and namespace (SecretStore). */
function renderStore(scope: IConstruct, store: SecretStore, namespace: string): void {
  if (!store.rendered) return;
  for (const p of store._problems) throw configError(scope, `store.${p.prop}`, p.problem, p.value, p.fix);
  assertDnsSubdomain(scope, 'store name', store.name);
  const vault = (store.providerSpec as any)?.vault;
  if (vault && !/^https?:\/\/[^\s/]+(?::[0-9]+)?\/?$/.test(vault.server ?? '')) {
    throw configError(scope, 'store.vault.server', 'must be the Vault address (http or https, host and optional port)', vault.server, "write it like 'https://vault.acme.example:8200'");
  }
  const cluster = store.kind === 'ClusterSecretStore';
  if (cluster) assertNamespacedRefs(scope, store.providerSpec);
  const chart = Chart.of(scope);
  const holderId = cluster ? 'SecretStores' : `SecretStores-${namespace}`;
  let holder = chart.node.tryFindChild(holderId) as Construct | undefined;
  if (!holder) {
    holder = new Construct(chart, holderId);
    markUnit(holder, 'secret-stores');
  }
  const id = `${store.kind}-${store.name}`;
  const spec = { provider: store.providerSpec };
  const existing = holder.node.tryFindChild(id) as ApiObject | undefined;
  if (existing) {
    if ((existing as any)[SPEC] !== canonicalJson(spec)) {
      throw configError(scope, 'store', `is a second, different ${store.kind} named ${JSON.stringify(store.name)} in this target`, store.name, 'give each store its own name');
    }
    return;
  }
  const obj = new ApiObject(holder, id, {
    apiVersion: 'external-secrets.io/v1',
    kind: store.kind,
    metadata: { name: store.name, ...(cluster ? {} : { namespace }), labels: { 'app.kubernetes.io/managed-by': 'cdk8s' } },
    spec,
  });
  Object.defineProperty(obj, SPEC, { value: canonicalJson(spec), enumerable: false });
  renderAccounts(scope, holder, store, cluster ? undefined : namespace);
}

/**
 * The ServiceAccounts a store logs in with and renders (`render: true`), beside the store (same unit, so the same
 * apply phase), and their `system:auth-delegator` bindings when Vault reviews logins with the client's own token.
 * The store's `serviceAccountRef` names exactly the rendered account, so a reference-driven apply order sees
 * store -> account.
 */
function renderAccounts(scope: IConstruct, holder: Construct, store: SecretStore, storeNamespace: string | undefined): void {
  const rendered = renderedAccounts(Chart.of(scope));
  for (const a of store.accounts) {
    const prop = `store.${a.prop}`;
    assertDnsSubdomain(scope, `${prop}.name`, a.name);
    if (storeNamespace !== undefined && a.namespace !== undefined && a.namespace !== storeNamespace) {
      throw configError(scope, `${prop}.namespace`, `is not the namespace of the SecretStore (${storeNamespace}): a SecretStore logs in with accounts of its own namespace`, a.namespace,
        'leave namespace out, or make the store a ClusterSecretStore');
    }
    const ns = assertDnsLabel(scope, `${prop}.namespace`, (a.namespace ?? storeNamespace)!); // a ClusterSecretStore's refs carry one (checked above)
    if (a.annotations !== undefined && !a.render) {
      throw configError(scope, `${prop}.annotations`, 'only apply to an account the store renders', a.annotations, 'set render: true, or annotate the account where it is managed');
    }
    const key = `${ns}/${a.name}`;
    if (a.render && !rendered.has(`ServiceAccount ${key}`)) {
      rendered.add(`ServiceAccount ${key}`);
      new ApiObject(holder, `ServiceAccount-${ns}-${a.name}`, {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: {
          name: a.name,
          namespace: ns,
          labels: { 'app.kubernetes.io/name': a.name, 'app.kubernetes.io/managed-by': 'cdk8s' },
          ...(a.annotations ? { annotations: { ...a.annotations } } : {}),
        },
        // the operator asks the TokenRequest API for this account's tokens: nothing mounts one
        automountServiceAccountToken: false,
      });
    }
    if (a.authDelegator && !rendered.has(`ClusterRoleBinding ${key}`)) {
      rendered.add(`ClusterRoleBinding ${key}`);
      new ApiObject(holder, `ClusterRoleBinding-${ns}-${a.name}`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: `${D.authDelegatorBindingPrefix}${ns}-${a.name}`, labels: { 'app.kubernetes.io/managed-by': 'cdk8s' } },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' },
        subjects: [{ kind: 'ServiceAccount', name: a.name, namespace: ns }],
      });
    }
  }
}

const ACCOUNTS = new WeakMap<Chart, Set<string>>();

function renderedAccounts(chart: Chart): Set<string> {
  let set = ACCOUNTS.get(chart);
  if (!set) ACCOUNTS.set(chart, (set = new Set()));
  return set;
}

const SPEC = Symbol.for('typed-manifests.secret-store-spec');

/** A ClusterSecretStore serves every namespace: a ServiceAccount or Secret it authenticates with needs its namespace. */
function assertNamespacedRefs(scope: IConstruct, spec: unknown, at = 'store'): void {
  if (!spec || typeof spec !== 'object') return;
  for (const [k, v] of Object.entries(spec)) {
    if ((k === 'serviceAccountRef' || k === 'secretRef') && v && typeof v === 'object' && typeof (v as any).name === 'string' && !(v as any).namespace) {
      throw configError(scope, `${at}.${k}.namespace`, 'is required in a ClusterSecretStore (it serves every namespace)', undefined, `set the namespace of ${JSON.stringify((v as any).name)}`);
    }
    assertNamespacedRefs(scope, v, `${at}.${k}`);
  }
}
