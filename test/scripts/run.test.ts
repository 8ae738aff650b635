import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

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
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

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

  test('reports a configuration error as its message, exits 1 and leaves the output folder alone', () => {
    const out = path.join(dir, 'dist');
    fs.mkdirSync(path.join(out, 'dev'), { recursive: true });
    fs.writeFileSync(path.join(out, 'dev', 'kustomization.yaml'), 'previous\n');
    const app = path.join(dir, 'app.ts');
    fs.writeFileSync(app, `
import { Environments, GitOpsApp } from ${JSON.stringify(path.join(root, 'lib/gitops'))};
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
});
