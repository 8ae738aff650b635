// The bench platform's output is part of the contract: a refactoring of lib/ must not move a byte. The digests
// below were computed on the commit before lib/ was split into floors (2a4c83f: environments in gitops/, synth
// calling capabilities by name) and must stay until a change of the rendered output is intended (then update them
// in the same commit as dist/, and say why).
// Updated once (issue 23): the bench platform grew every kind the example renders (Kubernetes 1.34/1.33/1.29,
// storage classes, backups, priority classes, secret stores, canaries, workers, cron jobs, certificates); the
// serializer and policy changes of the same branch were checked against the previous digests first.
import { createHash } from 'crypto';
import { buildBenchApp } from '../../apps/bench';

// Updated with issue 21, over issue 23's grown bench (an intended change of the output: mesh enrolment labels and NetworkPolicy ports, the
// scrape port's PeerAuthentication, numbered apply phases in dist/_phases/, argocd-cm's Application health check).
const EXPECTED: Record<number, { files: number; sha256: string }> = {
  1: { files: 82, sha256: 'c23d69a7da1f9c95cc09650c3462456083144da9a06afef77d19d35a71da4622' },
  12: { files: 413, sha256: 'acb1266c1d0e47290a2dc4dedbea862f199c79e5b8cea32df72ee2f3d36e98b2' },
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
