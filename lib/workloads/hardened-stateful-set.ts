import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { assertDnsLabel, assertPort, checkProps, configError, markUnit } from '../core';
import { targetOf } from '../environments/environment';
import { BackupOptions, BackupSchedule } from '../storage/backup-schedule';
import { STORAGE_DEFAULTS } from '../storage/defaults';
import { assertStorageSize } from '../storage/size';
import { assertStorageClass } from '../storage/storage-class';
import { WORKLOAD_DEFAULTS as W } from './defaults';
import { DisruptionBudget } from './disruption-budget';
import { disruptionBudgetObject, resolveDrain } from './long-running-parts';
import { ExtraPort } from './long-running-workload';
import { NetworkPeer, NetworkRule } from './network-peer';
import { HardenedPod, Manifest } from './pod-template';
import { Probe } from './probe';
import { WorkloadProps } from './workload-props';
import { bindExtensions, connectWorkloads, IReachable, IWorkload, IWorkloadExtension, WorkloadControllerKind } from './workload';

const D = W.statefulSet;

/** A persistent volume of each pod: a volume claim template, mounted into the main container. */
export interface StatefulVolume {
  /** Claim template (and pod volume) name: a DNS-1123 label, unique in the pod. Claims are `<name>-<pod>`. */
  readonly name: string;
  /** Absolute path in the container (not /tmp, not another volume's path). */
  readonly mountPath: string;
  /** Requested size, a quantity of bytes (`20Gi`; '10GB' is an error). Claims can grow, never shrink. */
  readonly size: string;
  /**
   * A StorageClass the target cluster declares (`ClusterProps.storageClasses`, rendered or `existing`).
   * @default - the cluster's default StorageClass (the field is left out)
   */
  readonly storageClassName?: string;
  /** @default 'ReadWriteOnce' */
  readonly accessMode?: 'ReadWriteOnce' | 'ReadWriteOncePod' | 'ReadWriteMany' | 'ReadOnlyMany';
}

/** Props of a hardened StatefulSet. */
export interface HardenedStatefulSetProps extends WorkloadProps {
  /** The port clients and peers connect to; the client Service exposes the same number. */
  readonly port: number;
  /** @default 'http' */
  readonly portName?: string;
  /** Persistent volumes, one claim per pod each. At least one. */
  readonly volumes: StatefulVolume[];
  /** @default 1 */
  readonly replicas?: number;
  /**
   * A quorum system (etcd, ZooKeeper, Raft stores): the disruption budget keeps a majority
   * (minAvailable floor(n/2)+1) and the replica count must be odd and at least 3.
   * @default false
   */
  readonly quorum?: boolean;
  /** @default 'OrderedReady' */
  readonly podManagementPolicy?: 'OrderedReady' | 'Parallel';
  /** Staged upgrades: only pods with an ordinal >= partition take a new template. @default 0 */
  readonly partition?: number;
  /**
   * What happens to the claims when the StatefulSet scales down or is deleted.
   * @default { whenScaled: 'Retain', whenDeleted: 'Retain' }
   */
  readonly pvcRetention?: { readonly whenScaled?: 'Retain' | 'Delete'; readonly whenDeleted?: 'Retain' | 'Delete' };
  /** Who may connect to the port (its own pods always may, on every port). @default - its own pods only */
  readonly ingress?: NetworkPeer[];
  /** @default Probe.tcp() on the main port */
  readonly readiness?: Probe;
  /** @default Probe.tcp() on the main port */
  readonly liveness?: Probe;
  /** @default - none */
  readonly startup?: Probe;
  /** @default 5 */
  readonly drainSeconds?: number;
  /** @default - drainSeconds + 25 */
  readonly terminationGracePeriodSeconds?: number;
  /** @default DisruptionBudget.maxUnavailable(1) (with quorum: a majority stays) */
  readonly disruptionBudget?: DisruptionBudget;
  /** @default true */
  readonly spread?: boolean;
  /** @default - none */
  readonly extraPorts?: ExtraPort[];
  /** `app.kubernetes.io/component`. @default 'database' */
  readonly component?: string;
  /**
   * A Velero Schedule of the workload (see BackupOptions), or false for none.
   * @default - daily backups kept 720h in production environments (`production: true`), none elsewhere
   */
  readonly backup?: BackupOptions | false;
}

/**
 * A hardened StatefulSet: ServiceAccount, StatefulSet with volume claim templates, a headless Service for
 * stable identities, a client Service, a NetworkPolicy (its pods reach each other on every port, declared
 * callers reach the port) and a PodDisruptionBudget; in production a Velero Schedule.
 */
export class HardenedStatefulSet extends Construct implements IWorkload, IReachable {
  public readonly name: string;
  public readonly namespace: string;
  public readonly component: string;
  public readonly pod: HardenedPod;
  public readonly port: number;
  public readonly replicas: number;
  public readonly serviceAccount: ApiObject;
  public readonly statefulSet: ApiObject;
  public readonly headlessService: ApiObject;
  public readonly service: ApiObject;
  public readonly networkPolicy: ApiObject;
  public readonly podDisruptionBudget: ApiObject;
  /** The Velero Schedule, when backups are on. */
  public readonly backup?: BackupSchedule;
  public readonly volumeClaimTemplates: readonly Manifest[];

  constructor(scope: Construct, id: string, props: HardenedStatefulSetProps) {
    super(scope, id);
    checkProps(this, 'HardenedStatefulSetProps', props);
    this.component = props.component ?? D.component;
    this.pod = new HardenedPod(this, props, this.component);
    this.name = this.pod.name;
    this.namespace = this.pod.namespace;
    markUnit(this, this.name);
    this.port = assertPort(this, 'port', props.port);
    const portName = assertDnsLabel(this, 'portName', props.portName ?? W.portName, 15);
    const headlessName = assertDnsLabel(this, 'name', `${this.name}${D.headlessSuffix}`);

    const replicas = props.replicas ?? D.replicas;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw configError(this, 'replicas', 'must be a non-negative integer', replicas, `use e.g. ${D.replicas}`);
    }
    this.replicas = replicas;
    if (props.quorum && (replicas < 3 || replicas % 2 === 0)) {
      throw configError(this, 'replicas', 'must be odd and at least 3 for a quorum system (an even count tolerates no more failures than one less, and splits votes)', replicas,
        `use ${Math.max(3, replicas % 2 === 0 ? replicas + 1 : replicas)}`);
    }
    if (props.quorum && props.disruptionBudget) {
      throw configError(this, 'disruptionBudget', 'is set together with quorum (quorum sets the budget to keep a majority)', props.disruptionBudget.field, 'remove one of them');
    }
    const partition = props.partition ?? D.partition;
    if (!Number.isInteger(partition) || partition < 0 || partition > Math.max(replicas, 0)) {
      throw configError(this, 'partition', `must be an integer from 0 to replicas (${replicas})`, partition, 'use 0 to update every pod');
    }
    const policy = props.podManagementPolicy ?? D.podManagementPolicy;
    if (policy !== 'OrderedReady' && policy !== 'Parallel') {
      throw configError(this, 'podManagementPolicy', "must be 'OrderedReady' or 'Parallel'", policy, "use 'OrderedReady'");
    }

    const target = targetOf(this);
    if (!Array.isArray(props.volumes) || props.volumes.length === 0) {
      throw configError(this, 'volumes', 'must list at least one persistent volume', props.volumes, "add { name: 'data', mountPath: '/var/lib/data', size: '10Gi' }");
    }
    const names = new Set<string>(['tmp']);
    this.volumeClaimTemplates = props.volumes.map((v, i) => {
      const prop = `volumes[${i}]`;
      assertDnsLabel(this, `${prop}.name`, v.name);
      if (names.has(v.name)) {
        throw configError(this, `${prop}.name`, 'names a volume the pod already has', v.name, 'give every volume its own name');
      }
      names.add(v.name);
      assertStorageSize(this, `${prop}.size`, v.size);
      const accessMode = v.accessMode ?? STORAGE_DEFAULTS.accessMode;
      if (!['ReadWriteOnce', 'ReadWriteOncePod', 'ReadWriteMany', 'ReadOnlyMany'].includes(accessMode)) {
        throw configError(this, `${prop}.accessMode`, 'must be a PersistentVolume access mode', accessMode, "use 'ReadWriteOnce'");
      }
      if (target) assertStorageClass(this, `${prop}.storageClassName`, v.storageClassName, target.cluster);
      this.pod.addVolumeMount(v.name, { mountPath: v.mountPath, prop: `${prop}.mountPath` });
      return {
        metadata: { name: v.name, labels: { ...this.pod.selectorLabels } },
        spec: {
          accessModes: [accessMode],
          storageClassName: v.storageClassName,
          volumeMode: 'Filesystem',
          resources: { requests: { storage: v.size } },
        },
      };
    });

    const { drainSeconds, grace } = resolveDrain(this, props);
    const template = this.pod.template({
      ports: [{ name: portName, port: this.port, prop: 'port' }, ...(props.extraPorts ?? [])],
      longRunning: {
        probePort: this.port,
        readiness: props.readiness ?? Probe.tcp(),
        liveness: props.liveness ?? Probe.tcp(),
        startup: props.startup,
        drainSeconds,
        terminationGracePeriodSeconds: grace,
        spread: props.spread ?? true,
      },
    });

    // members replicate to each other on any port; declared callers reach the main port
    this.pod.addIngress({ peer: this.peer });
    this.pod.addEgress({ peer: this.peer });
    this.allowFrom(...(props.ingress ?? []));

    this.serviceAccount = new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: this.pod.metadata(),
      automountServiceAccountToken: false,
    });

    const ports = [{ name: portName, port: this.port, targetPort: portName, protocol: 'TCP' }];
    this.headlessService = new ApiObject(this, 'HeadlessService', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: this.pod.metadata(headlessName),
      spec: {
        clusterIP: 'None',
        // peers resolve each other while they bootstrap, before they are ready
        publishNotReadyAddresses: true,
        selector: { ...this.pod.selectorLabels },
        ports,
      },
    });
    this.service = new ApiObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: this.pod.metadata(),
      spec: { type: 'ClusterIP', selector: { ...this.pod.selectorLabels }, ports },
    });

    const retention = { ...D.pvcRetention, ...props.pvcRetention };
    for (const [k, v] of Object.entries(retention)) {
      if (v !== 'Retain' && v !== 'Delete') {
        throw configError(this, `pvcRetention.${k}`, "must be 'Retain' or 'Delete'", v, "use 'Retain'");
      }
    }
    this.statefulSet = new ApiObject(this, 'StatefulSet', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: this.pod.metadata(),
      spec: {
        replicas,
        serviceName: headlessName,
        podManagementPolicy: policy,
        revisionHistoryLimit: W.revisionHistoryLimit,
        selector: { matchLabels: { ...this.pod.selectorLabels } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition } },
        persistentVolumeClaimRetentionPolicy: retention,
        template,
        volumeClaimTemplates: this.volumeClaimTemplates,
      },
    });

    this.networkPolicy = this.pod.networkPolicy(this);

    // always a budget, even for one replica: it states the intent and lets a drain proceed (maxUnavailable 1)
    const budget = props.quorum
      ? DisruptionBudget.minAvailable(Math.floor(replicas / 2) + 1)
      : props.disruptionBudget ?? DisruptionBudget.maxUnavailable(D.disruptionBudget.maxUnavailable);
    this.podDisruptionBudget = disruptionBudgetObject(this, this.pod, budget, Math.max(replicas, 1));

    const backup = props.backup ?? (STORAGE_DEFAULTS.backup.productionOnly && target?.env.production ? {} : false);
    if (backup !== false) this.backup = new BackupSchedule(this, 'BackupSchedule', this, backup);

    this.use(...(props.use ?? []));
  }

  public get controller(): { readonly kind: WorkloadControllerKind; readonly name: string; readonly apiVersion: string } {
    return { kind: 'StatefulSet', name: this.name, apiVersion: 'apps/v1' };
  }

  /** Pods of this StatefulSet, carrying its identity. */
  public get peer(): NetworkPeer {
    return this.pod.peer;
  }

  /** Admits traffic to the main port from `peers`. */
  public allowFrom(...peers: NetworkPeer[]): void {
    for (const peer of peers) this.pod.addIngress({ peer, ports: [this.port] });
  }

  /** Lets `clients` (any workload: a worker, a cron job, a job) call this one's port: egress there, ingress here. */
  public connectFrom(...clients: IWorkload[]): void {
    for (const c of clients) connectWorkloads(c, this);
  }

  /** Lets this workload's pods call `other` (a service, a stateful set) on its port: egress here, ingress there. */
  public connectTo(other: IReachable): void {
    connectWorkloads(this, other);
  }

  /** Allows egress to `rule`'s peer and ports (DNS and its own pods are always allowed). */
  public allowTo(rule: NetworkRule): void {
    this.pod.addEgress(rule);
  }

  /** Attaches capabilities (config, secrets, metrics...) to this workload. */
  public use(...extensions: IWorkloadExtension[]): void {
    bindExtensions(this, extensions);
  }
}
