// `npm run diff` end to end: scripts/diff.ts on test/gitops/fixtures/tiny-app.ts against a temporary dist/.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { buildApp } from './fixtures/tiny-app';
import { tempDir } from './helpers';
import { scriptBundle } from '../scripts/script-bundle';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const APP = 'test/gitops/fixtures/tiny-app.ts';
// every case but one runs the script bundled (see script-bundle.ts); the first runs it under tsx, as `npm run diff`
const script = scriptBundle('scripts/diff.ts', [APP, 'test/gitops/helpers.ts']);

function diff(dist: string, args: string[], variant = '', viaTsx = false) {
  const env = { ...process.env, TINY_APP_VARIANT: variant };
  const argv = ['--app', APP, '--dist', dist, ...args];
  if (!viaTsx) return script.run(argv, { env });
  const r = spawnSync(TSX, ['scripts/diff.ts', ...argv], { cwd: ROOT, encoding: 'utf8', env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('scripts/diff.ts', () => {
  let root: string;
  let dist: string;
  beforeAll(() => {
    root = tempDir();
    dist = path.join(root, 'dist');
    buildApp(dist).synth();
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('--check exits 0 and says so when dist/ is up to date', () => {
    const r = diff(dist, ['--check'], '', true);
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(r.stdout).toMatch(/dist\/ is up to date\.\n$/);
  });

  it('--check exits 1 and prints the field-level diff and the warnings when dist/ is out of date', () => {
    const r = diff(dist, ['--check'], 'renamed');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('== dev ==\n');
    expect(r.stdout).toContain('  + Service shop/api-v2  (dev/shop/extra.yaml)\n');
    expect(r.stdout).toContain('  - Service shop/api  (dev/shop/extra.yaml)\n');
    expect(r.stdout).toContain('!!! RENAMED: Service shop/api -> api-v2');
    expect(r.stderr).toMatch(/dist\/ is out of date; run `npm run synth` and commit the result/);
  });

  it('prints the diff and exits 0 without --check', () => {
    const r = diff(dist, [], 'renamed');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/is out of date: 3 file\(s\) changed, 0 added, 0 removed\./);
  });

  it('reads the committed files, so a hand edit in dist/ shows up as a change', () => {
    const copy = path.join(root, 'edited');
    fs.cpSync(dist, copy, { recursive: true });
    const file = path.join(copy, 'dev/shop/cache.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('SIZE: 64Mi', 'SIZE: 128Mi'));
    const r = diff(copy, ['--check']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('  ~ ConfigMap shop/cache  (dev/shop/cache.yaml)\n      data.SIZE: "128Mi" -> "64Mi"\n');
  });

  it('--check exits 1 when there is no dist/ at all', () => {
    const r = diff(path.join(root, 'missing'), ['--check']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('== argocd ==');
  });

  it('exits 2 with the error when the app fails to render, and writes nothing', () => {
    const before = fs.readFileSync(path.join(dist, 'dev/kustomization.yaml'), 'utf8');
    const r = diff(dist, ['--check'], 'broken');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('tiny-app: rendering failed on purpose');
    expect(fs.readFileSync(path.join(dist, 'dev/kustomization.yaml'), 'utf8')).toBe(before);
  });

  it('exits 2 on an unknown argument or an app module without buildApp', () => {
    expect(diff(dist, ['--frobnicate']).status).toBe(2);
    const r = script.run(['--app', 'test/gitops/helpers.ts']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('must export a function buildApp(outdir?: string): GitOpsApp');
  });
});
