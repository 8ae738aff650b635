// The TypeScript blocks of the repository's Markdown, for the test that compiles them. A block is a fence opened
// with ```ts (or ```typescript); words after the language say how to treat it:
//   ```ts                  compiled as a module placed in apps/ (so `from '../lib'` and `from './main'` resolve)
//   ```ts wrap             its statements are wrapped in a function (imports stay on top): for fragments that
//                          use names like `scope` or `env` the surrounding text introduced; they are declared `any`
//   ```ts skip: <reason>   not compiled; the reason is required
//   ```ts continued        joins the block before it (one module)
import * as fs from 'fs';
import * as path from 'path';

export interface DocBlock {
  readonly file: string;
  /** `// file: <path>` on the first line: the block is that file of the repository (compiled there). */
  readonly path?: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly mode: 'module' | 'wrap' | 'skip';
  readonly reason?: string;
  readonly code: string;
}

/** A fenced block: its language, the words after it, where it opens, its lines. */
export interface Fence {
  readonly lang: string;
  readonly rest: string;
  readonly line: number;
  readonly body: readonly string[];
}

/** Every fenced block of `text`; throws on a fence that is never closed (everything after it would render as code). */
export function fencesOf(file: string, text: string): Fence[] {
  const lines = text.split('\n');
  const out: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    let j = i + 1;
    while (j < lines.length && !new RegExp(`^${indent}${fence[0]}{${fence.length},}\\s*$`).test(lines[j])) j++;
    if (j >= lines.length) throw new Error(`${file}:${i + 1}: code fence ${fence}${info} is never closed`);
    const words = info.trim();
    const lang = words.split(/\s+/)[0];
    out.push({ lang, rest: words.slice(lang.length).trim(), line: i + 1, body: lines.slice(i + 1, j).map((l) => l.slice(indent.length)) });
    i = j;
  }
  return out;
}

/**
 * The TypeScript blocks of `text`. A block opened with ```ts continued joins the block before it (one module:
 * later blocks use what earlier ones declared); identical import lines are kept once.
 */
export function blocksOf(file: string, text: string): DocBlock[] {
  const out: DocBlock[] = [];
  for (const b of tsBlocksOf(file, text)) {
    const prev = out[out.length - 1];
    if (b.continued && prev && prev.mode !== 'skip') {
      const seen = new Set(prev.code.split('\n').filter((l) => /^import\s/.test(l)));
      const code = b.code.split('\n').filter((l) => !seen.has(l)).join('\n');
      out[out.length - 1] = { ...prev, code: `${prev.code}\n${code}` };
    } else {
      const { continued: _c, ...block } = b;
      out.push(block);
    }
  }
  return out;
}

function tsBlocksOf(file: string, text: string): (DocBlock & { readonly continued: boolean })[] {
  return fencesOf(file, text).filter((f) => f.lang === 'ts' || f.lang === 'typescript').map((f) => {
    const skip = /^skip:\s*(.*)$/.exec(f.rest);
    const named = /^\/\/ file: (\S+\.ts)\s*$/.exec(f.body[0] ?? '');
    return {
      file, line: f.line,
      ...(named ? { path: named[1] } : {}),
      mode: skip ? 'skip' : f.rest === 'wrap' ? 'wrap' : 'module',
      continued: f.rest === 'continued',
      ...(skip ? { reason: skip[1].trim() } : {}),
      code: f.body.join('\n'),
    };
  });
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
