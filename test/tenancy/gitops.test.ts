import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import * as YAML from 'yaml';
import { diffTrees } from '../../lib/gitops';
import { PlatformNamespace } from '../../lib/platform';
import { Team } from '../../lib/tenancy';
import { HardenedService } from '../../lib/workloads';
import { crdSchemaErrors } from '../fixtures/crd-schema';
import { tenancyApp } from './fixtures';

const image = 'ghcr.io/acme/x:1.0.0';
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

describe('GitOps guard rails of teams', () => {
  let files: Map<string, string>;
  const doc = (file: string) => YAML.parse(files.get(file)!);
  const docs = (pred: (f: string) => boolean) => [...files].filter(([f]) => pred(f) && !f.endsWith('kustomization.yaml')).flatMap(([, t]) => YAML.parseAllDocuments(t).map((d) => d.toJSON()));

  beforeAll(() => {
    files = tenancyApp((scope) => {
      const shop = new Team(scope, 'shop', { groups: { admins: ['oidc:shop'] }, namespaces: ['shop'] });
      const pay = new Team(scope, 'pay', { groups: { developers: ['oidc:pay'] }, namespaces: ['pay', 'pay-batch'] });
      new HardenedService(shop.namespace('shop'), 'api', { image, port: 8080 });
      new HardenedService(pay.namespace('pay'), 'ledger', { image, port: 8080 });
      // a namespace no team owns: the platform's
      const mon = new PlatformNamespace(scope, 'monitoring');
      new ApiObject(mon, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dashboards', namespace: 'monitoring' } });
    }).synthFiles();
  });

  test('team objects keep their paths; the platform part moves below _platform/, each with its kustomization', () => {
    expect(files.has('dev/shop/api.yaml')).toBe(true);
    expect(doc('dev/shop/kustomization.yaml').resources).toEqual(['api.yaml']);
    expect(doc('dev/_teams/pay/kustomization.yaml').resources).toEqual(['../../pay', '../../pay-batch']);
    expect(doc('dev/pay-batch/kustomization.yaml').resources).toEqual([]);
    expect(doc('dev/_platform/kustomization.yaml').resources).toEqual([
      '_cluster/monitoring.yaml', '_cluster/pay-batch.yaml', '_cluster/pay.yaml', '_cluster/shop.yaml',
      'flux-system/flux-tenant-pay.yaml', 'flux-system/flux-tenant-shop.yaml',
      'monitoring/dev.yaml', 'monitoring/namespace-defaults.yaml',
      'pay-batch/namespace-defaults.yaml', 'pay-batch/team-access.yaml', 'pay/namespace-defaults.yaml', 'pay/team-access.yaml',
      'shop/namespace-defaults.yaml', 'shop/team-access.yaml',
    ]);
    // the target's own kustomization still lists every file
    expect(doc('dev/kustomization.yaml').resources).toContain('shop/api.yaml');
    expect(doc('dev/kustomization.yaml').resources).toContain('_platform/shop/namespace-defaults.yaml');
    // team folders hold only namespaced objects of the team's namespaces, and no quota or limit range
    for (const m of docs((f) => f.startsWith('dev/shop/') || f.startsWith('dev/pay'))) {
      expect(['shop', 'pay', 'pay-batch']).toContain(m.metadata.namespace);
      expect(['ResourceQuota', 'LimitRange', 'Namespace']).not.toContain(m.kind);
    }
  });

  test('one AppProject per team: only its namespaces on its clusters, no cluster-scoped kind', () => {
    const pay = doc('argocd/argocd/appproject-pay.yaml');
    expect(pay.spec.destinations).toEqual(['https://dev.k.example', 'https://prod-a.k.example', 'https://prod-b.k.example']
      .flatMap((server) => ['pay', 'pay-batch'].map((namespace) => ({ namespace, server }))));
    expect(pay.spec.clusterResourceWhitelist).toEqual([]);
    expect(pay.spec.namespaceResourceBlacklist).toEqual([{ group: '', kind: 'ResourceQuota' }, { group: '', kind: 'LimitRange' }]);
    // the platform project keeps the cluster-scoped kinds
    expect(doc('argocd/argocd/appproject-platform.yaml').spec.clusterResourceWhitelist).toEqual(expect.arrayContaining([{ group: '', kind: 'Namespace' }]));
  });

  test('one Application per team and target in the team project; the platform Application syncs _platform', () => {
    const app = doc('argocd/argocd/application-shop-prod-b.yaml');
    expect(app.spec.project).toBe('shop');
    expect(app.spec.source.path).toBe('dist/prod/prod-b/_teams/shop');
    expect(app.spec.destination).toEqual({ server: 'https://prod-b.k.example', namespace: 'shop' });
    // the team's Application one wave after its target's platform Application (which makes its namespaces)
    expect(app.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('3');
    const platform = doc('argocd/argocd/application-platform-prod-b.yaml');
    expect(platform.spec.source.path).toBe('dist/prod/prod-b/_platform');
    expect(platform.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('2');
  });

  test('one Flux Kustomization per team and target, impersonating the team account, after the platform', () => {
    const shop = doc('flux/flux-system/kustomization-shop-prod-a.yaml');
    expect(shop.spec).toMatchObject({
      path: './dist/prod/prod-a/_teams/shop', serviceAccountName: 'flux-shop', targetNamespace: 'shop',
      dependsOn: [{ name: 'platform-prod-a' }], kubeConfig: { secretRef: { name: 'prod-a-kubeconfig' } },
    });
    // two namespaces: no single target namespace
    expect(doc('flux/flux-system/kustomization-pay-dev.yaml').spec.targetNamespace).toBeUndefined();
    expect(doc('flux/flux-system/kustomization-platform-dev.yaml').spec.path).toBe('./dist/dev/_platform');
    // the tenant account is bound only in the team's namespaces
    const bindings = docs((f) => f.startsWith('dev/')).filter((m) => m.kind === 'RoleBinding' && m.subjects.some((s: any) => s.name === 'flux-pay'));
    expect(bindings.map((b) => b.metadata.namespace).sort()).toEqual(['pay', 'pay-batch']);
  });

  test('AppProjects, Applications and Kustomizations validate against their CRD schemas', () => {
    const custom = docs((f) => f.startsWith('argocd/') || f.startsWith('flux/')).filter((m) => ['AppProject', 'Application', 'Kustomization'].includes(m.kind));
    expect(custom.length).toBe(3 + 3 * 3 + 3 * 3);
    expect(custom.flatMap((m) => crdSchemaErrors(m).map((e) => `${m.kind}/${m.metadata.name}: ${e}`))).toEqual([]);
  });

  (hasKubectl ? test : test.skip)('kubectl kustomize builds the platform and team folders', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-kustomize-'));
    try {
      for (const [f, t] of files) {
        fs.mkdirSync(path.dirname(path.join(out, f)), { recursive: true });
        fs.writeFileSync(path.join(out, f), t);
      }
      for (const folder of ['dev/_platform', 'dev/_teams/pay']) {
        const r = spawnSync('kubectl', ['kustomize', path.join(out, folder)], { encoding: 'utf8' });
        expect(r.stderr).toBe('');
        const kinds = YAML.parseAllDocuments(r.stdout).map((d) => d.toJSON().kind);
        if (folder.endsWith('pay')) expect(kinds).not.toContain('Namespace');
        else expect(kinds).toContain('Namespace');
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('a team named like the platform project is an error', () => {
    expect(() => tenancyApp((scope) => new Team(scope, 'platform', { groups: { admins: ['oidc:p'] }, namespaces: ['p'] }), ['dev']).synthFiles())
      .toThrow(/^argocd: team has the name of the platform's Argo CD project 'platform', got "platform"; rename the team or set argoCd.project/);
  });

  test('the diff matches objects per target: declaring a team moves files, it does not re-create objects', () => {
    const before = tenancyApp((scope) => {
      new HardenedService(new PlatformNamespace(scope, 'shop', { team: 'shop' }), 'api', { image, port: 8080 });
    }, ['dev']).synthFiles();
    const after = tenancyApp((scope) => {
      new HardenedService(new Team(scope, 'shop', { groups: { admins: ['oidc:shop'] }, namespaces: ['shop'] }).namespace('shop'), 'api', { image, port: 8080 });
    }, ['dev']).synthFiles();
    const dev = diffTrees(before, after).folders.find((f) => f.folder === 'dev')!;
    expect(dev.removed).toEqual([]);
    expect(dev.added.map((r) => r.kind).sort()).toEqual(['ResourceQuota', 'Role', 'RoleBinding', 'RoleBinding', 'ServiceAccount']);
    const moved = dev.changed.find((c) => c.new.kind === 'Namespace')!;
    expect([moved.old.file, moved.new.file]).toEqual(['dev/_cluster/shop.yaml', 'dev/_platform/_cluster/shop.yaml']);
  });

  test('without a Team nothing moves', () => {
    const plain = tenancyApp((scope) => {
      new HardenedService(new PlatformNamespace(scope, 'shop'), 'api', { image, port: 8080 });
    }, ['dev']).synthFiles();
    expect([...plain.keys()].filter((f) => f.startsWith('dev/'))).toEqual(['dev/_cluster/shop.yaml', 'dev/kustomization.yaml', 'dev/shop/api.yaml', 'dev/shop/namespace-defaults.yaml']);
    expect(YAML.parse(plain.get('argocd/argocd/application-platform-dev.yaml')!).spec.source.path).toBe('dist/dev');
    expect([...plain.keys()].filter((f) => f.startsWith('argocd/')).map((f) => path.basename(f))).toEqual(['application-platform-dev.yaml', 'appproject-platform.yaml', 'configmap-argocd-cm.yaml', 'kustomization.yaml']);
  });
});
