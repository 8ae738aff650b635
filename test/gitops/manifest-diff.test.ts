import { diffTrees, diffValues, formatTreeDiff, toYaml, TreeDiff } from '../../lib/gitops';

const KUSTOMIZATION = (resources: string[]) => toYaml([{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }]);

/** A dist/ tree with one folder per entry; each file holds the given manifests. */
function tree(folders: Record<string, Record<string, any[]>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [folder, files] of Object.entries(folders)) {
    out.set(`${folder}/kustomization.yaml`, KUSTOMIZATION(Object.keys(files)));
    for (const [file, manifests] of Object.entries(files)) out.set(`${folder}/${file}`, toYaml(manifests));
  }
  return out;
}

function deployment(name: string, o: { image?: string; replicas?: number; selector?: Record<string, string> } = {}) {
  const labels = o.selector ?? { 'app.kubernetes.io/name': name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop', labels, annotations: { 'example.com/owner': 'team-a' } },
    spec: {
      replicas: o.replicas ?? 2,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: o.image ?? 'ghcr.io/acme/web:1.0.0' }, { name: 'sidecar', image: 'envoy:1' }] } },
    },
  };
}

function statefulSet(o: { storage?: string; serviceName?: string; podManagementPolicy?: string; replicas?: number } = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'shop' },
    spec: {
      replicas: o.replicas ?? 3,
      serviceName: o.serviceName ?? 'db',
      podManagementPolicy: o.podManagementPolicy ?? 'OrderedReady',
      selector: { matchLabels: { 'app.kubernetes.io/name': 'db' } },
      template: { metadata: { labels: { 'app.kubernetes.io/name': 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: o.storage ?? '10Gi' } } } }],
    },
  };
}

function svc(name: string, o: { type?: string; clusterIP?: string; port?: number } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'shop', labels: { 'app.kubernetes.io/name': 'web' } },
    spec: {
      ...(o.type ? { type: o.type } : {}),
      ...(o.clusterIP ? { clusterIP: o.clusterIP } : {}),
      selector: { 'app.kubernetes.io/name': 'web' },
      ports: [{ name: 'http', port: o.port ?? 80 }],
    },
  };
}

function job(image: string) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', namespace: 'shop' },
    spec: { backoffLimit: 2, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image }] } } },
  };
}

const cm = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, data });

function only(diff: TreeDiff, folder: string) {
  const f = diff.folders.find((x) => x.folder === folder);
  if (!f) throw new Error(`no changes in ${folder}; folders: ${diff.folders.map((x) => x.folder).join(', ')}`);
  return f;
}

describe('diffTrees', () => {
  it('finds nothing between identical trees', () => {
    const t = tree({ dev: { 'shop/web.yaml': [deployment('web'), svc('web')] } });
    const diff = diffTrees(t, new Map(t));
    expect(diff).toEqual({ upToDate: true, files: { added: [], removed: [], changed: [] }, folders: [], warnings: [], unparsable: [] });
    expect(formatTreeDiff(diff)).toBe('dist/ is up to date.\n');
  });

  it('reports an added object per folder, with its file', () => {
    const diff = diffTrees(
      tree({ dev: { 'shop/web.yaml': [svc('web')] } }),
      tree({ dev: { 'shop/web.yaml': [svc('web')], 'shop/settings.yaml': [cm('settings', { a: '1' })] } }),
    );
    expect(diff.upToDate).toBe(false);
    expect(diff.files.added).toEqual(['dev/shop/settings.yaml']);
    expect(only(diff, 'dev').added).toEqual([{ folder: 'dev', file: 'dev/shop/settings.yaml', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'settings' }]);
    expect(diff.warnings).toEqual([]);
  });

  it('reports a removed object in the folder of a multi-cluster target', () => {
    const diff = diffTrees(
      tree({ 'prod/prod-eu-1': { 'shop/web.yaml': [svc('web'), cm('old', {})] } }),
      tree({ 'prod/prod-eu-1': { 'shop/web.yaml': [svc('web')] } }),
    );
    const f = only(diff, 'prod/prod-eu-1');
    expect(f.removed.map((r) => `${r.kind}/${r.name}`)).toEqual(['ConfigMap/old']);
    expect(f.added).toEqual([]);
  });

  it('lists changed fields by path, keyed by name in named lists and quoted for keys with dots', () => {
    const before = deployment('web');
    const after = deployment('web', { replicas: 3, image: 'ghcr.io/acme/web:1.1.0' });
    (after.metadata.annotations as any)['example.com/owner'] = 'team-b';
    const diff = diffTrees(tree({ dev: { 'shop/web.yaml': [before] } }), tree({ dev: { 'shop/web.yaml': [after] } }));
    expect(diff.files.changed).toEqual(['dev/shop/web.yaml']);
    expect(only(diff, 'dev').changed[0].fields).toEqual([
      { path: 'metadata.annotations["example.com/owner"]', old: 'team-a', new: 'team-b' },
      { path: 'spec.replicas', old: 2, new: 3 },
      { path: 'spec.template.spec.containers[name=app].image', old: 'ghcr.io/acme/web:1.0.0', new: 'ghcr.io/acme/web:1.1.0' },
    ]);
    // a rolling update is an ordinary change
    expect(diff.warnings).toEqual([]);
    const text = formatTreeDiff(diff);
    expect(text).toContain('  ~ Deployment shop/web  (dev/shop/web.yaml)\n');
    expect(text).toContain('      spec.replicas: 2 -> 3\n');
    expect(text).toContain('      spec.template.spec.containers[name=app].image: "ghcr.io/acme/web:1.0.0" -> "ghcr.io/acme/web:1.1.0"\n');
  });

  it('shows added and removed fields as (absent), and list items by index when they have no names', () => {
    expect(diffValues({ a: 1, list: ['x', 'y'] }, { b: 2, list: ['x'] })).toEqual([
      { path: 'a', old: 1, new: undefined },
      { path: 'b', old: undefined, new: 2 },
      { path: 'list[1]', old: 'y', new: undefined },
    ]);
    const text = formatTreeDiff(diffTrees(tree({ dev: { 'a.yaml': [cm('c', { a: '1' })] } }), tree({ dev: { 'a.yaml': [cm('c', { b: '1' })] } })));
    expect(text).toContain('      data.a: "1" -> (absent)\n');
    expect(text).toContain('      data.b: (absent) -> "1"\n');
  });

  it('warns loudly about an object that looks renamed (same file, kind, namespace and selector)', () => {
    const diff = diffTrees(
      tree({ dev: { 'shop/web.yaml': [deployment('web')] } }),
      tree({ dev: { 'shop/web.yaml': [deployment('web-v2', { selector: { 'app.kubernetes.io/name': 'web' } })] } }),
    );
    expect(diff.warnings.map((w) => [w.kind, w.objects.map((o) => o.name)])).toEqual([['renamed', ['web', 'web-v2']]]);
    expect(diff.warnings[0].message).toMatch(/^Deployment shop\/web -> web-v2: looks renamed \(same selector, dev\/shop\/web\.yaml\); Kubernetes has no rename, so the controller deletes web and creates web-v2/);
    expect(formatTreeDiff(diff)).toMatch(/\n {2}!!! RENAMED: Deployment shop\/web -> web-v2/);
    expect(formatTreeDiff(diff)).toMatch(/!!! 1 change\(s\) above will be rejected by Kubernetes or turned into a delete-and-recreate/);
  });

  it('also calls the only removed and added object of a kind in one file a rename, but not objects in other files', () => {
    const renamed = diffTrees(tree({ dev: { 'shop/a.yaml': [cm('settings', { a: '1' })] } }), tree({ dev: { 'shop/a.yaml': [cm('config', { a: '1' })] } }));
    expect(renamed.warnings.map((w) => w.kind)).toEqual(['renamed']);
    const elsewhere = diffTrees(tree({ dev: { 'shop/a.yaml': [cm('settings', {})] } }), tree({ dev: { 'shop/b.yaml': [cm('config', {})] } }));
    expect(elsewhere.warnings).toEqual([]);
  });

  it('warns about a changed selector of a Deployment', () => {
    const diff = diffTrees(
      tree({ dev: { 'shop/web.yaml': [deployment('web')] } }),
      tree({ dev: { 'shop/web.yaml': [deployment('web', { selector: { 'app.kubernetes.io/name': 'web', tier: 'front' } })] } }),
    );
    expect(diff.warnings.map((w) => w.kind)).toEqual(['selector-changed']);
    expect(diff.warnings[0].message).toMatch(/^Deployment shop\/web: spec\.selector changed \(spec\.selector\.matchLabels\.tier: \(absent\) -> "front"\); the selector is immutable/);
  });

  it.each([
    ['volumeClaimTemplates', { storage: '20Gi' }, 'spec.volumeClaimTemplates changed (spec.volumeClaimTemplates[name=data].spec.resources.requests.storage: "10Gi" -> "20Gi")'],
    ['serviceName', { serviceName: 'db-headless' }, 'spec.serviceName changed (spec.serviceName: "db" -> "db-headless")'],
    ['podManagementPolicy', { podManagementPolicy: 'Parallel' }, 'spec.podManagementPolicy changed'],
  ])('warns about a changed StatefulSet %s', (_field, change, text) => {
    const diff = diffTrees(tree({ prod: { 'shop/db.yaml': [statefulSet()] } }), tree({ prod: { 'shop/db.yaml': [statefulSet(change)] } }));
    expect(diff.warnings.map((w) => w.kind)).toEqual(['statefulset-immutable']);
    expect(diff.warnings[0].message).toContain(text);
  });

  it('does not warn about scaling a StatefulSet', () => {
    expect(diffTrees(tree({ prod: { 'shop/db.yaml': [statefulSet()] } }), tree({ prod: { 'shop/db.yaml': [statefulSet({ replicas: 5 })] } })).warnings).toEqual([]);
  });

  it('warns about a Service type change and a clusterIP change, not about a port change', () => {
    const type = diffTrees(tree({ dev: { 's.yaml': [svc('web')] } }), tree({ dev: { 's.yaml': [svc('web', { type: 'LoadBalancer' })] } }));
    expect(type.warnings.map((w) => w.kind)).toEqual(['service-type-changed']);
    expect(type.warnings[0].message).toContain('spec.type changed (spec.type: (absent) -> "LoadBalancer")');
    const ip = diffTrees(tree({ dev: { 's.yaml': [svc('web', { clusterIP: 'None' })] } }), tree({ dev: { 's.yaml': [svc('web')] } }));
    expect(ip.warnings.map((w) => w.kind)).toEqual(['service-cluster-ip-changed']);
    const port = diffTrees(tree({ dev: { 's.yaml': [svc('web')] } }), tree({ dev: { 's.yaml': [svc('web', { port: 8080 })] } }));
    expect(port.warnings).toEqual([]);
    expect(only(port, 'dev').changed[0].fields).toEqual([{ path: 'spec.ports[name=http].port', old: 80, new: 8080 }]);
  });

  it('warns about a changed Job template, not about other Job fields', () => {
    const tpl = diffTrees(tree({ dev: { 'j.yaml': [job('migrate:1')] } }), tree({ dev: { 'j.yaml': [job('migrate:2')] } }));
    expect(tpl.warnings.map((w) => w.kind)).toEqual(['job-template-changed']);
    expect(tpl.warnings[0].message).toMatch(/^Job shop\/migrate: spec\.template changed \(spec\.template\.spec\.containers\[name=migrate\]\.image: "migrate:1" -> "migrate:2"\); a Job's pod template is immutable/);
    const other = job('migrate:1');
    other.spec.backoffLimit = 5;
    expect(diffTrees(tree({ dev: { 'j.yaml': [job('migrate:1')] } }), tree({ dev: { 'j.yaml': [other] } })).warnings).toEqual([]);
  });

  it('counts a kustomization.yaml or formatting difference as out of date without inventing object changes', () => {
    const old = tree({ dev: { 'a.yaml': [cm('c', {})] } });
    const next = new Map(old);
    next.set('dev/kustomization.yaml', `${old.get('dev/kustomization.yaml')}# edited\n`);
    next.set('dev/a.yaml', old.get('dev/a.yaml')!.replace('kind: ConfigMap', 'kind: "ConfigMap"'));
    const diff = diffTrees(old, next);
    expect(diff.upToDate).toBe(false);
    expect(diff.files.changed).toEqual(['dev/a.yaml', 'dev/kustomization.yaml']);
    expect(diff.folders).toEqual([]);
    expect(formatTreeDiff(diff)).toContain('Files that differ without an object change (kustomization.yaml indexes, formatting, stray files):\n  ~ dev/a.yaml\n  ~ dev/kustomization.yaml\n');
  });

  it('reports a committed file that is not valid YAML instead of failing', () => {
    const old = tree({ dev: { 'a.yaml': [cm('c', {})] } });
    old.set('dev/a.yaml', 'kind: [unclosed\n');
    const diff = diffTrees(old, tree({ dev: { 'a.yaml': [cm('c', {})] } }));
    expect(diff.unparsable.map((u) => [u.file, u.side])).toEqual([['dev/a.yaml', 'old']]);
    expect(formatTreeDiff(diff)).toContain('!!! UNPARSABLE: dist/dev/a.yaml is not valid YAML');
  });

  it('treats a null field like a missing one, as the API server does', () => {
    const withNull = new Map([['dev/kustomization.yaml', KUSTOMIZATION(['a.yaml'])], ['dev/a.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: shop\n  labels: null\ndata: {}\n']]);
    const diff = diffTrees(withNull, tree({ dev: { 'a.yaml': [cm('c', {})] } }));
    expect(diff.upToDate).toBe(false);
    expect(diff.folders).toEqual([]);
  });

  it('orders folders, objects and warnings the same way every time', () => {
    const a = tree({ prod: { 'x.yaml': [cm('b', {}), cm('a', {})] }, dev: { 'y.yaml': [svc('web')] } });
    const b = tree({ prod: { 'x.yaml': [cm('z', {})] }, dev: { 'y.yaml': [svc('web', { type: 'NodePort' })] } });
    expect(diffTrees(a, b).folders.map((f) => f.folder)).toEqual(['dev', 'prod']);
    expect(only(diffTrees(a, b), 'prod').removed.map((r) => r.name)).toEqual(['a', 'b']);
    expect(formatTreeDiff(diffTrees(a, b))).toBe(formatTreeDiff(diffTrees(new Map([...a].reverse()), new Map([...b].reverse()))));
  });
});
