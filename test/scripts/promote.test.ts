// `npm run promote` on the example platform, as CI and a release engineer run it (one process per call).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { scriptBundle } from './script-bundle';
import { spawnCollected } from '../fixtures/spawn';

const root = path.resolve(__dirname, '..', '..');
const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
// the script bundled once (see script-bundle.ts); one call runs under tsx, as `npm run promote` does
const script = scriptBundle('scripts/promote.ts', ['apps/main.ts']);

/** Runs the script in a copy of the repository's ledger (so the committed one is never rewritten). */
// async, so that calls which do not depend on each other run side by side
function promote(args: string[], now = '2026-12-06T08:00:00Z', cwd = root): Promise<{ code: number | null; out: string; err: string }> {
  return script.start(['--app', path.join(root, 'apps', 'main.ts'), ...args], { cwd, env: { ...process.env, TYPED_MANIFESTS_NOW: now } })
    .then((r) => ({ code: r.status, out: r.stdout, err: r.stderr }));
}

/** The same under tsx. */
function promoteViaTsx(args: string[], now = '2026-12-06T08:00:00Z', cwd = root): Promise<{ code: number | null; out: string; err: string }> {
  return spawnCollected(process.execPath, [tsx, path.join(root, 'scripts', 'promote.ts'), '--app', path.join(root, 'apps', 'main.ts'), ...args],
    { cwd, env: { ...process.env, TYPED_MANIFESTS_NOW: now } }).then((r) => ({ code: r.status, out: r.stdout, err: r.stderr }));
}

describe('npm run promote', () => {
  test('--status: one line per stage in promotion order; --check: the committed ledger agrees with the code', async () => {
    const [status, check] = await Promise.all([promote(['--status']), promote(['--check'])]);
    expect(status.code).toBe(0);
    const lines = status.out.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(['dev', 'staging', 'prod/1', 'prod/2']);
    // the example's promotion in progress: staging verified nothing yet, prod still on 3.8.1
    expect(lines[2]).toMatch(/runs .*api 3\.8\.1.*waits for api 3\.9\.0, db-migrate 3\.9\.0, order-worker 3\.9\.0 \(verification in staging\)/);
    expect([check.code, check.out]).toEqual([0, expect.stringContaining('agrees with the code (4 stages)')]);
  }, 120_000);

  test('advancing a stage rewrites the ledger; a frozen stage refuses; usage errors exit 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promote-'));
    try {
      fs.copyFileSync(path.join(root, 'promotion.yaml'), path.join(dir, 'promotion.yaml'));
      const moved = await promote(['prod/1', '--evidence', 'staging canary analysis storefront-api-8a21'], '2026-12-06T08:00:00Z', dir);
      expect(moved.code).toBe(0);
      expect(moved.out).toMatch(/staging: storefront\/api 3\.9\.0 verified \(staging canary analysis storefront-api-8a21\)/);
      expect(moved.out).toMatch(/prod\/1: storefront\/api 3\.9\.0 soaks 2h more/);
      const ledger = fs.readFileSync(path.join(dir, 'promotion.yaml'), 'utf8');
      expect(ledger).toContain('verified: { at: "2026-12-06T08:00:00Z", evidence: "staging canary analysis storefront-api-8a21" }');
      const frozen = await promote(['prod/1'], '2026-12-24T12:00:00Z', dir);
      expect(frozen.code).toBe(1);
      expect(frozen.err).toMatch(/prod\/1 is frozen by window year-end \(year-end sales peak\) until 2027-01-04T00:00:00Z/);
      expect(fs.readFileSync(path.join(dir, 'promotion.yaml'), 'utf8')).toBe(ledger);
      const [hotfix, unknown] = await Promise.all([promoteViaTsx(['prod/1', '--hotfix', 'x'], undefined, dir), promote(['prod/9'], undefined, dir)]);
      expect(hotfix.code).toBe(2);
      expect(hotfix.err).toContain('promote: --hotfix and --expires go together');
      expect(unknown.err).toMatch(/stage "prod\/9" is not in the chain; use one of dev, staging, prod\/1, prod\/2/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
