import { buildChangeReport, reportHtml, reportMarkdown } from '../../lib/review';
import { mdCode, mdText } from '../../lib/review/escape';
import { meta, Obj, prng, statefulSet, tree } from './trees';

/**
 * A hostile reason, label or name cannot end a table, a list item, a code span or a section early, open an HTML
 * comment that hides the rows after it, or inject markup: generated strings built from the fragments that do so.
 */

const FRAGMENTS = ['<!--', '-->', '</table>', '</details>', '<details>', '<script>alert(1)</script>', '|', '||', '`', '``', '```',
  '\n', '\r\n', '\n\n', '\u2028', '\u2029', '\u0085', '**', '_', '[x](javascript:alert(1))', '# ', '- ', '> ', '&lt;', '&', '"', "'", '\\', 'plain', ' '];

const rand = prng(7);
const int = (n: number) => Math.floor(rand() * n);
function hostile(): string {
  let s = '';
  for (let i = 0, n = 1 + int(8); i < n; i++) s += FRAGMENTS[int(FRAGMENTS.length)];
  return s;
}

function report(strings: { reason: string; other: string; label: string; object: string }) {
  const pvc: Obj = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('data-db-0'), spec: { resources: { requests: { storage: '1Gi' } } } };
  return buildChangeReport({
    base: tree({ prod: [statefulSet('db', '10Gi'), pvc] }),
    head: tree({ prod: [statefulSet('db', '10Gi')] }),
    baseLabel: strings.label,
    headLabel: strings.label,
    exemptions: {
      base: [],
      head: [
        { folder: 'prod', object: strings.object, rule: 'hygiene-probes', reason: strings.reason },
        { folder: 'prod', object: 'Deployment/shop/api', rule: 'pss-run-as-non-root', reason: strings.other },
      ],
    },
  });
}

/** A CommonMark parser (the reference implementation, installed with the dev tooling; no types shipped). */
interface MdNode { readonly type: string; readonly literal: string | null }
interface MdParser { parse(md: string): { walker(): { next(): { entering: boolean; node: MdNode } | null } } }
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mdParser: MdParser = new (require('commonmark').Parser)();

/** Block structure of the Markdown: list items of the risks section and every raw HTML node. */
function structure(md: string) {
  const doc = mdParser.parse(md);
  const walker = doc.walker();
  const html: string[] = [];
  let items = 0;
  let e;
  while ((e = walker.next())) {
    if (!e.entering) continue;
    if (e.node.type === 'html_inline' || e.node.type === 'html_block') html.push(e.node.literal!.trim());
    if (e.node.type === 'item') items++;
  }
  return { html, items };
}

describe('hostile strings in the Markdown report (generated)', () => {
  const benign = reportMarkdown(report({ reason: 'fine', other: 'fine', label: 'main', object: 'Deployment/shop/web' }));
  const benignStructure = structure(benign);

  test('the same lines, list items and HTML nodes as with benign strings: nothing ends early or hides a row', () => {
    for (let i = 0; i < 300; i++) {
      const s = { reason: hostile(), other: hostile(), label: hostile(), object: `Deployment/shop/${hostile()}` };
      const r = report(s);
      const md = reportMarkdown(r);
      expect([s, md.split('\n').length]).toEqual([s, benign.split('\n').length]);
      const st = structure(md);
      expect([s, st]).toEqual([s, benignStructure]);
      // every risk has its own line, the high data-loss row included
      const riskLines = md.split('\n').filter((l) => /^- (\*\*HIGH\*\*|high|medium) /.test(l));
      expect(riskLines).toHaveLength(r.risks.length);
      expect(riskLines.some((l) => l.includes('data-loss'))).toBe(true);
      // table rows keep their column count: no unescaped pipe
      const rows = md.split('\n').filter((l) => l.startsWith('| '));
      for (const row of rows) expect(row.replace(/\\\|/g, '').split('|').length).toBe(rows[0].replace(/\\\|/g, '').split('|').length);
    }
  });

  test('code spans hold the string, whatever backticks it contains', () => {
    for (let i = 0; i < 300; i++) {
      const s = hostile();
      const doc = mdParser.parse(`- ${mdCode(s)}`);
      const walker = doc.walker();
      const codes: string[] = [];
      let e;
      while ((e = walker.next())) if (e.entering && e.node.type === 'code') codes.push(e.node.literal!);
      // line breaks were made spaces; CommonMark strips one space of padding on each side
      const norm = (x: string) => x.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, ' ').trim();
      expect([s, codes.map(norm)]).toEqual([s, [norm(s)]]);
    }
  });

  test('text renders as the string itself, never as markup', () => {
    for (let i = 0; i < 300; i++) {
      const s = hostile().replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, ' ');
      const doc = mdParser.parse(`x ${mdText(s)}`);
      const walker = doc.walker();
      const kinds = new Set<string>();
      let text = '';
      let e;
      while ((e = walker.next())) {
        if (!e.entering) continue;
        kinds.add(e.node.type);
        if (e.node.type === 'text') text += e.node.literal;
      }
      expect([s, [...kinds].sort()]).toEqual([s, ['document', 'paragraph', 'text']]);
      expect([s, text.replace(/\s+/g, ' ').trim()]).toEqual([s, `x ${s}`.replace(/\s+/g, ' ').trim()]);
    }
  });
});

describe('hostile strings in the HTML report (generated)', () => {
  const benign = reportHtml(report({ reason: 'fine', other: 'fine', label: 'main', object: 'Deployment/shop/web' }));
  const tags = (html: string) => (html.match(/<\/?[a-zA-Z][^>]*>|<!--/g) ?? []).map((t) => t.replace(/\s.*$/, '')).join(' ');

  test('the same tags as with benign strings', () => {
    for (let i = 0; i < 300; i++) {
      const s = { reason: hostile(), other: hostile(), label: hostile(), object: `Deployment/shop/${hostile()}` };
      const page = reportHtml(report(s));
      expect([s, tags(page)]).toEqual([s, tags(benign)]);
    }
  });
});
