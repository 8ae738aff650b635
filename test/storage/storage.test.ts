import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { Environments, GitOpsApp } from '../../lib/gitops';
import { PlatformNamespace } from '../../lib/platform';
import { assertStorageSize, BackupSchedule, shrunkClaims, STORAGE_DEFAULTS, StorageClass, StorageClassProps } from '../../lib/storage';
import { HardenedStatefulSet, HardenedStatefulSetProps } from '../../lib/workloads';
import { crdSchemaErrors } from '../fixtures/crd-schema';
import { tempDir } from '../gitops/helpers';
import { makeChart, only, render } from '../helpers';
import { prng } from '../fixtures/prng';

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

describe('volume sizes', () => {
  test('binary and decimal quantities of at least 1Mi are accepted (generated)', () => {
    const r = prng(7);
    for (let i = 0; i < 300; i++) {
      const n = 1 + Math.floor(r() * 4096);
      const unit = pick(r, ['Gi', 'Ti', 'Mi', 'G', 'T']);
      expect(assertStorageSize(makeChart(), 'size', `${n}${unit}`)).toBeGreaterThanOrEqual(2 ** 20);
    }
  });

  test("decimal-unit spellings like '10GB' fail with the binary quantity as the fix (generated)", () => {
    const r = prng(11);
    for (let i = 0; i < 200; i++) {
      const n = 1 + Math.floor(r() * 999);
      const unit = pick(r, ['K', 'M', 'G', 'T', 'P']);
      const spelled = `${n}${pick(r, [unit, unit.toLowerCase()])}${pick(r, ['B', 'iB', 'b'])}`;
      expect(() => assertStorageSize(makeChart(), 'volumes[0].size', spelled))
        .toThrow(`test: volumes[0].size must be a Kubernetes quantity of bytes (Ki, Mi, Gi, Ti), got "${spelled}"; write '${n}${unit}i'`);
    }
  });

  test('anything else malformed, or below 1Mi, gets a generic fix', () => {
    for (const bad of ['', 'ten', '-1Gi', '100Ki', '0', '1.5.5Gi']) {
      expect(() => assertStorageSize(makeChart(), 'size', bad)).toThrow(`test: size must be a Kubernetes quantity of bytes (Ki, Mi, Gi, Ti), got ${JSON.stringify(bad)}; write a quantity of at least 1Mi, like '10Gi'`);
    }
  });
});

describe('shrunkClaims', () => {
  const sts = (sizes: Record<string, string>) => ({
    kind: 'StatefulSet',
    spec: { volumeClaimTemplates: Object.entries(sizes).map(([name, storage]) => ({ metadata: { name }, spec: { resources: { requests: { storage } } } })) },
  });

  test('reports exactly the templates whose size went down, across units (generated)', () => {
    const r = prng(3);
    const units: [string, number][] = [['Mi', 2 ** 20], ['Gi', 2 ** 30], ['Ti', 2 ** 40], ['G', 1e9]];
    for (let i = 0; i < 300; i++) {
      const [ua, fa] = pick(r, units);
      const [ub, fb] = pick(r, units);
      const a = 1 + Math.floor(r() * 2000);
      const b = 1 + Math.floor(r() * 2000);
      const got = shrunkClaims(sts({ data: `${a}${ua}` }), sts({ data: `${b}${ub}`, extra: '1Gi' }));
      expect(got).toEqual(b * fb < a * fa ? [{ claim: 'data', previous: `${a}${ua}`, next: `${b}${ub}` }] : []);
    }
  });

  test('new and removed templates are no shrink', () => {
    expect(shrunkClaims(sts({ old: '10Gi' }), sts({ data: '1Gi' }))).toEqual([]);
    expect(shrunkClaims(undefined, sts({ data: '1Gi' }))).toEqual([]);
  });
});

describe('StorageClass', () => {
  test('defaults: Retain, WaitForFirstConsumer, expansion allowed', () => {
    const chart = makeChart();
    StorageClass.renderAll(chart, [{ name: 'fast-ssd', provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3' } }, { name: 'legacy', existing: true }]);
    const sc = only(render(chart), 'StorageClass');
    expect(sc).toMatchObject({
      apiVersion: 'storage.k8s.io/v1',
      metadata: { name: 'fast-ssd' },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3' },
      reclaimPolicy: STORAGE_DEFAULTS.storageClass.reclaimPolicy,
      volumeBindingMode: STORAGE_DEFAULTS.storageClass.volumeBindingMode,
      allowVolumeExpansion: STORAGE_DEFAULTS.storageClass.allowVolumeExpansion,
    });
    expect(STORAGE_DEFAULTS.storageClass).toEqual({ reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true });
    expect(sc.metadata.annotations).toBeUndefined();
  });

  test('errors: no provisioner, a class declared twice, two defaults', () => {
    expect(() => StorageClass.renderAll(makeChart(), [{ name: 'fast' }]))
      .toThrow("test/storageclass-fast: provisioner must name the CSI driver that provisions the volumes, got undefined; set e.g. provisioner: 'ebs.csi.aws.com', or existing: true for a class the cluster already has");
    expect(() => StorageClass.renderAll(makeChart(), [{ name: 'a', existing: true }, { name: 'a', existing: true }]))
      .toThrow('test: storageClasses[1].name is declared twice for this cluster, got "a"; declare each class once');
    expect(() => StorageClass.renderAll(makeChart(), [{ name: 'a', existing: true, isDefault: true }, { name: 'b', existing: true, isDefault: true }]))
      .toThrow('test: storageClasses marks more than one class as the default, got ["a","b"]; set isDefault on one class');
  });

  test('GitOpsApp renders each cluster\'s declared classes into its target, cluster-scoped', () => {
    const environments = Environments.define({
      dev: { clusters: [{ name: 'dev', server: 'https://dev.example', storageClasses: [{ name: 'fast', provisioner: 'ebs.csi.aws.com', isDefault: true }] }] },
      prod: { clusters: [{ name: 'prod', server: 'https://prod.example', storageClasses: [{ name: 'fast', existing: true }] }] },
    });
    const app = new GitOpsApp({ environments, outdir: 'unused' });
    app.forEachTarget((scope) => new PlatformNamespace(scope, 'shop'));
    const files = app.synthFiles();
    expect(YAML.parse(files.get('dev/_cluster/storageclass-fast.yaml')!).metadata.annotations).toEqual({ 'storageclass.kubernetes.io/is-default-class': 'true' });
    expect([...files.keys()].filter((f) => f.includes('storageclass'))).toEqual(['dev/_cluster/storageclass-fast.yaml']);
  });
});

describe('BackupSchedule (Velero)', () => {
  const workload = (chart: Chart) => new HardenedStatefulSet(chart, 'db', {
    image: 'ghcr.io/acme/db:16.4', port: 5432, volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }], backup: false,
  });

  test('defaults: daily, 720h, default location, snapshots, the workload\'s namespace and labels; valid against the Velero CRD', () => {
    const chart = makeChart();
    const db = workload(chart);
    const b = new BackupSchedule(chart, 'backup', db);
    const s = b.schedule.toJson();
    expect(s).toMatchObject({
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name: 'shop-db', namespace: STORAGE_DEFAULTS.backup.veleroNamespace },
      spec: {
        schedule: STORAGE_DEFAULTS.backup.schedule,
        useOwnerReferencesInBackup: false,
        template: {
          includedNamespaces: ['shop'],
          labelSelector: { matchLabels: db.pod.selectorLabels },
          snapshotVolumes: true,
          defaultVolumesToFsBackup: false,
          storageLocation: STORAGE_DEFAULTS.backup.storageLocation,
          ttl: STORAGE_DEFAULTS.backup.ttl,
        },
      },
    });
    expect(crdSchemaErrors(s)).toEqual([]);
    // the claims are labelled like the pods, so the selector covers them
    expect(only(render(chart), 'StatefulSet').spec.volumeClaimTemplates[0].metadata.labels).toEqual(db.pod.selectorLabels);
  });

  test('hooks become the pod annotations Velero reads; fs-backup excludes /tmp; valid against the CRD', () => {
    const chart = makeChart();
    const db = workload(chart);
    const b = new BackupSchedule(chart, 'backup', db, {
      volumes: 'fs-backup', schedule: '15 1 * * 0', ttl: '168h', storageLocation: 'eu-backups',
      preHook: { command: ['psql', '-c', 'CHECKPOINT'], timeout: '2m' },
      postHook: { command: ['/bin/true'], onError: 'Continue', container: 'sidecar' },
    });
    expect(crdSchemaErrors(b.schedule.toJson())).toEqual([]);
    expect(b.schedule.toJson().spec.template).toMatchObject({ snapshotVolumes: false, defaultVolumesToFsBackup: true, ttl: '168h', storageLocation: 'eu-backups' });
    const annotations = only(render(chart), 'StatefulSet').spec.template.metadata.annotations;
    expect(annotations).toEqual({
      'pre.hook.backup.velero.io/container': 'db',
      'pre.hook.backup.velero.io/command': '["psql","-c","CHECKPOINT"]',
      'pre.hook.backup.velero.io/on-error': 'Fail',
      'pre.hook.backup.velero.io/timeout': '2m',
      'post.hook.backup.velero.io/container': 'sidecar',
      'post.hook.backup.velero.io/command': '["/bin/true"]',
      'post.hook.backup.velero.io/on-error': 'Continue',
      'post.hook.backup.velero.io/timeout': '30s',
      'backup.velero.io/backup-volumes-excludes': 'tmp',
    });
  });

  test('errors: a schedule that is not cron, a TTL in days, an empty hook command', () => {
    const err = (o: object) => () => { const c = makeChart(); new BackupSchedule(c, 'backup', workload(c), o); };
    expect(err({ schedule: 'every day' })).toThrow(/test\/backup: backup\.schedule must be a five-field cron expression or a macro like @daily \(.*\), got "every day"; write it like '30 2 \* \* \*'/);
    expect(err({ schedule: '0 3 * *' })).toThrow('test/backup: backup.schedule must be a five-field cron expression');
    expect(err({ ttl: '30 days' })).toThrow("test/backup: backup.ttl must be a Go duration (hours, minutes, seconds; no days), got \"30 days\"; write '720h'");
    expect(err({ ttl: '7d' })).toThrow("got \"7d\"; write '168h'");
    expect(err({ ttl: 'forever' })).toThrow("test/backup: backup.ttl must be a positive duration with units (s, m, h), at most about 292 years, got \"forever\"; write it like '720h' or '1h30m'");
    expect(err({ preHook: { command: [] } })).toThrow("test/backup: backup.preHook.command must be a non-empty list of non-empty strings, got []; write it like ['psql', '-c', 'CHECKPOINT']");
    expect(err({ volumes: 'copy' })).toThrow("test/backup: backup.volumes must be 'snapshot' or 'fs-backup', got \"copy\"");
  });

  test('TTLs in days always get the hour form as the fix (generated)', () => {
    const r = prng(5);
    for (let i = 0; i < 100; i++) {
      const n = 1 + Math.floor(r() * 400);
      const ttl = `${n}${pick(r, [' days', 'd', ' day', 'D'])}`;
      expect(() => { const c = makeChart(); new BackupSchedule(c, 'backup', workload(c), { ttl }); }).toThrow(`write '${n * 24}h'`);
    }
  });

  test('each Schedule has its own file: workloads of one name in two namespaces do not clash', () => {
    const environments = Environments.define({ prod: { production: true, clusters: [{ name: 'prod', server: 'https://prod.example' }] } });
    const app = new GitOpsApp({ environments, outdir: 'unused' });
    app.forEachTarget((scope) => {
      for (const team of ['shop', 'billing']) {
        new HardenedStatefulSet(new PlatformNamespace(scope, team), 'db', { image: 'ghcr.io/acme/db:1.0.0', port: 5432, volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }] });
      }
    });
    const files = [...app.synthFiles().keys()].filter((f) => f.startsWith('prod/velero/'));
    expect(files).toEqual(['prod/velero/billing-db.yaml', 'prod/velero/shop-db.yaml']);
  });

  test('restoreDrill: a Restore of the named backup into a scratch namespace, same selector', () => {
    const chart = makeChart();
    const db = workload(chart);
    const b = new BackupSchedule(chart, 'backup', db);
    expect(b.restoreDrill('shop-db-20260101030000')).toEqual({
      apiVersion: 'velero.io/v1',
      kind: 'Restore',
      metadata: { name: 'drill-shop-db-20260101030000', namespace: 'velero' },
      spec: {
        backupName: 'shop-db-20260101030000',
        includedNamespaces: ['shop'],
        namespaceMapping: { shop: `shop${STORAGE_DEFAULTS.restoreDrill.namespaceSuffix}` },
        labelSelector: { matchLabels: db.pod.selectorLabels },
        restorePVs: true,
        existingResourcePolicy: 'none',
      },
    });
    expect(b.restoreDrill('x', { namespace: 'scratch' }).spec.namespaceMapping).toEqual({ shop: 'scratch' });
    expect(() => b.restoreDrill('x', { namespace: 'shop' })).toThrow("test/backup: namespace is the namespace the workload runs in (a drill must not overwrite it), got \"shop\"; use a scratch namespace like 'shop-drill'");
    expect(() => b.restoreDrill('Not A Name')).toThrow('test/backup: backupName must be a DNS-1123 subdomain');
  });
});

describe('claims cannot shrink: synth compares with the previous dist/', () => {
  const classes: StorageClassProps[] = [{ name: 'fast', provisioner: 'ebs.csi.aws.com' }];
  const environments = Environments.define({ dev: { clusters: [{ name: 'dev', server: 'https://dev.example', storageClasses: classes }] } });
  const appWith = (size: string, outdir: string) => {
    const app = new GitOpsApp({ environments, outdir });
    app.forEachTarget((scope) => {
      const ns = new PlatformNamespace(scope, 'shop');
      const props: HardenedStatefulSetProps = { image: 'ghcr.io/acme/db:1.0.0', port: 5432, volumes: [{ name: 'data', mountPath: '/data', size, storageClassName: 'fast' }] };
      new HardenedStatefulSet(ns, 'db', props);
    });
    return app;
  };

  test('growing is fine; shrinking fails synth and leaves dist/ as it was', () => {
    const dir = tempDir();
    const out = path.join(dir, 'dist');
    appWith('10Gi', out).synth();
    appWith('20Gi', out).synth();
    const before = fs.readFileSync(path.join(out, 'dev/shop/db.yaml'), 'utf8');
    expect(before).toContain('storage: 20Gi');
    expect(() => appWith('15Gi', out).synth())
      .toThrow("dev/shop/db: volumes[0].size is smaller than the 20Gi of claim template 'data' in the previous dist/dev/shop/db.yaml (claims cannot shrink), got \"15Gi\"; keep at least 20Gi");
    expect(fs.readFileSync(path.join(out, 'dev/shop/db.yaml'), 'utf8')).toBe(before);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
