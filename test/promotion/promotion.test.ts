import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ChangeCalendar, FreezeWindow, Promotion, PromotionLedger } from '../../lib/promotion';
import { prng } from '../fixtures/prng';
import { checked, errorOf, image, imagesOf, promotionApp, PromotionAppOptions, STAGES } from './fixtures';

const T0 = '2026-11-02T09:00:00Z';
const hours = (iso: string, h: number) => new Date(Date.parse(iso) + h * 3_600_000).toISOString().replace(/\.000Z$/, 'Z');

/** Runs `npm run promote -- <stage>` in process: builds the app at `now` and returns the rewritten ledger. */
function promote(o: PromotionAppOptions, stage: string, options: Parameters<Promotion['promote']>[1] = {}): PromotionLedger {
  const { promotion } = promotionApp(o);
  const result = promotion.promote(stage, options);
  // what the script writes, read back as the next synth reads it
  return PromotionLedger.parse(promotion.ledgerText(result.ledger), 'promotion.yaml');
}

/** A ledger where every stage runs api and worker 1.0.0, promoted from T0 on (each stage verified 6h or more before the next took it). */
function settled(soak?: { readonly [stage: string]: string }): PromotionLedger {
  let ledger = PromotionLedger.of([]);
  ledger = promote({ ledger, now: T0, soak }, 'dev', { evidence: 'CI run 1' });
  ledger = promote({ ledger, now: hours(T0, 24), soak }, 'staging');
  ledger = promote({ ledger, now: hours(T0, 48), soak }, 'prod/1', { evidence: 'staging analysis 1' });
  ledger = promote({ ledger, now: hours(T0, 54), soak }, 'prod/1');
  ledger = promote({ ledger, now: hours(T0, 66), soak }, 'prod/2', { evidence: 'prod-a SLO report 1' });
  ledger = promote({ ledger, now: hours(T0, 72), soak }, 'prod/2');
  return ledger;
}

describe('rendering each stage from the ledger', () => {
  const base = settled();

  test('a version bump in code changes only the first stage; each promote moves one more stage', () => {
    const before = imagesOf(checked({ ledger: base, now: hours(T0, 100) }).app);
    const bumped = { api: '1.1.0' };
    const after = imagesOf(checked({ ...bumped, ledger: base, now: hours(T0, 100) }).app);
    const moved = (a: Map<string, string>, b: Map<string, string>) => [...b].filter(([k, v]) => a.get(k) !== v).map(([k]) => k);
    expect(moved(before, after)).toEqual(['dev|shop/api']);

    let ledger = promote({ ...bumped, ledger: base, now: hours(T0, 101) }, 'dev', { evidence: 'CI run 2' });
    let previous = after;
    const expected = [['staging|shop/api'], ['prod/prod-a|shop/api'], ['prod/prod-b|shop/api']];
    ['staging', 'prod/1', 'prod/2'].forEach((stage, i) => {
      const now = hours(T0, 102 + i);
      ledger = promote({ ...bumped, ledger, now }, stage, { evidence: `verified before ${stage}` });
      const images = imagesOf(checked({ ...bumped, ledger, now }).app);
      expect(moved(previous, images)).toEqual(expected[i]);
      previous = images;
    });
    expect([...previous.values()].filter((v) => v === image('api', '1.1.0'))).toHaveLength(4);
  });

  test('the version label follows the image a stage runs', () => {
    const { app } = promotionApp({ api: '1.1.0', ledger: base, now: hours(T0, 100) });
    const objects = app.render();
    const labelIn = (folder: string) => objects.find((o) => o.folder === folder && o.manifest.kind === 'Deployment' && o.manifest.metadata.name === 'api')!.manifest.metadata.labels['app.kubernetes.io/version'];
    expect(labelIn('dev')).toBe('1.1.0');
    expect(labelIn('staging')).toBe('1.0.0');
  });

  test('status prints one line per stage in promotion order, stage first, with what it runs and waits for', () => {
    const ledger = promote({ api: '1.1.0', ledger: base, now: hours(T0, 101) }, 'dev', { evidence: 'CI run 2' });
    const { promotion } = promotionApp({ api: '1.1.0', ledger, now: hours(T0, 101) });
    const lines = promotion.statusLines();
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(STAGES);
    expect(lines[0]).toMatch(/runs api 1\.1\.0, worker 1\.0\.0 \| waits for nothing/);
    expect(lines[1]).toMatch(/runs api 1\.0\.0.*waits for api 1\.1\.0 \(ready: npm run promote -- staging\)/);
    expect(lines[2]).toMatch(/waits for nothing/);
  });

  test('--check reports where code and ledger disagree: an unrecorded first-stage release, changed config', () => {
    expect(promotionApp({ ledger: base, now: hours(T0, 100) }).promotion.disagreements()).toEqual([]);
    const problems = promotionApp({ api: '1.1.0', apiConfig: 'mode=b', ledger: base, now: hours(T0, 100) }).promotion.disagreements();
    expect(problems.some((p) => /stages\.dev\.shop\/api\.image records ghcr\.io\/acme\/api:1\.0\.0, but the code declares ghcr\.io\/acme\/api:1\.1\.0; record it with npm run promote -- dev/.test(p))).toBe(true);
    for (const stage of STAGES) expect(problems.some((p) => p.includes(`.config records`) && p.includes(`but ${stage} renders`))).toBe(true);
  });
});

describe('what synth refuses (each a clear error naming the file, the entry and the fix; nothing written)', () => {
  const base = settled();
  const text = Promotion.prototype.ledgerText.call({ stages: STAGES.map((name) => ({ name })) } as any, base);
  const synthFails = (ledger: string | PromotionLedger, o: Partial<PromotionAppOptions> = {}) => errorOf(() => checked({ ledger, now: hours(T0, 100), ...o }));

  test.each([
    ['an unknown stage', text.replace('  prod/2:', '  prod/3:'), /promotion\.yaml: stages\.prod\/3 names no stage.*use one of dev, staging, prod\/1, prod\/2/],
    ['an unknown workload', text.replace(/shop\/worker/g, 'shop/wrker'), /stages\.dev\.shop\/wrker names no workload rendered in dev.*remove the entry/],
    ['malformed YAML', text.replace('stages:', 'stages: ['), /promotion\.yaml: line \d+ is not valid YAML/],
    ['a duplicate entry', text.replace('  staging:\n', '  staging:\n    shop/api:\n      image: "ghcr.io/acme/api:1.0.0"\n      since: "2026-11-03T09:00:00Z"\n'), /promotion\.yaml: line \d+ repeats a key.*keep one entry per stage and workload/],
    ['a malformed timestamp', text.replace(/since: "2026-11-03T09:00:00Z"/, 'since: "yesterday"'), /stages\.staging\.shop\/(api|worker)\.since must be an ISO 8601 timestamp with a zone, got "yesterday"/],
    ['an unknown field', text.replace(/(    shop\/api:\n)/, '$1      approved: yes\n'), /stages\.dev\.shop\/api\.approved is not an entry field/],
  ])('%s', (_what, ledger, message) => {
    expect(synthFails(ledger)).toMatch(message);
  });

  test('a release its upstream never verified (skipping a stage without a hotfix)', () => {
    const e = base.entry('prod/1', 'shop/api')!;
    const forged = base.with([{ ...e, image: image('api', '9.9.9'), upstream: undefined }]);
    expect(synthFails(forged)).toMatch(/stages\.prod\/1\.shop\/api runs ghcr\.io\/acme\/api:9\.9\.9, which staging never verified.*npm run promote -- prod\/1 --evidence/);
    // claiming a verification staging's own record does not support
    const claimed = base.with([{ ...e, image: image('api', '9.9.9') }]);
    expect(synthFails(claimed)).toMatch(/stages\.prod\/1\.shop\/api\.upstream claims staging verified ghcr\.io\/acme\/api:9\.9\.9 at .*, but staging's entry records no such verification \(it runs ghcr\.io\/acme\/api:1\.0\.0, verified at /);
  });

  test('a forged release is refused after the upstream moved on (the upstream keeps the verifications the next stage runs)', () => {
    // staging moves to 1.1.0 (dev verified it); prod/1 still runs 1.0.0, which staging's record keeps
    let ledger = promote({ api: '1.1.0', ledger: base, now: hours(T0, 101) }, 'dev', { evidence: 'CI run 2' });
    ledger = promote({ api: '1.1.0', ledger, now: hours(T0, 102) }, 'staging');
    expect(ledger.entry('staging', 'shop/api')!.verifiedEarlier).toEqual([{ image: image('api', '1.0.0'), ...base.entry('staging', 'shop/api')!.verified }]);
    expect(() => checked({ api: '1.1.0', ledger, now: hours(T0, 103) })).not.toThrow();
    const forged = ledger.with([{ ...ledger.entry('prod/1', 'shop/api')!, image: image('api', '0.0.1-evil') }]);
    expect(errorOf(() => checked({ api: '1.1.0', ledger: forged, now: hours(T0, 103) }))).toMatch(/stages\.prod\/1\.shop\/api\.upstream claims staging verified ghcr\.io\/acme\/api:0\.0\.1-evil/);
    // once prod/1 has taken 1.1.0 too, staging no longer keeps 1.0.0
    ledger = promote({ api: '1.1.0', ledger, now: hours(T0, 110) }, 'prod/1', { evidence: 'staging analysis 2' });
    expect(ledger.entry('staging', 'shop/api')!.verifiedEarlier).toBeUndefined();
  });

  test('a workload a later stage renders with no release recorded: which stage must verify what, and the command', () => {
    const without = PromotionLedger.of(base.entries.filter((e) => !(e.stage === 'staging' && e.workload === 'shop/worker')));
    expect(synthFails(without)).toMatch(/stages\.staging\.shop\/worker is missing: staging runs shop\/worker, and no release of it was verified in dev; dev must verify ghcr\.io\/acme\/worker:1\.0\.0 first, then npm run promote -- staging --evidence/);
  });

  test('an expired hotfix, a verification in the future, a soak time not elapsed', () => {
    const e = base.entry('prod/1', 'shop/api')!;
    const hotfix = base.with([{ ...e, image: image('api', '1.0.1'), upstream: undefined, hotfix: { reason: 'CVE-2026-0001', expires: hours(T0, 90), skips: 'staging' } }]);
    expect(synthFails(hotfix)).toMatch(/stages\.prod\/1\.shop\/api\.hotfix\.expires has passed .* staging must verify ghcr\.io\/acme\/api:1\.0\.1: npm run promote -- prod\/1 --evidence/);
    expect(synthFails(hotfix, { now: hours(T0, 80) })).not.toMatch(/hotfix/);

    const future = base.with([{ ...base.entry('staging', 'shop/api')!, verified: { at: hours(T0, 500), evidence: 'x' } }]);
    expect(synthFails(future)).toMatch(/stages\.staging\.shop\/api\.verified\.at is in the future/);

    const soaked = base.with([{ ...e, since: hours(Date.parse(e.upstream!.at) ? e.upstream!.at : T0, 1) }]);
    expect(synthFails(soaked, { soak: { 'prod/1': '4h' } })).toMatch(/stages\.prod\/1\.shop\/api\.since is 1h after staging verified the release, before the soak time of 4h elapsed.*wait until/);
  });

  test('rings naming an unknown cluster, a cluster in two rings, a cluster in no ring', () => {
    expect(synthFails(base, { rings: { prod: [{ clusters: ['prod-a'] }, { clusters: ['prod-c'] }] } })).toMatch(/promotion: rings\.prod\[1\]\.clusters\[0\] names no cluster of environment prod, got "prod-c"; use one of prod-a, prod-b/);
    expect(synthFails(base, { rings: { prod: [{ clusters: ['prod-a', 'prod-b'] }, { clusters: ['prod-b'] }] } })).toMatch(/rings\.prod\[1\]\.clusters\[0\] is already in ring 1, got "prod-b"; put every cluster in exactly one ring/);
    expect(synthFails(base, { rings: { prod: [{ clusters: ['prod-a'] }] } })).toMatch(/rings\.prod leaves cluster\(s\) prod-b in no ring/);
  });

  test('nothing is written to dist/ when the ledger is refused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promotion-'));
    try {
      fs.writeFileSync(path.join(dir, 'keep.yaml'), 'previous: true\n');
      const forged = base.with([{ ...base.entry('prod/2', 'shop/api')!, image: image('api', '6.6.6'), upstream: undefined }]);
      expect(() => {
        const { app } = promotionApp({ ledger: forged, now: hours(T0, 100) });
        app.synthTo(dir);
      }).toThrow(/never verified/);
      expect(fs.readdirSync(dir)).toEqual(['keep.yaml']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hotfixes and freeze windows', () => {
  const base = settled();
  const yearEnd = ChangeCalendar.of({ prod: [FreezeWindow.yearly({ name: 'year-end', from: '12-20', until: '01-04', description: 'peak' })] });

  test('a hotfix skips a stage only with a reason and an expiry; the chain catching up closes it', () => {
    const o = { api: '1.0.1', now: hours(T0, 100) };
    let ledger = promote({ ...o, ledger: base }, 'dev', { evidence: 'CI hotfix run' });
    ledger = promote({ ...o, ledger }, 'prod/1', { hotfix: { reason: 'CVE-2026-0001', expires: new Date(hours(T0, 148)) } });
    expect(ledger.entry('prod/1', 'shop/api')).toMatchObject({ image: image('api', '1.0.1'), hotfix: { reason: 'CVE-2026-0001', skips: 'staging' } });
    expect(ledger.entry('staging', 'shop/api')!.image).toBe(image('api', '1.0.0'));
    expect(imagesOf(checked({ ...o, ledger }).app).get('prod/prod-a|shop/api')).toBe(image('api', '1.0.1'));
    expect(promotionApp({ ...o, ledger }).promotion.statusLines()[2]).toMatch(/HOTFIX api 1\.0\.1 skips staging until/);
    // staging catches up; promoting prod/1 again replaces the hotfix by staging's verification
    ledger = promote({ ...o, ledger, now: hours(T0, 110) }, 'staging');
    ledger = promote({ ...o, ledger, now: hours(T0, 120) }, 'prod/1', { evidence: 'staging analysis 2' });
    expect(ledger.entry('prod/1', 'shop/api')!.hotfix).toBeUndefined();
    expect(ledger.entry('prod/1', 'shop/api')!.upstream!.evidence).toBe('staging analysis 2');
    expect(() => checked({ ...o, ledger, now: hours(T0, 400) })).not.toThrow();
  });

  test('a frozen stage refuses a promotion, naming the window; an emergency records the reason', () => {
    const frozenAt = '2026-12-22T10:00:00Z';
    let ledger = promote({ api: '1.1.0', ledger: base, now: '2026-12-21T09:00:00Z', calendar: yearEnd }, 'dev', { evidence: 'CI run 3' });
    ledger = promote({ api: '1.1.0', ledger, now: '2026-12-21T10:00:00Z', calendar: yearEnd }, 'staging', { evidence: 'CI run 3' });
    const o = { api: '1.1.0', ledger, now: frozenAt, calendar: yearEnd };
    expect(errorOf(() => promote(o, 'prod/1', { evidence: 'staging analysis' }))).toMatch(/prod\/1 is frozen by window year-end \(peak\) until 2027-01-04T00:00:00Z; shop\/api 1\.0\.0 -> 1\.1\.0 .*must wait, or record an emergency with --emergency/);
    const emergency = promote(o, 'prod/1', { evidence: 'staging analysis', emergency: 'payment outage fix' });
    expect(emergency.entry('prod/1', 'shop/api')!.emergency).toEqual({ reason: 'payment outage fix', window: 'year-end' });
    expect(() => checked({ ...o, ledger: emergency })).not.toThrow();
    // the same entry without the emergency: synth names the window
    const e = emergency.entry('prod/1', 'shop/api')!;
    const stripped = emergency.with([{ ...e, emergency: undefined } as any]);
    expect(errorOf(() => checked({ ...o, ledger: PromotionLedger.of(stripped.entries.map((x) => JSON.parse(JSON.stringify(x)))) }))).toMatch(/stages\.prod\/1\.shop\/api\.since falls in freeze window year-end of prod .*--emergency/);
  });

  test('synth refuses any change to a frozen stage\'s folders (not only releases); unchanged code passes, and the change once the window closed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frozen-'));
    try {
      const o = { ledger: base, now: hours(T0, 100), calendar: yearEnd };
      promotionApp(o).app.synthTo(dir);
      const frozen = { ...o, now: '2026-12-22T10:00:00Z' };
      expect(() => promotionApp(frozen).app.synthTo(dir)).not.toThrow();
      const before = fs.readFileSync(path.join(dir, 'prod', 'prod-a', 'shop', 'api.yaml'), 'utf8');
      // a config change reaches every stage: prod's folders are frozen
      expect(errorOf(() => promotionApp({ ...frozen, apiConfig: 'mode=b' }).app.synthTo(dir)))
        .toMatch(/promotion: prod\/1 is frozen by window year-end \(peak\) until 2027-01-04T00:00:00Z, got a change to dist\/prod\/prod-a: ConfigMap\/shop\/api-config-\w+ added, ConfigMap\/shop\/api-config-\w+ removed, Deployment\/shop\/api changed.*--emergency/);
      expect(fs.readFileSync(path.join(dir, 'prod', 'prod-a', 'shop', 'api.yaml'), 'utf8')).toBe(before);
      // outside the window the same change is written
      expect(() => promotionApp({ ...o, now: '2027-01-05T10:00:00Z', apiConfig: 'mode=b' }).app.synthTo(dir)).not.toThrow();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the calendar compiles to a deny sync window on the AppProject, for the environment\'s clusters', () => {
    const { app } = promotionApp({ ledger: base, now: hours(T0, 100), calendar: yearEnd });
    const project = app.render().find((o) => o.manifest.kind === 'AppProject')!.manifest;
    expect(project.spec.syncWindows).toEqual([{
      kind: 'deny', schedule: '0 0 20 12 *', duration: '360h', timeZone: 'UTC', manualSync: false,
      clusters: ['https://prod-a.k8s.example', 'https://prod-b.k8s.example'], description: 'freeze year-end (prod): peak',
    }]);
  });
});

describe('FreezeWindow', () => {
  test('yearly: open from the first day to the day before `until`, across the new year', () => {
    const w = FreezeWindow.yearly({ name: 'year-end', from: '12-20', until: '01-04' });
    expect(w.isOpen(new Date('2026-12-19T23:59:00Z'))).toBe(false);
    expect(w.isOpen(new Date('2026-12-20T00:00:00Z'))).toBe(true);
    expect(w.openAt(new Date('2027-01-02T12:00:00Z'))!.closes.toISOString()).toBe('2027-01-04T00:00:00.000Z');
    expect(w.isOpen(new Date('2027-01-04T00:00:00Z'))).toBe(false);
  });

  test('cron windows agree with a minute-by-minute reading of the schedule (generated instants)', () => {
    const rand = prng(19);
    // Fridays 18:00 for 63h (the weekend), in Berlin time
    const w = FreezeWindow.cron({ name: 'weekend', schedule: '0 18 * * fri', duration: '63h', timeZone: 'Europe/Berlin' });
    const berlin = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', weekday: 'short', hour: 'numeric', hourCycle: 'h23' });
    for (let i = 0; i < 200; i++) {
      const at = new Date(Date.UTC(2026, 0, 1) + Math.floor(rand() * 365 * 24 * 60) * 60_000);
      const parts = Object.fromEntries(berlin.formatToParts(at).map((p) => [p.type, p.value]));
      const h = Number(parts.hour);
      const expected = (parts.weekday === 'Fri' && h >= 18) || parts.weekday === 'Sat' || parts.weekday === 'Sun' || (parts.weekday === 'Mon' && h < 9);
      expect([at.toISOString(), w.isOpen(at)]).toEqual([at.toISOString(), expected]);
    }
  });
});

describe('FreezeWindow: the scan that skips minutes and hours the schedule cannot open in', () => {
  test('finds the same opening as reading every minute of the window (generated schedules, zones and instants)', () => {
    const rand = prng(4711);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const mismatches: unknown[] = [];
    let open = 0;
    for (let i = 0; i < 60; i++) {
      const schedule = [
        pick(['0', '30', '*/15', '5,45', '*']), pick(['0', '18', '9-17', '*/6', '*']), pick(['*', '1', '20', '1-7']),
        pick(['*', '12', '3-5']), pick(['*', 'fri', 'mon-fri', '0']),
      ].join(' ');
      const w = FreezeWindow.cron({ name: 'w', schedule, duration: pick(['30m', '2h', '63h', '240h']), timeZone: pick(['UTC', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Adelaide', 'America/New_York']) });
      for (let j = 0; j < 4; j++) {
        const at = new Date(Date.UTC(2026, 0, 1) + Math.floor(rand() * 365 * 24 * 60) * 60_000);
        // the plain reading: every minute back to the window's length, each as a local date
        const now = Math.floor(at.getTime() / 60_000) * 60_000;
        let expected: string | undefined;
        let offsetHour = NaN;
        let offset = 0;
        for (let k = 0; k < (w as any).durationMinutes; k++) {
          const t = now - k * 60_000;
          if (Math.floor(t / 3_600_000) !== offsetHour) {
            offsetHour = Math.floor(t / 3_600_000);
            offset = (w as any).offsetAt(t);
          }
          if ((w as any).matches(new Date(t + offset))) {
            expected = new Date(t).toISOString();
            break;
          }
        }
        const actual = w.openAt(at)?.opened.toISOString();
        if (actual) open++;
        if (actual !== expected) mismatches.push({ schedule, zone: w.timeZone, at: at.toISOString(), expected, actual });
      }
    }
    expect(mismatches).toEqual([]);
    expect(open).toBeGreaterThan(20);
  });
});

describe('generated histories: no later stage ever runs a release its upstream has not verified', () => {
  test.each([1, 2, 3])('seed %i', (seed) => {
    const rand = prng(seed);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    const soak = { 'prod/1': '2h', 'prod/2': '6h' };
    let ledger = settled(soak);
    let now = Date.parse(hours(T0, 72));
    let accepted = 0;
    let versions = { api: '1.0.0', worker: '1.0.0' };
    // every (stage, workload, image) verified so far, as the ledgers recorded it
    const verified = new Set<string>();
    const hotfixed = new Set<string>();
    for (const e of ledger.entries) if (e.verified) verified.add(`${e.stage}|${e.workload}|${e.image}`);
    for (let step = 0; step < 24; step++) {
      now += Math.floor(rand() * 8 * 3600) * 1000;
      const at = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
      if (rand() < 0.25) versions = { ...versions, [pick(['api', 'worker'])]: `1.${step + 1}.0` };
      const o = { ...versions, ledger, now: at, soak };
      const stage = pick(STAGES);
      const options = rand() < 0.6 ? { evidence: `run ${seed}-${step}` } : rand() < 0.2 && stage !== 'dev' ? { hotfix: { reason: 'urgent', expires: new Date(now + 86_400_000) } } : {};
      try {
        ledger = promote(o, stage, options);
      } catch (e) {
        expect((e as Error).message).toMatch(/waits for verification|is not rendered|npm run promote/);
        continue;
      }
      for (const e of ledger.entries) {
        if (e.verified) verified.add(`${e.stage}|${e.workload}|${e.image}`);
        if (e.hotfix) hotfixed.add(`${e.stage}|${e.workload}|${e.image}`);
      }
      // the invariant, on the rendered tree of every state the ledger passes through that synth accepts
      let images: Map<string, string>;
      try {
        images = imagesOf(checked({ ...o, ledger }).app);
      } catch (e) {
        expect((e as Error).message).toMatch(/promotion\.yaml: stages\./);
        continue;
      }
      accepted++;
      // any later entry rewritten to a release nobody verified is refused, whatever the history behind it
      const later = ledger.entries.filter((e) => e.stage !== 'dev' && !e.hotfix);
      const victim = later[Math.floor(rand() * later.length)];
      if (victim) {
        const forged = ledger.with([{ ...victim, image: image(victim.workload.split('/')[1], `6.6.${step}`) }]);
        expect(() => checked({ ...o, ledger: forged })).toThrow(/promotion\.yaml: stages\./);
      }
      for (const [i, s] of STAGES.entries()) {
        if (i === 0) continue;
        const folder = s === 'staging' ? 'staging' : s === 'prod/1' ? 'prod/prod-a' : 'prod/prod-b';
        for (const w of ['shop/api', 'shop/worker']) {
          const runs = images.get(`${folder}|${w}`)!;
          const ok = verified.has(`${STAGES[i - 1]}|${w}|${runs}`) || hotfixed.has(`${s}|${w}|${runs}`);
          expect([s, w, runs, ok]).toEqual([s, w, runs, true]);
        }
      }
    }
    expect(verified.size).toBeGreaterThan(4);
    expect(accepted).toBeGreaterThan(8);
  });

  test.each([4, 5, 6])('mutated ledgers that would let an unverified release through are refused (seed %i)', (seed) => {
    const rand = prng(seed);
    const base = settled();
    for (let i = 0; i < 12; i++) {
      const later = base.entries.filter((e) => e.stage !== 'dev');
      const e = later[Math.floor(rand() * later.length)];
      const kind = Math.floor(rand() * 3);
      const mutated = kind === 0 ? { ...e, image: image(e.workload.split('/')[1], `7.${i}.0`) }
        : kind === 1 ? { ...e, upstream: undefined }
          : { ...e, upstream: { ...e.upstream!, at: hours(T0, 300 + i) } };
      expect(() => checked({ ledger: base.with([mutated as any]), now: hours(T0, 200) })).toThrow(/promotion\.yaml: stages\./);
    }
  });
});
