import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { removeWithBundles } from './run-cache';

const root = path.resolve(__dirname, '../..');
const runner = path.join(root, 'scripts/run.js');

function run(entry: string, env: Record<string, string> = {}) {
  return spawnSync('node', [runner, entry], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('scripts/run.js', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-'));
  });
  afterEach(() => removeWithBundles(dir));

  test('runs the app as the main module', () => {
    const app = path.join(dir, 'app.ts');
    fs.writeFileSync(app, "const n: number = 41;\nif (require.main === module) console.log(`main ${n + 1}`);\n");
    const r = run(app);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('main 42\n');
    expect(r.status).toBe(0);
  });

  test('runs only the entry\'s main block, not those of modules it imports', () => {
    const app = path.join(dir, 'app.ts');
    fs.writeFileSync(path.join(dir, 'other.ts'), "export const x = 1;\nif (require.main === module) console.log('other main');\n");
    fs.writeFileSync(app, "import { x } from './other';\nif (require.main === module) console.log(`entry main ${x}`);\n");
    expect(run(app).stdout).toBe('entry main 1\n');
  });

  test('rebuilds the bundle when an input changes', () => {
    const app = path.join(dir, 'app.ts');
    const dep = path.join(dir, 'dep.ts');
    fs.writeFileSync(app, "import { word } from './dep';\nconsole.log(word);\n");
    fs.writeFileSync(dep, "export const word = 'first';\n");
    expect(run(app).stdout).toBe('first\n');
    fs.writeFileSync(dep, "export const word = 'second, longer';\n");
    expect(run(app).stdout).toBe('second, longer\n');
  });

  test('runs from V8\'s code cache after a first run, and never from the cache of an older bundle', () => {
    const app = path.join(dir, 'app.ts');
    const dep = path.join(dir, 'dep.ts');
    fs.writeFileSync(app, "import { word } from './dep';\nconsole.log(word);\n");
    const caches = () => fs.readdirSync(path.join(root, '.cache/run')).filter((n) => n.includes(`_${path.basename(dir)}_`) && n.endsWith('.v8cache'));
    fs.writeFileSync(dep, "export const word = 'aaaa';\n");
    expect(run(app).stdout).toBe('aaaa\n');
    expect(caches()).toHaveLength(1);
    expect(run(app).stdout).toBe('aaaa\n');
    // V8 accepts a cache for any source of the same length: a rebuilt bundle of the same size must not run old code
    fs.writeFileSync(dep, "export const word = 'bbbb';\n");
    const r = run(app);
    expect([r.stdout, r.stderr]).toEqual(['bbbb\n', '']);
    expect(caches()).toHaveLength(1);
  });

  test('reports a configuration error as its message, exits 1 and leaves the output folder alone', () => {
    const out = path.join(dir, 'dist');
    fs.mkdirSync(path.join(out, 'dev'), { recursive: true });
    fs.writeFileSync(path.join(out, 'dev', 'kustomization.yaml'), 'previous\n');
    const app = path.join(dir, 'app.ts');
    fs.writeFileSync(app, `
import ${JSON.stringify(path.join(root, 'lib/capabilities'))}; import { Environments, GitOpsApp } from ${JSON.stringify(path.join(root, 'lib/gitops'))};
import { PlatformNamespace } from ${JSON.stringify(path.join(root, 'lib/platform'))};
import { HardenedService } from ${JSON.stringify(path.join(root, 'lib/workloads'))};
const app = new GitOpsApp({ environments: Environments.define({ dev: { clusters: [{ name: 'dev', server: 'https://k.example' }] } }) });
app.forEachTarget((scope) => new HardenedService(new PlatformNamespace(scope, 'shop'), 'api', { image: 'nginx:latest', port: 8080 }));
app.synth();
`);
    const r = run(app, { CDK8S_OUTDIR: out });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`synth failed, nothing was written: dev/shop/api: image must not use the mutable 'latest' tag, got "nginx:latest"; pin a version, e.g. 'nginx:1.2.3', or a digest\n`);
    expect(fs.readdirSync(out)).toEqual(['dev']);
    expect(fs.readFileSync(path.join(out, 'dev', 'kustomization.yaml'), 'utf8')).toBe('previous\n');
  });

  test('cdk8s Include and Helm work in the bundle, and what they render is judged by policy', () => {
    const out = path.join(dir, 'dist');
    fs.writeFileSync(path.join(dir, 'extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: shop\ndata:\n  greeting: "yes"\n');
    // helm is not installed here: a stand-in prints what `helm template` would
    const helm = path.join(dir, 'helm');
    const chartOutput = (privileged: boolean) => [
      'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: charted', '  namespace: shop', 'spec:', '  containers:',
      '    - name: c', '      image: nginx:1.27.0', ...(privileged ? ['      securityContext:', '        privileged: true'] : []),
    ].join('\n');
    const app = (withHelm: boolean) => `
import { Helm, Include } from ${JSON.stringify(path.join(root, 'node_modules/cdk8s'))};
import ${JSON.stringify(path.join(root, 'lib/capabilities'))}; import { Environments, GitOpsApp } from ${JSON.stringify(path.join(root, 'lib/gitops'))};
const app = new GitOpsApp({ environments: Environments.define({ dev: { clusters: [{ name: 'dev', server: 'https://k.example' }] } }), argoCd: false, flux: false });
app.forEachTarget((scope) => {
  new Include(scope, 'extra', { url: ${JSON.stringify(path.join(dir, 'extra.yaml'))} });
  ${withHelm ? `new Helm(scope, 'chart', { chart: 'stand-in', helmExecutable: ${JSON.stringify(helm)} });` : ''}
});
app.synth();
`;
    fs.writeFileSync(path.join(dir, 'app.ts'), app(false));
    const ok = run(path.join(dir, 'app.ts'), { CDK8S_OUTDIR: out });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(fs.readFileSync(path.join(out, 'dev/shop/dev.yaml'), 'utf8')).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: shop\ndata:\n  greeting: "yes"\n');

    fs.writeFileSync(helm, `#!/bin/sh\ncat <<'EOF'\n${chartOutput(true)}\nEOF\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'app.ts'), app(true));
    const judged = run(path.join(dir, 'app.ts'), { CDK8S_OUTDIR: out });
    expect(judged.status).toBe(1);
    expect(judged.stderr).toMatch(/^synth failed, nothing was written: policy check failed/);
    expect(judged.stderr).toMatch(/privileged/);
    expect(judged.stderr).not.toMatch(/_loadurl|Cannot find module/);
    expect(fs.existsSync(path.join(out, 'dev/shop/dev.yaml'))).toBe(true);
  });

  test('a bug (not a configuration error) keeps its stack, mapped back to the TypeScript lines', () => {
    const app = path.join(dir, 'app.ts');
    fs.writeFileSync(app, `
function broken(): never {
  throw new TypeError('boom');
}
broken();
`);
    const r = run(app, { CDK8S_OUTDIR: path.join(dir, 'dist') });
    expect(r.status).toBe(1);
    const lines = r.stderr.split('\n');
    expect(lines[0]).toBe('synth failed, nothing was written: TypeError: boom');
    // the source map is read only now, when the stack is formatted
    expect(lines[1]).toBe(`    at broken (${app}:3:9)`);
    expect(lines[2]).toMatch(new RegExp(`^    at .*${app.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:1\\)?$`));
  });

  test('in the bundle (no type-check), a pick missing an environment names the target chart and the calling line', () => {
    const app = path.join(dir, 'app.ts');
    fs.writeFileSync(app, `
import ${JSON.stringify(path.join(root, 'lib/capabilities'))}; import { Environments, GitOpsApp } from ${JSON.stringify(path.join(root, 'lib/gitops'))};
const app = new GitOpsApp({ environments: Environments.define({ dev: { clusters: [{ name: 'dev', server: 'https://k.example' }] }, prod: { clusters: [{ name: 'prod', server: 'https://k.example' }] } }) });
app.forEachTarget((scope, { env }) => {
  const replicas: number = env.pick({ dev: 1 } as any);
  void replicas;
});
app.synth();
`);
    const r = run(app, { CDK8S_OUTDIR: path.join(dir, 'dist') });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`synth failed, nothing was written: prod: env.pick has no value for environment 'prod' (called at ${app}:5:32), got keys ["dev"]; add a 'prod' entry\n`);
  });

  test('`cdk8s synth --stdout`: one valid multi-document stream without kustomization files, and dist/ is kept', () => {
    fs.writeFileSync(path.join(dir, 'app.ts'), `
import ${JSON.stringify(path.join(root, 'lib/capabilities'))}; import { Environments, GitOpsApp } from ${JSON.stringify(path.join(root, 'lib/gitops'))};
import { PlatformNamespace } from ${JSON.stringify(path.join(root, 'lib/platform'))};
const app = new GitOpsApp({ environments: Environments.define({ dev: { clusters: [{ name: 'dev', server: 'https://k.example' }] }, prod: { clusters: [{ name: 'prod', server: 'https://prod.example' }] } }) });
app.forEachTarget((scope) => { new PlatformNamespace(scope, 'shop'); });
app.synth();
`);
    // the repository's cdk8s.yaml names the scratch folder as output: the CLI deletes that one (even under
    // --stdout), never dist/
    const config = fs.readFileSync(path.join(root, 'cdk8s.yaml'), 'utf8');
    expect(config).toMatch(/^output: \.cdk8s\.out$/m);
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), `language: typescript\napp: node ${JSON.stringify(runner)} app.ts\noutput: .cdk8s.out\n`);
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(dir, 'dist', 'previous.yaml'), 'kept\n');
    const cli = path.join(root, 'node_modules/cdk8s-cli/bin/cdk8s');
    const r = spawnSync('node', [cli, 'synth', '--stdout', '--no-check-upgrade'], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const docs = YAML.parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(YAML.parseAllDocuments(r.stdout).flatMap((d) => d.errors)).toEqual([]);
    expect(docs.length).toBeGreaterThan(10);
    expect(docs.every((d) => typeof d.apiVersion === 'string' && typeof d.kind === 'string')).toBe(true);
    expect(docs.filter((d) => d.kind === 'Kustomization' && d.apiVersion.startsWith('kustomize.config'))).toEqual([]);
    expect(r.stdout.startsWith('# argocd/')).toBe(true);
    expect(r.stdout).toMatch(/^---\n# dev\/_cluster\/shop\.yaml\napiVersion: v1\nkind: Namespace\n/m);
    expect(r.stdout).toMatch(/^---\n# prod\/shop\/namespace-defaults\.yaml\n/m);
    expect(fs.readFileSync(path.join(dir, 'dist', 'previous.yaml'), 'utf8')).toBe('kept\n');
  }, 20_000);

  test('a writer failure is reported as such (its message says what happened to the output), a duplicate id outside forEachTarget without a stack trace', () => {
    fs.writeFileSync(path.join(dir, 'file'), 'not a folder\n');
    const app = path.join(dir, 'app.ts');
    fs.writeFileSync(app, `
import { Chart } from ${JSON.stringify(path.join(root, 'node_modules/cdk8s'))};
import ${JSON.stringify(path.join(root, 'lib/capabilities'))}; import { Environments, GitOpsApp } from ${JSON.stringify(path.join(root, 'lib/gitops'))};
const app = new GitOpsApp({ environments: Environments.define({ dev: { clusters: [{ name: 'dev', server: 'https://k.example' }] } }) });
if (process.env.DUPLICATE) { new Chart(app, 'extra'); new Chart(app, 'extra'); }
app.synth();
`);
    const r = run(app, { CDK8S_OUTDIR: path.join(dir, 'file', 'dist') });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^synth failed: cannot create the folder .*file: .*; nothing was written\n$/);
    const d = run(app, { CDK8S_OUTDIR: path.join(dir, 'dist'), DUPLICATE: '1' });
    expect(d.status).toBe(1);
    expect(d.stderr).toMatch(new RegExp(`^synth failed, nothing was written: construct id 'extra' is used twice in GitOpsApp '' \\(at [^ ]*app\\.ts:5:\\d+\\); give each construct an id unique among its siblings`));
    expect(d.stderr.split('\n')).toHaveLength(2);
  });
});

describe('scripts/run.js: schema errors', () => {
  test('a schema failure (unknown CRD field, enum typo, string for an integer) prints the findings table, never a stack trace', () => {
    const { prng } = require('../fixtures/prng');
    const r = prng(2507);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-schema-'));
    try {
      const field = `x${Math.floor(r() * 1e6).toString(36)}Field`;
      const app = path.join(dir, 'app.ts');
      fs.writeFileSync(app, `
import { ApiObject } from ${JSON.stringify(path.join(root, 'node_modules/cdk8s'))};
import ${JSON.stringify(path.join(root, 'lib/capabilities'))};
import { Environments, GitOpsApp } from ${JSON.stringify(path.join(root, 'lib/gitops'))};
const app = new GitOpsApp({ environments: Environments.define({ dev: { clusters: [{ name: 'dev', server: 'https://k.example' }] } }), argoCd: false, flux: false });
app.forEachTarget((scope) => {
  new ApiObject(scope, 'so', { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'so', namespace: 'shop' },
    spec: { scaleTargetRef: { name: 'w' }, ${field}: true, minReplicaCount: 'two', triggers: [{ type: 'cron', metadata: {} }] } });
  new ApiObject(scope, 'gw', { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'shop' },
    spec: { gatewayClassName: 'istio', listeners: [{ name: 'h', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Everyone' } } }] } });
});
app.synth();
`);
      const res = run(app, { CDK8S_OUTDIR: path.join(dir, 'dist') });
      expect(res.status).toBe(1);
      expect(res.stderr).toMatch(/^synth failed, nothing was written: schema check failed with \d+ findings/);
      expect(res.stderr).toContain('OBJECT / WHERE');
      expect(res.stderr).toContain(field);
      expect(res.stderr).toContain('minReplicaCount');
      expect(res.stderr).toContain('Everyone');
      // no JavaScript stack frames
      expect(res.stderr).not.toMatch(/^\s+at .+[:(]\d+/m);
      expect(res.stderr).not.toMatch(/SchemaError:/);
    } finally {
      removeWithBundles(dir);
    }
  });
});
