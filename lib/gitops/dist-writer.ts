import * as fs from 'fs';
import * as path from 'path';

/** How files are written; tests swap in one that fails (a full disk) to prove dist/ survives. */
export type WriteFile = (file: string, data: string) => void;

const defaultWriteFile: WriteFile = (file, data) => fs.writeFileSync(file, data);

/**
 * Replaces `outdir` with exactly `files`, or leaves it byte for byte as it was.
 *
 * Everything is written into a staging folder beside `outdir` (same filesystem, so the swap is two renames);
 * only a complete tree replaces the old one. Files that are no longer produced disappear with the old tree.
 */
export function writeTree(outdir: string, files: ReadonlyMap<string, string>, writeFile: WriteFile = defaultWriteFile): void {
  for (const rel of files.keys()) assertRelativeFile(rel);
  const target = path.resolve(outdir);
  const parent = path.dirname(target);
  const base = path.basename(target);
  fs.mkdirSync(parent, { recursive: true });
  recoverInterruptedSwap(target);
  const staging = fs.mkdtempSync(path.join(parent, `.${base}.staging-`));
  const previous = fs.existsSync(target) ? target : undefined;
  try {
    const made = new Set<string>();
    for (const [rel, data] of files) {
      const file = path.join(staging, rel);
      const dir = path.dirname(file);
      if (!made.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      if (!(previous && linkIfUnchanged(path.join(previous, rel), file, data))) writeFile(file, data);
    }
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  swapInto(staging, target);
}

/**
 * Re-synthesizing usually changes few files: an unchanged file is hard-linked from the previous tree instead
 * of written again (no data written; the previous tree itself is never modified, so a failure still leaves it
 * intact). Any problem (no such file, links unsupported) just means the file is written.
 */
function linkIfUnchanged(previousFile: string, file: string, data: string): boolean {
  try {
    const old = fs.readFileSync(previousFile);
    if (old.length !== Buffer.byteLength(data) || old.toString('utf8') !== data) return false;
    fs.linkSync(previousFile, file);
    return true;
  } catch {
    return false;
  }
}

/** A file name below dist/ must stay below it: relative, forward slashes, no `.`/`..`/empty segments. */
function assertRelativeFile(rel: string): void {
  const segments = rel.split('/');
  if (rel.length === 0 || path.isAbsolute(rel) || rel.includes('\\') || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`writeTree: file names must be relative paths below the output folder, got ${JSON.stringify(rel)}`);
  }
}

/**
 * A process killed between the two renames of a swap leaves no `outdir`, only its previous tree under
 * `.<outdir>.old-<pid>-<ms>`: put the newest such tree back. Old trees left beside a complete `outdir`
 * (killed after the swap, before the clean-up) are removed.
 */
export function recoverInterruptedSwap(target: string): void {
  const parent = path.dirname(target);
  const prefix = `.${path.basename(target)}.old-`;
  if (!fs.existsSync(parent)) return;
  const olds = fs.readdirSync(parent)
    .filter((n) => n.startsWith(prefix))
    .map((n) => ({ dir: path.join(parent, n), ms: Number(n.slice(prefix.length).split('-')[1]) || 0 }))
    .sort((a, b) => b.ms - a.ms);
  if (olds.length === 0) return;
  let rest = olds;
  if (!fs.existsSync(target)) {
    fs.renameSync(olds[0].dir, target);
    rest = olds.slice(1);
  }
  for (const o of rest) fs.rmSync(o.dir, { recursive: true, force: true });
}

function swapInto(staging: string, target: string): void {
  if (!fs.existsSync(target)) {
    fs.renameSync(staging, target);
    return;
  }
  const old = `${path.join(path.dirname(target), `.${path.basename(target)}.old-`)}${process.pid}-${Date.now()}`;
  fs.renameSync(target, old);
  try {
    fs.renameSync(staging, target);
  } catch (e) {
    fs.renameSync(old, target);
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  fs.rmSync(old, { recursive: true, force: true });
}
