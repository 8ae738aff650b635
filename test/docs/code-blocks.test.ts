// Every TypeScript block of docs/*.md compiles against the library. The blocks of one page form one module, in
// order, with their import lines gathered at the top (identical ones once); `../lib` in a specifier is lib/.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
const DOCS = path.join(ROOT, 'docs');
const OUT = path.join(ROOT, '.cache', 'docs-blocks');

/** The ```ts blocks of a Markdown text as one module's source. */
export function moduleOf(markdown: string): string | undefined {
  const blocks = [...markdown.matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  if (blocks.length === 0) return undefined;
  const imports: string[] = [];
  const body: string[] = [];
  for (const line of blocks.join('\n').split('\n')) {
    if (/^import\s.*from\s+['"][^'"]+['"];?$/.test(line) || /^import\s+['"][^'"]+['"];?$/.test(line)) {
      if (!imports.includes(line)) imports.push(line);
    } else {
      body.push(line);
    }
  }
  // the page's module sits in .cache/docs-blocks/: one folder deeper than docs/
  return `${[...imports, ...body].join('\n').replace(/(['"])\.\.\/lib(?=['"/])/g, '$1../../lib')}\nexport {};\n`;
}

test('the TypeScript blocks of docs/*.md compile', () => {
  const pages = fs.readdirSync(DOCS).filter((f) => f.endsWith('.md')).sort();
  expect(pages).toContain('architecture.md');
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const files: string[] = [];
  for (const page of pages) {
    const source = moduleOf(fs.readFileSync(path.join(DOCS, page), 'utf8'));
    if (source === undefined) continue;
    const file = path.join(OUT, page.replace(/\.md$/, '.ts'));
    fs.writeFileSync(file, source);
    files.push(file);
  }
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile).config, ts.sys, ROOT);
  const program = ts.createProgram(files, { ...config.options, incremental: false, tsBuildInfoFile: undefined, noEmit: true });
  const problems = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${path.relative(ROOT, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  expect(problems).toEqual([]);
}, 240_000);

test('a block that does not compile is reported', () => {
  const source = moduleOf("text\n```ts\nimport { Environments } from '../lib/environments';\nconst n: number = 'x';\n```\n")!;
  expect(source).toContain("from '../../lib/environments'");
  const file = path.join(OUT, 'broken.ts');
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(file, source);
  const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true, types: [] });
  const messages = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(messages.some((m) => m.includes("Type 'string' is not assignable to type 'number'"))).toBe(true);
}, 240_000);
