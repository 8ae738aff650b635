import { ApiObject } from 'cdk8s';
import * as YAML from 'yaml';
import { diffTrees, Environments, formatTreeDiff, GitOpsApp, toYaml } from '../../lib/gitops';
import { APPLY_PHASES, phaseOfFile, SYNC_WAVE_ANNOTATION, syncWaveOf } from '../../lib/gitops/apply-order';
import { PlatformNamespace } from '../../lib/platform';
import { HardenedJob, HardenedService, HardenedStatefulSet } from '../../lib/workloads';
import { crdSchemaErrors } from '../fixtures/crd-schema';
import { REPO_URL } from './helpers';

const environments = Environments.define({
  dev: { clusters: [{ name: 'dev', server: 'https://kubernetes.default.svc', storageClasses: [{ name: 'fast', provisioner: 'ebs.csi.aws.com' }] }] },
  prod: { clusters: [{ name: 'prod', server: 'https://prod.example' }] },
});

/** dev: namespace, a config-only unit, a database, a migration before the api, the api; prod: the api alone. */
function build(migrationVersion = '1.0.0') {
  const app = new GitOpsApp({ environments, repository: { url: REPO_URL, path: 'dist' }, outdir: 'unused' });
  app.forEachTarget((scope, { env }) => {
    const ns = new PlatformNamespace(scope, 'shop');
    const api = new HardenedService(ns, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
    if (env.name !== 'dev') return;
    const settings = new HardenedService(ns, 'settings-holder', { image: 'ghcr.io/acme/s:1.0.0', port: 8080 });
    new ApiObject(settings, 'ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'shop' }, data: { a: 'b' } });
    const db = new HardenedStatefulSet(ns, 'db', { image: 'ghcr.io/acme/db:1.0.0', port: 5432, volumes: [{ name: 'data', mountPath: '/data', size: '1Gi', storageClassName: 'fast' }] });
    api.connectTo(db);
    const migrate = new HardenedJob(ns, 'migrate', { image: `ghcr.io/acme/api:${migrationVersion}`, runBefore: [api] });
    db.connectFrom(migrate);
  });
  return app;
}

const files = build().synthFiles();
const docs = (file: string) => YAML.parseAllDocuments(files.get(file)!).map((d) => d.toJS());
const fluxKs = () => [...files.entries()].filter(([f]) => f.startsWith('flux/flux-system/kustomization-')).map(([, t]) => YAML.parse(t));

describe('the apply order', () => {
  test('phases in order, with Argo CD waves counting down to the services at 0', () => {
    expect(APPLY_PHASES).toEqual(['platform', 'config', 'stateful', 'run-before', 'services']);
    expect(APPLY_PHASES.map(syncWaveOf)).toEqual([-4, -3, -2, -1, 0]);
  });

  test('a file takes its phase from its objects', () => {
    expect(phaseOfFile('_cluster/x.yaml', [{ kind: 'Namespace' }])).toBe('platform');
    expect(phaseOfFile('shop/ns.yaml', [{ kind: 'NetworkPolicy' }, { kind: 'LimitRange' }])).toBe('platform');
    expect(phaseOfFile('shop/cfg.yaml', [{ kind: 'ConfigMap' }, { kind: 'ExternalSecret' }])).toBe('config');
    expect(phaseOfFile('shop/db.yaml', [{ kind: 'Service' }, { apiVersion: 'apps/v1', kind: 'StatefulSet' }])).toBe('stateful');
    expect(phaseOfFile('shop/m.yaml', [{ kind: 'Job', metadata: { annotations: { 'typed-manifests.io/run-before': 'shop/api' } } }])).toBe('run-before');
    expect(phaseOfFile('shop/j.yaml', [{ kind: 'Job', metadata: {} }])).toBe('services');
    expect(phaseOfFile('shop/api.yaml', [{ kind: 'ConfigMap' }, { kind: 'Deployment' }])).toBe('services');
  });

  test('Argo CD: every object of a phased target carries its phase\'s wave; services keep the default', () => {
    const wave = (file: string) => [...new Set(docs(file).map((m) => m.metadata.annotations?.[SYNC_WAVE_ANNOTATION]))];
    expect(wave('dev/_cluster/shop.yaml')).toEqual(['-4']);
    expect(wave('dev/_cluster/storageclass-fast.yaml')).toEqual(['-4']);
    expect(wave('dev/shop/db.yaml')).toEqual(['-2']);
    expect(wave('dev/shop/migrate.yaml')).toEqual(['-1']);
    expect(wave('dev/shop/api.yaml')).toEqual([undefined]);
    // an unphased target is left as it was
    expect(wave('prod/_cluster/shop.yaml')).toEqual([undefined]);
    expect([...files.keys()].filter((f) => f.startsWith('prod/_phases'))).toEqual([]);
  });

  test('Flux: one Kustomization per earlier phase, chained by dependsOn; the target\'s own one applies the services last', () => {
    const byName = new Map(fluxKs().map((k) => [k.metadata.name, k.spec]));
    expect([...byName.keys()].sort()).toEqual(['platform-dev', 'platform-dev-platform', 'platform-dev-run-before', 'platform-dev-stateful', 'platform-prod']);
    expect(byName.get('platform-dev-platform')).toMatchObject({ path: './dist/dev/_phases/platform', wait: true, prune: true });
    expect(byName.get('platform-dev-platform')!.dependsOn).toBeUndefined();
    expect(byName.get('platform-dev-stateful')).toMatchObject({ path: './dist/dev/_phases/stateful', dependsOn: [{ name: 'platform-dev-platform' }], wait: true });
    expect(byName.get('platform-dev-run-before')).toMatchObject({ path: './dist/dev/_phases/run-before', dependsOn: [{ name: 'platform-dev-stateful' }], wait: true, force: true });
    expect(byName.get('platform-dev-stateful')!.force).toBeUndefined();
    expect(byName.get('platform-dev')).toMatchObject({ path: './dist/dev/_phases/services', dependsOn: [{ name: 'platform-dev-run-before' }], wait: true });
    expect(byName.get('platform-prod')).toMatchObject({ path: './dist/prod' });
    expect(byName.get('platform-prod')!.dependsOn).toBeUndefined();
    for (const k of fluxKs()) expect(crdSchemaErrors(k)).toEqual([]);
  });

  test('the phase folders list every file of the target exactly once, where it is (no object moves)', () => {
    const root: string[] = YAML.parse(files.get('dev/kustomization.yaml')!).resources;
    const phased = APPLY_PHASES.flatMap((p) => {
      const k = files.get(`dev/_phases/${p}/kustomization.yaml`);
      return k ? YAML.parse(k).resources.map((r: string) => r.replace(/^\.\.\/\.\.\//, '')) : [];
    });
    expect([...phased].sort()).toEqual([...root].sort());
    expect(YAML.parse(files.get('dev/_phases/config/kustomization.yaml') ?? 'resources: []').resources).toEqual([]);
    expect(YAML.parse(files.get('dev/_phases/services/kustomization.yaml')!).resources).toContain('../../shop/api.yaml');
  });
});

describe('the review diff and jobs named after their spec', () => {
  test('a new migration version replaces the Job without a rename warning', () => {
    const next = build('1.1.0').synthFiles();
    const diff = diffTrees(files, next);
    const dev = diff.folders.find((f) => f.folder === 'dev')!;
    expect(dev.removed.map((r) => r.kind)).toEqual(['Job']);
    expect(dev.added.map((r) => r.kind)).toEqual(['Job']);
    expect(diff.warnings).toEqual([]);
    expect(formatTreeDiff(diff)).not.toContain('!!!');
  });

  const sts = (storage: string, name = 'data') => ({
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop' },
    spec: { selector: { matchLabels: { a: 'b' } }, volumeClaimTemplates: [{ metadata: { name }, spec: { resources: { requests: { storage } } } }] },
  });
  const tree = (m: any) => new Map([['dev/kustomization.yaml', toYaml([{ resources: ['shop/db.yaml'] }])], ['dev/shop/db.yaml', toYaml([m])]]);

  test('a changed volume claim template says the safe procedure', () => {
    const diff = diffTrees(tree(sts('10Gi')), tree(sts('20Gi')));
    expect(diff.warnings.map((w) => w.kind)).toEqual(['statefulset-immutable']);
    const m = diff.warnings[0].message;
    expect(m).toContain('`kubectl delete statefulset db -n shop --cascade=orphan`');
    expect(m).toContain('kubectl patch pvc <template>-db-<ordinal> -n shop');
    expect(m).toContain('"storage":"<new size>"');
    expect(m).toContain('re-created with the new templates');
  });

  test('a shrinking claim is flagged on its own', () => {
    const diff = diffTrees(tree(sts('20Gi')), tree(sts('10Gi')));
    expect(diff.warnings.map((w) => w.kind)).toEqual(['statefulset-immutable', 'claim-shrunk']);
    expect(diff.warnings[1].message).toBe("StatefulSet shop/db: claim template 'data' shrinks from 20Gi to 10Gi; a volume claim can never shrink (Kubernetes rejects it, and re-created claims keep the old size). Keep at least 20Gi; synth refuses it.");
  });
});
