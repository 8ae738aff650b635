// The TypeScript blocks of the repository's Markdown, for the test that compiles them. A block is a fence opened
// with ```ts (or ```typescript); words after the language say how to treat it:
//   ```ts                  compiled as a module placed in apps/ (so `from '../lib'` and `from './main'` resolve)
//   ```ts wrap             its statements are wrapped in a function (imports stay on top): for fragments that
//                          use names like `scope` or `env` the surrounding text introduced; they are declared `any`
//   ```ts skip: <reason>   not compiled; the reason is required
import * as fs from 'fs';
import * as path from 'path';

export interface DocBlock {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly mode: 'module' | 'wrap' | 'skip';
  readonly reason?: string;
  readonly code: string;
}

/** Every fenced block of `text`; throws on a fence that is never closed (everything after it would render as code). */
export function blocksOf(file: string, text: string): DocBlock[] {
  const lines = text.split('\n');
  const out: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    let j = i + 1;
    while (j < lines.length && !new RegExp(`^${indent}${fence[0]}{${fence.length},}\\s*$`).test(lines[j])) j++;
    if (j >= lines.length) throw new Error(`${file}:${i + 1}: code fence ${fence}${info} is never closed`);
    const words = info.trim();
    const lang = words.split(/\s+/)[0];
    if (lang === 'ts' || lang === 'typescript') {
      const rest = words.slice(lang.length).trim();
      const skip = /^skip:\s*(.*)$/.exec(rest);
      out.push({
        file, line: i + 1,
        mode: skip ? 'skip' : rest === 'wrap' ? 'wrap' : 'module',
        ...(skip ? { reason: skip[1].trim() } : {}),
        code: lines.slice(i + 1, j).map((l) => l.slice(indent.length)).join('\n'),
      });
    }
    i = j;
  }
  return out;
}

/** The Markdown files whose blocks must compile: README.md and docs/*.md. */
export function docFiles(root: string): string[] {
  const docs = path.join(root, 'docs');
  return [path.join(root, 'README.md'), ...fs.readdirSync(docs).filter((f) => f.endsWith('.md')).sort().map((f) => path.join(docs, f))];
}

/** Names a `wrap` block may use without declaring them (the surrounding prose introduces them), and their types. */
const WRAP_GIVENS: Record<string, string> = {
  scope: '__Chart', chart: '__Chart', env: "__lib.Environment<'dev' | 'staging' | 'prod'>", target: "__lib.Target<'dev' | 'staging' | 'prod'>",
  app: "__lib.GitOpsApp<'dev' | 'staging' | 'prod'>", ns: '__lib.PlatformNamespace', team: '__lib.Team',
  api: '__lib.HardenedService', web: '__lib.HardenedService', service: '__lib.HardenedService', db: '__lib.HardenedStatefulSet',
};

/** The block as a compilable module. */
export function moduleText(block: DocBlock): string {
  if (block.mode !== 'wrap') return `${block.code}\nexport {};\n`;
  const lines = block.code.split('\n');
  // imports (possibly over several lines) stay at the top level
  const imports: string[] = [];
  const body: string[] = [];
  let inImport = false;
  for (const l of lines) {
    if (inImport || /^import\s/.test(l)) {
      imports.push(l);
      inImport = !/;\s*(\/\/.*)?$/.test(l);
    } else {
      body.push(l);
    }
  }
  const declared = new Set([...block.code.matchAll(/\b(?:const|let|var|function|class)\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1]));
  const importedNames = new Set(imports.join(' ').match(/[A-Za-z_$][\w$]*/g) ?? []);
  const givens = Object.keys(WRAP_GIVENS).filter((g) => !declared.has(g) && !importedNames.has(g));
  const types = "import type * as __lib from '../lib';\nimport type { Chart as __Chart } from 'cdk8s';";
  return `${imports.join('\n')}\n${types}\nexport function __docBlock(${givens.map((g) => `${g}: ${WRAP_GIVENS[g]}`).join(', ')}): void {\n${body.join('\n')}\n}\n`;
}
