import * as fs from 'fs';
import * as path from 'path';
import { readTree, recoverInterruptedSwap, writeTree, WriteFile } from '../../lib/gitops';
import { tempDir } from './helpers';

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

  it('keeps the previous tree intact when a write fails after unchanged files were linked', () => {
    writeTree(outdir, new Map([['dev/a.yaml', 'same\n'], ['dev/b.yaml', 'old\n']]));
    const before = readTree(outdir);
    expect(() => writeTree(outdir, new Map([['dev/a.yaml', 'same\n'], ['dev/b.yaml', 'new\n']]), failingAfter(0).write)).toThrow(/ENOSPC/);
    expect(readTree(outdir)).toEqual(before);
    expect(fs.statSync(path.join(outdir, 'dev/a.yaml')).nlink).toBe(1);
    expect(leftovers(outdir)).toEqual([]);
  });
});
