import { ApiObject } from 'cdk8s';
import * as YAML from 'yaml';
import { diffTrees, Environments, formatTreeDiff, GitOpsApp, toYaml } from '../../lib/gitops';
import { APPLY_PHASE_ANNOTATION, APPLY_PHASES, fileLevels, referenceEdges, SYNC_WAVE_ANNOTATION, syncWaveOf, unitApplyOrders } from '../../lib/gitops/apply-order';
import { RenderedObject } from '../../lib/gitops/layout';
import { prng } from '../fixtures/prng';
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

/** A rendered object for graph tests: one file per object unless `file` is given. */
function obj(manifest: any, file?: string): RenderedObject {
  const name = `${manifest.kind}/${manifest.metadata?.namespace ?? ''}/${manifest.metadata?.name}`;
  return { apiObject: { node: { path: `dev/${name}` } } as any, manifest, folder: 'dev', file: file ?? `${name}.yaml` };
}
/** `namespace: ''` for a cluster-scoped object. */
const meta = (kind: string, name: string, namespace = 'shop', extra: any = {}) => ({ kind, metadata: { name, namespace: namespace || undefined, ...extra } });
const deployment = (name: string, pod: any, kind = 'Deployment', annotations?: any) => ({
  apiVersion: 'apps/v1', ...meta(kind, name, 'shop', annotations ? { annotations } : {}),
  spec: { template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'x' }], ...pod } } },
});

describe('the apply order', () => {
  const phaseOf = (file: string) => docs(file)[0].metadata.annotations?.[APPLY_PHASE_ANNOTATION];

  test('phases follow references: the database first, the migration that connects to it, then the API it runs before', () => {
    expect(phaseOf('dev/shop/db.yaml')).toBe('1');
    expect(phaseOf('dev/shop/migrate.yaml')).toBe('2');
    expect(phaseOf('dev/shop/api.yaml')).toBe('3');
    // nothing orders these after anything: the first phase (the namespace, the storage class, a config holder)
    expect(phaseOf('dev/_cluster/shop.yaml')).toBe('1');
    expect(phaseOf('dev/_cluster/storageclass-fast.yaml')).toBe('1');
    expect(phaseOf('dev/shop/settings-holder.yaml')).toBe('1');
  });

  test("Argo CD: every object of a phased target carries its phase's wave; the last phase keeps the default", () => {
    const wave = (file: string) => [...new Set(docs(file).map((m) => m.metadata.annotations?.[SYNC_WAVE_ANNOTATION]))];
    expect(wave('dev/_cluster/shop.yaml')).toEqual(['-2']);
    expect(wave('dev/shop/db.yaml')).toEqual(['-2']);
    expect(wave('dev/shop/migrate.yaml')).toEqual(['-1']);
    expect(wave('dev/shop/api.yaml')).toEqual([undefined]);
    expect([0, 1, 2].map((i) => syncWaveOf(i, 3))).toEqual([-2, -1, 0]);
    // an unphased target is left as it was
    expect(wave('prod/_cluster/shop.yaml')).toEqual([undefined]);
    expect(docs('prod/shop/api.yaml')[0].metadata.annotations?.[APPLY_PHASE_ANNOTATION]).toBeUndefined();
    expect([...files.keys()].filter((f) => f.startsWith('_phases/prod'))).toEqual([]);
  });

  test("Flux: one Kustomization per earlier phase, chained by dependsOn; the target's own one applies the last phase", () => {
    const byName = new Map(fluxKs().map((k) => [k.metadata.name, k.spec]));
    expect([...byName.keys()].sort()).toEqual(['platform-dev', 'platform-dev-phase-1', 'platform-dev-phase-2', 'platform-prod']);
    expect(byName.get('platform-dev-phase-1')).toMatchObject({ path: './dist/_phases/dev/phase-1', wait: true, prune: true });
    expect(byName.get('platform-dev-phase-1')!.dependsOn).toBeUndefined();
    expect(byName.get('platform-dev-phase-1')!.force).toBeUndefined();
    expect(byName.get('platform-dev-phase-2')).toMatchObject({ path: './dist/_phases/dev/phase-2', dependsOn: [{ name: 'platform-dev-phase-1' }], wait: true, force: true });
    expect(byName.get('platform-dev')).toMatchObject({ path: './dist/_phases/dev/phase-3', dependsOn: [{ name: 'platform-dev-phase-2' }], wait: true });
    expect(byName.get('platform-prod')).toMatchObject({ path: './dist/prod' });
    expect(byName.get('platform-prod')!.dependsOn).toBeUndefined();
    for (const k of fluxKs()) expect(crdSchemaErrors(k)).toEqual([]);
  });

  test('a phase folder names no file outside itself: it builds the target folder and drops the other phases', () => {
    for (const n of [1, 2, 3]) {
      const k = YAML.parse(files.get(`_phases/dev/phase-${n}/kustomization.yaml`)!);
      expect(k.resources).toEqual(['../../../dev']);
      const selector = n === 1 ? `${APPLY_PHASE_ANNOTATION},${APPLY_PHASE_ANNOTATION}!=1` : `${APPLY_PHASE_ANNOTATION}!=${n}`;
      expect(k.patches).toEqual([{ target: { annotationSelector: selector }, patch: expect.stringContaining('$patch: delete') }]);
    }
    expect([...files.keys()].filter((f) => f.startsWith('dev/_phases'))).toEqual([]);
  });
});

describe('the reference graph', () => {
  test('a SecretStore comes no earlier than the ServiceAccount it logs in with, an ExternalSecret than its store, a pod than what it mounts', () => {
    const sa = obj(meta('ServiceAccount', 'vault-auth'));
    const store = obj({ apiVersion: 'external-secrets.io/v1beta1', ...meta('SecretStore', 'vault'), spec: { provider: { vault: { auth: { kubernetes: { serviceAccountRef: { name: 'vault-auth' } } } } } } });
    const es = obj({ apiVersion: 'external-secrets.io/v1beta1', ...meta('ExternalSecret', 'db'), spec: { secretStoreRef: { name: 'vault' } } });
    const cm = obj(meta('ConfigMap', 'cfg'));
    const job = obj({ ...deployment('migrate', { serviceAccountName: 'vault-auth' }, 'Job', { 'typed-manifests.io/run-before': 'shop/api' }), apiVersion: 'batch/v1' });
    const api = obj(deployment('api', { volumes: [{ name: 'c', configMap: { name: 'cfg' } }], containers: [{ name: 'api', image: 'x', env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'p' } } }] }] }));
    const edges = referenceEdges([sa, store, es, cm, job, api]);
    const described = edges.map((e) => `${e.from.manifest.metadata.name} ${e.kind} ${e.to.manifest.metadata.name}`).sort();
    // the pod reads Secret db, which the ExternalSecret db creates
    expect(described).toEqual(['api after migrate', 'api needs cfg', 'api needs db', 'db needs vault', 'migrate needs vault-auth', 'vault needs vault-auth']);
    const levels = fileLevels([sa, store, es, cm, job, api]);
    expect(levels.get(store.file)).toBeGreaterThanOrEqual(levels.get(sa.file)!);
    expect(levels.get(api.file)).toBe(levels.get(job.file)! + 1);
  });

  test('a custom resource comes after its CRD', () => {
    const crd = obj({ apiVersion: 'apiextensions.k8s.io/v1', ...meta('CustomResourceDefinition', 'widgets.acme.io', ''), spec: { group: 'acme.io', names: { kind: 'Widget' } } });
    const w = obj({ apiVersion: 'acme.io/v1', ...meta('Widget', 'w') });
    expect(fileLevels([crd, w])).toEqual(new Map([[crd.file, 0], [w.file, 1]]));
  });

  test('generated reference graphs: every object is no earlier than what it needs and later than what it comes after', () => {
    const rand = prng(4242);
    for (let round = 0; round < 40; round++) {
      const n = 2 + Math.floor(rand() * 14);
      const objects: RenderedObject[] = [];
      const kinds = Array.from({ length: n }, () => Math.floor(rand() * 4));
      kinds.forEach((k, i) => {
        const name = `o${i}`;
        // only references to earlier objects: a DAG by construction, so every graph must be orderable
        const earlier = (kind: number) => kinds.map((x, j) => (x === kind && j < i && rand() < 0.5 ? `o${j}` : undefined)).filter((x): x is string => !!x);
        if (k === 0) objects.push(obj(meta('ConfigMap', name)));
        else if (k === 1) objects.push(obj(meta('ServiceAccount', name)));
        else if (k === 2) {
          const sa = earlier(1)[0];
          const cms = earlier(0);
          objects.push(obj(deployment(name, { serviceAccountName: sa, volumes: cms.map((c) => ({ name: c, configMap: { name: c } })) })));
        } else {
          // a run-before Job: it connects to earlier workloads and runs before later ones (set below)
          const targets = earlier(2);
          const job = { ...deployment(name, {}, 'Job', { 'typed-manifests.io/run-before': '' }), apiVersion: 'batch/v1' };
          objects.push(obj(job));
          objects.push(obj({ apiVersion: 'networking.k8s.io/v1', ...meta('NetworkPolicy', name), spec: { podSelector: { matchLabels: { app: name } }, egress: targets.map((t) => ({ to: [{ podSelector: { matchLabels: { app: t } } }] })) } }, `Job/shop/${name}.yaml`));
        }
      });
      // run-before: each Job runs before a random later Deployment
      kinds.forEach((k, i) => {
        if (k !== 3) return;
        const later = kinds.map((x, j) => (x === 2 && j > i ? `o${j}` : undefined)).filter((x): x is string => !!x);
        const job = objects.find((o) => o.manifest.kind === 'Job' && o.manifest.metadata.name === `o${i}`)!;
        job.manifest.metadata.annotations['typed-manifests.io/run-before'] = later.length > 0 ? `shop/${later[Math.floor(rand() * later.length)]}` : 'shop/none';
      });
      const edges = referenceEdges(objects);
      const levels = fileLevels(objects, edges);
      for (const e of edges) {
        const [from, to] = [levels.get(e.from.file)!, levels.get(e.to.file)!];
        if (e.kind === 'after') expect({ e: e.why, ok: from > to }).toEqual({ e: e.why, ok: true });
        else expect({ e: e.why, ok: from >= to }).toEqual({ e: e.why, ok: true });
      }
      // and no later than it must be: a file above phase 0 is held there by one of its edges
      for (const [file, level] of levels) {
        if (level === 0) continue;
        const held = edges.some((e) => e.from.file === file && levels.get(e.to.file)! + (e.kind === 'after' ? 1 : 0) === level);
        expect({ file, held }).toEqual({ file, held: true });
      }
    }
  });

  test('generated namespaces: a Job comes after exactly the workloads its NetworkPolicies let it reach, as a scan of every policy and pod finds them', () => {
    // the lookups are by label (a namespace holds a policy per workload); the reference reads every object
    const rand = prng(2323);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const labelsOf = () => {
      const out: Record<string, string> = {};
      for (const k of ['app', 'tier', 'team']) if (rand() < 0.6) out[k] = pick(['a', 'b', 'c']);
      // a label every pod carries: no selector may be looked up through it alone
      out.part = 'platform';
      return out;
    };
    const selectorOf = () => {
      const r = rand();
      if (r < 0.08) return undefined;
      if (r < 0.15) return {};
      const all = labelsOf();
      return Object.fromEntries(Object.entries(all).filter(() => rand() < 0.6));
    };
    const scan = (objects: RenderedObject[]) => {
      const out: string[] = [];
      const selects = (sel: any, labels: any) => Object.entries(sel).every(([k, v]) => labels?.[k] === v);
      const podLabels = (m: any) => m.spec?.template?.metadata?.labels;
      const longRunning = (m: any) => m.spec?.template?.spec?.containers && m.kind !== 'Job';
      for (const o of objects) {
        const m = o.manifest;
        if (m.kind !== 'Job' || typeof m.metadata.annotations?.['typed-manifests.io/run-before'] !== 'string') continue;
        for (const np of objects) {
          const nm = np.manifest;
          const own = nm.spec?.podSelector?.matchLabels;
          if (nm.kind !== 'NetworkPolicy' || nm.metadata.namespace !== m.metadata.namespace || !own || !selects(own, podLabels(m))) continue;
          for (const peer of (nm.spec.egress ?? []).flatMap((e: any) => e.to ?? [])) {
            const sel = peer.podSelector?.matchLabels;
            if (!sel) continue;
            const peerNs = peer.namespaceSelector ? peer.namespaceSelector.matchLabels?.['kubernetes.io/metadata.name'] : m.metadata.namespace;
            for (const w of objects) {
              const wm = w.manifest;
              if (w === o || !longRunning(wm) || (peerNs !== undefined && wm.metadata.namespace !== peerNs) || !selects(sel, podLabels(wm))) continue;
              out.push(`${m.metadata.namespace}/${m.metadata.name} after-reaches ${wm.metadata.namespace}/${wm.metadata.name}`);
            }
          }
        }
      }
      return out;
    };
    let found = 0;
    const mismatches: unknown[] = [];
    for (let round = 0; round < 60; round++) {
      const objects: RenderedObject[] = [];
      const n = 4 + Math.floor(rand() * 30);
      for (let i = 0; i < n; i++) {
        const ns = pick(['shop', 'pay', 'ops']);
        const kind = pick(['Deployment', 'StatefulSet', 'Job', 'NetworkPolicy', 'NetworkPolicy']);
        const name = `o${i}`;
        if (kind === 'NetworkPolicy') {
          const egress = Array.from({ length: Math.floor(rand() * 3) }, () => ({
            to: [{ podSelector: rand() < 0.1 ? {} : { matchLabels: selectorOf() ?? {} }, ...(rand() < 0.3 ? { namespaceSelector: rand() < 0.5 ? { matchLabels: { 'kubernetes.io/metadata.name': pick(['shop', 'pay']) } } : {} } : {}) }],
          }));
          objects.push(obj({ apiVersion: 'networking.k8s.io/v1', ...meta('NetworkPolicy', name, ns), spec: { podSelector: rand() < 0.1 ? {} : { matchLabels: selectorOf() }, egress } }));
        } else {
          const annotations = kind === 'Job' && rand() < 0.8 ? { 'typed-manifests.io/run-before': `${ns}/none` } : undefined;
          objects.push(obj({ apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1', ...meta(kind, name, ns, annotations ? { annotations } : {}), spec: { template: { metadata: { labels: labelsOf() }, spec: { containers: [{ name, image: 'x' }] } } } }));
        }
      }
      const expected = scan(objects);
      const actual = referenceEdges(objects).filter((e) => e.why.startsWith('connects to'))
        .map((e) => `${e.from.manifest.metadata.namespace}/${e.from.manifest.metadata.name} after-reaches ${e.to.manifest.metadata.namespace}/${e.to.manifest.metadata.name}`);
      found += expected.length;
      if (JSON.stringify(actual) !== JSON.stringify(expected)) mismatches.push({ round, expected, actual });
    }
    expect(mismatches).toEqual([]);
    // the generator reaches workloads often enough to mean something
    expect(found).toBeGreaterThan(100);
  });

  test("generated teams: a team's phases hold exactly the files of its namespace folders, looked up or tested file by file", () => {
    const rand = prng(8080);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const spaces = ['a', 'b', 'c', 'd', 'e', '_platform', '_cluster'];
    const mismatches: unknown[] = [];
    let files = 0;
    for (let round = 0; round < 50; round++) {
      const phases = APPLY_PHASES.slice(0, 2 + Math.floor(rand() * 3)).map((phase) => ({
        phase,
        runBeforeJobs: rand() < 0.3,
        files: [...new Set(Array.from({ length: Math.floor(rand() * 12) }, () => `${pick(spaces)}/${pick(['api', 'db', 'job', 'web'])}${rand() < 0.2 ? '/nested' : ''}.yaml`))].sort(),
      }));
      const orders = new Map([['dev', { phases }]]);
      const teams = Array.from({ length: 1 + Math.floor(rand() * 4) }, (_, i) => ({
        folder: `dev/_teams/t${i}`, target: 'dev',
        namespaces: [...new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(spaces.slice(0, 5))))],
      }));
      const tested = unitApplyOrders(orders, teams.map((t) => ({ folder: t.folder, target: t.target, includes: (f: string) => t.namespaces.includes(f.split('/')[0]) })));
      const looked = unitApplyOrders(orders, teams.map((t) => ({ folder: t.folder, target: t.target, includes: () => false, folders: t.namespaces })));
      files += [...tested.values()].reduce((n, o) => n + o.phases.reduce((m, p) => m + p.files.length, 0), 0);
      if (JSON.stringify([...looked]) !== JSON.stringify([...tested])) mismatches.push({ round, tested: [...tested], looked: [...looked] });
    }
    expect(mismatches).toEqual([]);
    expect(files).toBeGreaterThan(100);
  });

  test('a cycle through an ordering edge is an error naming both objects', () => {
    const job = obj({ ...deployment('migrate', {}, 'Job', { 'typed-manifests.io/run-before': 'shop/api' }), apiVersion: 'batch/v1' });
    const np = obj({ apiVersion: 'networking.k8s.io/v1', ...meta('NetworkPolicy', 'migrate'), spec: { podSelector: { matchLabels: { app: 'migrate' } }, egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }] }] } }, job.file);
    const api = obj(deployment('api', {}));
    expect(() => fileLevels([job, np, api])).toThrow(/apply order: (Deployment shop\/api must come after Job shop\/migrate|Job shop\/migrate must come after Deployment shop\/api) .*a cycle, nothing can be applied first/);
  });

  test('an ordering edge inside one file is an error (a file is applied as one)', () => {
    const crd = obj({ apiVersion: 'apiextensions.k8s.io/v1', ...meta('CustomResourceDefinition', 'widgets.acme.io', ''), spec: { group: 'acme.io', names: { kind: 'Widget' } } }, 'x.yaml');
    const w = obj({ apiVersion: 'acme.io/v1', ...meta('Widget', 'w') }, 'x.yaml');
    expect(() => fileLevels([crd, w])).toThrow('dev/Widget/shop/w: apply order: Widget shop/w must come after CustomResourceDefinition widgets.acme.io (it is a Widget, which CustomResourceDefinition widgets.acme.io defines), both are in dev/x.yaml, which is applied as one; put them in different units');
  });

  test('references to objects the target does not render, and needs-cycles, order nothing', () => {
    const a = obj(deployment('a', { serviceAccountName: 'elsewhere', volumes: [{ name: 'x', configMap: { name: 'missing' } }] }));
    expect(referenceEdges([a])).toEqual([]);
    const b = obj({ apiVersion: 'rbac.authorization.k8s.io/v1', ...meta('RoleBinding', 'b'), roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 's' }] });
    const r = obj(meta('Role', 'r'));
    const sa = obj(meta('ServiceAccount', 's'));
    expect(new Set(fileLevels([b, r, sa]).values())).toEqual(new Set([0]));
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
