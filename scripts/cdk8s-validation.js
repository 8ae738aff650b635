// The cdk8s validation plugin of this repository, as cdk8s.yaml names it (`package: ./scripts/cdk8s-validation.js`).
// The CLI `require`s plugins with plain node: bundle lib/validation (TypeScript) with esbuild, once per change of
// its inputs, and export its classes.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'lib', 'validation', 'index.ts');
const cacheDir = path.join(root, '.cache', 'validation');
const outfile = path.join(cacheDir, 'plugin.js');
const metaFile = path.join(cacheDir, 'plugin.inputs.json');

function fresh() {
  try {
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
    if (!fs.existsSync(outfile)) return false;
    return Object.entries(meta).every(([file, stamp]) => {
      const st = fs.statSync(path.join(root, file));
      return `${st.size}:${st.mtimeMs}` === stamp;
    });
  } catch {
    return false;
  }
}

if (!fresh()) {
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmp = `${outfile}.${process.pid}.tmp`;
  const result = require('esbuild').buildSync({
    entryPoints: [entry], absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
    outfile: tmp, metafile: true, logLevel: 'warning',
  });
  const meta = {};
  for (const file of [...Object.keys(result.metafile.inputs), 'package-lock.json']) {
    const st = fs.statSync(path.join(root, file));
    meta[file] = `${st.size}:${st.mtimeMs}`;
  }
  fs.renameSync(tmp, outfile);
  fs.writeFileSync(`${metaFile}.${process.pid}.tmp`, JSON.stringify(meta));
  fs.renameSync(`${metaFile}.${process.pid}.tmp`, metaFile);
}

module.exports = require(outfile);
