import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { assertCron, assertDnsLabel, assertDnsSubdomain, assertGoDuration, checkProps, configError, markPlatformOwned, markUnit } from '../core';

/** A manifest as plain data. */
type Manifest = Record<string, any>;

/**
 * What a backup needs of its workload: its name, namespace and pod template (a HardenedStatefulSet passes itself).
 * Structural, so that storage stays below the workloads that use it.
 */
export interface IBackedUpWorkload {
  readonly name: string;
  readonly namespace: string;
  readonly pod: {
    readonly selectorLabels: Record<string, string>;
    readonly labels: Record<string, string>;
    addPodAnnotation(key: string, value: string): void;
  };
}
import { STORAGE_DEFAULTS as D } from './defaults';

/** A command Velero runs in the pod around its backup (pod annotations `pre.hook.backup.velero.io/*`). */
export interface BackupHook {
  /** Command and arguments, run without a shell unless you call one (`['psql', '-c', 'CHECKPOINT']`). */
  readonly command: string[];
  /** @default - the workload's main container */
  readonly container?: string;
  /** 'Fail' fails the pod's backup when the hook fails. @default 'Fail' */
  readonly onError?: 'Fail' | 'Continue';
  /** Go duration. @default '30s' */
  readonly timeout?: string;
}

/** A Velero backup of one stateful workload: its namespace's objects that carry its labels, and its volumes. */
export interface BackupOptions {
  /** Cron schedule (five fields). @default '0 3 * * *' (daily at 03:00) */
  readonly schedule?: string;
  /** How long a backup is kept, as a Go duration (`720h`, not '30 days'). @default '720h' */
  readonly ttl?: string;
  /** Velero BackupStorageLocation, typically per environment (`env.pick`). @default 'default' */
  readonly storageLocation?: string;
  /**
   * How volumes are captured: 'snapshot' (CSI or provider snapshots) or 'fs-backup' (the node agent copies
   * the files; for storage without snapshots). @default 'snapshot'
   */
  readonly volumes?: 'snapshot' | 'fs-backup';
  /** Runs in the pod before its volumes are captured (a database CHECKPOINT, fsfreeze). @default - none */
  readonly preHook?: BackupHook;
  /** Runs in the pod after its volumes are captured. @default - none */
  readonly postHook?: BackupHook;
  /** Namespace Velero runs in. @default 'velero' */
  readonly veleroNamespace?: string;
  /** Name of the Schedule (Backups are named `<name>-<timestamp>`). @default - `<namespace>-<workload name>` */
  readonly name?: string;
}

/** Options of a restore drill. */
export interface RestoreDrillOptions {
  /** Scratch namespace the objects are restored into. @default - `<namespace>-drill` */
  readonly namespace?: string;
}

/**
 * A Velero Schedule for one workload (`velero.io/v1`, validated against the vendored CRD): objects of the
 * workload's namespace selected by its labels (StatefulSet, pods, claims, Services), volumes snapshotted or
 * copied, kept `ttl`. Hooks become the pod annotations Velero reads.
 */
export class BackupSchedule extends Construct {
  public readonly schedule: ApiObject;
  public readonly name: string;
  public readonly veleroNamespace: string;
  private readonly workloadNamespace: string;
  private readonly selector: Record<string, string>;

  constructor(scope: Construct, id: string, workload: IBackedUpWorkload, options: BackupOptions = {}) {
    super(scope, id);
    checkProps(this, 'BackupOptions', options);
    const b = D.backup;
    const cron = assertCron(this, 'backup.schedule', options.schedule ?? b.schedule);
    const ttl = assertTtl(this, 'backup.ttl', options.ttl ?? b.ttl);
    this.veleroNamespace = assertDnsLabel(this, 'backup.veleroNamespace', options.veleroNamespace ?? b.veleroNamespace);
    // Backups are named `<schedule>-<yyyymmddhhmmss>` and Velero labels them with it: keep that a label value
    this.name = assertDnsLabel(this, 'backup.name', options.name ?? `${workload.namespace}-${workload.name}`, 48);
    // its own file, `velero/<name>.yaml`: workloads of the same name in two namespaces must not share one
    markUnit(this, this.name);
    // Velero reads Schedules only in its own namespace: the platform's part carries them, generated from the
    // workload and covering only its namespace (ownership by scope, lib/core/owner.ts)
    markPlatformOwned(this);
    const location = assertDnsSubdomain(this, 'backup.storageLocation', options.storageLocation ?? b.storageLocation);
    const volumes = options.volumes ?? b.volumes;
    if (volumes !== 'snapshot' && volumes !== 'fs-backup') {
      throw configError(this, 'backup.volumes', "must be 'snapshot' or 'fs-backup'", volumes, "use 'snapshot' (volume snapshots) or 'fs-backup' (file copies by the node agent)");
    }
    this.workloadNamespace = workload.namespace;
    this.selector = { ...workload.pod.selectorLabels };

    for (const [phase, hook] of [['pre', options.preHook], ['post', options.postHook]] as const) {
      if (!hook) continue;
      const prop = `backup.${phase}Hook`;
      if (!Array.isArray(hook.command) || hook.command.length === 0 || hook.command.some((c) => typeof c !== 'string' || c === '')) {
        throw configError(this, `${prop}.command`, 'must be a non-empty list of non-empty strings', hook.command, "write it like ['psql', '-c', 'CHECKPOINT']");
      }
      const onError = hook.onError ?? b.hook.onError;
      if (onError !== 'Fail' && onError !== 'Continue') {
        throw configError(this, `${prop}.onError`, "must be 'Fail' or 'Continue'", onError, "use 'Fail'");
      }
      const timeout = hook.timeout ?? b.hook.timeout;
      assertGoDuration(this, `${prop}.timeout`, timeout, '30s');
      const container = hook.container ?? workload.name;
      const key = `${phase}.hook.backup.velero.io`;
      workload.pod.addPodAnnotation(`${key}/container`, container);
      workload.pod.addPodAnnotation(`${key}/command`, JSON.stringify(hook.command));
      workload.pod.addPodAnnotation(`${key}/on-error`, onError);
      workload.pod.addPodAnnotation(`${key}/timeout`, timeout);
    }
    // the node agent would copy the scratch /tmp too
    if (volumes === 'fs-backup') workload.pod.addPodAnnotation('backup.velero.io/backup-volumes-excludes', 'tmp');

    this.schedule = new ApiObject(this, 'Schedule', {
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name: this.name, namespace: this.veleroNamespace, labels: { ...workload.pod.labels } },
      spec: {
        schedule: cron,
        useOwnerReferencesInBackup: false,
        template: {
          includedNamespaces: [workload.namespace],
          labelSelector: { matchLabels: { ...this.selector } },
          snapshotVolumes: volumes === 'snapshot',
          defaultVolumesToFsBackup: volumes === 'fs-backup',
          storageLocation: location,
          ttl,
        },
      },
    });
  }

  /**
   * A Velero Restore (`velero.io/v1`) of `backupName` into a scratch namespace, for a restore drill: the same
   * label selector as the backups, the workload's namespace mapped to the scratch one, volumes restored. Not
   * rendered into dist/ (a drill is run by hand: `npm run restore-drill`). Velero's Restore CRD is not vendored
   * here; the fields follow Velero's v1 Restore API (backupName, includedNamespaces, namespaceMapping,
   * labelSelector, restorePVs, existingResourcePolicy).
   */
  public restoreDrill(backupName: string, options: RestoreDrillOptions = {}): Manifest {
    assertDnsSubdomain(this, 'backupName', backupName);
    const scratch = assertDnsLabel(this, 'namespace', options.namespace ?? `${this.workloadNamespace}${D.restoreDrill.namespaceSuffix}`);
    if (scratch === this.workloadNamespace) {
      throw configError(this, 'namespace', 'is the namespace the workload runs in (a drill must not overwrite it)', scratch, `use a scratch namespace like '${this.workloadNamespace}${D.restoreDrill.namespaceSuffix}'`);
    }
    return {
      apiVersion: 'velero.io/v1',
      kind: 'Restore',
      metadata: { name: `drill-${backupName}`.slice(0, 253).replace(/[-.]+$/, ''), namespace: this.veleroNamespace },
      spec: {
        backupName,
        includedNamespaces: [this.workloadNamespace],
        namespaceMapping: { [this.workloadNamespace]: scratch },
        labelSelector: { matchLabels: { ...this.selector } },
        restorePVs: true,
        existingResourcePolicy: 'none',
      },
    };
  }
}

/** A Go duration for a backup TTL; '30 days' and '30d' get the hour form as the fix. */
function assertTtl(scope: Construct, prop: string, value: string): string {
  const days = typeof value === 'string' ? /^\s*(\d+)\s*(d|days?)\s*$/i.exec(value) : null;
  if (days) {
    throw configError(scope, prop, 'must be a Go duration (hours, minutes, seconds; no days)', value, `write '${Number(days[1]) * 24}h'`);
  }
  assertGoDuration(scope, prop, value, '720h');
  return value;
}
