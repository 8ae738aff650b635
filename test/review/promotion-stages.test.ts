import { buildChangeReport, reportMarkdown, StageRecord } from '../../lib/review';
import { deployment, meta, Obj, prng, tree } from './trees';

const folders = ['dev', 'staging', 'prod/eu', 'prod/us'];
const stages = (extra: Partial<Record<string, Partial<StageRecord>>> = {}): StageRecord[] => [
  { name: 'dev', folders: ['dev'], workloads: [], exemptions: [] },
  { name: 'staging', folders: ['staging'], workloads: [], exemptions: [] },
  { name: 'prod/1', folders: ['prod/eu'], workloads: [], exemptions: [] },
  { name: 'prod/2', folders: ['prod/us'], workloads: [], exemptions: [] },
].map((s) => ({ ...s, ...extra[s.name] }));

/** The trees where `api` runs `before[i]` / `after[i]` in folder i. */
const trees = (before: string[], after: string[], cfg: { after?: Record<string, string> } = {}) => {
  const side = (versions: string[], config?: Record<string, string>) => tree(Object.fromEntries(folders.map((f, i) => [f, [
    deployment('api', `x/api:${versions[i]}`),
    ...(config?.[f] ? [{ apiVersion: 'v1', kind: 'ConfigMap', immutable: true, metadata: meta(config[f], 'shop', { labels: { 'app.kubernetes.io/name': 'api' } }), data: { a: config[f] } } as Obj] : []),
  ]])));
  return { base: side(before), head: side(after, cfg.after) };
};

describe('promotion risks in the review', () => {
  test('a version that moves in more than one stage at once is a high risk; one stage at a time is not', () => {
    const one = buildChangeReport({ ...trees(['1', '1', '1', '1'], ['2', '1', '1', '1']), stages: stages() });
    expect(one.risks.filter((r) => r.kind === 'multi-stage-release')).toEqual([]);
    const two = buildChangeReport({ ...trees(['1', '1', '1', '1'], ['2', '2', '1', '1']), stages: stages() });
    expect(two.unacknowledgedHigh).toEqual([expect.objectContaining({
      kind: 'multi-stage-release', folder: 'dev', object: 'Deployment/shop/api', message: expect.stringMatching(/shop\/api changes in 2 stages at once \(dev, staging\): 1 → 2/),
    })]);
  });

  test('folders of one stage move together without a risk; without stage records each top-level folder is a stage', () => {
    const prod = (s?: StageRecord[]) => buildChangeReport({ ...trees(['2', '2', '1', '1'], ['2', '2', '2', '2']), stages: s });
    const oneRing = stages();
    const merged = [...oneRing.slice(0, 2), { name: 'prod', folders: ['prod/eu', 'prod/us'], workloads: [], exemptions: [] }];
    expect(prod(oneRing).risks.map((r) => r.kind)).toEqual(['multi-stage-release']);
    expect(prod(merged).risks).toEqual([]);
    expect(prod(undefined).risks).toEqual([]);
  });

  test('a new config generation counts as a release change', () => {
    const r = buildChangeReport({ ...trees(['1', '1', '1', '1'], ['1', '1', '1', '1'], { after: { dev: 'api-config-b', staging: 'api-config-b' } }), stages: stages() });
    expect(r.risks.map((x) => [x.kind, x.message])).toEqual([['multi-stage-release', expect.stringContaining('new config generation')]]);
  });

  test('a hotfix or an emergency is a high risk where this change moves the workload, and listed in the stage table', () => {
    const exempt = stages({ 'prod/1': { exemptions: [{ workload: 'shop/api', kind: 'hotfix', reason: 'CVE-2026-0001 <b>', until: '2026-12-10T00:00:00Z' }] } });
    const moved = buildChangeReport({ ...trees(['1', '1', '1', '1'], ['1', '1', '2', '1']), stages: exempt });
    expect(moved.unacknowledgedHigh.map((r) => [r.kind, r.folder])).toEqual([['promotion-exemption', 'prod/eu']]);
    const still = buildChangeReport({ ...trees(['1', '1', '1', '1'], ['2', '1', '1', '1']), stages: exempt });
    expect(still.risks).toEqual([]);
    const md = reportMarkdown(still);
    // markup in a reason stays text
    expect(md).toMatch(/\| `prod\/1` \| {2}\| {2}\| \*\*hotfix api: CVE-2026-0001 &lt;b> \(until 2026-12-10T00:00:00Z\)\*\* \|/);
  });

  test('the stage table shows what runs, the candidate and what it waits for, in promotion order (generated states)', () => {
    const rand = prng(7);
    for (let i = 0; i < 30; i++) {
      const versions = folders.map(() => String(1 + Math.floor(rand() * 3)));
      const waits = ['verification in staging', 'soak 2h left', 'frozen by year-end until 2027-01-04T00:00:00Z'];
      const records = stages(Object.fromEntries(['staging', 'prod/1', 'prod/2'].map((name, j) => [name, {
        workloads: [{ workload: 'shop/api', runs: versions[j + 1], ...(versions[j] !== versions[j + 1] ? { candidate: versions[j], waitingOn: waits[j] } : {}) }],
      }])));
      const md = reportMarkdown(buildChangeReport({ ...trees(versions, versions.map((v, j) => (j === 0 ? String(Number(v) + 1) : v))), stages: records }));
      const rows = md.slice(md.indexOf('### Promotion stages')).split('\n').filter((l) => /^\| `(dev|staging|prod\/\d)` \|/.test(l));
      expect(rows.map((l) => l.split('`')[1])).toEqual(['dev', 'staging', 'prod/1', 'prod/2']);
      ['staging', 'prod/1', 'prod/2'].forEach((_name, j) => {
        const row = rows[j + 1];
        expect(row).toContain(`api ${versions[j + 1]}`);
        if (versions[j] !== versions[j + 1]) expect(row).toContain(`api ${versions[j]} (${waits[j]})`);
      });
    }
  });
});
