import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { buildBenchApp } from '../../apps/bench';
import { Environments, GitOpsApp, readTree } from '../../lib/gitops';
import { PolicyError } from '../../lib/policy';
import { prng } from '../fixtures/prng';
import { configMap, namespace, REPO_URL, shopApp, tempDir, unitScope } from './helpers';

// A streaming GitOpsApp builds each target when synth reaches it and releases it once its files are written
// (GitOpsAppProps.streaming). What users can observe must not change: the bytes, the errors, the previous dist/
// on failure.
describe('streaming synth', () => {
  let root: string;
  beforeEach(() => {
    root = tempDir('streaming-');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('writes the same bytes as building every target up front, for generated platform sizes', () => {
    const random = prng(23);
    for (const services of [1, 2 + Math.floor(random() * 20)]) {
      const eager = buildBenchApp(services, undefined, undefined, { streaming: false }).synthFiles();
      buildBenchApp(services, undefined, undefined, { streaming: true }).synthTo(path.join(root, `s${services}`));
      const streamed = readTree(path.join(root, `s${services}`));
      streamed.delete('.rendered-by');
      expect([...streamed.keys()].sort()).toEqual([...eager.keys()].sort());
      for (const [file, text] of eager) expect(streamed.get(file)).toBe(text);
    }
  });

  it('builds nothing before synth, one target at a time during it, and releases every target once written', () => {
    const built: string[] = [];
    const app = shopApp({ streaming: true });
    app.forEachTarget((scope, target) => {
      // the targets built before this one are released already: one target's constructs at a time
      built.push(`${target.path} alive: ${app.targets.filter((t) => app.node.tryFindChild(t.path.split('/').pop()!)).map((t) => t.path).join(',')}`);
      configMap(unitScope(scope, 'probe'), 'shop', 'probe', { AT: target.path });
    });
    expect(app.node.tryFindChild('dev')).toBeUndefined();
    expect(built).toEqual([]);
    app.synthTo(path.join(root, 'dist'));
    expect(built).toEqual(['dev alive: dev', 'prod/prod-eu-1 alive: prod/prod-eu-1', 'prod/prod-us-1 alive: prod/prod-us-1']);
    for (const t of app.targets) expect(app.node.tryFindChild(t.path.split('/').pop()!)).toBeUndefined();
    expect(fs.readFileSync(path.join(root, 'dist/prod/prod-us-1/shop/probe.yaml'), 'utf8')).toContain('AT: prod/prod-us-1');
  });

  it('frees a released target: no construct of it stays reachable once synth moved on (bench platform)', async () => {
    // the collector, as scripts/run.js exposes it; the flag is the worker's, so later test files would get a global
    // gc() (and synth would collect between targets there): set it back unless the worker was started with it
    const exposed = typeof (globalThis as { gc?: unknown }).gc === 'function';
    require('v8').setFlagsFromString('--expose-gc');
    const gc = require('vm').runInNewContext('gc') as () => void;
    if (!exposed) require('v8').setFlagsFromString('--no-expose-gc');
    const charts: WeakRef<object>[] = [];
    const objects: WeakRef<object>[] = [];
    // the app stays alive (as during a synth, its Argo CD and Flux charts, promotion and targets): only the released
    // targets' trees may go
    const app = buildBenchApp(3, undefined, undefined, { streaming: true });
    app.forEachTarget((scope) => {
      charts.push(new WeakRef(scope));
      objects.push(new WeakRef(scope.node.findAll().find((c) => c instanceof ApiObject)!));
    });
    app.synthTo(path.join(root, 'dist'));
    expect(charts.length).toBe(3);
    // WeakRefs made in this job keep their targets until it ends
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(charts.map((r) => r.deref() === undefined)).toEqual([true, true, true]);
    expect(objects.map((r) => r.deref() === undefined)).toEqual([true, true, true]);
    // an app rendered without releasing keeps them: the check above can fail
    const kept = buildBenchApp(1, undefined, undefined, { streaming: true });
    const keptCharts: WeakRef<object>[] = [];
    kept.forEachTarget((scope) => keptCharts.push(new WeakRef(scope)));
    kept.render();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(keptCharts.every((r) => r.deref() !== undefined)).toBe(true);
    expect(app.targets.length + kept.targets.length).toBe(6);
  });

  it('renders every target again after a streamed synth (review, diff): the same objects', () => {
    const app = shopApp({ streaming: true });
    app.synthTo(path.join(root, 'dist'));
    const again = app.render().map((o) => `${o.folder} ${o.manifest.kind} ${o.manifest.metadata?.name}`).sort();
    const eager = shopApp().render().map((o) => `${o.folder} ${o.manifest.kind} ${o.manifest.metadata?.name}`).sort();
    expect(again).toEqual(eager);
  });

  it('a later target failing its checks leaves the previous dist/ byte-identical, no staging folder, and one error for every target', () => {
    const outdir = path.join(root, 'dist');
    shopApp({ streaming: true }).synthTo(outdir);
    const before = readTree(outdir);
    const app = shopApp({ streaming: true });
    app.forEachTarget((scope, target) => {
      // dev passes; both prod clusters carry a plaintext credential (dev's files were already handed to the writer)
      if (!target.env.is('prod')) return;
      const ns = namespace(unitScope(scope, 'leak'), 'leak');
      new ApiObject(ns, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'leak', namespace: 'leak' }, data: { DATABASE_URL: 'postgres://app:s3cr3t-Pa55w0rd@db:5432/app' } });
    });
    let error: unknown;
    try {
      app.synthTo(outdir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyError);
    const folders = [...new Set((error as PolicyError).findings.filter((f) => f.rule === 'hygiene-no-plaintext-credentials').map((f) => f.folder))];
    expect(folders).toEqual(['prod/prod-eu-1', 'prod/prod-us-1']);
    expect(readTree(outdir)).toEqual(before);
    expect(fs.readdirSync(root).filter((f) => f.startsWith('.dist.'))).toEqual([]);
  });

  it('a construct error in the last target is thrown as is and writes nothing', () => {
    const outdir = path.join(root, 'dist');
    shopApp({ streaming: true }).synthTo(outdir);
    const before = readTree(outdir);
    const app = shopApp({ streaming: true });
    app.forEachTarget((scope, target) => {
      if (target.path === 'prod/prod-us-1') configMap(unitScope(scope, 'shop'), 'shop', 'settings', { DUP: 'x' });
    });
    // built when synth reaches it, after the other targets' files went to the writer
    expect(() => app.synthTo(outdir)).toThrow(/^prod-us-1: construct id 'shop' is used twice in prod-us-1 \(environment prod, target dist\/prod\/prod-us-1\)/);
    expect(readTree(outdir)).toEqual(before);
  });
});

describe('fleets: clusters with the same settings share one rendering when it is proven the same', () => {
  type Ring = { readonly name: string; readonly version?: '1.29' };
  const fleet = (rings: readonly Ring[], streaming: boolean, build: (scope: any, cluster: any) => void) => {
    const environments = Environments.define({
      prod: { production: true, clusters: rings.map((r) => ({ name: r.name, server: `https://${r.name}.k8s.example`, ...(r.version ? { kubernetesVersion: r.version } : {}) })) },
    });
    const app = new GitOpsApp({ environments, repository: { url: REPO_URL }, streaming });
    app.forEachTarget((scope, target) => build(scope, target.cluster));
    return app;
  };
  const shop = (scope: any) => {
    const shopUnit = unitScope(scope, 'shop');
    namespace(shopUnit, 'shop');
    configMap(shopUnit, 'shop', 'settings', { LOG_LEVEL: 'info' });
  };

  it('gives every ring but the first two the first one\'s objects, with the bytes of building each (generated fleets)', () => {
    const random = prng(41);
    for (let run = 0; run < 4; run++) {
      const rings = Array.from({ length: 3 + Math.floor(random() * 6) }, (_, i) => ({ name: `ring-${i}` }));
      const shared = fleet(rings, true, shop);
      const files = shared.synthFiles();
      expect(shared._sharedTargets).toBe(rings.length - 2);
      expect([...files]).toEqual([...fleet(rings, false, shop).synthFiles()]);
    }
  });

  it('renders each ring on its own when the description reads the cluster\'s name or server', () => {
    for (const read of ['name', 'server'] as const) {
      const rings = [0, 1, 2, 3].map((i) => ({ name: `ring-${i}` }));
      // the same objects for the first two rings, a difference only from the third on: the read alone must stop sharing
      const build = (scope: any, cluster: any) => {
        shop(scope);
        if (String(cluster[read]).includes('ring-3')) configMap(unitScope(scope, 'extra'), 'shop', 'extra', { AT: 'ring-3' });
      };
      const app = fleet(rings, true, build);
      const files = app.synthFiles();
      expect(app._sharedTargets).toBe(0);
      expect(files.has('prod/ring-3/shop/extra.yaml')).toBe(true);
      expect(files.has('prod/ring-2/shop/extra.yaml')).toBe(false);
    }
  });

  it('groups rings by their settings: a ring on another Kubernetes version is rendered on its own', () => {
    const rings: Ring[] = [{ name: 'a' }, { name: 'b' }, { name: 'c', version: '1.29' }, { name: 'd' }, { name: 'e' }];
    const app = fleet(rings, true, shop);
    const files = app.synthFiles();
    // a, b, d, e share one group (d and e take a's objects); c is alone
    expect(app._sharedTargets).toBe(2);
    expect([...files]).toEqual([...fleet(rings, false, shop).synthFiles()]);
  });

  it('does not share when the first two rings render different objects (names hashed from construct paths)', () => {
    const rings = [0, 1, 2].map((i) => ({ name: `ring-${i}` }));
    // an object without a name: cdk8s names it from its construct path, which starts with the cluster's id
    const build = (scope: any) => new ApiObject(scope, 'unnamed', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'default' }, data: { a: 'b' } });
    const app = fleet(rings, true, build);
    const files = app.synthFiles();
    expect(app._sharedTargets).toBe(0);
    expect([...files]).toEqual([...fleet(rings, false, build).synthFiles()]);
  });
});
