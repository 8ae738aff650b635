import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildChangeReport, reportHtml, reportMarkdown, rolloutSvg } from '../../lib/review';
import { collapseVersionChurn, groupRisks } from '../../lib/review/change-report';
import { unitOfQuery, withUnit } from '../../lib/review/rollout-plan';
import { deployment, meta, Obj, prng, tree } from './trees';

const ROOT = path.resolve(__dirname, '../..');
const labelled = (name: string, version: string, kind = 'ServiceAccount'): Obj => ({
  apiVersion: 'v1', kind, metadata: meta(name, 'shop', { labels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/version': version } }),
});

describe('what the reviewer reads', () => {
  test('field-level changes per object: spec.replicas 2 -> 3, in Markdown and HTML', () => {
    const report = buildChangeReport({
      base: tree({ dev: [deployment('api', 'x/api:1.0.0', { replicas: 2 })] }),
      head: tree({ dev: [deployment('api', 'x/api:1.0.0', { replicas: 3 })] }),
    });
    expect(report.targets[0].changed[0].changes).toEqual([{ path: 'spec.replicas', old: 2, new: 3 }]);
    expect(reportMarkdown(report)).toContain('- changed `Deployment/shop/api`: `spec.replicas 2 -> 3`');
    expect(reportHtml(report)).toContain('<li>changed <code>Deployment/shop/api</code>: <code>spec.replicas 2 -&gt; 3</code></li>');
  });

  test('a version bump: label-only churn is one line per workload, the real change (the image) keeps its fields', () => {
    const rand = prng(7);
    const n = 2 + Math.floor(rand() * 20);
    const others = (v: string) => Array.from({ length: n }, (_, i) => labelled(`api-${i}`, v, i % 2 === 0 ? 'ServiceAccount' : 'ConfigMap'));
    const report = buildChangeReport({
      base: tree({ prod: [deployment('api', 'x/api:1.0.0'), ...others('1.0.0')] }),
      head: tree({ prod: [deployment('api', 'x/api:1.1.0'), ...others('1.1.0')] }),
    });
    const { churn, rest } = collapseVersionChurn(report.targets[0].changed);
    expect(churn).toEqual([{ workload: 'shop/api', from: '1.0.0', to: '1.1.0', objects: expect.any(Array) }]);
    expect(churn[0].objects).toHaveLength(n);
    expect(rest.map((c) => c.object)).toEqual(['Deployment/shop/api']);
    const md = reportMarkdown(report);
    expect(md).toContain(`- version label only: \`shop/api\` 1.0.0 → 1.1.0 on ${n} objects`);
    expect(md).toMatch(/changed `Deployment\/shop\/api`: .*`spec\.template\.spec\.containers\[name=api\]\.image "x\/api:1\.0\.0" -> "x\/api:1\.1\.0"`/);
    expect(md.split('\n').filter((l) => l.startsWith('- changed')).length).toBe(1);
  });

  test('many changed fields: the first few, then how many more', () => {
    const wide = (v: number) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('wide'), data: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, `${v}`])) });
    const md = reportMarkdown(buildChangeReport({ base: tree({ dev: [wide(1)] }), head: tree({ dev: [wide(2)] }) }));
    expect(md).toContain('; and 4 more fields');
  });

  test('targets in promotion order (dev, staging, prod), not alphabetical', () => {
    const folders = { dev: [deployment('api', 'x/api:1.0.0')], staging: [deployment('api', 'x/api:1.0.0')], prod: [deployment('api', 'x/api:1.0.0')] };
    const bumped = Object.fromEntries(Object.keys(folders).map((f) => [f, [deployment('api', 'x/api:2.0.0')]]));
    const report = buildChangeReport({ base: tree(folders), head: tree(bumped) });
    expect(report.targets.map((t) => t.folder)).toEqual(report.promotion.folders.filter((f) => report.targets.some((t) => t.folder === f)));
    expect(report.promotion.folders.indexOf('staging')).toBeLessThan(report.promotion.folders.indexOf('prod'));
    expect(report.targets.map((t) => t.folder)).toEqual(['dev', 'staging', 'prod']);
  });

  test('the same risk in every cluster of an environment is one line naming the clusters', () => {
    const role = (verbs: string[]): Obj => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('reader'), rules: [{ apiGroups: [''], resources: ['pods'], verbs }] });
    const report = buildChangeReport({
      base: tree({ 'prod/eu': [role(['get'])], 'prod/us': [role(['get'])] }),
      head: tree({ 'prod/eu': [role(['get', 'delete'])], 'prod/us': [role(['get', 'delete'])] }),
    });
    expect(report.risks).toHaveLength(2);
    expect(groupRisks(report.risks).map((g) => g.folders)).toEqual([['prod/eu', 'prod/us']]);
    const lines = reportMarkdown(report).split('\n').filter((l) => l.includes('rbac-widening'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('`prod/eu`, `prod/us`');
  });

  test('thresholds carry their unit, from the metric the query reads', () => {
    expect(unitOfQuery('histogram_quantile(0.99, sum by (le) (rate(http_request_duration_milliseconds_bucket[5m])))')).toBe('ms');
    expect(unitOfQuery('histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))')).toBe('s');
    expect(unitOfQuery('sum(rate(a[1m])) / sum(rate(b[1m]))')).toBe('ratio');
    expect(unitOfQuery('up')).toBe('');
    expect(withUnit(300, 'ms')).toBe('300 ms');
    expect(withUnit(0.999, 'ratio')).toBe('0.999 (99.9%)');
  });

  test('timeline labels are shown in full (no ellipsis), the picture grows to fit', () => {
    const label = 'header route x-storefront-canary-with-a-very-long-name: always on matched requests';
    const svg = rolloutSvg({ strategy: 'canary', workload: 'Rollout shop/api', phases: [{ kind: 'header-route', weight: 0, label, seconds: 0 }, { kind: 'done', weight: 100, label: 'promoted: 100%', seconds: 0 }], minSeconds: 0, manual: false, notes: [] }, 't');
    expect(svg).not.toContain('…');
    const shown = [...svg.matchAll(/<text[^>]*fill="#222">([^<]*)<\/text>/g)].map((m) => m[1]).filter((t) => !/%$/.test(t) || t.includes(' '));
    expect(shown.join(' ').replace(/\s+/g, '')).toContain(label.replace(/\s+/g, ''));
    expect(Number(/height="(\d+)"/.exec(svg)![1])).toBeGreaterThan(190);
  });

  test('a failed run leaves no report behind (the previous one is removed first)', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'review-stale-'));
    try {
      fs.writeFileSync(path.join(out, 'report.md'), 'previous\n');
      fs.writeFileSync(path.join(out, 'report.html'), 'previous\n');
      const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'scripts/review.ts'),
        '--old', path.join(out, 'missing-a'), '--new', path.join(out, 'missing-b'), '--app', path.join(out, 'no-such-app.ts'), '--out', out], { encoding: 'utf8', cwd: ROOT });
      expect(r.status).toBe(2);
      expect(fs.existsSync(path.join(out, 'report.md'))).toBe(false);
      expect(fs.existsSync(path.join(out, 'report.html'))).toBe(false);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
