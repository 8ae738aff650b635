import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { blocksOf, DocBlock, docFiles, moduleText } from './doc-blocks';

const root = path.resolve(__dirname, '../..');

// the library's and node_modules' parsed files, shared by the programs of this file (the test never edits them)
const parsedFiles = new Map<string, ts.SourceFile | undefined>();
let previous: ts.Program | undefined;

/** Compiles the blocks as modules in one program; one line per problem (`file:line: message`). */
function compileBlocks(list: readonly DocBlock[]): string[] {
  const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  // prose examples may declare what they do not use
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, incremental: false, tsBuildInfoFile: undefined, noUnusedLocals: false, noUnusedParameters: false };
  const virtual = new Map<string, { block: DocBlock; text: string }>();
  for (const b of list.filter((x) => x.mode !== 'skip')) {
    const name = b.path ? path.join(root, b.path) : path.join(root, 'apps', `.doc-${b.file.replace(/[^A-Za-z0-9]+/g, '-')}-${b.line}.ts`);
    virtual.set(name, { block: b, text: moduleText(b) });
  }
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, lang, ...rest) => {
    const v = virtual.get(path.resolve(file));
    if (v) return ts.createSourceFile(file, v.text, lang, true);
    const key = `${typeof lang === 'object' ? lang.languageVersion : lang}:${file}`;
    if (!parsedFiles.has(key)) parsedFiles.set(key, getSourceFile(file, lang, ...rest));
    return parsedFiles.get(key);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => virtual.has(path.resolve(file)) || fileExists(file);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => virtual.get(path.resolve(file))?.text ?? readFile(file);
  const program = ts.createProgram([...virtual.keys()], options, host, previous);
  previous = program;
  const problems: string[] = [];
  for (const [name, { block }] of virtual) {
    const sf = program.getSourceFile(name)!;
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      const { line } = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start) : { line: 0 };
      // lines of a wrapped block are shifted by the wrapper's first lines; good enough to find the spot
      problems.push(`${block.file}:${block.line + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
  }
  return problems;
}

describe('the TypeScript blocks of README.md and docs/*.md', () => {
  const blocks: DocBlock[] = docFiles(root).flatMap((f) => blocksOf(path.relative(root, f), fs.readFileSync(f, 'utf8')));

  test('every fence is closed and every skipped block says why', () => {
    // blocksOf throws on an unclosed fence
    expect(blocks.length).toBeGreaterThan(10);
    for (const b of blocks.filter((x) => x.mode === 'skip')) expect({ at: `${b.file}:${b.line}`, reason: b.reason }).toEqual({ at: `${b.file}:${b.line}`, reason: expect.stringMatching(/\w{3,}/) });
  });

  test('every block compiles against the library (one program for all of them)', () => {
    expect(compileBlocks(blocks)).toEqual([]);
  }, 180_000);

  test('a block that does not compile is reported with its file and line; a wrapped fragment gets typed givens', () => {
    const broken = blocksOf('x.md', "text\n```ts\nimport { Environments } from '../lib';\nconst n: number = 'x';\n```\n"
      + "```ts wrap\nconst s: string = env.name.length;\n```\n```ts\nconst k = 1;\n```\n```ts continued\nconst j: string = k;\n```\n");
    expect(broken).toHaveLength(3);
    const problems = compileBlocks(broken);
    expect(problems.some((p) => p.startsWith('x.md:3:') && p.includes("Type 'string' is not assignable to type 'number'"))).toBe(true);
    // `env` is typed (as an environment), not `any`
    expect(problems.some((p) => p.includes("Type 'number' is not assignable to type 'string'") && p.startsWith('x.md:'))).toBe(true);
    // a continued block sees the declarations before it
    expect(problems.filter((p) => p.includes("Cannot find name 'k'"))).toEqual([]);
    expect(problems.filter((p) => p.includes("Type 'number' is not assignable to type 'string'"))).toHaveLength(2);
  }, 180_000);
});
