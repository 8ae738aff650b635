import * as fs from 'fs';
import * as path from 'path';

/**
 * The TypeScript blocks of the docs pages are type-checked by `tsc -p .` as test/docs/snippets/<page>-<n>.ts;
 * this test keeps each page's blocks and those files identical (imports aside: the pages import '../lib').
 */
const ROOT = path.resolve(__dirname, '../..');
const PAGES = ['secrets', 'review'];

test.each(PAGES)('docs/%s.md: every ```ts block is a type-checked snippet file', (page) => {
  const text = fs.readFileSync(path.join(ROOT, 'docs', `${page}.md`), 'utf8');
  const blocks = [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  expect(blocks.length).toBeGreaterThan(0);
  const dir = path.join(__dirname, 'snippets');
  const files = fs.readdirSync(dir).filter((f) => f.startsWith(`${page}-`)).sort();
  expect(files).toEqual(blocks.map((_b, i) => `${page}-${i}.ts`));
  blocks.forEach((b, i) => {
    expect(fs.readFileSync(path.join(dir, `${page}-${i}.ts`), 'utf8').replace(/from '\.\.\/\.\.\/\.\.\/lib'/g, "from '../lib'")).toBe(b);
  });
});
