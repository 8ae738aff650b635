// The rule catalogue in docs/policy.md is generated from the rules: every rule is listed, none is invented.
import * as fs from 'fs';
import { PolicyRules } from '../../lib/policy';
import { BEGIN, catalogue, END, PAGE, render } from '../../scripts/policy-table';
import { prng } from '../fixtures/prng';

describe('docs/policy.md rule catalogue', () => {
  const page = fs.readFileSync(PAGE, 'utf8');

  test('is what scripts/policy-table.ts writes now (run it after adding a rule)', () => {
    expect(render(page)).toBe(page);
  });

  test('lists every rule id exactly once, and only rule ids', () => {
    const section = page.slice(page.indexOf(BEGIN), page.indexOf(END));
    const ids = [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
    expect(ids.slice().sort()).toEqual(PolicyRules.ids().slice().sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('a page without the markers gets the section before its footer; rendering twice changes nothing', () => {
    const rand = prng(2027);
    for (let i = 0; i < 20; i++) {
      const words = Array.from({ length: 1 + Math.floor(rand() * 8) }, () => Math.floor(rand() * 1e6).toString(36));
      const footer = rand() < 0.5 ? '\n---\n[All capabilities](../README.md#capabilities)\n' : '';
      const input = `# Policy\n\n${words.join(' ')}\n${footer}`;
      const once = render(input);
      expect(once).toContain(catalogue());
      if (footer) expect(once.endsWith(footer)).toBe(true);
      expect(render(once)).toBe(once);
    }
  });
});
