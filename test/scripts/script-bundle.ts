// A script of scripts/ run as `npm run <name>` runs it (tsx), but bundled once per test file with esbuild, as
// scripts/run.js bundles apps: each case then starts plain node on one file instead of tsx, which transpiles and
// loads some 300 modules per process (one to two seconds each time).
import { spawnSync, SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { spawnCollected } from '../fixtures/spawn';

const ROOT = path.resolve(__dirname, '../..');

export interface ScriptResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ScriptBundle {
  /** The script with `args`, in its own node process (as `tsx <script> ...args`), waited for. */
  run(args: readonly string[], options?: Omit<SpawnSyncOptions, 'encoding'>): ScriptResult;
  /** The same, without blocking, so that independent calls run side by side. */
  start(args: readonly string[], options?: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv }): Promise<ScriptResult>;
}

/**
 * Registers a beforeAll that bundles `script` (relative to the repository) and an afterAll that removes the bundle.
 * `apps` are the app modules the cases name with `--app`: the script loads them with a computed `require()`,
 * which a bundle cannot follow, so they are bundled too and handed to that `require()` through `require.cache`
 * (one copy of the library in the process, as under tsx). Any other path is required from disk as usual.
 */
export function scriptBundle(script: string, apps: readonly string[] = []): ScriptBundle {
  let outfile: string | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    // inside the repository: the library finds its vendored schemas by walking up from the bundle's folder
    fs.mkdirSync(path.join(ROOT, '.cache'), { recursive: true });
    dir = fs.mkdtempSync(path.join(ROOT, '.cache', 'test-script-'));
    outfile = path.join(dir, 'bundle.js');
    await build(path.join(ROOT, script), apps.map((a) => path.resolve(ROOT, a)), outfile);
  }, 120_000);
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  const argv = (args: readonly string[]) => {
    if (!outfile) throw new Error(`${script} is not bundled yet (call run() inside a test)`);
    return [outfile, ...args];
  };
  return {
    run(args, options = {}) {
      const r = spawnSync(process.execPath, argv(args), { cwd: ROOT, maxBuffer: 1 << 30, ...options, encoding: 'utf8' });
      if (r.error) throw r.error;
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    start(args, options = {}) {
      return spawnCollected(process.execPath, argv(args), { cwd: options.cwd ?? ROOT, env: options.env ?? process.env });
    },
  };
}

async function build(scriptFile: string, appFiles: readonly string[], outfile: string): Promise<void> {
  for (const f of [scriptFile, ...appFiles]) if (!fs.existsSync(f)) throw new Error(`no such file: ${f}`);
  // the entry: the apps first (loaded on first require), then the script as the main module with its own path in
  // argv[1], as tsx runs it (the dist marker names the app from there)
  // stack frames mapped to the TypeScript sources as under tsx, but only when a stack is formatted (as scripts/run.js
  // does): `node --enable-source-maps` parses the whole map at start, some 0.15 s a process
  const entry = [
    `require(${JSON.stringify(path.join(ROOT, 'scripts', 'lazy-source-maps.js'))}).lazySourceMaps(__filename);`,
    "const Module = require('module');",
    ...appFiles.map((f) => [
      `{ const file = ${JSON.stringify(fs.realpathSync(f))}; const m = new Module(file, null); let loaded;`,
      `  m.filename = file; m.loaded = true;`,
      `  Object.defineProperty(m, 'exports', { get: () => (loaded ??= require(${JSON.stringify(f)})), set: (v) => { loaded = v; } });`,
      '  require.cache[file] = m; }',
    ].join('\n')),
    `process.argv[1] = ${JSON.stringify(scriptFile)};`,
    `require(${JSON.stringify(scriptFile)});`,
  ].join('\n');
  await esbuild.build({
    stdin: { contents: entry, resolveDir: ROOT, sourcefile: 'script-bundle-entry.js', loader: 'js' },
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    sourcemap: true,
    logLevel: 'error',
    plugins: [{
      // one shared `module` in a bundle: `require.main === module` holds in the script only (as in scripts/run.js)
      name: 'main-module-only-in-script',
      setup(b) {
        b.onLoad({ filter: /\.ts$/ }, (args) => {
          const source = fs.readFileSync(args.path, 'utf8');
          if (!source.includes('require.main === module')) return undefined;
          return { contents: source.split('require.main === module').join(args.path === scriptFile ? 'true' : 'false'), loader: 'ts' };
        });
      },
    }],
  });
}

