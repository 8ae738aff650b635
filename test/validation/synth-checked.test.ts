import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { HardenedService, Policy, PolicyError, SchemaError, synthChecked } from '../../lib';
import { StockChart } from '../fixtures/stock-chart';
import { removeWithBundles } from '../scripts/run-cache';

const root = path.resolve(__dirname, '../..');

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('nothing thrown');
}

describe('synthChecked (snapshot tests with the synth checks)', () => {
  test('a privileged hostNetwork busybox:latest Pod in a stock Chart fails with the policy table', () => {
    const e = thrown(() => synthChecked(new StockChart(new App(), 'stock')));
    expect(e).toBeInstanceOf(PolicyError);
    const rules = new Set((e as PolicyError).findings.map((f) => f.rule));
    for (const r of ['pss-privileged', 'pss-host-namespaces', 'hygiene-image-pinned']) expect([...rules].some((x) => x.startsWith(r.split('-').slice(0, 2).join('-')))).toBe(true);
    expect(e.message).toContain('stock/debug');
    expect(e.message).toContain('OBJECT / WHERE');
  }, 60_000);

  test('a schema mistake is reported before policy, with the field', () => {
    const chart = new Chart(new App(), 'c', { namespace: 'shop' });
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, dataa: { a: 'b' } } as any);
    const e = thrown(() => synthChecked(chart));
    expect(e).toBeInstanceOf(SchemaError);
    expect(e.message).toContain('dataa');
  }, 60_000);

  test('a hardened service passes and returns the manifests; exemptions apply', () => {
    const chart = new Chart(new App(), 'c', { namespace: 'shop' });
    new HardenedService(chart, 'web', { image: 'registry.example.com/web@sha256:' + 'a'.repeat(64), port: 8080 });
    const manifests = synthChecked(chart);
    expect(manifests.map((m) => m.kind)).toContain('Deployment');
    const stock = new StockChart(new App(), 'stock');
    const all = (thrown(() => synthChecked(stock)) as PolicyError).findings.map((f) => f.rule);
    for (const rule of new Set(all)) Policy.exempt(stock, rule, 'a debugging pod, deleted after the incident');
    expect(() => synthChecked(stock)).not.toThrow();
  }, 60_000);
});

describe('ManifestChecks (the cdk8s validation plugin)', () => {
  test('cdk8s synth runs it on a stock Chart: exit 2, the same rules, construct paths from the metadata', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-'));
    try {
      const app = path.join(dir, 'stock.ts');
      fs.writeFileSync(app, [
        `import { App } from ${JSON.stringify(require.resolve('cdk8s'))};`,
        `import { StockChart } from ${JSON.stringify(path.join(__dirname, '../fixtures/stock-chart'))};`,
        'const app = new App();',
        "new StockChart(app, 'stock');",
        'app.synth();',
        '',
      ].join('\n'));
      const out = path.join(dir, 'out');
      const report = path.join(dir, 'report.json');
      const r = spawnSync('npx', ['--no-install', 'cdk8s', 'synth', '--no-check-upgrade', '--app', `node scripts/run.js ${app}`, '--output', out, '--validation-reports-output-file', report],
        { cwd: root, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
      expect(r.status).toBe(2);
      const json = JSON.parse(fs.readFileSync(report, 'utf8'));
      const violations = json.reports[0].violations;
      const expected = (thrown(() => synthChecked(new StockChart(new App(), 'stock'))) as PolicyError).findings.map((f) => f.rule);
      expect([...new Set(violations.map((v: any) => v.ruleName))].sort()).toEqual([...new Set(expected)].sort());
      expect(violations[0].violatingConstructs[0].constructPath).toBe('stock/debug');
    } finally {
      removeWithBundles(dir);
    }
  }, 120_000);
});
