import { ApiObject } from 'cdk8s';
import { Application } from '../../imports/argo-cd-argoproj.io';
import { ConfigError } from '../../lib/core';
import { GitOpsApp } from '../../lib/gitops';
import { applicationWaveOf } from '../../lib/gitops/argo-cd-chart';
import { doc, manifestsOfKind, REPO_URL, shopApp, twoEnvironments } from './helpers';

const APPS = 'argocd/argocd';

describe('ArgoCdChart', () => {
  const files = shopApp().synthFiles();
  const project = doc(files, `${APPS}/appproject-platform.yaml`);
  const dev = doc(files, `${APPS}/application-platform-dev.yaml`);
  const prodEu = doc(files, `${APPS}/application-platform-prod-eu-1.yaml`);

  it('restricts the AppProject to the repository', () => {
    expect(project.metadata).toMatchObject({ name: 'platform', namespace: 'argocd' });
    expect(project.spec.sourceRepos).toEqual([REPO_URL]);
  });

  it('allows exactly the namespaces each target renders, on that target\'s cluster', () => {
    expect(project.spec.destinations).toEqual([
      { namespace: 'shop', server: 'https://kubernetes.default.svc' },
      { namespace: 'observability', server: 'https://prod-eu-1.k8s.example.com' },
      { namespace: 'shop', server: 'https://prod-eu-1.k8s.example.com' },
      { namespace: 'observability', server: 'https://prod-us-1.k8s.example.com' },
      { namespace: 'shop', server: 'https://prod-us-1.k8s.example.com' },
    ]);
  });

  it('allows only the cluster-scoped kinds that are rendered', () => {
    expect(project.spec.clusterResourceWhitelist).toEqual([
      { group: '', kind: 'Namespace' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
    ]);
    const devOnly = shopApp({}, { emptyTargets: ['prod/prod-eu-1', 'prod/prod-us-1'] }).synthFiles();
    expect(doc(devOnly, `${APPS}/appproject-platform.yaml`).spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
  });

  it('points one Application per target at <repository.path>/<target folder> of the repository revision', () => {
    expect(manifestsOfKind(files, 'Application').map((a) => [a.metadata.name, a.spec.source.path, a.spec.destination.server])).toEqual([
      ['platform-dev', 'dist/dev', 'https://kubernetes.default.svc'],
      ['platform-prod-eu-1', 'dist/prod/prod-eu-1', 'https://prod-eu-1.k8s.example.com'],
      ['platform-prod-us-1', 'dist/prod/prod-us-1', 'https://prod-us-1.k8s.example.com'],
    ]);
    expect(prodEu.spec.source).toEqual({ repoURL: REPO_URL, targetRevision: 'main', path: 'dist/prod/prod-eu-1' });
    expect(prodEu.spec.project).toBe('platform');
  });

  it('gives each Application a destination namespace the project permits', () => {
    for (const app of manifestsOfKind(files, 'Application')) {
      expect(project.spec.destinations).toContainEqual({ server: app.spec.destination.server, namespace: app.spec.destination.namespace });
    }
  });

  it('syncs automatically with prune and self-heal, retries with backoff, and never creates bare namespaces', () => {
    expect(dev.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(dev.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=false', 'FailOnSharedResource=true', 'PruneLast=true', 'ServerSideApply=true']);
    expect(dev.spec.syncPolicy.retry).toEqual({ limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } });
    expect(dev.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });

  it('applies the AppProject in an earlier sync wave than the Applications, and environments in promotion order', () => {
    const wave = (m: any) => Number(m.metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave(project)).toBe(-1);
    expect(wave(dev)).toBe(0);
    // environments two waves apart: a target's team Applications take the wave between (after its platform's)
    expect(wave(prodEu)).toBe(2);
    expect(wave(doc(files, `${APPS}/application-platform-prod-us-1.yaml`))).toBe(2);
    expect([0, 1, 2].flatMap((i) => [applicationWaveOf(i, 'platform'), applicationWaveOf(i, 'team')])).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test("renders argocd-cm's argoproj.io/Application health check first, so that waves of Applications wait for health", () => {
    const cm = doc(files, `${APPS}/configmap-argocd-cm.yaml`);
    expect(cm.metadata).toMatchObject({ name: 'argocd-cm', namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': '-2' } });
    expect(Object.keys(cm.data)).toEqual(['resource.customizations.health.argoproj.io_Application']);
    expect(cm.data['resource.customizations.health.argoproj.io_Application']).toContain('hs.status = obj.status.health.status');
    expect(cm.data['resource.customizations.health.argoproj.io_Application']).toContain('status = "Progressing"');
  });

  it('writes no Application for a target that renders nothing, and no project destination for it', () => {
    const tree = shopApp({}, { emptyTargets: ['prod/prod-us-1'] }).synthFiles();
    expect(manifestsOfKind(tree, 'Application').map((a) => a.metadata.name)).toEqual(['platform-dev', 'platform-prod-eu-1']);
    expect(doc(tree, `${APPS}/appproject-platform.yaml`).spec.destinations.map((d: any) => d.server)).not.toContain('https://prod-us-1.k8s.example.com');
    expect(doc(tree, 'argocd/kustomization.yaml').resources).not.toContain('argocd/application-platform-prod-us-1.yaml');
  });

  it('takes its namespace, project name and sync settings from ArgoCdOptions', () => {
    const tree = shopApp({
      repository: { url: REPO_URL, revision: 'refs/tags/v2.0.0', path: 'deploy/dist' },
      argoCd: { namespace: 'gitops', project: 'shop', prune: false, selfHeal: false, cascadeDelete: false, serverSideApply: false, retryLimit: 2 },
    }).synthFiles();
    const app = doc(tree, 'argocd/gitops/application-shop-dev.yaml');
    expect(app.metadata).toEqual({ name: 'shop-dev', namespace: 'gitops', annotations: { 'argocd.argoproj.io/sync-wave': '0' } });
    expect(app.spec.source).toEqual({ repoURL: REPO_URL, targetRevision: 'v2.0.0', path: 'deploy/dist/dev' });
    expect(app.spec.syncPolicy.automated).toEqual({ prune: false, selfHeal: false });
    expect(app.spec.syncPolicy.syncOptions).not.toContain('ServerSideApply=true');
    expect(app.spec.syncPolicy.retry.limit).toBe(2);
    expect(doc(tree, 'argocd/gitops/appproject-shop.yaml').metadata.name).toBe('shop');
  });

  it('rejects bad options with the prop, the value and the fix', () => {
    const environments = twoEnvironments();
    expect(() => new GitOpsApp({ environments, argoCd: { project: 'My Project' } })).toThrow(/^<app>: argoCd\.project must be a DNS-1123 label .*, got "My Project"; rename it, e\.g\. 'my-project'$/);
    expect(() => new GitOpsApp({ environments, argoCd: { retryLimit: -1 } })).toThrow(ConfigError);
    expect(() => new GitOpsApp({ environments, argoCd: { retryLimit: 1.5 } })).toThrow('<app>: argoCd.retryLimit must be a whole number of retries, 0 or more, got 1.5; use e.g. 5');
  });

  it('writes no dist/argocd/ with argoCd: false', () => {
    const app = shopApp({ argoCd: false });
    expect(app.argoCd).toBeUndefined();
    expect([...app.synthFiles().keys()].some((f) => f.startsWith('argocd/'))).toBe(false);
  });

  it('fails synth when an Application of this repository points at a folder synth does not write', () => {
    const app = shopApp();
    new Application(app.argoCd!, 'extra', {
      metadata: { name: 'extra', namespace: 'argocd' },
      spec: { project: 'platform', source: { repoUrl: REPO_URL, path: 'dist/staging', targetRevision: 'main' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' } },
    });
    expect(() => app.synthFiles()).toThrow(/^argocd\/extra: spec\.source\.path of Application argocd\/extra points at a folder synth does not write, got "dist\/staging"; use one of: argocd, dev, flux, prod\/prod-eu-1, prod\/prod-us-1$/);
  });

  it('leaves objects that users add to the chart alone', () => {
    const app = shopApp();
    new ApiObject(app.argoCd!, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-notes', namespace: 'argocd' } });
    expect([...app.synthFiles().keys()]).toContain('argocd/argocd/argocd.yaml');
  });

  it('renders the Argo CD folder as pinned (review changes to it like code)', () => {
    const argocd = [...files].filter(([f]) => f.startsWith('argocd/'));
    expect(Object.fromEntries(argocd)).toMatchSnapshot();
  });

  describe('with Argo Rollouts in a target', () => {
    // the example platform runs a canary and a blue-green in staging and prod, rolling updates in dev
    const example = require('../../apps/main').buildApp().synthFiles();
    const staging = doc(example, `${APPS}/application-platform-staging.yaml`);
    const devApp = doc(example, `${APPS}/application-platform-dev.yaml`);

    it('leaves the fields the rollouts-controller manages out of the diff, for the kinds the target renders, and the replicas of autoscaled workloads', () => {
      expect(staging.spec.ignoreDifferences).toEqual([
        { group: '', kind: 'Service', managedFieldsManagers: ['rollouts-controller'] },
        // the exposure HTTPRoute the API canary splits at the edge, and the mesh's DestinationRules
        { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', managedFieldsManagers: ['rollouts-controller'] },
        { group: 'networking.istio.io', kind: 'DestinationRule', managedFieldsManagers: ['rollouts-controller'] },
        { group: 'networking.istio.io', kind: 'VirtualService', managedFieldsManagers: ['rollouts-controller'] },
        // checkout's HPA (Flagger), the workers' ScaledObjects; not the Deployments handed to Rollouts
        { group: 'apps', kind: 'Deployment', name: 'payments-events', namespace: 'payments', jsonPointers: ['/spec/replicas'] },
        { group: 'apps', kind: 'Deployment', name: 'checkout', namespace: 'storefront', jsonPointers: ['/spec/replicas'] },
        { group: 'apps', kind: 'Deployment', name: 'order-worker', namespace: 'storefront', jsonPointers: ['/spec/replicas'] },
      ]);
      expect(staging.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    });

    it('ignores only the replicas of autoscaled workloads where no Rollout is rendered', () => {
      expect(devApp.spec.ignoreDifferences).toEqual([
        { group: 'apps', kind: 'Deployment', name: 'payments-events', namespace: 'payments', jsonPointers: ['/spec/replicas'] },
        { group: 'apps', kind: 'Deployment', name: 'order-worker', namespace: 'storefront', jsonPointers: ['/spec/replicas'] },
      ]);
      expect(devApp.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    });

    it('follows a scaler retargeted at a Rollout', () => {
      const prod = doc(example, `${APPS}/application-platform-prod-eu-west-1.yaml`);
      expect(prod.spec.ignoreDifferences).toContainEqual({ group: 'argoproj.io', kind: 'Rollout', name: 'api', namespace: 'storefront', jsonPointers: ['/spec/replicas'] });
      expect(prod.spec.ignoreDifferences).not.toContainEqual(expect.objectContaining({ kind: 'Deployment', name: 'api' }));
    });
  });
});
