import * as fs from 'fs';
import * as path from 'path';

/** How files are written; tests swap in one that fails (a full disk) to prove dist/ survives. */
export type WriteFile = (file: string, data: string) => void;

/** The file-system steps of the writer; tests replace some to inject faults (EACCES, EROFS, ENOSPC, EXDEV). */
export interface WriterOps {
  readonly writeFile: WriteFile;
  readonly rename: (from: string, to: string) => void;
  /** Removes a folder and everything below it. */
  readonly removeTree: (dir: string) => void;
  readonly link: (existing: string, created: string) => void;
  /** Creates the staging folder (fs.mkdtempSync) and returns its path. */
  readonly mkdtemp: (prefix: string) => string;
}

export interface WriteTreeOptions {
  /**
   * How long to wait for another synth writing the same folder before giving up.
   * @default 120000 (ms)
   */
  readonly lockTimeoutMs?: number;
  /**
   * Where a non-fatal problem (an old tree that could not be removed) is reported.
   * @default - process.stderr
   */
  readonly warn?: (message: string) => void;
}

const DEFAULT_OPS: WriterOps = {
  writeFile: (file, data) => fs.writeFileSync(file, data),
  rename: (from, to) => fs.renameSync(from, to),
  removeTree: (dir) => removeTree(dir),
  link: (existing, created) => fs.linkSync(existing, created),
  mkdtemp: (prefix) => fs.mkdtempSync(prefix),
};

/** Mode of a new output folder (a kept one keeps its own). */
export const NEW_OUTDIR_MODE = 0o755;
const DEFAULT_LOCK_TIMEOUT_MS = 120_000;

/**
 * The writer failed. `message` says what happened to the output folder: in every case but one the previous
 * tree is unchanged; if even putting it back failed, the message names where it is (the next synth restores it).
 */
export class DistWriteError extends Error {
  constructor(message: string, public readonly previousTreeIntact: boolean) {
    super(message);
    this.name = 'DistWriteError';
  }
}

/**
 * Replaces `outdir` with exactly `files`, or leaves it byte for byte as it was.
 *
 * Everything is written into a staging folder beside `outdir` (same filesystem, so the swap is two renames);
 * only a complete tree replaces the old one. Files that are no longer produced disappear with the old tree.
 * A symlinked `outdir` is followed (its target is replaced, the link kept). The folder keeps its mode.
 * One synth at a time: a lock file beside the folder makes a second one wait (a lock of a dead process is
 * taken over). Before writing, leftovers of an interrupted synth are cleaned up and, if it was killed between
 * the two renames, the last complete tree is put back.
 */
/**
 * A file's text, or a function that serializes it when the writer reaches the file: synth hands the writer
 * unserialized files so that only one file's text is alive at a time, never all of dist/ at once.
 */
export type FileContent = string | (() => string);

export function writeTree(outdir: string, files: ReadonlyMap<string, FileContent> | Iterable<[string, FileContent]>, ops: WriteFile | Partial<WriterOps> = {}, options: WriteTreeOptions = {}): void {
  // a map is checked whole before anything is written; files a generator yields (synth, target by target) as they come
  if (files instanceof Map) for (const rel of files.keys()) assertRelativeFile(rel);
  const fsOps: WriterOps = typeof ops === 'function' ? { ...DEFAULT_OPS, writeFile: ops } : { ...DEFAULT_OPS, ...ops };
  const warn = options.warn ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
  const target = realTarget(outdir);
  withLock(target, options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, () => {
    recover(target, fsOps, warn);
    write(target, files, fsOps, warn);
  });
}

/**
 * Puts back the last complete tree of an interrupted synth and removes its leftovers (staging and old trees),
 * under the writer's lock. GitOpsApp runs it before rendering, so even a synth that fails restores dist/.
 */
export function recoverInterruptedSwap(outdir: string, options: WriteTreeOptions = {}): void {
  const target = realTarget(outdir);
  if (!fs.existsSync(path.dirname(target))) return;
  const warn = options.warn ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
  withLock(target, options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, () => recover(target, DEFAULT_OPS, warn));
}

/** The folder really written: a symlinked outdir is followed (also a dangling link: its target is created). */
function realTarget(outdir: string): string {
  let p = path.resolve(outdir);
  for (let hops = 0; hops < 40; hops++) {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      break;
    }
    if (!st.isSymbolicLink()) break;
    p = path.resolve(path.dirname(p), fs.readlinkSync(p));
  }
  const parent = path.dirname(p);
  try {
    fs.mkdirSync(parent, { recursive: true });
  } catch (e) {
    throw new DistWriteError(`cannot create the folder ${parent}: ${errText(e)}; nothing was written`, true);
  }
  return path.join(fs.realpathSync(parent), path.basename(p));
}

const names = (target: string) => {
  const base = path.basename(target);
  return { staging: `.${base}.staging-`, old: `.${base}.old-`, lock: path.join(path.dirname(target), `.${base}.lock`) };
};

function write(target: string, files: Iterable<[string, FileContent]>, ops: WriterOps, warn: (m: string) => void): void {
  const parent = path.dirname(target);
  const previousStat = statOrUndefined(target);
  if (previousStat && !previousStat.isDirectory()) {
    throw new DistWriteError(`${target} is not a folder; move it away, nothing was written`, true);
  }
  // A re-synth that changes nothing writes nothing: files equal to the previous tree's are only remembered until
  // the first one that differs; then the staging folder is made and they are linked into it.
  let staging: string | undefined;
  const unchanged: string[] = [];
  const made = new Set<string>();
  const insidePrevious = new Map<string, boolean>();
  const place = (rel: string, data: string | undefined) => {
    const file = path.join(staging!, rel);
    const dir = path.dirname(file);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
      made.add(dir);
    }
    if (data === undefined) {
      // known equal to the previous file: linked, or copied where links are not supported
      if (!tryLink(ops, path.join(target, rel), file)) ops.writeFile(file, fs.readFileSync(path.join(target, rel), 'utf8'));
    } else if (!(previousStat && reusable(target, rel, data, insidePrevious) && tryLink(ops, path.join(target, rel), file))) {
      ops.writeFile(file, data);
    }
  };
  const open = () => {
    try {
      staging = ops.mkdtemp(path.join(parent, names(target).staging));
    } catch (e) {
      throw new StagingFailure(e);
    }
    for (const rel of unchanged) place(rel, undefined);
    unchanged.length = 0;
  };
  try {
    const iterator = files[Symbol.iterator]();
    for (;;) {
      let data: string;
      let rel: string;
      try {
        // a generator renders and checks while the writer pulls: its errors are synth's, not the writer's
        const next = iterator.next();
        if (next.done) break;
        const [name, content] = next.value;
        rel = name;
        assertRelativeFile(rel);
        data = typeof content === 'string' ? content : content();
      } catch (e) {
        // not a write failure: the rendering's own error, as a synth that serialized first would have thrown it
        throw new SerializeFailure(e);
      }
      if (staging === undefined && previousStat && reusable(target, rel, data, insidePrevious)) {
        unchanged.push(rel);
        continue;
      }
      if (staging === undefined) open();
      place(rel, data);
    }
    if (staging === undefined) {
      // every file equal: done, unless the previous tree holds more (a removed unit's file, a stray folder)
      if (previousStat && holdsExactly(target, unchanged)) return;
      open();
    }
    // mkdtemp creates 0700: give the tree the mode the folder had (0755 for a new one)
    fs.chmodSync(staging!, previousStat ? previousStat.mode & 0o7777 : NEW_OUTDIR_MODE);
  } catch (e) {
    if (staging !== undefined) discard(staging, ops, warn);
    if (e instanceof SerializeFailure) throw e.cause;
    if (e instanceof StagingFailure) throw new DistWriteError(`cannot create a staging folder beside ${target}: ${errText(e.cause)}; the previous tree is unchanged`, true);
    throw new DistWriteError(`writing the new tree failed: ${errText(e)}; the previous tree is unchanged`, true);
  }
  swapInto(staging!, target, previousStat !== undefined, ops, warn);
}

class StagingFailure {
  constructor(public readonly cause: unknown) {}
}

/** Whether the folder holds exactly these files (relative paths) and the folders on their way, nothing else. */
function holdsExactly(dir: string, files: readonly string[]): boolean {
  const want = new Set(files);
  const dirs = new Set<string>();
  for (const f of files) for (let d = path.dirname(f); d !== '.'; d = path.dirname(d)) dirs.add(d);
  let seen = 0;
  const walk = (rel: string): boolean => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!dirs.has(child) || !walk(child)) return false;
      } else if (e.isFile() && want.has(child)) {
        seen++;
      } else {
        return false;
      }
    }
    return true;
  };
  try {
    return walk('') && seen === want.size;
  } catch {
    return false;
  }
}

class SerializeFailure {
  constructor(public readonly cause: unknown) {}
}

/**
 * An unchanged file is hard-linked from the previous tree instead of written again (the previous tree itself
 * is never modified, so a failure still leaves it intact). Only a regular file of the previous tree with no
 * other link qualifies: a symlink, or a file also linked from outside dist/, is written afresh so that no
 * outside edit can reach dist/ through it.
 */
function reusable(target: string, rel: string, data: string, insideCache: Map<string, boolean>): boolean {
  const previousFile = path.join(target, rel);
  try {
    const dir = path.dirname(rel);
    let inside = insideCache.get(dir);
    if (inside === undefined) {
      // every folder on the way must be a real folder of the previous tree, not a symlink out of it
      inside = fs.realpathSync(path.join(target, dir)) === path.join(target, dir);
      insideCache.set(dir, inside);
    }
    if (!inside) return false;
    const st = fs.lstatSync(previousFile);
    if (!st.isFile() || st.nlink !== 1 || st.size !== Buffer.byteLength(data)) return false;
    return fs.readFileSync(previousFile, 'utf8') === data;
  } catch {
    return false;
  }
}

function tryLink(ops: WriterOps, from: string, to: string): boolean {
  try {
    ops.link(from, to);
    return true;
  } catch {
    return false; // links unsupported (some filesystems): write the file
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
 * `.<outdir>.old-<pid>-<ms>`: put the newest such tree back. Every other leftover (old trees beside a complete
 * `outdir`, staging folders of a killed or failed synth) is removed; that is safe under the lock.
 */
function recover(target: string, ops: WriterOps, warn: (m: string) => void): void {
  const parent = path.dirname(target);
  const { staging, old } = names(target);
  let entries: string[];
  try {
    entries = fs.readdirSync(parent);
  } catch {
    return;
  }
  const olds = entries
    .filter((n) => n.startsWith(old))
    .map((n) => ({ dir: path.join(parent, n), ms: Number(n.slice(old.length).split('-')[1]) || 0 }))
    .sort((a, b) => b.ms - a.ms);
  let rest = olds;
  if (olds.length > 0 && !fs.existsSync(target)) {
    try {
      ops.rename(olds[0].dir, target);
      rest = olds.slice(1);
    } catch (e) {
      throw new DistWriteError(`${target} is missing and its last complete tree ${olds[0].dir} could not be put back: ${errText(e)}; rename it to ${path.basename(target)} by hand`, false);
    }
  }
  for (const o of rest) discard(o.dir, ops, warn);
  for (const n of entries.filter((x) => x.startsWith(staging))) discard(path.join(parent, n), ops, warn);
}

function swapInto(staging: string, target: string, hasPrevious: boolean, ops: WriterOps, warn: (m: string) => void): void {
  if (!hasPrevious) {
    try {
      ops.rename(staging, target);
    } catch (e) {
      discard(staging, ops, warn);
      throw new DistWriteError(`cannot move the new tree into place at ${target}: ${errText(e)}; nothing was written`, true);
    }
    return;
  }
  const old = `${path.join(path.dirname(target), names(target).old)}${process.pid}-${Date.now()}`;
  try {
    ops.rename(target, old);
  } catch (e) {
    discard(staging, ops, warn);
    throw new DistWriteError(`cannot move the previous tree of ${target} aside: ${errText(e)}; the previous tree is unchanged`, true);
  }
  try {
    ops.rename(staging, target);
  } catch (e) {
    try {
      ops.rename(old, target);
    } catch (e2) {
      throw new DistWriteError(`cannot move the new tree into place at ${target} (${errText(e)}), nor put the previous tree back (${errText(e2)}); it is kept at ${old} and the next synth restores it`, false);
    }
    discard(staging, ops, warn);
    throw new DistWriteError(`cannot move the new tree into place at ${target}: ${errText(e)}; the previous tree is unchanged`, true);
  }
  // the new tree is in place: failing to delete the old one is not a failed synth (the next synth retries)
  discard(old, ops, warn);
}

/** Removes a leftover folder; a failure is reported, not thrown (the next synth tries again). */
function discard(dir: string, ops: WriterOps, warn: (m: string) => void): void {
  try {
    ops.removeTree(dir);
  } catch (e) {
    warn(`could not remove ${dir}: ${errText(e)}; the next synth removes it`);
  }
}

/** rm -rf that also empties folders left read-only (a kept 0555 dist/): they are ours to discard. */
function removeTree(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EACCES' && (e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
    makeWritable(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function makeWritable(dir: string): void {
  const st = fs.lstatSync(dir);
  if (!st.isDirectory()) return;
  fs.chmodSync(dir, (st.mode & 0o7777) | 0o700);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) makeWritable(path.join(dir, e.name));
}

/**
 * Runs `fn` holding `.<outdir>.lock` (created exclusively, holding the pid). Another live synth's lock is
 * waited for; a lock whose process is gone is taken over, under a short second lock so two waiters cannot
 * both take it.
 */
function withLock(target: string, timeoutMs: number, fn: () => void): void {
  const lock = names(target).lock;
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const holder = tryCreateLock(lock);
    if (holder === undefined) break;
    if (holder !== null && !alive(holder)) {
      breakStaleLock(lock, holder);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new DistWriteError(`another synth (pid ${holder ?? 'unknown'}) is writing ${target} (lock ${lock}); waited ${timeoutMs} ms, nothing was written. Run one synth at a time, or delete the lock if that process is gone`, true);
    }
    sleep(Math.min(10 + attempt * 10, 200));
  }
  try {
    fn();
  } finally {
    try {
      if (fs.readFileSync(lock, 'utf8') === String(process.pid)) fs.unlinkSync(lock);
    } catch {
      // already gone
    }
  }
}

/** undefined: we hold the lock; else the holder's pid (null while it is still writing its pid). */
function tryCreateLock(lock: string): number | null | undefined {
  try {
    const fd = fs.openSync(lock, 'wx');
    try {
      fs.writeSync(fd, String(process.pid));
    } finally {
      fs.closeSync(fd);
    }
    return undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new DistWriteError(`cannot create the lock ${lock}: ${errText(e)}; nothing was written`, true);
    }
  }
  try {
    const text = fs.readFileSync(lock, 'utf8');
    if (/^\d+$/.test(text)) return Number(text);
    // an empty lock older than a few seconds belongs to a process killed between creating and filling it
    return Date.now() - fs.statSync(lock).mtimeMs > 5000 ? 0 : null;
  } catch {
    return null; // released meanwhile: try again
  }
}

function breakStaleLock(lock: string, holder: number): void {
  const breaker = `${lock}.break`;
  try {
    fs.writeFileSync(breaker, String(process.pid), { flag: 'wx' });
  } catch {
    // someone else is breaking it; a breaker left by a killed process is dropped after a few seconds
    try {
      if (Date.now() - fs.statSync(breaker).mtimeMs > 5000) fs.unlinkSync(breaker);
    } catch {
      // gone meanwhile
    }
    sleep(10);
    return;
  }
  try {
    const text = fs.readFileSync(lock, 'utf8');
    if (text === String(holder) || (holder === 0 && !/^\d+$/.test(text))) fs.unlinkSync(lock);
  } catch {
    // released meanwhile
  } finally {
    fs.unlinkSync(breaker);
  }
}

function alive(pid: number): boolean {
  if (pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
