// docs/promotion.md's TypeScript block is test/promotion/docs-example.ts (which `tsc -p .` type-checks), and it
// builds the chain the page describes.
import * as fs from 'fs';
import * as path from 'path';
import { Promotion } from '../../lib/promotion';

const root = path.resolve(__dirname, '..', '..');

test('the TypeScript block of docs/promotion.md is the type-checked example, verbatim', () => {
  const page = fs.readFileSync(path.join(root, 'docs', 'promotion.md'), 'utf8');
  const blocks = [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(blocks).toHaveLength(1);
  const example = fs.readFileSync(path.join(__dirname, 'docs-example.ts'), 'utf8');
  const body = example.slice(example.indexOf('\nimport ') + 1, example.indexOf('// --- end of the block')).replace(/from '\.\.\/\.\.\/lib\//g, "from '../lib/");
  expect(body).toBe(blocks[0]);
});

test('the declaration on the page gives the chain it describes', () => {
  const { app } = require('./docs-example');
  expect(Promotion.of(app)!.stages.map((s) => s.name)).toEqual(['dev', 'staging', 'prod/1', 'prod/2']);
  expect(Promotion.of(app)!.stages.map((s) => s.soakSeconds)).toEqual([0, 0, 7200, 86400]);
});
