// The review of a real change to the example platform (a new API version in prod), through the library, the
// CLI and headless Chromium.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from '../../apps/main';
import { writeTree } from '../../lib/gitops/dist-writer';
import { buildChangeReport, ChangeReport, reportHtml, reportMarkdown } from '../../lib/review';
import { findChromium, inspectPage } from '../../scripts/chromium';
import { bumpApiInProd } from '../../scripts/review-demo';
import { scriptBundle } from '../scripts/script-bundle';

// `npm run review` (tsx scripts/review.ts), bundled once for both runs (see script-bundle.ts)
const review = scriptBundle('scripts/review.ts');

let base: Map<string, string>;
let head: Map<string, string>;
let report: ChangeReport;
let tmp: string;

beforeAll(() => {
  base = buildApp().synthFiles();
  head = bumpApiInProd(base);
  report = buildChangeReport({ base, head, baseLabel: 'main', headLabel: 'api 3.9.0 in prod' });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'review-example-'));
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('only the prod clusters change, and the API restarts there', () => {
  const prodFolders = [...new Set([...head.keys()].filter((f) => f.startsWith('prod/') && f.endsWith('/storefront/api.yaml')).map((f) => f.split('/').slice(0, 2).join('/')))];
  expect(prodFolders.length).toBeGreaterThan(1);
  expect(report.targets.map((t) => t.folder)).toEqual(prodFolders.sort());
  for (const t of report.targets) {
    expect(t.restarts.map((r) => r.workload)).toEqual(['Deployment/storefront/api']);
    expect(t.restarts[0].min).toBeGreaterThan(0);
    expect(t.restarts[0].max).toBeGreaterThanOrEqual(t.restarts[0].min);
  }
});

test('the canary timeline shows its weights, pauses and analysis gates from the SLO', () => {
  const plan = report.targets[0].plans[0];
  expect(plan.strategy).toBe('canary');
  expect(plan.phases.filter((p) => p.kind === 'weight').map((p) => p.weight)).toEqual([5, 25, 50]);
  expect(plan.phases.filter((p) => p.kind === 'pause').map((p) => p.seconds)).toEqual([600, 600, 600]);
  const gates = plan.phases.filter((p) => p.kind === 'analysis');
  expect(gates).toHaveLength(2);
  expect(gates[0].measures).toEqual(['success-rate: >= 0.999 (99.9%)', 'latency: <= 300 ms']);
  expect(plan.minSeconds).toBeGreaterThanOrEqual(30 * 60);
  const md = reportMarkdown(report);
  expect(md).toContain('header route x-storefront-canary: always');
  expect(md).toContain('| `storefront/api` |');
  expect(md).toMatch(/\*\*3\.8\.1 → 3\.9\.0\*\*/);
});

test('a version bump carries no risk flag; --check passes', () => {
  expect(report.risks).toEqual([]);
  fs.mkdirSync(path.join(tmp, 'cli'), { recursive: true });
  writeTree(path.join(tmp, 'old'), base);
  writeTree(path.join(tmp, 'new'), head);
  const r = review.run(['--old', path.join(tmp, 'old'), '--new', path.join(tmp, 'new'), '--out', path.join(tmp, 'cli'), '--check']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(fs.readFileSync(path.join(tmp, 'cli', 'report.md'), 'utf8')).toBe(reportMarkdown({ ...report, baseLabel: path.join(tmp, 'old'), headLabel: path.join(tmp, 'new') }));
  expect(r.stdout).toMatch(/review: 0 added, \d+ changed, 0 removed, 0 risk\(s\), 0 unacknowledged high/);

  // a renamed Service is a delete-and-recreate: --check fails and names it
  const renamed = new Map(head);
  const file = [...renamed.keys()].find((f) => /^prod\/[^/]+\/storefront\/web\.yaml$/.test(f))!;
  renamed.set(file, renamed.get(file)!.replace('  name: web-preview\n', '  name: web-preview-2\n'));
  writeTree(path.join(tmp, 'new'), renamed);
  const failed = review.run(['--old', path.join(tmp, 'old'), '--new', path.join(tmp, 'new'), '--out', path.join(tmp, 'cli'), '--check']);
  expect(failed.status).toBe(1);
  expect(failed.stderr).toContain('review: HIGH delete-and-recreate');
  expect(failed.stderr).toContain('Service/storefront/web-preview-2');
});

const chromium = findChromium();
if (!chromium) {
  // eslint-disable-next-line no-console
  console.warn('SKIPPED: headless Chromium checks of the review page (no chromium; `apt-get install chromium`, or set CHROMIUM)');
}
(chromium ? test : test.skip)('the HTML renders in headless Chromium without errors, every picture has a size', async () => {
  const file = path.join(tmp, 'report.html');
  fs.writeFileSync(file, reportHtml(report));
  const page = await inspectPage(chromium!, file, { timeoutMs: 60000 });
  expect(page.errors).toEqual([]);
  expect(page.sizes.length).toBe(report.targets.reduce((n, t) => n + t.plans.length, 0));
  for (const [w, h] of page.sizes) {
    expect(w).toBeGreaterThan(100);
    expect(h).toBeGreaterThan(50);
  }
}, 90000);
