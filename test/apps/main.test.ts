import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { buildApp, environments } from '../../apps/main';
import { readTree as readDistTree } from '../../lib/gitops';
import { environmentFacts, evaluate, evaluateManifests } from '../../lib/policy';
import { nodePoolPlacement } from '../../lib/policy/tenancy-rules';

const root = path.resolve(__dirname, '../..');

/** Every file below `dir`, relative path -> bytes, sorted. */
function readTree(dir: string): Map<string, Buffer> {
  return new Map([...readDistTree(dir).entries()].map(([file, text]) => [file, Buffer.from(text, 'utf8')]));
}

/** The environment folder of a file: its closest ancestor holding a kustomization.yaml. */
function folderOf(file: string, tree: Map<string, Buffer>): string {
  // the outermost one: a target's team and platform folders have kustomizations of their own (tenancy)
  let found: string | undefined;
  for (let dir = path.dirname(file); dir !== '.'; dir = path.dirname(dir)) {
    if (tree.has(`${dir}/kustomization.yaml`)) found = dir;
  }
  if (found === undefined) throw new Error(`${file} is in no kustomization folder`);
  return found;
}

/** Resolves when the command wrote `outdir`; rejects with its output when it failed. */
function synthInto(outdir: string, command: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(command[0], command.slice(1), {
      cwd: root,
      env: { ...process.env, CDK8S_OUTDIR: outdir, CDK8S_CHECK_UPGRADE: 'false' },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (c: string) => { stdout += c; });
    p.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
    p.on('error', reject);
    p.on('close', (status) => (status === 0 ? resolve() : reject(new Error(`${command.join(' ')} failed (${status}):\n${stdout}\n${stderr}`))));
  });
}

describe('the example platform (apps/main.ts)', () => {
  let tmp: string;
  let first: Map<string, Buffer>;

  // the two synth processes are independent: start them together, each test awaits the one it reads
  let viaCliDone: Promise<void>;
  const scratchOf = () => path.join(tmp, 'cli', '.cdk8s.out');

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'main-synth-'));
    const a = synthInto(path.join(tmp, 'a'), ['node', 'scripts/run.js', 'apps/main.ts']);
    viaCliDone = synthInto(scratchOf(), ['npx', '--no-install', 'cdk8s', 'synth', '--no-check-upgrade', '--output', scratchOf()]);
    // a failure is reported by the test that reads it
    viaCliDone.catch(() => undefined);
    await a;
    first = readTree(path.join(tmp, 'a'));
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([viaCliDone]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('synthesizing twice writes the same bytes', async () => {
    // the second synth is the CLI's: another process running the same app (scripts/run.js, as cdk8s.yaml says)
    expect(fs.readFileSync(path.join(root, 'cdk8s.yaml'), 'utf8')).toMatch(/^app: node scripts\/run\.js apps\/main\.ts$/m);
    await viaCliDone;
    const again = readTree(path.join(tmp, 'cli', 'dist'));
    expect([...again.keys()]).toEqual([...first.keys()]);
    for (const [file, bytes] of first) expect(again.get(file)!.equals(bytes)).toBe(true);
  }, 120_000);

  test('npx cdk8s synth writes the same tree as npm run synth (into dist/ beside its scratch folder, which gets a copy)', async () => {
    const scratch = scratchOf();
    await viaCliDone;
    const viaCli = readTree(path.join(tmp, 'cli', 'dist'));
    expect([...viaCli.keys()]).toEqual([...first.keys()]);
    for (const [file, bytes] of first) expect(viaCli.get(file)!.equals(bytes)).toBe(true);
    // the CLI's copy (its listing and the validation plugin read it), with the construct metadata it asked for
    const copy = readTree(scratch);
    // ...and the marker that tells the plugin synth already checked it (with the exemptions the code declares)
    expect(copy.get('.checked-by-synth')).toBeDefined();
    expect([...copy.keys()].filter((f) => f !== 'construct-metadata.json' && f !== '.checked-by-synth')).toEqual([...first.keys()]);
    expect(JSON.parse(copy.get('construct-metadata.json')!.toString()).resources.api.path).toMatch(/^dev\/storefront\//);
    expect(fs.readFileSync(path.join(tmp, 'cli', 'dist', '.rendered-by'), 'utf8')).toContain('app: "apps/main.ts"');
  }, 120_000);

  test('renders dev, staging and both prod regions with the four storefront workloads each', () => {
    for (const folder of ['dev', 'staging', 'prod/prod-eu-west-1', 'prod/prod-us-east-1']) {
      for (const unit of ['api', 'web', 'order-worker', 'nightly-report']) {
        expect(first.has(`${folder}/storefront/${unit}.yaml`)).toBe(true);
      }
      expect(first.has(`${folder}/_platform/_cluster/storefront.yaml`)).toBe(true);
      expect(first.has(`${folder}/kustomization.yaml`)).toBe(true);
    }
  });

  test('writes only YAML (no stray JSON where Argo CD or Flux read)', () => {
    for (const file of first.keys()) expect(file).toMatch(/\.yaml$/);
  });

  test('every object in dist/ passes every rule but for what the code exempts, and every exemption is the library\'s own', () => {
    const app = buildApp();
    const inputs = [...first.entries()]
      .filter(([file]) => !file.endsWith('kustomization.yaml'))
      .flatMap(([file, bytes]) => YAML.parseAllDocuments(bytes.toString('utf8')).map((d) => {
        const folder = folderOf(file, first);
        // the environment a rule may read (production, domain, mesh), as synth gives it
        const target = app.targets.find((t) => t.path === folder);
        return { folder, manifest: d.toJSON(), ...(target ? { environment: environmentFacts(target.env, target.cluster) } : {}) };
      }));
    expect(inputs.length).toBeGreaterThan(50);
    // plain manifests carry no exemption: what they fail is exactly what synth lifted, object by object
    const key = (f: { folder: string; rule: string; object: { kind: string; namespace?: string; name: string } }) => `${f.folder} ${f.rule} ${f.object.kind}/${f.object.namespace ?? ''}/${f.object.name}`;
    const lifted = evaluate(app.render(), { includeExempted: true }).filter((f) => f.exemption);
    expect([...new Set(evaluateManifests(inputs).map(key))].sort()).toEqual([...new Set(lifted.map(key))].sort());
    // the node pool rule needs the clusters: check it with them
    const withCluster = (f: string) => environments.all.flatMap((e) => e.clusters).find((c) => f === c.name || f.endsWith(`/${c.name}`));
    const byFolder = new Map<string, any[]>();
    for (const i of inputs) byFolder.set(i.folder, [...(byFolder.get(i.folder) ?? []), i.manifest]);
    for (const [folder, objects] of byFolder) {
      const cluster = withCluster(folder);
      if (!cluster) continue;
      for (const m of objects) expect(nodePoolPlacement.check(m, { folder, objects, cluster })).toEqual([]);
    }
    // and the only relaxations are the library's: the team presets' exec and port-forward, the token of the
    // worker's Lease grant, the mesh's plain-text scrape ports
    expect([...new Set(lifted.map((f) => `${f.rule} ${f.object.kind}/${f.object.name} ${f.exemption!.reason.replace(/ (of team|in the team's own namespace) .*$/, '')}`))].sort()).toEqual([
      'hygiene-automount-service-account-token Deployment/order-worker calls the Kubernetes API with the grants of Role storefront/order-worker',
      // the mesh: the scrape port accepts plain text from Prometheus (outside the mesh), admitted by port only
      'hygiene-mesh-mtls-strict-in-production PeerAuthentication/api a scraper outside the mesh reads port 9090 in plain text; the NetworkPolicy admits only it there',
      'hygiene-mesh-mtls-strict-in-production PeerAuthentication/checkout a scraper outside the mesh reads port 9090 in plain text; the NetworkPolicy admits only it there',
      'hygiene-mesh-mtls-strict-in-production PeerAuthentication/order-worker a scraper outside the mesh reads port 9090 in plain text; the NetworkPolicy admits only it there',
      "tenancy-rbac-pod-exec Role/team-admin team preset 'admin'",
      "tenancy-rbac-pod-exec Role/team-edit team preset 'edit'",
    ]);
  });

  test('scales the API by environment: 1 replica in dev, an autoscaler from 3 in prod', () => {
    const docs = (file: string) => YAML.parseAllDocuments(first.get(file)!.toString('utf8')).map((d) => d.toJSON());
    const devApi = docs('dev/storefront/api.yaml');
    expect(devApi.find((o) => o.kind === 'Deployment').spec.replicas).toBe(1);
    expect(devApi.map((o) => o.kind)).not.toContain('PodDisruptionBudget');
    const prodApi = docs('prod/prod-eu-west-1/storefront/api.yaml');
    expect(prodApi.find((o) => o.kind === 'HorizontalPodAutoscaler').spec.minReplicas).toBe(3);
    expect(prodApi.map((o) => o.kind)).toContain('PodDisruptionBudget');
  });
});

describe('the committed dist/', () => {
  test('is what the code renders now (run `npm run synth` and commit dist/ after changing the code)', () => {
    const { readTree: readDist } = require('../../lib/gitops');
    const committed: Map<string, string> = readDist(path.join(root, 'dist'));
    // retained config generations come from the dist/ being replaced, as in `npm run synth`
    const fresh = buildApp().synthFiles((file) => committed.get(file));
    expect([...committed.keys()]).toEqual([...fresh.keys()]);
    const stale = [...fresh.keys()].filter((file) => committed.get(file) !== fresh.get(file));
    expect(stale).toEqual([]);
  });
});

describe('the optimized synth path', () => {
  test('writes the same bytes as the unoptimized one (toJson and the yaml library)', () => {
    const { compareManifests, toYamlReference } = require('../../lib/gitops');
    const app = buildApp();
    const fast: Map<string, string> = app.synthFiles();
    const objects = app.render();
    // the apply order's sync waves are added to the rendered objects by GitOpsApp: add them to the reference too
    const { annotateSyncWaves, computeApplyOrder } = require('../../lib/gitops/apply-order');
    const refs = objects.filter((o: any) => o.folder !== 'argocd' && o.folder !== 'flux') // generated classes: always rendered by toJson
      .map((o: any) => ({ ...o, manifest: o.apiObject.toJson() }));
    annotateSyncWaves(refs, computeApplyOrder(refs, app.targets.map((t: any) => t.path)));
    const docs = new Map<string, any[]>();
    for (const o of refs) {
      const key = `${o.folder}/${o.file}`;
      docs.set(key, [...(docs.get(key) ?? []), o.manifest]);
    }
    expect(docs.size).toBeGreaterThan(20);
    for (const [file, manifests] of docs) {
      const reference = manifests.sort(compareManifests).map((m: unknown) => toYamlReference(m)).join('---\n');
      expect(fast.get(file)).toBe(reference);
    }
  });
});
