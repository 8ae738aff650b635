import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { DistWriteError, readTree, recoverInterruptedSwap, writeTree, WriteFile, WriterOps } from '../../lib/gitops';
import { tempDir } from './helpers';
import { prng } from '../fixtures/prng';

const errno = (code: string, what: string) => Object.assign(new Error(`${code}: ${what}`), { code });

function failingAfter(n: number): { write: WriteFile; written: () => number } {
  let count = 0;
  return {
    write: (file, data) => {
      if (count >= n) {
        const e: NodeJS.ErrnoException = new Error(`ENOSPC: no space left on device, write '${file}'`);
        e.code = 'ENOSPC';
        throw e;
      }
      count++;
      fs.writeFileSync(file, data);
    },
    written: () => count,
  };
}

/** Names beside `outdir` that synth creates and must remove again (staging and old trees). */
function leftovers(outdir: string): string[] {
  const base = path.basename(outdir);
  return fs.readdirSync(path.dirname(outdir)).filter((f) => f.startsWith(`.${base}.`));
}

describe('writeTree', () => {
  let root: string;
  let outdir: string;
  beforeEach(() => {
    root = tempDir();
    outdir = path.join(root, 'dist');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('creates the output folder with exactly the given files', () => {
    writeTree(outdir, new Map([['dev/kustomization.yaml', 'a\n'], ['dev/shop/web.yaml', 'b\n']]));
    expect(readTree(outdir)).toEqual(new Map([['dev/kustomization.yaml', 'a\n'], ['dev/shop/web.yaml', 'b\n']]));
    expect(leftovers(outdir)).toEqual([]);
  });

  it('replaces the previous tree: files no longer produced disappear', () => {
    writeTree(outdir, new Map([['dev/a.yaml', '1\n'], ['dev/b.yaml', '2\n']]));
    writeTree(outdir, new Map([['dev/a.yaml', '3\n']]));
    expect(readTree(outdir)).toEqual(new Map([['dev/a.yaml', '3\n']]));
    expect(leftovers(outdir)).toEqual([]);
  });

  it('leaves the previous tree byte for byte and no staging folder when the disk fills up mid-write', () => {
    writeTree(outdir, new Map([['dev/a.yaml', 'old a\n'], ['dev/b.yaml', 'old b\n']]));
    const before = readTree(outdir);
    const disk = failingAfter(2);
    const next = new Map([['dev/a.yaml', 'new a\n'], ['dev/b.yaml', 'new b\n'], ['dev/c.yaml', 'new c\n'], ['prod/d.yaml', 'new d\n']]);
    expect(() => writeTree(outdir, next, disk.write)).toThrow(/ENOSPC/);
    expect(disk.written()).toBe(2);
    expect(readTree(outdir)).toEqual(before);
    expect(leftovers(outdir)).toEqual([]);
  });

  it('creates nothing when the first write fails and there was no previous tree', () => {
    expect(() => writeTree(outdir, new Map([['dev/a.yaml', 'x\n']]), failingAfter(0).write)).toThrow(/ENOSPC/);
    expect(fs.existsSync(outdir)).toBe(false);
    expect(leftovers(outdir)).toEqual([]);
  });

  it('refuses file names that would escape the output folder, before writing anything', () => {
    writeTree(outdir, new Map([['dev/a.yaml', 'keep\n']]));
    for (const bad of ['../evil.yaml', '/etc/evil.yaml', 'dev/../../evil.yaml', 'dev//a.yaml', '']) {
      expect(() => writeTree(outdir, new Map([[bad, 'x\n']]))).toThrow(/file names must be relative paths below the output folder/);
    }
    expect(readTree(outdir)).toEqual(new Map([['dev/a.yaml', 'keep\n']]));
    expect(fs.existsSync(path.join(root, 'evil.yaml'))).toBe(false);
    expect(leftovers(outdir)).toEqual([]);
  });

  it('reports a synth killed between its two renames to the next recovery, even with no new write', () => {
    writeTree(outdir, new Map([['dev/a.yaml', 'good\n']]));
    fs.renameSync(outdir, path.join(root, '.dist.old-123-1000'));
    fs.mkdirSync(path.join(root, '.dist.staging-abc/dev'), { recursive: true });
    fs.writeFileSync(path.join(root, '.dist.staging-abc/dev/a.yaml'), 'half\n');
    recoverInterruptedSwap(outdir);
    expect(readTree(outdir)).toEqual(new Map([['dev/a.yaml', 'good\n']]));
    expect(leftovers(outdir)).toEqual([]);
  });

  it('puts back the previous tree left by a synth killed between its two renames', () => {
    // GIVEN a crash after dist/ was moved aside and before the new tree took its place
    writeTree(outdir, new Map([['dev/a.yaml', 'good\n']]));
    fs.renameSync(outdir, path.join(root, '.dist.old-123-1000'));
    // WHEN the next synth fails to write
    expect(() => writeTree(outdir, new Map([['dev/a.yaml', 'new\n']]), failingAfter(0).write)).toThrow(/ENOSPC/);
    // THEN the last good tree is back in place and nothing is left beside it
    expect(readTree(outdir)).toEqual(new Map([['dev/a.yaml', 'good\n']]));
    expect(leftovers(outdir)).toEqual([]);
  });

  it('restores the newest of several old trees and removes the rest', () => {
    fs.mkdirSync(path.join(root, '.dist.old-1-1000/dev'), { recursive: true });
    fs.writeFileSync(path.join(root, '.dist.old-1-1000/dev/a.yaml'), 'older\n');
    fs.mkdirSync(path.join(root, '.dist.old-2-2000/dev'), { recursive: true });
    fs.writeFileSync(path.join(root, '.dist.old-2-2000/dev/a.yaml'), 'newer\n');
    recoverInterruptedSwap(outdir);
    expect(readTree(outdir)).toEqual(new Map([['dev/a.yaml', 'newer\n']]));
    expect(leftovers(outdir)).toEqual([]);
  });

  it('links unchanged files from the previous tree and writes only the changed ones', () => {
    writeTree(outdir, new Map([['dev/a.yaml', 'same\n'], ['dev/b.yaml', 'old\n']]));
    const inodeA = fs.statSync(path.join(outdir, 'dev/a.yaml')).ino;
    const written: string[] = [];
    writeTree(outdir, new Map([['dev/a.yaml', 'same\n'], ['dev/b.yaml', 'new\n']]), (file, data) => {
      written.push(path.basename(file));
      fs.writeFileSync(file, data);
    });
    expect(written).toEqual(['b.yaml']);
    expect(fs.statSync(path.join(outdir, 'dev/a.yaml')).ino).toBe(inodeA);
    expect(readTree(outdir)).toEqual(new Map([['dev/a.yaml', 'same\n'], ['dev/b.yaml', 'new\n']]));
    expect(leftovers(outdir)).toEqual([]);
  });

  it('writes nothing over an unchanged previous tree: no staging folder, no link, no swap (generated trees)', () => {
    const random = prng(31);
    for (let run = 0; run < 20; run++) {
      const files = new Map<string, string>();
      for (let i = 0; i < 1 + Math.floor(random() * 12); i++) files.set(`${['dev', 'prod/eu', 'argocd'][i % 3]}/f${Math.floor(random() * 50)}.yaml`, `v${Math.floor(random() * 3)}\n`);
      const dir = path.join(root, `u${run}`);
      writeTree(dir, files);
      const inode = fs.statSync(dir).ino;
      const calls: string[] = [];
      const record = (name: string) => () => {
        calls.push(name);
        throw new Error(`${name} must not be called`);
      };
      writeTree(dir, new Map(files), { writeFile: record('writeFile'), link: record('link'), mkdtemp: record('mkdtemp'), rename: record('rename'), removeTree: record('removeTree') });
      expect(calls).toEqual([]);
      expect(fs.statSync(dir).ino).toBe(inode);
      expect(readTree(dir)).toEqual(files);
    }
  });

  it('switches to a staging folder at the first changed file, linking the unchanged ones seen before it', () => {
    const files = new Map([['dev/a.yaml', 'a\n'], ['dev/b.yaml', 'b\n'], ['dev/z.yaml', 'old\n']]);
    writeTree(outdir, files);
    const inodeA = fs.statSync(path.join(outdir, 'dev/a.yaml')).ino;
    const written: string[] = [];
    writeTree(outdir, new Map([...files, ['dev/z.yaml', 'new\n']]), (file, data) => {
      written.push(path.basename(file));
      fs.writeFileSync(file, data);
    });
    expect(written).toEqual(['z.yaml']);
    expect(fs.statSync(path.join(outdir, 'dev/a.yaml')).ino).toBe(inodeA);
    expect(readTree(outdir)).toEqual(new Map([...files, ['dev/z.yaml', 'new\n']]));
    expect(leftovers(outdir)).toEqual([]);
  });

  it('replaces an unchanged tree that holds more: a stray file or an empty folder goes', () => {
    const files = new Map([['dev/a.yaml', 'a\n']]);
    writeTree(outdir, files);
    fs.writeFileSync(path.join(outdir, 'dev/stray.yaml'), 'x\n');
    writeTree(outdir, files);
    expect(readTree(outdir)).toEqual(files);
    fs.mkdirSync(path.join(outdir, 'empty'));
    writeTree(outdir, files);
    expect(fs.existsSync(path.join(outdir, 'empty'))).toBe(false);
    expect(leftovers(outdir)).toEqual([]);
  });

  it('keeps the previous tree intact when a write fails after unchanged files were linked', () => {
    writeTree(outdir, new Map([['dev/a.yaml', 'same\n'], ['dev/b.yaml', 'old\n']]));
    const before = readTree(outdir);
    expect(() => writeTree(outdir, new Map([['dev/a.yaml', 'same\n'], ['dev/b.yaml', 'new\n']]), failingAfter(0).write)).toThrow(/ENOSPC/);
    expect(readTree(outdir)).toEqual(before);
    expect(fs.statSync(path.join(outdir, 'dev/a.yaml')).nlink).toBe(1);
    expect(leftovers(outdir)).toEqual([]);
  });

  describe('the folder itself', () => {
    const mode = (p: string) => fs.statSync(p).mode & 0o7777;

    it('creates a new output folder 0755 and keeps the mode of an existing one', () => {
      writeTree(outdir, new Map([['dev/a.yaml', '1\n']]));
      expect(mode(outdir)).toBe(0o755);
      fs.chmodSync(outdir, 0o750);
      writeTree(outdir, new Map([['dev/a.yaml', '2\n']]));
      expect(mode(outdir)).toBe(0o750);
      fs.chmodSync(outdir, 0o555);
      writeTree(outdir, new Map([['dev/a.yaml', '3\n']]));
      expect(mode(outdir)).toBe(0o555);
      writeTree(outdir, new Map([['dev/a.yaml', '4\n']]));
      expect(readTree(outdir)).toEqual(new Map([['dev/a.yaml', '4\n']]));
      expect(leftovers(outdir)).toEqual([]);
    });

    it('follows a symlinked output folder: writes its target and keeps the link', () => {
      const real = path.join(root, 'elsewhere', 'out');
      fs.mkdirSync(real, { recursive: true });
      fs.writeFileSync(path.join(real, 'stale.yaml'), 'old\n');
      fs.symlinkSync(path.relative(root, real), outdir);
      writeTree(outdir, new Map([['dev/a.yaml', '1\n']]));
      writeTree(outdir, new Map([['dev/a.yaml', '2\n']]));
      expect(fs.lstatSync(outdir).isSymbolicLink()).toBe(true);
      expect(readTree(real)).toEqual(new Map([['dev/a.yaml', '2\n']]));
      expect(fs.readdirSync(root).sort()).toEqual(['dist', 'elsewhere']);
      expect(fs.readdirSync(path.dirname(real))).toEqual(['out']);
    });

    it('refuses to replace a file that is not a folder, writing nothing', () => {
      fs.writeFileSync(outdir, 'mine\n');
      expect(() => writeTree(outdir, new Map([['a.yaml', '1\n']]))).toThrow(/dist is not a folder; move it away, nothing was written/);
      expect(fs.readFileSync(outdir, 'utf8')).toBe('mine\n');
      expect(leftovers(outdir)).toEqual([]);
    });

    it('creates the target of a dangling symlink', () => {
      fs.symlinkSync('made/here', outdir);
      writeTree(outdir, new Map([['a.yaml', '1\n']]));
      expect(fs.lstatSync(outdir).isSymbolicLink()).toBe(true);
      expect(readTree(path.join(root, 'made/here'))).toEqual(new Map([['a.yaml', '1\n']]));
    });
  });

  describe('reusing previous files', () => {
    it('rewrites a previous file hard-linked from outside, so an outside edit cannot reach dist/', () => {
      writeTree(outdir, new Map([['dev/a.yaml', 'same\n']]));
      const outside = path.join(root, 'outside.yaml');
      fs.rmSync(path.join(outdir, 'dev/a.yaml'));
      fs.writeFileSync(outside, 'same\n');
      fs.linkSync(outside, path.join(outdir, 'dev/a.yaml'));
      writeTree(outdir, new Map([['dev/a.yaml', 'same\n']]));
      fs.writeFileSync(outside, 'edited\n');
      expect(fs.statSync(path.join(outdir, 'dev/a.yaml')).nlink).toBe(1);
      expect(readTree(outdir)).toEqual(new Map([['dev/a.yaml', 'same\n']]));
    });

    it('rewrites a previous file that is a symlink, and a previous folder that is a symlink', () => {
      writeTree(outdir, new Map([['dev/a.yaml', 'same\n'], ['prod/b.yaml', 'same\n']]));
      const outside = path.join(root, 'outside');
      fs.mkdirSync(outside);
      fs.writeFileSync(path.join(outside, 'a.yaml'), 'same\n');
      fs.writeFileSync(path.join(outside, 'b.yaml'), 'same\n');
      fs.rmSync(path.join(outdir, 'dev/a.yaml'));
      fs.symlinkSync(path.join(outside, 'a.yaml'), path.join(outdir, 'dev/a.yaml'));
      fs.rmSync(path.join(outdir, 'prod'), { recursive: true });
      fs.symlinkSync(outside, path.join(outdir, 'prod'));
      writeTree(outdir, new Map([['dev/a.yaml', 'same\n'], ['prod/b.yaml', 'same\n']]));
      for (const f of ['dev/a.yaml', 'prod/b.yaml']) {
        const st = fs.lstatSync(path.join(outdir, f));
        expect(st.isFile() && st.nlink === 1).toBe(true);
      }
      expect(fs.lstatSync(path.join(outdir, 'prod')).isDirectory()).toBe(true);
      expect(fs.statSync(path.join(outside, 'b.yaml')).nlink).toBe(1);
    });
  });

  describe('faults (injected: the tests run as root, which ignores folder modes)', () => {
    const prev = new Map([['dev/a.yaml', 'old\n']]);
    const next = new Map([['dev/a.yaml', 'new\n'], ['dev/b.yaml', 'new\n']]);
    const failRename = (n: number, code: string): Partial<WriterOps> => {
      let calls = 0;
      return { rename: (from, to) => { if (++calls === n) throw errno(code, `rename '${from}'`); fs.renameSync(from, to); } };
    };
    let warnings: string[];
    const opts = () => ({ warn: (m: string) => { warnings.push(m); } });
    beforeEach(() => {
      warnings = [];
      writeTree(outdir, prev);
    });

    it.each(['EACCES', 'EROFS', 'EXDEV'])('the first rename failing (%s): a true message, the previous tree, no leftovers, later synths work', (code) => {
      expect(() => writeTree(outdir, next, failRename(1, code), opts())).toThrow(new RegExp(`cannot move the previous tree of .* aside: ${code}.*; the previous tree is unchanged`));
      expect(readTree(outdir)).toEqual(prev);
      expect(leftovers(outdir)).toEqual([]);
      writeTree(outdir, next);
      expect(readTree(outdir)).toEqual(next);
    });

    it('no staging folder possible (a read-only or full parent): a true message, the previous tree', () => {
      const ops: Partial<WriterOps> = { mkdtemp: (prefix) => { throw errno('EROFS', `mkdtemp '${prefix}XXXXXX'`); } };
      expect(() => writeTree(outdir, next, ops, opts())).toThrow(/^cannot create a staging folder beside .*dist: EROFS.*; the previous tree is unchanged$/);
      expect(readTree(outdir)).toEqual(prev);
      expect(leftovers(outdir)).toEqual([]);
    });

    it('a tree left by a kill mid-swap that cannot be put back: the message says where it is and what to do', () => {
      fs.renameSync(outdir, path.join(root, '.dist.old-9-9000'));
      const ops: Partial<WriterOps> = { rename: () => { throw errno('EACCES', 'rename'); } };
      let err: DistWriteError | undefined;
      try { writeTree(outdir, next, ops, opts()); } catch (e) { err = e as DistWriteError; }
      expect(err?.message).toMatch(/dist is missing and its last complete tree .*\.dist\.old-9-9000 could not be put back: EACCES.*; rename it to dist by hand$/);
      expect(err?.previousTreeIntact).toBe(false);
      expect(readTree(path.join(root, '.dist.old-9-9000'))).toEqual(prev);
      writeTree(outdir, next);
      expect(readTree(outdir)).toEqual(next);
      expect(leftovers(outdir)).toEqual([]);
    });

    it('the second rename failing: the previous tree goes back, the message says so', () => {
      let err: unknown;
      try { writeTree(outdir, next, failRename(2, 'EIO'), opts()); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(DistWriteError);
      expect((err as DistWriteError).message).toMatch(/cannot move the new tree into place .*EIO.*; the previous tree is unchanged/);
      expect((err as DistWriteError).previousTreeIntact).toBe(true);
      expect(readTree(outdir)).toEqual(prev);
      expect(leftovers(outdir)).toEqual([]);
    });

    it('even putting the previous tree back failing: the message says where it is and the next synth restores it', () => {
      let calls = 0;
      const ops: Partial<WriterOps> = { rename: (from, to) => { if (++calls >= 2) throw errno('EIO', 'rename'); fs.renameSync(from, to); } };
      let err: DistWriteError | undefined;
      try { writeTree(outdir, next, ops, opts()); } catch (e) { err = e as DistWriteError; }
      expect(err?.previousTreeIntact).toBe(false);
      expect(err?.message).toMatch(/it is kept at .*\.dist\.old-\d+-\d+ and the next synth restores it/);
      expect(fs.existsSync(outdir)).toBe(false);
      recoverInterruptedSwap(outdir);
      expect(readTree(outdir)).toEqual(prev);
      expect(leftovers(outdir)).toEqual([]);
    });

    it('removing the old tree failing (a read-only dist/): the synth succeeded, a warning, and the next synth removes it', () => {
      const ops: Partial<WriterOps> = { removeTree: (dir) => { throw errno('EACCES', `rmdir '${dir}'`); } };
      writeTree(outdir, next, ops, opts());
      expect(readTree(outdir)).toEqual(next);
      expect(warnings).toEqual([expect.stringMatching(/could not remove .*\.dist\.old-.*EACCES.*; the next synth removes it/)]);
      writeTree(outdir, next, {}, opts());
      expect(readTree(outdir)).toEqual(next);
      expect(leftovers(outdir)).toEqual([]);
    });

    it('a full disk after unchanged files were linked, and the clean-up failing too: previous tree kept, staging removed next time', () => {
      const ops: Partial<WriterOps> = {
        writeFile: () => { throw errno('ENOSPC', 'no space left on device'); },
        removeTree: () => { throw errno('EROFS', 'read-only file system'); },
      };
      expect(() => writeTree(outdir, new Map([['dev/a.yaml', 'old\n'], ['dev/c.yaml', 'x\n']]), ops, opts())).toThrow(/writing the new tree failed: ENOSPC.*; the previous tree is unchanged/);
      expect(readTree(outdir)).toEqual(prev);
      expect(leftovers(outdir)).toEqual([expect.stringMatching(/^\.dist\.staging-/)]);
      writeTree(outdir, next);
      expect(readTree(outdir)).toEqual(next);
      expect(leftovers(outdir)).toEqual([]);
    });
  });

  // root ignores folder modes (these tests run as root here): the fault-injection tests above cover the same
  // paths; as any other user this runs against real read-only folders
  const asNonRoot = process.getuid?.() === 0 ? it.skip : it;
  asNonRoot('a read-only parent of dist/ (real modes): a true message, the previous tree, later synths work', () => {
    writeTree(outdir, new Map([['a.yaml', 'old\n']]));
    fs.chmodSync(root, 0o555);
    try {
      expect(() => writeTree(outdir, new Map([['a.yaml', 'new\n']]), {}, { lockTimeoutMs: 50 })).toThrow(/nothing was written|previous tree is unchanged/);
      expect(readTree(outdir)).toEqual(new Map([['a.yaml', 'old\n']]));
    } finally {
      fs.chmodSync(root, 0o755);
    }
    writeTree(outdir, new Map([['a.yaml', 'new\n']]));
    expect(readTree(outdir)).toEqual(new Map([['a.yaml', 'new\n']]));
    expect(leftovers(outdir)).toEqual([]);
  });

  describe('processes', () => {
    let writerJs: string;
    beforeAll(() => {
      // the writer as plain JavaScript, so child processes start fast
      writerJs = path.join(tempDir('writer-js-'), 'writer.js');
      require('esbuild').buildSync({ entryPoints: [path.resolve(__dirname, '../../lib/gitops/dist-writer.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: writerJs, logLevel: 'error' });
    });
    afterAll(() => fs.rmSync(path.dirname(writerJs), { recursive: true, force: true }));

    const key = (m: ReadonlyMap<string, string>) => JSON.stringify([...m].sort());
    const tree = (tag: string, files: number) => new Map(Array.from({ length: files }, (_, i) => [`dir${i % 7}/f${i}.yaml`, `${tag} ${i}\n`]));

    it('a synth killed at random moments (seeded: after any file write, rename or removal): the next synth finds the old or the new complete tree, and no leftovers', async () => {
      let seed = 7;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const FILES = 40;
      let current = tree('T0', FILES);
      writeTree(outdir, current);
      const sawMidSwap: string[] = [];
      for (let round = 1; round <= 10; round++) {
        const tag = `T${round}`;
        // FILES writes, 2 renames, 1 removal: half the kills land in the swap and clean-up, the rest anywhere
        const ops = FILES + 3;
        const killAt = rnd() < 0.5 ? ops - Math.floor(rnd() * 3) : 1 + Math.floor(rnd() * ops);
        const script = `
          const fs = require('fs');
          const { writeTree } = require(${JSON.stringify(writerJs)});
          let n = 0;
          const step = (fn) => (...a) => { const r = fn(...a); if (++n === ${killAt}) process.kill(process.pid, 'SIGKILL'); return r; };
          const tree = new Map(Array.from({ length: ${FILES} }, (_, i) => ['dir' + (i % 7) + '/f' + i + '.yaml', ${JSON.stringify(tag)} + ' ' + i + '\\n']));
          writeTree(${JSON.stringify(outdir)}, tree, {
            writeFile: step((f, d) => fs.writeFileSync(f, d)),
            rename: step((a, b) => fs.renameSync(a, b)),
            removeTree: step((d) => fs.rmSync(d, { recursive: true, force: true })),
          });`;
        const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
        const signal = await new Promise((r) => child.on('exit', (_code, sig) => r(sig)));
        expect(signal).toBe('SIGKILL');
        if (!fs.existsSync(outdir)) sawMidSwap.push(tag);
        recoverInterruptedSwap(outdir);
        const now = key(readTree(outdir));
        const next = tree(tag, FILES);
        expect([key(current), key(next)]).toContain(now);
        if (now === key(next)) current = next;
        expect(leftovers(outdir)).toEqual([]);
      }
      // the seed puts some kills between the two renames (dist/ missing until the next synth)
      expect(sawMidSwap.length).toBeGreaterThan(0);
      writeTree(outdir, tree('C', 10));
      expect(readTree(outdir)).toEqual(tree('C', 10));
    }, 30_000);

    it('concurrent synths into one folder take turns: all succeed, never overlap, the result is one complete tree, nothing is left over', async () => {
      const log = path.join(root, 'log');
      const script = (tag: string) => `
        const fs = require('fs');
        const { writeTree } = require(${JSON.stringify(writerJs)});
        let first = true;
        const tree = new Map(Array.from({ length: 50 }, (_, i) => ['f' + i + '.yaml', ${JSON.stringify(tag)} + ' ' + i + '\\n']));
        writeTree(${JSON.stringify(outdir)}, tree, {
          // a slow first write widens the window in which two unlocked synths would overlap
          writeFile: (f, d) => {
            if (first) { first = false; fs.appendFileSync(${JSON.stringify(log)}, 'S ${tag}\\n'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150); }
            fs.writeFileSync(f, d);
          },
          rename: (a, b) => { fs.renameSync(a, b); if (a.includes('.staging-')) fs.appendFileSync(${JSON.stringify(log)}, 'E ${tag}\\n'); },
        });`;
      const runs = ['P', 'Q', 'R'].map((tag) => spawn(process.execPath, ['-e', script(tag)], { stdio: 'ignore' }));
      const codes = await Promise.all(runs.map((c) => new Promise<number>((r) => c.on('exit', (code) => r(code ?? -1)))));
      expect(codes).toEqual([0, 0, 0]);
      const events = fs.readFileSync(log, 'utf8').trim().split('\n');
      expect(events).toHaveLength(6);
      for (let i = 0; i < 6; i += 2) expect([events[i][0], events[i + 1][0], events[i].slice(2)]).toEqual(['S', 'E', events[i + 1].slice(2)]);
      const last = events[5].slice(2);
      expect(readTree(outdir)).toEqual(new Map(Array.from({ length: 50 }, (_, i) => [`f${i}.yaml`, `${last} ${i}\n`])));
      expect(leftovers(outdir)).toEqual([]);
    }, 30_000);

    it('waits for a live lock holder and fails clearly after the timeout; a dead holder\'s lock is taken over', () => {
      writeTree(outdir, new Map([['a.yaml', 'old\n']]));
      const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
      try {
        fs.writeFileSync(path.join(root, '.dist.lock'), String(holder.pid));
        expect(() => writeTree(outdir, new Map([['a.yaml', 'new\n']]), {}, { lockTimeoutMs: 150 }))
          .toThrow(`another synth (pid ${holder.pid}) is writing ${fs.realpathSync(root)}/dist`);
        expect(readTree(outdir)).toEqual(new Map([['a.yaml', 'old\n']]));
      } finally {
        holder.kill('SIGKILL');
      }
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
      fs.writeFileSync(path.join(root, '.dist.lock'), dead);
      writeTree(outdir, new Map([['a.yaml', 'new\n']]), {}, { lockTimeoutMs: 150 });
      expect(readTree(outdir)).toEqual(new Map([['a.yaml', 'new\n']]));
      expect(leftovers(outdir)).toEqual([]);
    });
  });
});
