import { App, Chart } from 'cdk8s';
import { buildChangeReport, Review, reportHtml, reportMarkdown, rolloutSvg } from '../../lib/review';
import { deployment, meta, Obj, prng, statefulSet, tree } from './trees';

const rollout: Obj = {
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: meta('api'),
  spec: {
    replicas: 3,
    workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
    strategy: { canary: { steps: [{ setWeight: 10 }, { pause: { duration: '5m' } }, { analysis: { templates: [{ templateName: 'slo' }] } }, { setWeight: 50 }, { pause: { duration: '5m' } }] } },
  },
};
const slo: Obj = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: meta('slo'), spec: { metrics: [{ name: 'success-rate', interval: '1m', count: 3, successCondition: 'result >= 0.99' }] } };

function sample() {
  return buildChangeReport({
    base: tree({ prod: [deployment('api', 'x/api:1.0.0', { replicas: 3 }), rollout, slo, statefulSet('db', '10Gi')] }),
    head: tree({ prod: [deployment('api', 'x/api:1.1.0', { replicas: 3 }), rollout, slo, statefulSet('db', '20Gi')] }),
    baseLabel: 'main',
    headLabel: 'feature',
  });
}

describe('Markdown report', () => {
  const md = reportMarkdown(sample());

  test('summary table first, risks before details, details collapsed', () => {
    expect(md).toContain('## Change review: main → feature');
    expect(md).toContain('**1 unacknowledged high risk(s).**');
    expect(md).toContain('| `prod` | 0 | 2 | 0 | 3 |  | **1 high**, 1 total | 13m |');
    expect(md.indexOf('### Risks')).toBeLessThan(md.indexOf('### Details'));
    expect(md).toContain('- **HIGH** `prod` `StatefulSet/shop/db` **pvc-template-change**');
    expect(md).toContain('<details><summary><code>prod</code>: 0 added, 2 changed, 0 removed</summary>');
  });

  test('the rollout plan lists weights, pauses and gates with what they measure', () => {
    expect(md).toContain('**Rollout shop/api** (canary, at least 13m): 10% of traffic → pause 5m → analysis: success-rate (success-rate: >= 0.99) → 50% of traffic → pause 5m → promoted: 100%.');
  });

  test('the promotion table shows the version that moves', () => {
    expect(md).toContain('| `shop/api` | **1.0.0 → 1.1.0** |');
  });

  test('no change says so', () => {
    const t = tree({ prod: [deployment('api', 'x/api:1.0.0')] });
    expect(reportMarkdown(buildChangeReport({ base: t, head: t }))).toContain('No change: both trees hold the same bytes.');
  });
});

describe('HTML report', () => {
  const html = reportHtml(sample());

  test('is self-contained: no script, no external URL, inline style', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)=["']?https?:/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toMatch(/^<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">/);
  });

  test('has the summary, the risks, one timeline per plan and the promotion table', () => {
    expect(html.match(/<svg /g)).toHaveLength(1);
    expect(html).toContain('<tr class="risk risk-pvc-template-change">');
    expect(html).toContain('<td class="moved">1.0.0 → 1.1.0</td>');
    expect(html).toContain('<h2>Rollout plans</h2>');
  });

  test('the timeline draws one column per phase with its weight, gates as diamonds', () => {
    const plan = sample().targets[0].plans[0];
    const svg = rolloutSvg(plan, 'api');
    expect(svg.match(/<g class="phase /g)).toHaveLength(plan.phases.length);
    expect(svg).toContain('<g class="phase phase-analysis">');
    expect(svg.match(/<path d="M /g)).toHaveLength(1);
    for (const p of plan.phases) expect(svg).toContain(`>${p.weight}%</text>`);
    expect(svg).toMatch(/width="(\d+)"/);
  });

  test('generated names with markup and table syntax are escaped', () => {
    const rand = prng(42);
    const alphabet = 'ab<>&"\'|`*_\n/ ';
    for (let i = 0; i < 200; i++) {
      let reason = '';
      const n = 1 + Math.floor(rand() * 30);
      for (let j = 0; j < n; j++) reason += alphabet[Math.floor(rand() * alphabet.length)];
      const objs = [deployment('api', 'x/api:1.0.0')];
      const r = buildChangeReport({
        base: tree({ prod: objs }), head: tree({ prod: objs }),
        baseLabel: `<b>${reason}`,
        exemptions: { base: [], head: [{ folder: 'prod', object: 'Deployment/shop/api', rule: 'hygiene-probes', reason: `${reason}<script>` }] },
      });
      const page = reportHtml(r);
      expect(page).not.toContain('<script>');
      expect(page).not.toContain('<b>');
      const riskLine = reportMarkdown(r).split('\n').find((l) => l.includes('policy-exemption'))!;
      // one line, and no unescaped pipe that would split a table
      expect(riskLine).not.toMatch(/(^|[^\\])\|/);
    }
  });

  test('same input, same bytes', () => {
    expect(reportHtml(sample())).toBe(reportHtml(sample()));
    expect(reportMarkdown(sample())).toBe(reportMarkdown(sample()));
  });
});

describe('Review.acknowledge', () => {
  const scope = () => new Chart(new App(), 'prod');

  test('records the risk, the reason and the scope', () => {
    const c = scope();
    Review.acknowledge(c, 'data-loss', ' the cache held no state ', { object: 'StatefulSet/shop/cache' });
    expect(Review.acknowledgementsOf(c)).toEqual([{ risk: 'data-loss', reason: 'the cache held no state', scopePath: 'prod', object: 'StatefulSet/shop/cache' }]);
  });

  test('rejects an unknown risk, an empty reason and a malformed object', () => {
    expect(() => Review.acknowledge(scope(), 'dangerous' as any, 'x')).toThrow("prod: risk is not a review risk kind, got \"dangerous\"; use one of delete-and-recreate, immutable-field");
    expect(() => Review.acknowledge(scope(), 'data-loss', '  ')).toThrow('prod: reason must say why the data-loss risk is accepted, got "  "');
    expect(() => Review.acknowledge(scope(), 'data-loss', 'ok', { object: 'db' })).toThrow('prod: object must be Kind/namespace/name or Kind/name, got "db"');
  });
});
