import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { ConfigError } from '../../lib/core';
import { apiGroupOf, CLUSTER_SCOPED_DIR, GitOpsApp, layoutFiles, objectKey } from '../../lib/gitops';
import { configMap, doc, docs, namespace, REPO_URL, service, shopApp, tempDir, twoEnvironments, unitScope } from './helpers';

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!hasKubectl) {
  // eslint-disable-next-line no-console
  console.warn('kubectl not found: the `kubectl kustomize` checks of test/gitops/layout.test.ts are SKIPPED');
}
const itIfKubectl = hasKubectl ? it : it.skip;

describe('layout of dist/', () => {
  it('writes one folder per target, one file per unit and namespace, cluster-scoped objects in _cluster/', () => {
    const files = shopApp({ argoCd: false, flux: false }).synthFiles();
    expect([...files.keys()]).toEqual([
      'dev/_cluster/shop.yaml',
      'dev/kustomization.yaml',
      'dev/shop/cache.yaml',
      'dev/shop/shop.yaml',
      'prod/prod-eu-1/_cluster/observability.yaml',
      'prod/prod-eu-1/_cluster/shop.yaml',
      'prod/prod-eu-1/kustomization.yaml',
      'prod/prod-eu-1/observability/observability.yaml',
      'prod/prod-eu-1/shop/cache.yaml',
      'prod/prod-eu-1/shop/shop.yaml',
      'prod/prod-us-1/_cluster/observability.yaml',
      'prod/prod-us-1/_cluster/shop.yaml',
      'prod/prod-us-1/kustomization.yaml',
      'prod/prod-us-1/observability/observability.yaml',
      'prod/prod-us-1/shop/cache.yaml',
      'prod/prod-us-1/shop/shop.yaml',
    ]);
  });

  it('adds the Argo CD and Flux folders next to the targets', () => {
    const files = [...shopApp().synthFiles().keys()];
    expect(files.filter((f) => f.startsWith('argocd/'))).toEqual([
      'argocd/argocd/application-platform-dev.yaml',
      'argocd/argocd/application-platform-prod-eu-1.yaml',
      'argocd/argocd/application-platform-prod-us-1.yaml',
      'argocd/argocd/appproject-platform.yaml',
      'argocd/argocd/configmap-argocd-cm.yaml',
      'argocd/kustomization.yaml',
    ]);
    expect(files.filter((f) => f.startsWith('flux/'))).toEqual([
      'flux/flux-system/gitrepository-platform.yaml',
      'flux/flux-system/kustomization-platform-dev.yaml',
      'flux/flux-system/kustomization-platform-prod-eu-1.yaml',
      'flux/flux-system/kustomization-platform-prod-us-1.yaml',
      'flux/kustomization.yaml',
    ]);
  });

  it('lists every file of a folder in its kustomization.yaml, cluster-scoped files first', () => {
    const files = shopApp().synthFiles();
    expect(doc(files, 'prod/prod-eu-1/kustomization.yaml')).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['_cluster/observability.yaml', '_cluster/shop.yaml', 'observability/observability.yaml', 'shop/cache.yaml', 'shop/shop.yaml'],
    });
    for (const k of [...files.keys()].filter((f) => f.endsWith('/kustomization.yaml'))) {
      const folder = k.slice(0, -'/kustomization.yaml'.length);
      const inFolder = [...files.keys()].filter((f) => f.startsWith(`${folder}/`) && f !== k).map((f) => f.slice(folder.length + 1)).sort();
      expect([...doc(files, k).resources].sort()).toEqual(inFolder);
    }
  });

  it('orders the objects of a file by kind (Namespace first), then namespace and name, not by creation', () => {
    const app = new GitOpsApp({ environments: twoEnvironments(), repository: { url: REPO_URL }, argoCd: false, flux: false });
    app.forEachTarget((scope) => {
      const u = unitScope(scope, 'mixed');
      service(u, 'shop', 'web');
      configMap(u, 'shop', 'zeta', {});
      configMap(u, 'alpha', 'zeta', {});
      configMap(u, 'shop', 'beta', {});
      namespace(u, 'shop');
    });
    const files = app.synthFiles();
    expect(docs(files, 'dev/_cluster/mixed.yaml').map((m) => m.kind)).toEqual(['Namespace']);
    expect(docs(files, 'dev/shop/mixed.yaml').map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['ConfigMap/beta', 'ConfigMap/zeta', 'Service/web']);
    expect([...files.keys()].filter((f) => f.startsWith('dev/'))).toEqual(['dev/_cluster/mixed.yaml', 'dev/alpha/mixed.yaml', 'dev/kustomization.yaml', 'dev/shop/mixed.yaml']);
  });

  it('gives a target that renders nothing a folder with an empty kustomization.yaml', () => {
    const files = shopApp({}, { emptyTargets: ['prod/prod-us-1'] }).synthFiles();
    expect([...files.keys()].filter((f) => f.startsWith('prod/prod-us-1/'))).toEqual(['prod/prod-us-1/kustomization.yaml']);
    expect(doc(files, 'prod/prod-us-1/kustomization.yaml').resources).toEqual([]);
    expect(layoutFiles([], ['dev']).get('dev/kustomization.yaml')).toBe('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n');
  });

  it('rejects two objects with the same kind, namespace and name in one folder, naming both constructs', () => {
    const app = new GitOpsApp({ environments: twoEnvironments(), repository: { url: REPO_URL } });
    app.forEachTarget((scope) => {
      configMap(unitScope(scope, 'a'), 'shop', 'settings', {});
      configMap(unitScope(scope, 'b'), 'shop', 'settings', {});
    });
    expect(() => app.synthFiles()).toThrow(ConfigError);
    expect(() => app.synthFiles()).toThrow('dev/b/cm-shop-settings: metadata.name of this ConfigMap in namespace shop is already used by the ConfigMap of dev/a/cm-shop-settings in dist/dev, got "settings"; give one of them another name (object names must be unique per kind and namespace)');
  });

  it('talks about the object name, not the file, when two same-named units render same-named objects', () => {
    const app = new GitOpsApp({ environments: twoEnvironments(), repository: { url: REPO_URL } });
    app.forEachTarget((scope) => {
      configMap(unitScope(scope, 'web'), 'shop', 'web', {});
      const other = unitScope(scope, 'group');
      const web = unitScope(other, 'web');
      configMap(web, 'shop', 'web-extra', {}); // its first object has a name of its own: the clash comes later
      configMap(web, 'shop', 'web', {});
    });
    expect(() => app.synthFiles()).toThrow(/^dev\/group\/web\/cm-shop-web: metadata.name of this ConfigMap in namespace shop is already used by the ConfigMap of dev\/web\/cm-shop-web in dist\/dev, got "web"/);
  });

  it('rejects two units of the same name that would write one file', () => {
    const app = new GitOpsApp({ environments: twoEnvironments(), repository: { url: REPO_URL } });
    app.forEachTarget((scope) => {
      configMap(unitScope(scope, 'web'), 'shop', 'one', {});
      const other = unitScope(scope, 'group');
      configMap(unitScope(other, 'web'), 'shop', 'two', {});
    });
    expect(() => app.synthFiles()).toThrow(/two constructs write dist\/dev\/shop\/web\.yaml, got 'dev\/web' and 'dev\/group\/web'/);
  });

  it('refuses an object that is not below an environment target', () => {
    const app = new GitOpsApp({ environments: twoEnvironments(), repository: { url: REPO_URL } });
    const stray = new Chart(app, 'stray');
    new ApiObject(stray, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'shop' } });
    expect(() => app.synthFiles()).toThrow(/stray\/cm: object is not under an environment target/);
  });

  it('identifies objects by API group, kind, namespace and name (not version)', () => {
    expect(apiGroupOf('apps/v1')).toBe('apps');
    expect(apiGroupOf('v1')).toBe('');
    expect(objectKey({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { namespace: 'a', name: 'b' } }))
      .toBe(objectKey({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { namespace: 'a', name: 'b' } }));
    expect(CLUSTER_SCOPED_DIR).toBe('_cluster');
  });

  itIfKubectl('builds every folder with `kubectl kustomize`, the way Argo CD and Flux will', () => {
    const out = tempDir();
    try {
      shopApp({}, { emptyTargets: ['prod/prod-us-1'] }).synthTo(out);
      const folders = [...shopApp({}, { emptyTargets: ['prod/prod-us-1'] }).synthFiles().keys()]
        .filter((f) => f.endsWith('/kustomization.yaml')).map((f) => path.dirname(f));
      expect(folders).toEqual(['argocd', 'dev', 'flux', 'prod/prod-eu-1', 'prod/prod-us-1']);
      for (const folder of folders) {
        const r = spawnSync('kubectl', ['kustomize', path.join(out, folder)], { encoding: 'utf8' });
        expect({ folder, status: r.status, stderr: r.stderr }).toEqual({ folder, status: 0, stderr: '' });
        if (folder === 'dev') expect(r.stdout).toMatch(/kind: Namespace[\s\S]*kind: ConfigMap/);
        if (folder === 'prod/prod-us-1') expect(r.stdout.trim()).toBe('');
      }
      expect(fs.existsSync(path.join(out, 'prod/prod-us-1/kustomization.yaml'))).toBe(true);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
