// The review of the example platform with its promotion stages (`--app apps/main.ts`): prod's two rings are two
// stages, so a change that reaches both at once is a high risk, and the stage table says what each waits for.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from '../../apps/main';
import { writeTree } from '../../lib/gitops/dist-writer';
import { bumpApiInProd } from '../../scripts/review-demo';
import { scriptBundle } from '../scripts/script-bundle';

// `npm run review` (tsx scripts/review.ts), bundled with the app it loads (see script-bundle.ts)
const review = scriptBundle('scripts/review.ts', ['apps/main.ts']);

test('the API bumped in both prod rings at once: HIGH multi-stage-release; the stage table from the ledger', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'review-promotion-'));
  try {
    const base = buildApp().synthFiles();
    writeTree(path.join(tmp, 'old'), base);
    writeTree(path.join(tmp, 'new'), bumpApiInProd(base));
    const r = review.run(['--old', path.join(tmp, 'old'), '--new', path.join(tmp, 'new'), '--app', 'apps/main.ts', '--out', path.join(tmp, 'out'), '--check'],
      { env: { ...process.env, TYPED_MANIFESTS_NOW: '2026-12-06T08:00:00Z' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/review: HIGH multi-stage-release prod\/prod-eu-west-1 Deployment\/storefront\/api: storefront\/api changes in 2 stages at once \(prod\/1, prod\/2\): 3\.8\.1 → 3\.9\.0/);
    const md = fs.readFileSync(path.join(tmp, 'out', 'report.md'), 'utf8');
    expect(md).toMatch(/\| `prod\/1` \| [^|]*api 3\.8\.1[^|]* \| api 3\.9\.0 \(verification in staging\); db-migrate 3\.9\.0 \(verification in staging\); order-worker 3\.9\.0 \(verification in staging\) \| {2}\|/);
    expect(md.match(/^\| `(dev|staging|prod\/1|prod\/2)` \| [a-z]/gm)?.map((l) => l.split('`')[1])).toEqual(['dev', 'staging', 'prod/1', 'prod/2']);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}, 180_000);
