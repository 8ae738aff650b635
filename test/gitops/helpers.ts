// Small GitOpsApps built from raw ApiObjects (no pod-bearing kinds: the policy engine would judge those).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { markUnit } from '../../lib/core';
import { Environments, GitOpsApp, GitOpsAppProps } from '../../lib/gitops';

export const REPO_URL = 'https://git.example.com/acme/platform-gitops.git';

/** dev on the cluster Flux/Argo CD run in, prod on two remote clusters. */
export function twoEnvironments() {
  return Environments.define({
    dev: { clusters: [{ name: 'dev', server: 'https://kubernetes.default.svc' }] },
    prod: {
      production: true,
      clusters: [
        { name: 'prod-eu-1', server: 'https://prod-eu-1.k8s.example.com' },
        { name: 'prod-us-1', server: 'https://prod-us-1.k8s.example.com' },
      ],
    },
  });
}

/** A construct whose API objects all go to one file, `<namespace>/<name>.yaml`. */
export function unitScope(scope: Construct, name: string): Construct {
  const c = new Construct(scope, name);
  markUnit(c, name);
  return c;
}

export function namespace(scope: Construct, name: string): ApiObject {
  return new ApiObject(scope, `ns-${name}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

export function configMap(scope: Construct, ns: string, name: string, data: Record<string, string>): ApiObject {
  return new ApiObject(scope, `cm-${ns}-${name}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data });
}

export function service(scope: Construct, ns: string, name: string): ApiObject {
  return new ApiObject(scope, `svc-${name}`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels: { 'app.kubernetes.io/name': name } },
    spec: { selector: { 'app.kubernetes.io/name': name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  });
}

export interface ShopOptions {
  /** Leave out the `cache` unit (to test that stale files disappear). */
  readonly withoutCache?: boolean;
  /** Render nothing for these target paths. */
  readonly emptyTargets?: string[];
}

/**
 * A `shop` namespace with a ConfigMap and a Service per target, a `cache` unit, and in prod a ClusterRole
 * and a second namespace (`observability`).
 */
export function shopApp(props: Partial<GitOpsAppProps<'dev' | 'prod', {}>> = {}, options: ShopOptions = {}) {
  const app = new GitOpsApp({ environments: twoEnvironments(), repository: { url: REPO_URL }, ...props });
  app.forEachTarget((scope, target) => {
    if (options.emptyTargets?.includes(target.path)) return;
    const shop = unitScope(scope, 'shop');
    namespace(shop, 'shop');
    configMap(shop, 'shop', 'settings', { LOG_LEVEL: target.env.pick({ dev: 'debug', prod: 'info' }), REGION: target.cluster.name });
    service(shop, 'shop', 'web');
    if (!options.withoutCache) {
      configMap(unitScope(scope, 'cache'), 'shop', 'cache', { SIZE: target.env.pick({ dev: '64Mi', prod: '1Gi' }) });
    }
    if (target.env.is('prod')) {
      const obs = unitScope(scope, 'observability');
      namespace(obs, 'observability');
      configMap(obs, 'observability', 'dashboards', { shop: '{}' });
      new ApiObject(obs, 'reader', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'shop-reader' },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
      });
    }
  });
  return app;
}

export function tempDir(prefix = 'gitops-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The manifests of one file of a synthesized tree. */
export function docs(files: ReadonlyMap<string, string>, file: string): any[] {
  const text = files.get(file);
  if (text === undefined) throw new Error(`no file ${file}; have ${[...files.keys()].join(', ')}`);
  return YAML.parseAllDocuments(text).map((d) => d.toJS());
}

/** The one manifest of a file. */
export function doc(files: ReadonlyMap<string, string>, file: string): any {
  const all = docs(files, file);
  if (all.length !== 1) throw new Error(`${file} holds ${all.length} documents`);
  return all[0];
}

/** Every manifest of the tree with the given kind. */
export function manifestsOfKind(files: ReadonlyMap<string, string>, kind: string): any[] {
  return [...files.keys()].filter((f) => f.endsWith('.yaml')).flatMap((f) => docs(files, f)).filter((m) => m?.kind === kind);
}
