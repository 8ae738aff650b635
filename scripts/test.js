#!/usr/bin/env node
// `npm test [-- <jest args>]`: the type-check (`tsc -p .`) and jest side by side. tsc uses one core for a good
// while; run one after the other, the second core idles meanwhile. jest's output streams; tsc's follows once both
// are done. Fails when either fails.
'use strict';
const { spawn } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '..');
const bin = (pkg, file) => path.join(path.dirname(require.resolve(`${pkg}/package.json`, { paths: [root] })), file);

function run(args, stdio) {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, args, { cwd: root, stdio });
    let out = '';
    if (p.stdout) p.stdout.setEncoding('utf8').on('data', (c) => { out += c; });
    if (p.stderr) p.stderr.setEncoding('utf8').on('data', (c) => { out += c; });
    p.on('error', (e) => resolve({ code: 1, out: `${e.message}\n` }));
    p.on('close', (code, signal) => resolve({ code: code ?? 1, out: signal ? `${out}killed by ${signal}\n` : out }));
  });
}

(async () => {
  const tsc = run([bin('typescript', 'bin/tsc'), '-p', '.'], ['ignore', 'pipe', 'pipe']);
  const jest = run([bin('jest', 'bin/jest.js'), ...process.argv.slice(2)], 'inherit');
  const [t, j] = await Promise.all([tsc, jest]);
  process.stdout.write(t.code === 0 ? 'tsc -p .: no type errors\n' : `tsc -p . failed:\n${t.out}`);
  process.exit(t.code !== 0 ? t.code : j.code);
})();
