import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cdk8sOutputProblem, cdk8sScratchFolder, ConfigError, DIST_MARKER, markedApp, readTree } from '../../lib';
import { shopApp } from './helpers';
import { prng, randomString } from '../fixtures/prng';

function withApp<T>(id: string, fn: () => T): T {
  const before = process.env.TYPED_MANIFESTS_APP;
  process.env.TYPED_MANIFESTS_APP = id;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.TYPED_MANIFESTS_APP;
    else process.env.TYPED_MANIFESTS_APP = before;
  }
}

describe('the marker naming the app that rendered dist/', () => {
  let root: string;
  beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'marker-')); });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('another app writing the folder is refused with the fix, and the folder stays as it was', () => {
    const out = path.join(root, 'dist');
    withApp('apps/main.ts', () => { shopApp({ outdir: out }).synth(); });
    expect(markedApp(out)).toBe('apps/main.ts');
    const before = readTree(out);
    expect(before.size).toBeGreaterThan(0);
    let error: unknown;
    withApp('apps/payments.ts', () => {
      try { shopApp({ outdir: out }).synth(); } catch (e) { error = e; }
    });
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('outdir is the output folder of another app (apps/main.ts');
    expect(message).toContain("new GitOpsApp({ outdir: 'dist-<name>'");
    expect(readTree(out)).toEqual(before);
    expect(markedApp(out)).toBe('apps/main.ts');
    // the same app again is fine
    withApp('apps/main.ts', () => { shopApp({ outdir: out }).synth(); });
  }, 60_000);

  test('is no manifest: not YAML or JSON (Argo CD directory sources, kustomize and the cdk8s CLI skip it), left out of readTree', () => {
    expect(DIST_MARKER).not.toMatch(/\.(ya?ml|json)$/);
    const out = path.join(root, 'dist');
    withApp('apps/main.ts', () => { shopApp({ outdir: out }).synth(); });
    expect(fs.existsSync(path.join(out, DIST_MARKER))).toBe(true);
    expect([...readTree(out).keys()]).not.toContain(DIST_MARKER);
  }, 60_000);

  test('any app name (markup, quotes, line breaks) round-trips through the marker on one line', () => {
    const rand = prng(3);
    for (let i = 0; i < 30; i++) {
      const id = randomString(rand, 'ab/.-_ "\'\n<>&:#\\', 1 + Math.floor(rand() * 20));
      const out = path.join(root, `d${i}`);
      fs.mkdirSync(out);
      const { markerText } = require('../../lib/gitops/dist-marker');
      fs.writeFileSync(path.join(out, DIST_MARKER), markerText(id));
      expect(markedApp(out)).toBe(id);
    }
  }, 60_000);
});

describe('cdk8s synth and the output folder', () => {
  test('the scratch folder named in cdk8s.yaml is recognised, any other --output the CLI deleted is refused with the fix', () => {
    expect(cdk8sScratchFolder({ CDK8S_OUTDIR: '.cdk8s.out' })).toBe(path.resolve('.cdk8s.out'));
    expect(cdk8sScratchFolder({ CDK8S_OUTDIR: 'dist' })).toBeUndefined();
    const p = cdk8sOutputProblem('dist', { CDK8S_OUTDIR: 'dist' }, ['node', 'cdk8s', 'synth', '--output', 'dist']);
    expect(p?.problem).toContain('deleted by `cdk8s synth`');
    expect(p?.fix).toContain('npx cdk8s synth` without --output');
    // not under the CLI (npm run synth with CDK8S_OUTDIR, tests): nothing to refuse
    expect(cdk8sOutputProblem('dist', { CDK8S_OUTDIR: 'dist' }, undefined)).toBeUndefined();
    expect(cdk8sOutputProblem('dist', { CDK8S_OUTDIR: '.cdk8s.out' }, ['cdk8s', 'synth'])).toBeUndefined();
    expect(cdk8sOutputProblem('dist-payments', { CDK8S_OUTDIR: 'dist' }, ['cdk8s', 'synth'])).toBeUndefined();
  }, 60_000);
});
