// Stack frames of an esbuild bundle, mapped back to the TypeScript sources only when a stack is formatted.
// Node's own source maps (`--enable-source-maps`, `process.setSourceMapsEnabled`) parse the bundle's map when it
// loads: a fifth of a warm synth. A stack is only formatted when something fails, or when an error names the
// line that called (env.pick). Used by scripts/run.js and the tests' script bundles.
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');

/** Maps the frames of `bundle` (a file with `<bundle>.map` beside it) in every stack formatted from now on. */
function lazySourceMaps(bundle) {
  let map; // undefined: not read yet; null: none
  const sourceMap = () => {
    if (map === undefined) {
      try {
        map = new Module.SourceMap(JSON.parse(fs.readFileSync(`${bundle}.map`, 'utf8')));
      } catch {
        map = null;
      }
    }
    return map;
  };
  const frame = (site) => {
    const text = String(site);
    const file = site.getFileName();
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    if (file !== bundle || !line || !column || !sourceMap()) return text;
    const entry = map.findEntry(line - 1, column - 1);
    if (!entry || !entry.originalSource) return text;
    const source = entry.originalSource.startsWith('file://') ? require('url').fileURLToPath(entry.originalSource) : path.resolve(path.dirname(bundle), entry.originalSource);
    return text.replace(`${file}:${line}:${column}`, `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`);
  };
  Error.prepareStackTrace = (error, sites) => {
    let head;
    try {
      head = String(error);
    } catch {
      head = 'Error';
    }
    return [head, ...sites.map((site) => `    at ${frame(site)}`)].join('\n');
  };
}

module.exports = { lazySourceMaps };
