// Types of the environments' secret stores (EnvironmentProps.secretStores, added by declaration merging at the end).
import { SECRETS_DEFAULTS as D } from './defaults';
import { checkProps } from '../core';

/** A reference to a key of a Secret (in the store's namespace, or given one for a ClusterSecretStore). */
export interface SecretKeySelector {
  readonly name: string;
  readonly key: string;
  /** Required for a ClusterSecretStore. @default - the namespace of the ExternalSecret */
  readonly namespace?: string;
}

/** A ServiceAccount whose token authenticates the store. */
export interface ServiceAccountSelector {
  readonly name: string;
  /** Required for a ClusterSecretStore. @default - the namespace of the ExternalSecret */
  readonly namespace?: string;
  /** @default - the provider's default audience */
  readonly audiences?: readonly string[];
  /**
   * The store owns the account: it is rendered with the store (in the store's namespace for a SecretStore, in
   * `namespace` for a ClusterSecretStore), without an automounted token (the operator requests tokens for it).
   * @default false - the account is managed elsewhere
   */
  readonly render?: boolean;
  /**
   * Annotations of the rendered account (`eks.amazonaws.com/role-arn`, `iam.gke.io/gcp-service-account`,
   * `azure.workload.identity/client-id`); only with `render`.
   * @default - none
   */
  readonly annotations?: { readonly [key: string]: string };
}

/** A ServiceAccount a store logs in with, as the store renders it. */
export interface StoreAccount {
  readonly name: string;
  /** @default - the store's namespace (a SecretStore) */
  readonly namespace?: string;
  /** Render the ServiceAccount itself. */
  readonly render: boolean;
  readonly annotations?: { readonly [key: string]: string };
  /** Bind it to `system:auth-delegator` (Vault reviews its logins with the account's own token). */
  readonly authDelegator: boolean;
  /** Where the account was given, for errors (`auth.kubernetes.serviceAccount`). */
  readonly prop: string;
}

/** How External Secrets Operator logs in to Vault. */
export class VaultAuth {
  /**
   * Vault's Kubernetes auth method: a ServiceAccount token exchanged for a Vault token of `role`.
   * @param options.mountPath @default 'kubernetes'
   * @param options.serviceAccount @default - the operator's own ServiceAccount
   * @param options.tokenReviewer @default 'vault'
   */
  public static kubernetes(options: VaultKubernetesAuthOptions): VaultAuth {
    checkProps('VaultAuth.kubernetes', 'VaultKubernetesAuthOptions', options);
    const reviewer = options.tokenReviewer ?? D.vault.tokenReviewer;
    const sa = options.serviceAccount;
    // reported where the store is rendered, with the construct path (a factory has no scope)
    const problems: StoreProblem[] = [];
    if (reviewer !== 'vault' && reviewer !== 'client') {
      problems.push({ prop: 'auth.kubernetes.tokenReviewer', problem: "must be 'vault' or 'client'", value: reviewer, fix: "use 'client' when Vault has no token reviewer JWT of its own, else leave it out" });
    } else if (reviewer === 'client' && !sa) {
      problems.push({ prop: 'auth.kubernetes.serviceAccount', problem: "is required with tokenReviewer 'client' (the account that logs in is the one bound to system:auth-delegator)", value: sa,
        fix: "name the account, e.g. serviceAccount: { name: 'vault-auth', namespace: 'external-secrets', render: true }" });
    }
    return new VaultAuth('kubernetes', {
      mountPath: options.mountPath ?? D.vault.kubernetesMountPath,
      role: options.role,
      ...(sa ? { serviceAccountRef: saRef(sa) } : {}),
    }, sa ? [account(sa, 'auth.kubernetes.serviceAccount', reviewer === 'client')] : [], problems);
  }

  /**
   * Vault's AppRole auth method: a role id and the secret id read from a Secret.
   * @param options.path @default 'approle'
   */
  public static appRole(options: { readonly roleId: string; readonly secretIdRef: SecretKeySelector; readonly path?: string }): VaultAuth {
    return new VaultAuth('appRole', { path: options.path ?? D.vault.appRolePath, roleId: options.roleId, secretRef: keyRef(options.secretIdRef) });
  }

  private constructor(
    public readonly method: 'kubernetes' | 'appRole',
    public readonly spec: Record<string, unknown>,
    /** The accounts this method logs in with that the store renders or binds. */
    public readonly accounts: readonly StoreAccount[] = [],
    /** @internal Option mistakes, reported when the store is rendered. */
    public readonly _problems: readonly StoreProblem[] = [],
  ) {}
}

/** @internal An option mistake of a store factory, reported with the scope that renders the store. */
export interface StoreProblem {
  readonly prop: string;
  readonly problem: string;
  readonly value: unknown;
  readonly fix: string;
}

export interface VaultKubernetesAuthOptions {
  /** The Vault role the token is exchanged for. */
  readonly role: string;
  /** @default 'kubernetes' */
  readonly mountPath?: string;
  /** @default - the operator's own ServiceAccount */
  readonly serviceAccount?: ServiceAccountSelector;
  /**
   * Who calls Kubernetes' TokenReview API for Vault: `vault` (the auth method is configured with a reviewer JWT
   * of its own, or Vault runs in the cluster), or `client` (no reviewer JWT: Vault reviews each login with the
   * logging-in account's own token, so that account is bound to the `system:auth-delegator` ClusterRole).
   * @default 'vault'
   */
  readonly tokenReviewer?: 'vault' | 'client';
}


export interface VaultStoreOptions {
  /** Object name of the store (a DNS subdomain), e.g. `vault-prod`. */
  readonly name: string;
  /** Vault address (`https://vault.acme.example:8200`). */
  readonly server: string;
  /** Mount path of the KV secrets engine (`secret`). */
  readonly path: string;
  /** @default 'v2' */
  readonly version?: 'v1' | 'v2';
  readonly auth: VaultAuth;
  /** Vault Enterprise namespace. @default - none */
  readonly vaultNamespace?: string;
  /** @default 'ClusterSecretStore' */
  readonly kind?: SecretStoreKind;
}

export interface AwsSecretsManagerStoreOptions {
  readonly name: string;
  /** AWS region (`eu-west-1`). */
  readonly region: string;
  /** IAM role assumed to read the secrets. @default - the credentials of the service account */
  readonly role?: string;
  /** ServiceAccount with an IRSA / Pod Identity role. @default - the operator's own */
  readonly serviceAccount?: ServiceAccountSelector;
  /** @default 'ClusterSecretStore' */
  readonly kind?: SecretStoreKind;
}

export interface GcpSecretManagerStoreOptions {
  readonly name: string;
  readonly projectId: string;
  /** GKE Workload Identity: the Kubernetes ServiceAccount bound to a Google service account. @default - the operator's own credentials */
  readonly workloadIdentity?: { readonly serviceAccount: ServiceAccountSelector; readonly clusterLocation?: string; readonly clusterName?: string; readonly clusterProjectId?: string };
  /** @default 'ClusterSecretStore' */
  readonly kind?: SecretStoreKind;
}

export interface AzureKeyVaultStoreOptions {
  readonly name: string;
  /** `https://my-vault.vault.azure.net`. */
  readonly vaultUrl: string;
  /** Azure AD tenant id. @default - from the workload identity federation */
  readonly tenantId?: string;
  /** Workload Identity ServiceAccount. @default - the operator's own (authType ManagedIdentity when unset) */
  readonly serviceAccount?: ServiceAccountSelector;
  /** @default 'ClusterSecretStore' */
  readonly kind?: SecretStoreKind;
}

export type SecretStoreKind = 'SecretStore' | 'ClusterSecretStore';

/**
 * An External Secrets Operator store of one environment. Declared per environment
 * (`Environments.define({ prod: { secretStores: { vault: SecretStore.vault({ name: 'vault-prod', ... }) } } })`);
 * ExternalSecrets name the key (`vault`) and get that environment's store. Stores the library declares are
 * rendered where an ExternalSecret first uses them (a ClusterSecretStore once per target, a SecretStore in
 * each namespace that uses it); `SecretStore.existing` points at one managed elsewhere and renders nothing.
 */
export class SecretStore {
  public static vault(o: VaultStoreOptions): SecretStore {
    checkProps('SecretStore.vault', 'VaultStoreOptions', o);
    const vault: Record<string, unknown> = { server: o.server, path: o.path, version: o.version ?? D.vault.version, auth: { [o.auth.method]: o.auth.spec } };
    if (o.vaultNamespace !== undefined) vault.namespace = o.vaultNamespace;
    return new SecretStore(o.name, o.kind ?? D.storeKind, 'vault', { vault }, o.auth.accounts, o.auth._problems);
  }

  public static awsSecretsManager(o: AwsSecretsManagerStoreOptions): SecretStore {
    checkProps('SecretStore.awsSecretsManager', 'AwsSecretsManagerStoreOptions', o);
    const aws: Record<string, unknown> = { service: 'SecretsManager', region: o.region };
    if (o.role !== undefined) aws.role = o.role;
    if (o.serviceAccount) aws.auth = { jwt: { serviceAccountRef: saRef(o.serviceAccount) } };
    return new SecretStore(o.name, o.kind ?? D.storeKind, 'aws', { aws }, o.serviceAccount ? [account(o.serviceAccount, 'serviceAccount', false)] : []);
  }

  public static gcpSecretManager(o: GcpSecretManagerStoreOptions): SecretStore {
    checkProps('SecretStore.gcpSecretManager', 'GcpSecretManagerStoreOptions', o);
    const gcpsm: Record<string, unknown> = { projectID: o.projectId };
    const wi = o.workloadIdentity;
    if (wi) {
      gcpsm.auth = {
        workloadIdentity: {
          serviceAccountRef: saRef(wi.serviceAccount),
          ...(wi.clusterLocation ? { clusterLocation: wi.clusterLocation } : {}),
          ...(wi.clusterName ? { clusterName: wi.clusterName } : {}),
          ...(wi.clusterProjectId ? { clusterProjectID: wi.clusterProjectId } : {}),
        },
      };
    }
    return new SecretStore(o.name, o.kind ?? D.storeKind, 'gcpsm', { gcpsm }, wi ? [account(wi.serviceAccount, 'workloadIdentity.serviceAccount', false)] : []);
  }

  public static azureKeyVault(o: AzureKeyVaultStoreOptions): SecretStore {
    checkProps('SecretStore.azureKeyVault', 'AzureKeyVaultStoreOptions', o);
    const azurekv: Record<string, unknown> = { vaultUrl: o.vaultUrl, authType: o.serviceAccount ? 'WorkloadIdentity' : 'ManagedIdentity' };
    if (o.tenantId !== undefined) azurekv.tenantId = o.tenantId;
    if (o.serviceAccount) azurekv.serviceAccountRef = saRef(o.serviceAccount);
    return new SecretStore(o.name, o.kind ?? D.storeKind, 'azurekv', { azurekv }, o.serviceAccount ? [account(o.serviceAccount, 'serviceAccount', false)] : []);
  }

  /** A store that exists on the cluster already (managed elsewhere): referenced, never rendered. */
  public static existing(o: { readonly name: string; readonly kind?: SecretStoreKind }): SecretStore {
    return new SecretStore(o.name, o.kind ?? D.storeKind, 'existing', undefined);
  }

  private constructor(
    /** Object name of the store. */
    public readonly name: string,
    public readonly kind: SecretStoreKind,
    /** `vault`, `aws`, `gcpsm`, `azurekv` or `existing`. */
    public readonly provider: string,
    /** `spec.provider` of the store; undefined for an existing store. */
    public readonly providerSpec: Record<string, unknown> | undefined,
    /** The ServiceAccounts the store logs in with that it renders (`render: true`) or binds to a role. */
    public readonly accounts: readonly StoreAccount[] = [],
    /** @internal Option mistakes, reported when the store is rendered. */
    public readonly _problems: readonly StoreProblem[] = [],
  ) {}

  /** Whether the library renders this store (false for `SecretStore.existing`). */
  public get rendered(): boolean {
    return this.providerSpec !== undefined;
  }
}

/** The secret stores of one environment, by the key ExternalSecrets name them with. */
export type SecretStores = { readonly [key: string]: SecretStore };

function saRef(s: ServiceAccountSelector): Record<string, unknown> {
  return { name: s.name, ...(s.namespace ? { namespace: s.namespace } : {}), ...(s.audiences ? { audiences: [...s.audiences] } : {}) };
}

function account(s: ServiceAccountSelector, prop: string, authDelegator: boolean): StoreAccount {
  return {
    name: s.name,
    ...(s.namespace ? { namespace: s.namespace } : {}),
    render: s.render === true,
    ...(s.annotations ? { annotations: { ...s.annotations } } : {}),
    authDelegator,
    prop,
  };
}

function keyRef(s: SecretKeySelector): Record<string, unknown> {
  return { name: s.name, key: s.key, ...(s.namespace ? { namespace: s.namespace } : {}) };
}

// secrets settings in the one typed `Environments.define`
declare module '../environments/environment' {
  interface EnvironmentProps<S> {
    /**
     * secrets: the External Secrets Operator stores of this environment, by the key ExternalSecrets name
     * (`{ vault: SecretStore.vault({ name: 'vault-prod', ... }) }`); the same key may mean a different store per
     * environment.
     * @default - none (an ExternalSecret naming a store fails synth)
     */
    readonly secretStores?: SecretStores;
  }
  interface Environment<N, S> {
    /** secrets: the environment's secret stores by key. */
    readonly secretStores: SecretStores;
  }
}
