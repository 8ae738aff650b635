// scripts/run.js keeps one bundle per entry file in .cache/run (a megabyte or more each, named after the entry's
// path): a test that runs an app from a temporary folder removes that folder's bundles with the folder.
import * as fs from 'fs';
import * as path from 'path';

const CACHE = path.resolve(__dirname, '../../.cache/run');

/** Removes `dir` and the bundles scripts/run.js made of entries inside it. */
export function removeWithBundles(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  const tag = path.basename(dir);
  let names: string[];
  try {
    names = fs.readdirSync(CACHE);
  } catch {
    return;
  }
  for (const name of names) if (name.includes(`_${tag}_`)) fs.rmSync(path.join(CACHE, name), { force: true });
}
