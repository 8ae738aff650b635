// Correctness of the benchmark platform and of what the benchmark compares (no timing here: scripts/bench.ts).
import { ApiObject, App } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import {
  benchDatabases, benchPlatform, BENCH_NAMESPACES, PROMOTING_EVERY, buildBenchApp, buildPlainBenchApps, OBJECTS_PER_DATABASE, OBJECTS_PER_NAMESPACE, OBJECTS_PER_SERVICE, servicesFromEnv,
} from '../../apps/bench';
import { RenderedObject } from '../../lib/gitops';
import { HardenedService } from '../../lib/workloads';
import { FloorInput, writeFloor } from '../../scripts/bench-floor';
import { floorInput, synthInPhases } from '../../scripts/bench-phases';
import { fleetSynth } from '../../scripts/bench-fleet';
import { linearStock } from '../../scripts/bench-plain';

const SERVICES = 3;
const ENVS = ['dev', 'staging', 'prod'];

/** Every file below `dir`, relative path -> bytes. */
function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      // the marker naming the app is no manifest; the floor measures manifests only
      else if (path.relative(dir, p) !== '.rendered-by') out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/** The tree with each file's bytes as latin1 text: equal exactly when the bytes are. */
const asText = (tree: Map<string, Buffer>) => new Map([...tree].map(([file, bytes]) => [file, bytes.toString('latin1')]));

/** JSON with sorted keys: equal for equal objects, whatever the key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as any)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function withoutSyncWave(m: any): any {
  const annotations = { ...m.metadata?.annotations };
  delete annotations['argocd.argoproj.io/sync-wave'];
  delete annotations['typed-manifests.io/apply-phase'];
  const metadata = { ...m.metadata, annotations: Object.keys(annotations).length > 0 ? annotations : undefined };
  if (!metadata.annotations) delete metadata.annotations;
  return { ...m, metadata };
}

const identity = (m: any) => `${m.kind}/${m.metadata?.namespace ?? ''}/${m.metadata?.name}`;

function serviceOf(obj: ApiObject): HardenedService | undefined {
  for (let c: IConstruct | undefined = obj.node.scope; c; c = c.node.scope) {
    if (c instanceof HardenedService) return c;
  }
  return undefined;
}

/** The parsed objects of every YAML file below `dir` whose relative path passes `keep`. */
function parseTree(dir: string, keep: (file: string) => boolean): any[] {
  return [...readTree(dir).entries()]
    .filter(([file]) => keep(file))
    .flatMap(([, bytes]) => YAML.parseAllDocuments(bytes.toString('utf8'), { version: '1.1' }).map((d) => d.toJS()))
    .filter((d) => d !== null);
}

describe('the benchmark platform (apps/bench.ts)', () => {
  let rendered: RenderedObject[];
  let tmp: string;

  beforeAll(() => {
    rendered = buildBenchApp(SERVICES).render();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-test-'));
  });

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  // GitOpsApp.synthTo of the benchmark, written once for the tests that read it
  let ours: string | undefined;
  const oursDir = () => {
    if (!ours) {
      ours = path.join(tmp, 'ours');
      buildBenchApp(SERVICES).synthTo(ours);
    }
    return ours;
  };

  // stock App.synth() of the bench (quadratic in charts, the slowest step here): written once, read by two tests
  let stockWritten = false;
  const stockTree = () => {
    if (!stockWritten) for (const app of buildPlainBenchApps(SERVICES, path.join(tmp, 'stock'))) app.synth();
    stockWritten = true;
  };

  test(`renders 3 environments x ${SERVICES} services with at least ${OBJECTS_PER_SERVICE} objects each, plus the namespaces`, () => {
    for (const env of ENVS) {
      const inEnv = rendered.filter((o) => o.folder === env);
      for (const spec of benchPlatform(SERVICES).services) {
        const own = inEnv.filter((o) => serviceOf(o.apiObject)?.node.id === spec.name);
        expect(own.length).toBeGreaterThanOrEqual(OBJECTS_PER_SERVICE);
      }
      expect(inEnv.filter((o) => o.manifest.kind === 'StatefulSet' || o.manifest.kind === 'Job')).toHaveLength(2 * benchDatabases(SERVICES));
      expect(inEnv.filter((o) => o.manifest.kind === 'Namespace')).toHaveLength(Math.min(SERVICES, BENCH_NAMESPACES));
      expect(new Set(inEnv.filter((o) => serviceOf(o.apiObject)).map((o) => o.manifest.kind))).toEqual(
        new Set(['ServiceAccount', 'Deployment', 'Service', 'NetworkPolicy', 'HorizontalPodAutoscaler', 'ScaledObject', 'PodDisruptionBudget',
          'ServiceMonitor', 'PrometheusRule', 'ConfigMap', 'HTTPRoute', 'DestinationRule', 'AuthorizationPolicy', 'SealedSecret', 'PeerAuthentication']));
    }
  });

  test('every service has its ConfigMap, in its own file', () => {
    for (const env of ENVS) {
      for (const spec of benchPlatform(SERVICES).services) {
        const cm = rendered.filter((o) => o.folder === env && o.manifest.kind === 'ConfigMap' && o.manifest.metadata.name.startsWith(`${spec.name}-config-`));
        expect(cm).toHaveLength(1);
        expect(cm[0].manifest.immutable).toBe(true);
        expect(cm[0].manifest.metadata.namespace).toBe(spec.namespace);
        expect(cm[0].file).toBe(`${spec.namespace}/${spec.name}.yaml`);
        expect(cm[0].manifest.data.environment).toBe(env);
      }
    }
  });

  test('spreads services over at most ten namespaces and connects every service but the first to another', () => {
    const platform = benchPlatform(25);
    expect(platform.namespaces).toHaveLength(BENCH_NAMESPACES);
    expect(new Set(platform.services.map((s) => s.namespace)).size).toBe(BENCH_NAMESPACES);
    expect(platform.services.filter((s) => s.calls === undefined).map((s) => s.index)).toEqual([0]);
    const policy = rendered.find((o) => o.folder === 'dev' && o.manifest.kind === 'NetworkPolicy' && o.manifest.metadata.name === 'svc-0000')!;
    // svc-0000 admits the gateway and its two callers on its port (and Prometheus on the metrics port), on the network and in the mesh
    const onPort = (port: number) => policy.manifest.spec.ingress.filter((r: any) => r.ports.some((p: any) => p.port === port)).flatMap((r: any) => r.from);
    expect(onPort(8080)).toHaveLength(3);
    expect(onPort(9090)).toHaveLength(1);
    const allow = rendered.find((o) => o.folder === 'dev' && o.manifest.kind === 'AuthorizationPolicy' && o.manifest.metadata.name === 'svc-0000')!;
    const principals = allow.manifest.spec.rules.flatMap((r: any) => (r.from ?? []).flatMap((f: any) => f.source.principals ?? []));
    expect(principals).toEqual([
      'cluster.local/ns/gateway-system/sa/public-istio', 'cluster.local/ns/team-01/sa/svc-0001', 'cluster.local/ns/team-02/sa/svc-0002',
    ]);
  });

  test('promotion in progress: every PROMOTING_EVERY-th service still runs its previous release in prod', () => {
    const images = (folder: string) => new Map(rendered.filter((o) => o.folder === folder && o.manifest.kind === 'Deployment')
      .map((o) => [o.manifest.metadata.name, o.manifest.spec.template.spec.containers[0].image]));
    const [dev, staging, prod] = ENVS.map(images);
    for (const spec of benchPlatform(SERVICES).services) {
      expect(staging.get(spec.name)).toBe(dev.get(spec.name));
      expect(prod.get(spec.name)).toBe(spec.index % PROMOTING_EVERY === 1 ? `ghcr.io/acme/${spec.name}:0.9.0` : dev.get(spec.name));
    }
    expect([...prod.values()].filter((i) => i.endsWith(':0.9.0'))).toHaveLength(1);
  });

  test('BENCH_NAMESPACES packs the services into fewer namespaces (the density case), and must divide ten', () => {
    const saved = process.env.BENCH_NAMESPACES;
    try {
      process.env.BENCH_NAMESPACES = '1';
      const dense = benchPlatform(25);
      expect(dense.namespaces).toEqual(['team-00']);
      expect(new Set(dense.services.map((s) => s.namespace))).toEqual(new Set(['team-00']));
      // every service of the dense platform renders and passes every check in one namespace
      const objects = buildBenchApp(12).render();
      expect(new Set(objects.filter((o) => o.manifest.kind === 'Deployment').map((o) => o.manifest.metadata.namespace))).toEqual(new Set(['team-00']));
      for (const bad of ['0', '1.5', 'ten', '3', '100']) {
        process.env.BENCH_NAMESPACES = bad;
        expect(() => benchPlatform(25)).toThrow(`BENCH_NAMESPACES must be 1, 2, 5 or 10 (a divisor of ten: the services on the apex host share one team), got ${JSON.stringify(bad)}`);
      }
      // every allowed spread renders and passes every check (the apex-host routes share one team)
      for (const good of ['2', '5']) {
        process.env.BENCH_NAMESPACES = good;
        expect(buildBenchApp(12).render().length).toBeGreaterThan(0);
      }
    } finally {
      if (saved === undefined) delete process.env.BENCH_NAMESPACES;
      else process.env.BENCH_NAMESPACES = saved;
    }
  });

  test('SERVICES must be a positive integer', () => {
    expect(servicesFromEnv(undefined)).toBe(100);
    expect(servicesFromEnv('7')).toBe(7);
    expect(() => servicesFromEnv('1e3x')).toThrow(/SERVICES must be a positive integer, got "1e3x"/);
    expect(() => buildBenchApp(0)).toThrow(/positive integer/);
  });

  test('the stock cdk8s tree builds the same objects (kind, namespace, name) per environment', () => {
    const apps = buildPlainBenchApps(SERVICES, path.join(tmp, 'unused'));
    expect(apps).toHaveLength(3);
    apps.forEach((app: App, i) => {
      const stock = app.charts.flatMap((c) => c.toJson()).map(identity).sort();
      const ours = rendered.filter((o) => o.folder === ENVS[i]).map((o) => identity(o.manifest)).sort();
      expect(stock).toEqual(ours);
    });
  });

  test('our synth and stock App.synth() write the same objects; only the file layout differs', () => {
    const oursRoot = oursDir();
    stockTree();
    for (const env of ENVS) {
      // the apply order's Argo CD sync waves are GitOps wiring that stock cdk8s does not write
      const ours = parseTree(path.join(oursRoot, env), (f) => !f.endsWith('kustomization.yaml')).map(withoutSyncWave).map(canonical).sort();
      const stock = parseTree(path.join(tmp, 'stock', env), () => true).map(canonical).sort();
      expect(ours.length).toBeGreaterThanOrEqual(SERVICES * OBJECTS_PER_SERVICE + SERVICES * OBJECTS_PER_NAMESPACE + benchDatabases(SERVICES) * OBJECTS_PER_DATABASE);
      expect(stock).toEqual(ours);
    }
  });

  test('the linear stock baseline (one validation and dependency resolution per App) writes the same files as stock', () => {
    stockTree();
    const saved = (App as any)._synthChart;
    try {
      linearStock();
      for (const app of buildPlainBenchApps(SERVICES, path.join(tmp, 'stock-l'))) app.synth();
    } finally {
      (App as any)._synthChart = saved;
    }
    const quadratic = readTree(path.join(tmp, 'stock'));
    expect(quadratic.size).toBeGreaterThan(10);
    // as latin1 text (one character per byte): the same check as comparing the Buffers, which toEqual walks byte by byte (seconds)
    expect(asText(readTree(path.join(tmp, 'stock-l')))).toEqual(asText(quadratic));
  });

  test('the fleet case renders one target per ring, each with the same objects', () => {
    const { files, shared } = fleetSynth(5, 2);
    // rings 2..4 take ring 0's rendering (ring 1 proved it the same); the bytes are those of building each ring
    expect(shared).toBe(3);
    expect([...files]).toEqual([...fleetSynth(5, 2, false).files]);
    const ringFiles = (ring: string) => [...files.keys()].filter((f) => f.startsWith(`prod/${ring}/`)).map((f) => f.slice(`prod/${ring}/`.length)).sort();
    expect(ringFiles('ring-000').length).toBeGreaterThan(10);
    expect(ringFiles('ring-001')).toEqual(ringFiles('ring-000'));
    expect(ringFiles('ring-002')).toEqual(ringFiles('ring-000'));
  });

  test('the serialization floor writes the same bytes as GitOpsApp.synthTo for the same objects', () => {
    const synthDir = oursDir();
    const { objects, files } = synthInPhases(() => buildBenchApp(SERVICES), undefined, true);
    // through JSON, as the floor process reads it
    const input: FloorInput = JSON.parse(JSON.stringify(floorInput(objects, files)));
    writeFloor(input, path.join(tmp, 'floor'));
    const expected = readTree(synthDir);
    const actual = readTree(path.join(tmp, 'floor'));
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [file, bytes] of expected) expect(actual.get(file)!.equals(bytes)).toBe(true);
  });

  test('the phase-by-phase synth of the benchmark produces exactly what GitOpsApp.synthFiles() does', () => {
    const phased = synthInPhases(() => buildBenchApp(SERVICES), path.join(tmp, 'phased'));
    const files = buildBenchApp(SERVICES).synthFiles();
    expect([...phased.files.keys()]).toEqual([...files.keys()]);
    for (const [file, text] of files) expect(phased.files.get(file)).toBe(text);
    expect(Object.keys(phased.times).sort()).toEqual(['build', 'checks', 'layout', 'policy', 'references', 'render', 'schema', 'write']);
    expect(readTree(path.join(tmp, 'phased')).size).toBe(files.size);
  });

  test('the phase-by-phase synth validates schemas like GitOpsApp.render() does', () => {
    const typo = () => {
      const app = buildBenchApp(1);
      const chart = app.chartFor(app.targets[0]);
      new ApiObject(chart, 'typo', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'typo', namespace: 'default' }, dta: {} } as any);
      return app;
    };
    expect(() => typo().synthFiles()).toThrow(/ConfigMap\/default\/typo[\s\S]*unknown field, got "dta"/);
    expect(() => synthInPhases(typo)).toThrow(/ConfigMap\/default\/typo[\s\S]*unknown field, got "dta"/);
  });
});
