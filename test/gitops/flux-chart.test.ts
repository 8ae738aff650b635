import { Environments, GitOpsApp, ignoreAllBut } from '../../lib/gitops';
import { configMap, doc, manifestsOfKind, REPO_URL, shopApp, twoEnvironments, unitScope } from './helpers';

const FLUX = 'flux/flux-system';

describe('FluxChart', () => {
  const files = shopApp().synthFiles();
  const repo = doc(files, `${FLUX}/gitrepository-platform.yaml`);
  const dev = doc(files, `${FLUX}/kustomization-platform-dev.yaml`);
  const prodEu = doc(files, `${FLUX}/kustomization-platform-prod-eu-1.yaml`);

  it('fetches the repository branch and only the dist/ folder of it', () => {
    expect(repo.metadata).toEqual({ name: 'platform', namespace: 'flux-system' });
    expect(repo.spec).toEqual({ url: REPO_URL, ref: { branch: 'main' }, interval: '1m', ignore: '/*\n!/dist/\n' });
  });

  it('follows a tag or a commit when the revision is one', () => {
    const tag = shopApp({ repository: { url: REPO_URL, revision: 'v1.4.2' } }).synthFiles();
    expect(doc(tag, `${FLUX}/gitrepository-platform.yaml`).spec.ref).toEqual({ tag: 'v1.4.2' });
    const sha = '0123456789abcdef0123456789abcdef01234567';
    const commit = shopApp({ repository: { url: REPO_URL, revision: sha } }).synthFiles();
    expect(doc(commit, `${FLUX}/gitrepository-platform.yaml`).spec.ref).toEqual({ commit: sha });
  });

  it('ignores everything but a nested dist path, level by level', () => {
    expect(ignoreAllBut('deploy/dist')).toBe('/*\n!/deploy/\n/deploy/*\n!/deploy/dist/\n');
    expect(ignoreAllBut('')).toBeUndefined();
    const root = shopApp({ repository: { url: REPO_URL, path: '.' } }).synthFiles();
    expect(doc(root, `${FLUX}/gitrepository-platform.yaml`).spec.ignore).toBeUndefined();
    expect(doc(root, `${FLUX}/kustomization-platform-dev.yaml`).spec.path).toBe('./dev');
  });

  it('applies each target folder with prune, wait, timeout and retries from the GitRepository', () => {
    expect(dev.spec).toEqual({
      path: './dist/dev',
      sourceRef: { kind: 'GitRepository', name: 'platform' },
      prune: true,
      wait: true,
      interval: '10m',
      retryInterval: '2m',
      timeout: '5m',
    });
    expect(manifestsOfKind(files, 'Kustomization').filter((k) => k.apiVersion === 'kustomize.toolkit.fluxcd.io/v1').map((k) => [k.metadata.name, k.spec.path]))
      .toEqual([
        ['platform-dev', './dist/dev'],
        ['platform-prod-eu-1', './dist/prod/prod-eu-1'],
        ['platform-prod-us-1', './dist/prod/prod-us-1'],
      ]);
  });

  it('reaches clusters other than its own through their kubeconfig Secret', () => {
    expect(dev.spec.kubeConfig).toBeUndefined();
    expect(prodEu.spec.kubeConfig).toEqual({ secretRef: { name: 'prod-eu-1-kubeconfig' } });
    const custom = shopApp({ flux: { kubeConfigSecretName: (c) => `cluster-${c.name}` } }).synthFiles();
    expect(doc(custom, `${FLUX}/kustomization-platform-prod-us-1.yaml`).spec.kubeConfig).toEqual({ secretRef: { name: 'cluster-prod-us-1' } });
  });

  it('keeps environments independent by default: no dependsOn', () => {
    const kustomizations = manifestsOfKind(files, 'Kustomization').filter((m) => m.apiVersion === 'kustomize.toolkit.fluxcd.io/v1');
    expect(kustomizations).toHaveLength(3);
    for (const k of kustomizations) expect(k.spec.dependsOn).toBeUndefined();
  });

  it('gates each environment on the previous one in promotion order when asked', () => {
    const tree = shopApp({ flux: { dependsOnPreviousEnvironment: true } }).synthFiles();
    expect(doc(tree, `${FLUX}/kustomization-platform-dev.yaml`).spec.dependsOn).toBeUndefined();
    expect(doc(tree, `${FLUX}/kustomization-platform-prod-eu-1.yaml`).spec.dependsOn).toEqual([{ name: 'platform-dev' }]);
    expect(doc(tree, `${FLUX}/kustomization-platform-prod-us-1.yaml`).spec.dependsOn).toEqual([{ name: 'platform-dev' }]);
  });

  it('depends on the closest earlier environment that renders anything (an empty one has no Kustomization)', () => {
    const environments = Environments.define({
      dev: { clusters: [{ name: 'dev', server: 'https://dev.example.com' }] },
      staging: { clusters: [{ name: 'staging', server: 'https://staging.example.com' }] },
      prod: { clusters: [{ name: 'prod', server: 'https://prod.example.com' }] },
    });
    const app = new GitOpsApp({ environments, repository: { url: REPO_URL }, flux: { dependsOnPreviousEnvironment: true } });
    app.forEachTarget((scope, { env }) => {
      if (!env.is('staging')) configMap(unitScope(scope, 'shop'), 'shop', 'settings', {});
    });
    const tree = app.synthFiles();
    expect(tree.has(`${FLUX}/kustomization-platform-staging.yaml`)).toBe(false);
    expect(tree.has('staging/kustomization.yaml')).toBe(true);
    expect(doc(tree, `${FLUX}/kustomization-platform-prod.yaml`).spec.dependsOn).toEqual([{ name: 'platform-dev' }]);
  });

  it('takes namespace, names, intervals and the Git secret from FluxOptions', () => {
    const tree = shopApp({ flux: { namespace: 'gitops', name: 'shop', interval: '1h', sourceInterval: '5m', retryInterval: '30s', timeout: '10m', gitSecretName: 'git-auth' } }).synthFiles();
    const r = doc(tree, 'flux/gitops/gitrepository-shop.yaml');
    expect(r.spec).toMatchObject({ interval: '5m', secretRef: { name: 'git-auth' } });
    const k = doc(tree, 'flux/gitops/kustomization-shop-dev.yaml');
    expect(k.metadata).toEqual({ name: 'shop-dev', namespace: 'gitops' });
    expect(k.spec).toMatchObject({ interval: '1h', retryInterval: '30s', timeout: '10m', sourceRef: { kind: 'GitRepository', name: 'shop' } });
  });

  it('rejects a duration Flux would not parse, with the prop, the value and the fix', () => {
    expect(() => new GitOpsApp({ environments: twoEnvironments(), flux: { timeout: '5 minutes' } }))
      .toThrow("<app>: flux.timeout must be a positive Go duration, got \"5 minutes\"; write it like '30s', '5m' or '1h30m'");
    expect(() => new GitOpsApp({ environments: twoEnvironments(), flux: { namespace: 'Flux' } })).toThrow(/^<app>: flux\.namespace must be a DNS-1123 label/);
  });

  it('writes no dist/flux/ with flux: false', () => {
    const app = shopApp({ flux: false });
    expect(app.flux).toBeUndefined();
    expect([...app.synthFiles().keys()].some((f) => f.startsWith('flux/'))).toBe(false);
  });

  it('renders the Flux folder as pinned (review changes to it like code)', () => {
    expect(Object.fromEntries([...files].filter(([f]) => f.startsWith('flux/')))).toMatchSnapshot();
  });
});
