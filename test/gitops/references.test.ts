import { ApiObject, App, Chart } from 'cdk8s';
import { ConfigError } from '../../lib/core';
import { checkReferences, RenderedObject, referencesOf, unresolvedReferences } from '../../lib/gitops';
import { manifestsOfKind, REPO_URL, shopApp } from './helpers';

const repository = { url: REPO_URL, revision: 'main', path: 'dist' };

function rendered(manifest: any): RenderedObject {
  const app = new App();
  const obj = new ApiObject(new Chart(app, 'c'), manifest.metadata.name, manifest);
  return { apiObject: obj, manifest, folder: 'argocd', file: 'x.yaml' };
}

const application = (name: string, repoURL: string, path: string) => rendered({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: 'argocd' }, spec: { source: { repoURL, path } },
});

describe('GitOps references', () => {
  it('every path an Application or Flux Kustomization points at is a synthesized folder with a kustomization.yaml', () => {
    const cases = [
      { distPath: 'dist', tree: shopApp().synthFiles() },
      { distPath: 'deploy/dist', tree: shopApp({ repository: { url: REPO_URL, path: 'deploy/dist' } }, { emptyTargets: ['dev'] }).synthFiles() },
    ];
    for (const { distPath, tree } of cases) {
      const paths = [
        ...manifestsOfKind(tree, 'Application').map((a) => a.spec.source.path as string),
        ...manifestsOfKind(tree, 'Kustomization').filter((k) => k.spec?.path).map((k) => (k.spec.path as string).replace(/^\.\//, '')),
      ];
      expect(paths.length).toBeGreaterThanOrEqual(4);
      for (const p of paths) {
        expect(p.startsWith(`${distPath}/`)).toBe(true);
        expect(tree.has(`${p.slice(distPath.length + 1)}/kustomization.yaml`)).toBe(true);
      }
    }
  });

  it('finds Application paths (source and sources) of this repository only', () => {
    const refs = referencesOf([
      application('a', REPO_URL, 'dist/dev'),
      application('b', 'https://other.example.com/x.git', 'dist/nope'),
      application('c', `${REPO_URL}/`, './dist/prod/eu/'),
      application('d', REPO_URL, 'infra/base'),
      rendered({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'multi' }, spec: { sources: [{ repoURL: 'https://x.example.com/y.git', path: 'q' }, { repoURL: REPO_URL, path: 'dist/staging' }] } }),
    ], repository);
    expect(refs.map((r) => [r.object, r.field, r.folder])).toEqual([
      ['Application argocd/a', 'spec.source.path', 'dev'],
      ['Application argocd/c', 'spec.source.path', 'prod/eu'],
      ['Application /multi', 'spec.sources[1].path', 'staging'],
    ]);
  });

  it('finds Flux Kustomization paths whose GitRepository is this repository', () => {
    const refs = referencesOf([
      rendered({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'platform', namespace: 'flux-system' }, spec: { url: REPO_URL } }),
      rendered({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'other', namespace: 'flux-system' }, spec: { url: 'https://x.example.com/y.git' } }),
      rendered({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'ok', namespace: 'flux-system' }, spec: { path: './dist/dev', sourceRef: { kind: 'GitRepository', name: 'platform' } } }),
      rendered({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'elsewhere', namespace: 'flux-system' }, spec: { path: './dist/x', sourceRef: { kind: 'GitRepository', name: 'other' } } }),
    ], repository);
    expect(refs.map((r) => [r.object, r.folder])).toEqual([['Kustomization flux-system/ok', 'dev']]);
  });

  it('reports references to folders without a kustomization.yaml, dist/ itself included', () => {
    const files = new Map([['dev/kustomization.yaml', ''], ['dev/shop/a.yaml', '']]);
    const refs = referencesOf([application('a', REPO_URL, 'dist/dev'), application('b', REPO_URL, 'dist/dev/shop'), application('c', REPO_URL, 'dist')], repository);
    expect(unresolvedReferences(files, refs).map((r) => r.folder)).toEqual(['dev/shop', '']);
    expect(() => checkReferences(files, refs)).toThrow(ConfigError);
    expect(() => checkReferences(files, refs.slice(0, 1))).not.toThrow();
  });
});
