import { Environments, GitOpsApp } from '../../lib/gitops';
import { PlatformNamespace } from '../../lib/platform';
import { STORAGE_DEFAULTS } from '../../lib/storage';
import { DisruptionBudget, HardenedCronJob, HardenedService, HardenedStatefulSet, HardenedStatefulSetProps, WORKLOAD_DEFAULTS } from '../../lib/workloads';
import { makeChart, only, podSpec, render } from '../helpers';

const base = (over: Partial<HardenedStatefulSetProps> = {}): HardenedStatefulSetProps => ({
  image: 'ghcr.io/acme/db:16.4',
  port: 5432,
  volumes: [{ name: 'data', mountPath: '/var/lib/data', size: '10Gi' }],
  ...over,
});

function build(over: Partial<HardenedStatefulSetProps> = {}) {
  const chart = makeChart();
  const db = new HardenedStatefulSet(chart, 'db', base(over));
  return { chart, db, objects: render(chart) };
}

const envs = Environments.define({
  dev: { clusters: [{ name: 'dev', server: 'https://dev.example', storageClasses: [{ name: 'fast', provisioner: 'ebs.csi.aws.com' }] }] },
  prod: { production: true, clusters: [{ name: 'prod', server: 'https://prod.example', storageClasses: [{ name: 'fast', existing: true }] }] },
});

function inTargets(over: (env: string) => Partial<HardenedStatefulSetProps>) {
  const app = new GitOpsApp({ environments: envs, outdir: 'unused' });
  const dbs: Record<string, HardenedStatefulSet> = {};
  app.forEachTarget((scope, { env }) => {
    const ns = new PlatformNamespace(scope, 'shop');
    dbs[env.name] = new HardenedStatefulSet(ns, 'db', base(over(env.name)));
  });
  return { app, dbs };
}

describe('HardenedStatefulSet defaults', () => {
  const { objects } = build();
  const sts = only(objects, 'StatefulSet');
  const d = WORKLOAD_DEFAULTS.statefulSet;

  test('renders ServiceAccount, StatefulSet, headless and client Services, NetworkPolicy and PDB', () => {
    expect(objects.map((o) => o.kind).sort()).toEqual(['NetworkPolicy', 'PodDisruptionBudget', 'Service', 'Service', 'ServiceAccount', 'StatefulSet']);
  });

  test('one replica, OrderedReady, rolling update with partition 0, claims retained on scale-down and delete', () => {
    expect(sts.spec.replicas).toBe(d.replicas);
    expect(d.replicas).toBe(1);
    expect(sts.spec.podManagementPolicy).toBe('OrderedReady');
    expect(sts.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenScaled: 'Retain', whenDeleted: 'Retain' });
  });

  test('the headless Service gives stable identities and publishes not-ready pods; the StatefulSet names it', () => {
    const headless = objects.find((o) => o.kind === 'Service' && o.spec.clusterIP === 'None');
    expect(headless.metadata.name).toBe('db-headless');
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    expect(sts.spec.serviceName).toBe('db-headless');
    const client = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'db');
    expect(client.spec.type).toBe('ClusterIP');
    expect(client.spec.selector).toEqual(sts.spec.selector.matchLabels);
  });

  test('volume claim template: size, ReadWriteOnce, cluster default class, labels of the pods; mounted; fsGroup OnRootMismatch', () => {
    expect(sts.spec.volumeClaimTemplates).toEqual([{
      metadata: { name: 'data', labels: sts.spec.selector.matchLabels },
      spec: { accessModes: [STORAGE_DEFAULTS.accessMode], volumeMode: 'Filesystem', resources: { requests: { storage: '10Gi' } } },
    }]);
    const pod = podSpec(sts);
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/data' });
    expect(pod.securityContext.fsGroupChangePolicy).toBe('OnRootMismatch');
    expect(pod.securityContext.fsGroup).toBe(WORKLOAD_DEFAULTS.security.fsGroup);
  });

  test('labelled as a database component, like every object of the workload', () => {
    expect(d.component).toBe('database');
    for (const o of objects) expect(o.metadata.labels['app.kubernetes.io/component']).toBe(d.component);
  });

  test('TCP probes on the port, drain and spread like every long-running workload', () => {
    const c = podSpec(sts).containers[0];
    expect(c.readinessProbe.tcpSocket).toEqual({ port: 5432 });
    expect(c.livenessProbe.tcpSocket).toEqual({ port: 5432 });
    expect(c.lifecycle.preStop.sleep.seconds).toBe(WORKLOAD_DEFAULTS.drainSeconds);
    expect(podSpec(sts).topologySpreadConstraints).toHaveLength(2);
  });

  test('a PDB with maxUnavailable 1 selects the pods, even with one replica', () => {
    const pdb = only(objects, 'PodDisruptionBudget');
    expect(pdb.spec.maxUnavailable).toBe(d.disruptionBudget.maxUnavailable);
    expect(pdb.spec.selector.matchLabels).toEqual(sts.spec.selector.matchLabels);
  });

  test('its pods reach each other on every port (replication), and nothing else gets in', () => {
    const np = only(objects, 'NetworkPolicy');
    expect(np.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: sts.spec.selector.matchLabels } }] }]);
    expect(np.spec.egress[1]).toEqual({ to: [{ podSelector: { matchLabels: sts.spec.selector.matchLabels } }] });
  });

  test('no backup outside a production environment', () => {
    expect(objects.map((o) => o.kind)).not.toContain('Schedule');
  });
});

describe('HardenedStatefulSet options', () => {
  test('Parallel pod management, a partition, retention and several volumes', () => {
    const { objects } = build({
      replicas: 3, podManagementPolicy: 'Parallel', partition: 2, pvcRetention: { whenScaled: 'Delete' },
      volumes: [{ name: 'data', mountPath: '/data', size: '1Ti', accessMode: 'ReadWriteOncePod' }, { name: 'wal', mountPath: '/wal', size: '512Mi' }],
    });
    const sts = only(objects, 'StatefulSet');
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    expect(sts.spec.updateStrategy.rollingUpdate.partition).toBe(2);
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenScaled: 'Delete', whenDeleted: 'Retain' });
    expect(sts.spec.volumeClaimTemplates.map((t: any) => [t.metadata.name, t.spec.accessModes[0], t.spec.resources.requests.storage]))
      .toEqual([['data', 'ReadWriteOncePod', '1Ti'], ['wal', 'ReadWriteOnce', '512Mi']]);
  });

  test('quorum keeps a majority: minAvailable floor(n/2)+1 for odd n', () => {
    for (const n of [3, 5, 7, 9]) {
      const pdb = only(build({ replicas: n, quorum: true }).objects, 'PodDisruptionBudget');
      expect(pdb.spec).toMatchObject({ minAvailable: Math.floor(n / 2) + 1 });
      expect(pdb.spec.maxUnavailable).toBeUndefined();
    }
  });

  test('connectTo from a service and connectFrom a cron job open both sides on the port', () => {
    const chart = makeChart();
    const db = new HardenedStatefulSet(chart, 'db', base());
    const api = new HardenedService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
    const report = new HardenedCronJob(chart, 'report', { image: 'ghcr.io/acme/report:1.0.0', schedule: '@daily' });
    api.connectTo(db);
    db.connectFrom(report);
    const objects = render(chart);
    const np = (name: string) => objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === name);
    expect(np('db').spec.ingress[1]).toEqual({
      from: [{ podSelector: { matchLabels: api.pod.selectorLabels } }, { podSelector: { matchLabels: report.pod.selectorLabels } }],
      ports: [{ protocol: 'TCP', port: 5432 }],
    });
    for (const client of ['api', 'report']) {
      expect(np(client).spec.egress).toContainEqual({ to: [{ podSelector: { matchLabels: db.pod.selectorLabels } }], ports: [{ protocol: 'TCP', port: 5432 }] });
    }
  });

  test('backups are on by default in production environments and off elsewhere; a declared class is accepted', () => {
    const { dbs } = inTargets(() => ({ volumes: [{ name: 'data', mountPath: '/data', size: '10Gi', storageClassName: 'fast' }] }));
    expect(STORAGE_DEFAULTS.backup.productionOnly).toBe(true);
    expect(dbs.prod.backup).toBeDefined();
    expect(dbs.dev.backup).toBeUndefined();
    expect(dbs.prod.backup!.schedule.toJson().spec.schedule).toBe(STORAGE_DEFAULTS.backup.schedule);
  });

  test('backup: false turns production backups off; backup options turn them on anywhere', () => {
    const { dbs } = inTargets((env) => ({ backup: env === 'prod' ? false : { schedule: '0 1 * * *' } }));
    expect(dbs.prod.backup).toBeUndefined();
    expect(dbs.dev.backup!.schedule.toJson().spec.schedule).toBe('0 1 * * *');
  });
});

describe('HardenedStatefulSet errors', () => {
  const err = (over: Partial<HardenedStatefulSetProps>) => () => build(over);

  test('an even (or too small) replica count for a quorum system', () => {
    for (const n of [2, 4, 6, 8, 10]) {
      expect(err({ replicas: n, quorum: true })).toThrow(`test/db: replicas must be odd and at least 3 for a quorum system (an even count tolerates no more failures than one less, and splits votes), got ${n}; use ${n + 1}`);
    }
    expect(err({ replicas: 1, quorum: true })).toThrow('got 1; use 3');
  });

  test('quorum together with a disruption budget', () => {
    expect(err({ replicas: 3, quorum: true, disruptionBudget: DisruptionBudget.maxUnavailable(1) }))
      .toThrow('test/db: disruptionBudget is set together with quorum (quorum sets the budget to keep a majority), got "maxUnavailable"; remove one of them');
  });

  test("a malformed size like '10GB' names the binary quantity as the fix", () => {
    expect(err({ volumes: [{ name: 'data', mountPath: '/data', size: '10GB' }] }))
      .toThrow("test/db: volumes[0].size must be a Kubernetes quantity of bytes (Ki, Mi, Gi, Ti), got \"10GB\"; write '10Gi'");
  });

  test('a mount path that is not absolute, or that collides with /tmp or another volume', () => {
    expect(err({ volumes: [{ name: 'data', mountPath: 'var/lib/data', size: '1Gi' }] })).toThrow(/test\/db: volumes\[0\]\.mountPath must be an absolute path.*got "var\/lib\/data"/);
    expect(err({ volumes: [{ name: 'data', mountPath: '/tmp', size: '1Gi' }] }))
      .toThrow("test/db: volumes[0].mountPath collides with the mount of volume 'tmp', got \"/tmp\"; mount it at another path");
    expect(err({ volumes: [{ name: 'a', mountPath: '/d', size: '1Gi' }, { name: 'b', mountPath: '/d', size: '1Gi' }] }))
      .toThrow("test/db: volumes[1].mountPath collides with the mount of volume 'a', got \"/d\"");
  });

  test('drain and grace period are checked like every long-running workload', () => {
    expect(err({ drainSeconds: 30, terminationGracePeriodSeconds: 10 })).toThrow('test/db: terminationGracePeriodSeconds must exceed drainSeconds (30) so the process gets time after SIGTERM, got 10; use at least 31, e.g. 55');
    expect(podSpec(only(build({ drainSeconds: 10 }).objects, 'StatefulSet')).terminationGracePeriodSeconds).toBe(10 + WORKLOAD_DEFAULTS.shutdownSeconds);
  });

  test('no volume, a duplicate or reserved volume name, a bad partition', () => {
    expect(err({ volumes: [] })).toThrow('test/db: volumes must list at least one persistent volume, got []');
    expect(err({ volumes: [{ name: 'tmp', mountPath: '/x', size: '1Gi' }] })).toThrow("test/db: volumes[0].name names a volume the pod already has, got \"tmp\"");
    expect(err({ replicas: 2, partition: 3 })).toThrow('test/db: partition must be an integer from 0 to replicas (2), got 3; use 0 to update every pod');
  });

  test('a storage class the target cluster does not declare', () => {
    expect(() => inTargets(() => ({ volumes: [{ name: 'data', mountPath: '/data', size: '1Gi', storageClassName: 'slow' }] })))
      .toThrow("dev/shop/db: volumes[0].storageClassName names a storage class that cluster 'dev' does not declare, got \"slow\"; use one of fast, or add it to the cluster's storageClasses (existing: true if the cluster already has it)");
  });
});
