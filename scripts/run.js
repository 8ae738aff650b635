#!/usr/bin/env node
// Runs a TypeScript app (`node scripts/run.js apps/main.ts`) from a precompiled esbuild bundle, rebuilt only
// when one of its inputs changed: synth then costs little more than starting node (tsx would transpile the
// app and the library on every run). Type-checking stays with `npm test` / `npm run typecheck`.
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');

const entry = process.argv[2];
if (!entry) {
  process.stderr.write('usage: node scripts/run.js <app.ts> [args...]\n');
  process.exit(2);
}
const root = path.resolve(__dirname, '..');
const cacheDir = path.join(root, '.cache', 'run');
const name = path.relative(root, path.resolve(entry)).replace(/[\\/]/g, '_').replace(/\.ts$/, '');
const outfile = path.join(cacheDir, `${name}.js`);
const metaFile = path.join(cacheDir, `${name}.inputs.json`);

/** The bundle is fresh when every recorded input still has the size and mtime it had at build time. */
function fresh() {
  let meta;
  try {
    meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
    if (!fs.existsSync(outfile)) return false;
  } catch {
    return false;
  }
  for (const [file, stamp] of Object.entries(meta)) {
    try {
      const st = fs.statSync(path.join(root, file));
      if (`${st.size}:${st.mtimeMs}` !== stamp) return false;
    } catch {
      return false;
    }
  }
  return true;
}

async function build() {
  const esbuild = require('esbuild');
  const entryPath = path.resolve(entry);
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmp = `${outfile}.${process.pid}.tmp`;
  const result = await esbuild.build({
    entryPoints: [entryPath],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: tmp,
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [mainModuleOnlyInEntry(entryPath)],
  });
  const meta = {};
  for (const file of [...Object.keys(result.metafile.inputs), 'package-lock.json']) {
    const st = fs.statSync(path.join(root, file));
    meta[file] = `${st.size}:${st.mtimeMs}`;
  }
  // rename: a concurrent run never sees a half-written bundle
  fs.renameSync(`${tmp}.map`, `${outfile}.map`);
  fs.writeFileSync(tmp, fs.readFileSync(tmp, 'utf8').replace(/sourceMappingURL=.*$/m, `sourceMappingURL=${path.basename(outfile)}.map`));
  fs.renameSync(tmp, outfile);
  fs.writeFileSync(`${metaFile}.${process.pid}.tmp`, JSON.stringify(meta));
  fs.renameSync(`${metaFile}.${process.pid}.tmp`, metaFile);
}

/**
 * In a bundle all modules share one `module`, so `require.main === module` would hold in every file and an
 * app importing another app would run both. Make the idiom true in the entry file only.
 */
function mainModuleOnlyInEntry(entryPath) {
  return {
    name: 'main-module-only-in-entry',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        const source = fs.readFileSync(args.path, 'utf8');
        if (!source.includes('require.main === module')) return undefined;
        return { contents: source.split('require.main === module').join(args.path === entryPath ? 'true' : 'false'), loader: 'ts' };
      });
    },
  };
}

// configuration and policy errors say everything in their message (construct path, prop, value, fix):
// print that, not a stack trace; anything else is a bug and keeps its stack
function fail(e) {
  const known = e && (e.name === 'ConfigError' || e.name === 'PolicyError');
  // the writer's own message says what happened to the output folder
  if (e && e.name === 'DistWriteError') process.stderr.write(`synth failed: ${e.message}\n`);
  else process.stderr.write(`synth failed, nothing was written: ${known ? e.message : (e && e.stack) || String(e)}\n`);
  process.exit(1);
}
process.on('uncaughtException', fail);

(async () => {
  if (!fresh()) await build();
  process.setSourceMapsEnabled(true);
  // run the bundle as the main module
  process.argv.splice(1, 2, outfile);
  Module.runMain();
})().catch(fail);
