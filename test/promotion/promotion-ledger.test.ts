import { ChangeCalendar, FreezeWindow, LedgerEntry, Promotion, PromotionLedger } from '../../lib/promotion';
import { prng, randomString } from '../fixtures/prng';
import { environments, errorOf } from './fixtures';
import { GitOpsApp } from '../../lib/gitops';

describe('PromotionLedger text', () => {
  test('generated ledgers with hostile free text round-trip, and the text is a function of the entries (any order)', () => {
    const rand = prng(42);
    const hostile = 'ab <script>"\'\\\n\r\t#:{}[]&*!|>%@`\u2028\u0000 yes no ~';
    const time = () => new Date(Date.UTC(2026, 0, 1) + Math.floor(rand() * 3e10 / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
    for (let i = 0; i < 40; i++) {
      const entries: LedgerEntry[] = [];
      const seen = new Set<string>();
      for (let j = 0; j < 1 + Math.floor(rand() * 8); j++) {
        const stage = ['dev', 'staging', 'prod/1', 'prod/eu-2'][Math.floor(rand() * 4)];
        const workload = `${randomString(rand, 'abc', 2)}/${randomString(rand, 'xyz-1', 3).replace(/^-|-$/g, 'q')}`;
        if (seen.has(`${stage}|${workload}`)) continue;
        seen.add(`${stage}|${workload}`);
        const text = () => `x${randomString(rand, hostile, 1 + Math.floor(rand() * 12))}`;
        entries.push({
          stage, workload, image: `ghcr.io/acme/${randomString(rand, 'abc', 4)}:1.${j}.0`, config: rand() < 0.5 ? [`cfg-${j}`] : [], since: time(),
          ...(rand() < 0.5 ? { upstream: { at: time(), evidence: text() } } : {}),
          ...(rand() < 0.5 ? { verified: { at: time(), evidence: text() } } : {}),
          ...(rand() < 0.2 ? { hotfix: { reason: text(), expires: time(), skips: 'staging' } } : {}),
          ...(rand() < 0.2 ? { emergency: { reason: text(), window: 'year-end' } } : {}),
        });
      }
      const order = ['dev', 'staging', 'prod/1'];
      const text = PromotionLedger.of(entries).toYaml(order);
      const back = PromotionLedger.parse(text);
      expect(back.problems).toEqual([]);
      const sorted = (xs: readonly LedgerEntry[]) => [...xs].map((e) => JSON.stringify(e, Object.keys(e).sort())).sort();
      expect(sorted(back.entries)).toEqual(sorted(entries));
      expect(PromotionLedger.of([...entries].reverse()).toYaml(order)).toBe(text);
      // no free text can start a line of its own
      for (const line of text.split('\n')) expect(line === '' || /^(#|stages|\s{2,6}[a-z"])/.test(line)).toBe(true);
    }
  });

  test('a missing file is an empty ledger', () => {
    expect(PromotionLedger.read('/nonexistent/promotion.yaml').entries).toEqual([]);
  });
});

describe('Promotion props', () => {
  const declare = (props: Record<string, unknown>) => errorOf(() => new Promotion(new GitOpsApp({ environments }), 'promotion', { environments, ledger: PromotionLedger.of([]), ...props }));

  test.each([
    [{ chain: ['dev', 'prod', 'staging', 'dev'] }, /chain\[3\] repeats an environment/],
    [{ chain: ['dev', 'staging'] }, /chain leaves out environment\(s\) prod/],
    [{ chain: ['dev', 'qa', 'staging', 'prod'] }, /chain\[1\] names no environment, got "qa"/],
    [{ rings: { prod: [] } }, /rings\.prod must list at least one ring/],
    [{ rings: { qa: [{ clusters: ['x'] }] } }, /rings\.qa names no environment/],
    [{ rings: { prod: [{ name: 'eu', clusters: ['prod-a'] }, { name: 'eu', clusters: ['prod-b'] }] } }, /rings\.prod\[1\]\.name is used by another ring, got "eu"/],
    [{ soak: { 'prod/9': '1h' } }, /soak\.prod\/9 names no stage.*use one of dev, staging, prod/],
    [{ soak: { staging: 'a day' } }, /soak\.staging must be a Go duration, got "a day"/],
    [{ soak: { dev: '1h' } }, /soak\.dev is set on the first stage/],
    [{ calendar: ChangeCalendar.of({ qa: [] }) }, /calendar\.qa names no environment/],
    [{ calendar: ChangeCalendar.of({ prod: [FreezeWindow.cron({ name: 'w', schedule: '61 * * * *', duration: '1h' })] }) }, /calendar\.prod\[0\]\.schedule must be a five-field cron expression/],
    [{ calendar: ChangeCalendar.of({ prod: [FreezeWindow.cron({ name: 'w', schedule: '0 0 * * *', duration: '9000h' })] }) }, /calendar\.prod\[0\]\.duration must be a Go duration between 1m and 8784h/],
    [{ calendar: ChangeCalendar.of({ prod: [FreezeWindow.cron({ name: 'w', schedule: '0 0 * * *', duration: '1h', timeZone: 'Mars/Olympus' })] }) }, /calendar\.prod\[0\]\.timeZone is not an IANA time zone, got "Mars\/Olympus"/],
    [{ calendar: ChangeCalendar.of({ prod: [FreezeWindow.yearly({ name: 'w', from: '02-30', until: '03-01' })] }) }, /calendar\.prod\[0\]\.from must be a calendar day MM-DD, got "02-30"/],
  ])('%j', (props, message) => {
    expect(declare(props)).toMatch(message);
  });
});
