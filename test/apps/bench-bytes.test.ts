// The bench platform's output is part of the contract: a refactoring of lib/ must not move a byte. The digests
// below were computed on the commit before lib/ was split into floors (2a4c83f: environments in gitops/, synth
// calling capabilities by name) and must stay until a change of the rendered output is intended (then update them
// in the same commit as dist/, and say why).
// Updated once (issue 23): the bench platform grew every kind the example renders (Kubernetes 1.34/1.33/1.29,
// storage classes, backups, priority classes, secret stores, canaries, workers, cron jobs, certificates); the
// serializer and policy changes of the same branch were checked against the previous digests first.
// Issue 20: config generations carry their content-sha256 mark (config retention trusts only those).
// Issues 24/25 (feat/edges): files holding only ServiceAccounts and their bindings (the teams' Flux tenant accounts)
// apply in the platform phase (sync wave -4), and the teams' quotas grew to hold the mesh sidecars that
// tenancy-quota-fits now counts.
import { createHash } from 'crypto';
import { buildBenchApp } from '../../apps/bench';

const EXPECTED: Record<number, { files: number; sha256: string }> = {
  1: { files: 87, sha256: '15b836c807d7c4720b7d09b50cdf3022995e6192564a9e86e339fc9ea744d034' },
  12: { files: 418, sha256: '44ce7e65e4c4b7cb897bd3f4a4df8dfaae26faf7a0d92853634d7ad6b4bdc38a' },
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
