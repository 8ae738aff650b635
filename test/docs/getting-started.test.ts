import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fencesOf } from './doc-blocks';

const root = path.resolve(__dirname, '../..');
const doc = path.join(root, 'docs', 'getting-started.md');

/**
 * Runs docs/getting-started.md as written, in a copy of the repository (its tracked and new files, node_modules
 * linked, a fresh git history): `// file:` blocks are written, bash blocks run in order (`exit=N` expects that
 * status, `skip: reason` is not run).
 */
describe('docs/getting-started.md, verbatim', () => {
  let copy: string;
  /** What each bash block the walk-through ran wrote to stderr, by its text. */
  const stderrOf = new Map<string, string>();
  beforeAll(() => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'first-hour-'));
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const f of files) {
      const from = path.join(root, f);
      if (!fs.existsSync(from) || fs.lstatSync(from).isSymbolicLink()) continue;
      fs.mkdirSync(path.dirname(path.join(copy, f)), { recursive: true });
      fs.copyFileSync(from, path.join(copy, f));
    }
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args], { cwd: copy, stdio: 'pipe' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'clean clone');
  });
  afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

  test('every step works as written', () => {
    const fences = fencesOf('docs/getting-started.md', fs.readFileSync(doc, 'utf8'));
    let ran = 0;
    for (const f of fences) {
      const named = /^\/\/ file: (\S+)\s*$/.exec(f.body[0] ?? '');
      if ((f.lang === 'ts' || f.lang === 'typescript') && named) {
        fs.mkdirSync(path.dirname(path.join(copy, named[1])), { recursive: true });
        fs.writeFileSync(path.join(copy, named[1]), `${f.body.join('\n')}\n`);
        continue;
      }
      if (f.lang !== 'bash') continue;
      const skip = /^skip:\s*(.+)$/.exec(f.rest);
      if (skip) continue;
      const exit = Number(/^exit=(\d+)$/.exec(f.rest)?.[1] ?? 0);
      // a shell as the reader's: not inside jest, not in CI mode (the first run writes the snapshot)
      const env: NodeJS.ProcessEnv = { ...process.env, CDK8S_CHECK_UPGRADE: 'false' };
      delete env.JEST_WORKER_ID;
      delete env.CI;
      const r = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', f.body.join('\n')], { cwd: copy, encoding: 'utf8', env });
      stderrOf.set(f.body.join('\n'), r.stderr);
      expect({ at: `getting-started.md:${f.line}`, status: r.status, stderr: r.status === exit ? '' : r.stderr }).toEqual({ at: `getting-started.md:${f.line}`, status: exit, stderr: '' });
      ran++;
    }
    expect(ran).toBeGreaterThanOrEqual(5);
    // what the steps promise
    expect(fs.existsSync(path.join(copy, 'dist-hello/dev/hello/web.yaml'))).toBe(true);
    expect(fs.readFileSync(path.join(copy, 'dist-hello/.rendered-by'), 'utf8')).toContain('apps/hello.ts');
    expect(fs.readFileSync(path.join(copy, 'dist/.rendered-by'), 'utf8')).toContain('apps/main.ts');
    expect(fs.existsSync(path.join(copy, '__snapshots__/apps/hello.test.ts.snap'))).toBe(true);
  }, 300_000);

  test('the refusal it shows is the one synth prints', () => {
    const command = 'node scripts/run.js apps/hello.ts dist';
    // the walk-through (the test above, which writes apps/hello.ts) ran the command the page shows
    const stderr = stderrOf.get(command);
    expect(stderr).toBeDefined();
    const text = fs.readFileSync(doc, 'utf8');
    expect(text).toContain(`\n\`\`\`bash exit=1\n${command}\n\`\`\`\n`);
    const shown = /```\n(synth failed, nothing was written: <app>: outdir is the output folder[^\n]*)\n```/.exec(text)?.[1];
    expect(shown).toBeDefined();
    expect(stderr!.trim()).toBe(shown);
  }, 120_000);
});
