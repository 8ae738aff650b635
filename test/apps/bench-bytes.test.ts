// The bench platform's output is part of the contract: a refactoring of lib/ must not move a byte. The digests
// below were computed on the commit before lib/ was split into floors (2a4c83f: environments in gitops/, synth
// calling capabilities by name) and must stay until a change of the rendered output is intended (then update them
// in the same commit as dist/, and say why).
import { createHash } from 'crypto';
import { buildBenchApp } from '../../apps/bench';

const EXPECTED: Record<number, { files: number; sha256: string }> = {
  1: { files: 77, sha256: '580b5c9505fe02cfa4fe26077e4c2c25e30603e90af4dea8bcbb12b84f52f1f9' },
  12: { files: 401, sha256: '0a8661ea837d9db03e6967eefb55812b1d963ea301aa2fffc4fe29a5b9962a4f' },
};

/** sha256 over every (path, content) pair of a dist/ tree, in path order. */
function digest(files: ReadonlyMap<string, string>): string {
  const h = createHash('sha256');
  for (const [p, t] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) h.update(`${p}\0${t}\0`);
  return h.digest('hex');
}

describe('bench platform output bytes', () => {
  for (const n of [1, 12]) {
    it(`N=${n}: the same files and bytes as before the floors refactoring`, () => {
      const files = buildBenchApp(n).synthFiles();
      expect({ files: files.size, sha256: digest(files) }).toEqual(EXPECTED[n]);
    });
  }

  it('the digest sees a one-byte change', () => {
    const files = new Map([['dev/a.yaml', 'x: 1\n']]);
    expect(digest(new Map([['dev/a.yaml', 'x: 2\n']]))).not.toBe(digest(files));
    expect(digest(new Map([['dev/b.yaml', 'x: 1\n']]))).not.toBe(digest(files));
  });
});
