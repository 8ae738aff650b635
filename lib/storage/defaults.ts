/**
 * The one table of storage defaults (storage classes, claims, Velero backups and restore drills). Every
 * `@default` of lib/storage and of HardenedStatefulSet's volume and backup props quotes these values.
 */
export const STORAGE_DEFAULTS = {
  storageClass: {
    /** Deleting a claim keeps the disk: data goes away only by hand. */
    reclaimPolicy: 'Retain',
    /** Bind where the pod is scheduled, so the volume is created in the pod's zone. */
    volumeBindingMode: 'WaitForFirstConsumer',
    /** Claims grow in place (a claim can never shrink). */
    allowVolumeExpansion: true,
  },
  /** Access mode of a volume claim template. */
  accessMode: 'ReadWriteOnce',
  backup: {
    /** Backups run in production environments only (production: true); elsewhere `backup` must be set. */
    productionOnly: true,
    /** Daily at 03:00 in the Velero server's time zone (UTC by default). */
    schedule: '0 3 * * *',
    /** Backups are kept 30 days (a Go duration). */
    ttl: '720h',
    /** The BackupStorageLocation Velero creates at install. */
    storageLocation: 'default',
    /** Namespace Velero runs in; Schedules and Restores live there. */
    veleroNamespace: 'velero',
    /** Volume snapshots (CSI or the provider's plugin); 'fs-backup' copies files with the node agent instead. */
    volumes: 'snapshot',
    hook: {
      /** A failing pre-backup hook fails the backup of that pod (a checkpoint that did not run is no checkpoint). */
      onError: 'Fail',
      timeout: '30s',
    },
  },
  restoreDrill: {
    /** The scratch namespace a drill restores into: `<namespace>-drill`. */
    namespaceSuffix: '-drill',
  },
} as const;
