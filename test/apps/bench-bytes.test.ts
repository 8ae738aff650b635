// The bench platform's output is part of the contract: a refactoring of lib/ must not move a byte. The digests
// below were computed on the commit before lib/ was split into floors (2a4c83f: environments in gitops/, synth
// calling capabilities by name) and must stay until a change of the rendered output is intended (then update them
// in the same commit as dist/, and say why).
// Updated once (issue 23): the bench platform grew every kind the example renders (Kubernetes 1.34/1.33/1.29,
// storage classes, backups, priority classes, secret stores, canaries, workers, cron jobs, certificates); the
// serializer and policy changes of the same branch were checked against the previous digests first.
// Issue 20: config generations carry their content-sha256 mark (config retention trusts only those).
import { createHash } from 'crypto';
import { buildBenchApp } from '../../apps/bench';

// Updated (feat/edges): a file of ServiceAccounts and their bindings alone (a team's Flux tenant account, a secret
// store's login account) now applies in the platform phase, so the teams' flux-tenant files carry sync wave -4;
// the teams' quotas grew to hold the mesh sidecars that tenancy-quota-fits now counts.
const EXPECTED: Record<number, { files: number; sha256: string }> = {
  1: { files: 96, sha256: '9aa1083c494a865f2831a76211c7e3269518c91b422ae0f8e95861e742c15580' },
  12: { files: 430, sha256: '22493cfb04f34ace1a1579cc7f7f0539bcb3983c793ed6499c5fcd801de52792' },
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
