import { WORKLOAD_DEFAULTS } from '../workloads/defaults';

/** Every default of the config capability, in one place (the `@default` docs quote these values). */
export const CONFIG_DEFAULTS = {
  /** Name of a workload's config set: ConfigMap `<workload>-config-<hash>`, pod volume `config`. */
  name: 'config',
  /** Where the files are mounted (read-only). */
  mountPath: '/etc/config',
  /** Hex digits of the content hash in the ConfigMap name. */
  hashLength: 10,
  /** The API server's limit on a ConfigMap's data (keys and values). */
  maxBytes: 1024 * 1024,
  /**
   * Previous generations kept in dist/ besides the current one: the Deployment's revisionHistoryLimit, so every
   * ReplicaSet a rollback can return to still finds the ConfigMap it mounts.
   */
  retainGenerations: WORKLOAD_DEFAULTS.revisionHistoryLimit,
  /** Mode of the mounted files: readable by the owner and the pod's fsGroup, never writable. */
  defaultMode: 0o440,
} as const;

/** Label on every ConfigMap of a config set (current and retained generations): `<workload>-<name>`. */
export const CONFIG_SET_LABEL = 'config.typed-manifests.io/set';
/** Label of a retained generation (value `retained`): a ConfigMap no current pod template mounts. */
export const CONFIG_GENERATION_LABEL = 'config.typed-manifests.io/generation';
/** On the current generation: how many previous generations dist/ keeps. */
export const CONFIG_RETAIN_ANNOTATION = 'config.typed-manifests.io/retain-generations';
/** On a retained generation: 1 for the one replaced last, 2 for the one before, ... */
export const CONFIG_RETIRED_ANNOTATION = 'config.typed-manifests.io/retired-rank';
/**
 * On every generation the library writes: the SHA-256 of its content (the same digest whose first hex digits end
 * its name). Retention keeps a previous generation only when this mark is there and its content still hashes to it.
 */
export const CONFIG_DIGEST_ANNOTATION = 'config.typed-manifests.io/content-sha256';
