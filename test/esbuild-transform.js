// Jest transform: TypeScript -> CommonJS with esbuild, no type-check (`tsc -p .` type-checks the tree once).
//
// Jest caches what this returns per project (its cache folder is named after the rootDir), so a copy of the
// repository (the first-hour walk-through's nested jest) would transpile the library and imports/ again: about
// ten megabytes of TypeScript, a few seconds. The output depends only on the source text, so keep it here too,
// by its text and its path in the repository (esbuild names helpers after the file), in jest's cache folder (the same
// one for every copy); the source map gets the file's own path back.
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { transformSync, version } = require('esbuild');

const OPTIONS = { loader: 'ts', format: 'cjs', target: 'node20', sourcemap: 'external' };
const SALT = JSON.stringify({ version, OPTIONS, layout: 1 });

function cached(file, filename) {
  try {
    const code = fs.readFileSync(`${file}.js`, 'utf8');
    const map = JSON.parse(fs.readFileSync(`${file}.map`, 'utf8'));
    map.sources = [filename];
    return { code, map };
  } catch {
    return undefined;
  }
}

function store(file, code, map) {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // rename: a concurrent worker never reads half a file
    for (const [ext, text] of [['.map', map], ['.js', code]]) {
      const tmp = `${file}${ext}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, `${file}${ext}`);
    }
  } catch {
    // a cache that cannot be written only costs time
  }
}

module.exports = {
  process(source, filename, options) {
    // `jest --no-cache` bypasses this cache too
    const config = options && options.config && options.config.cache !== false ? options.config : undefined;
    const key = config && crypto.createHash('sha1').update(SALT).update('\0').update(path.relative(config.rootDir, filename)).update('\0').update(source).digest('hex');
    const file = key && path.join(config.cacheDirectory, 'esbuild-transform', key);
    const hit = file && cached(file, filename);
    if (hit) return hit;
    const { code, map } = transformSync(source, { ...OPTIONS, sourcefile: filename });
    if (file) store(file, code, map);
    return { code, map };
  },
};
