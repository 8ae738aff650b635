/** Every default of the secrets capability, in one place (the `@default` docs quote these values). */
export const SECRETS_DEFAULTS = {
  /** How often External Secrets Operator re-reads the provider. */
  refreshInterval: '1h',
  /** Store kind when a store is declared: one per cluster, usable from every namespace. */
  storeKind: 'ClusterSecretStore',
  vault: {
    /** KV secrets engine version. */
    version: 'v2',
    /** Mount path of Vault's Kubernetes auth method. */
    kubernetesMountPath: 'kubernetes',
    /** Mount path of Vault's AppRole auth method. */
    appRolePath: 'approle',
    /** Who reviews Kubernetes tokens for Vault's Kubernetes auth: Vault's own reviewer JWT (no role binding needed). */
    tokenReviewer: 'vault',
  },
  /** Name prefix of the ClusterRoleBinding of a store's account to `system:auth-delegator` (then `<namespace>-<account>`). */
  authDelegatorBindingPrefix: 'auth-delegator-',
  /** The operator owns the Secret it writes; a secret deleted at the provider keeps its last value in the cluster. */
  creationPolicy: 'Owner',
  deletionPolicy: 'Retain',
  /** Sealed Secrets scope: the ciphertext only decrypts under its own name and namespace. */
  sealedScope: 'strict',
  /** Shortest base64 ciphertext kubeseal writes: 2-byte length, an RSA-2048 block, a GCM tag, one byte. */
  minSealedBytes: 2 + 256 + 16 + 1,
  /** Whether a change of a secret source's definition rolls the pods that read it. */
  rollOnChange: false,
  /** Mode of mounted secret files: readable by the owner and the pod's fsGroup only. */
  defaultMode: 0o440,
} as const;
