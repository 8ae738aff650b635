import { ConfigError } from '../core';
import { formatObjectRef, PolicyFinding } from './rule';

// three columns that fit a 120-column terminal: 34 + 2 + 50 + 2 + 32
const WIDTH = { object: 34, problem: 50, fix: 32 };

/**
 * Synth failed policy: the message is a table with one row per distinct finding (object, the targets it occurs
 * in, construct path; rule, field, what is wrong; how to fix it), and `findings` carries every finding as data.
 */
export class PolicyError extends ConfigError {
  public readonly findings: readonly PolicyFinding[];

  constructor(findings: readonly PolicyFinding[]) {
    const n = findings.length;
    const rows = groupFindings(findings).length;
    super(findings[0]?.constructPath ?? '<app>', 'policy',
      `policy check failed with ${n} finding${n === 1 ? '' : 's'}${rows < n ? ` (${rows} distinct, grouped across targets)` : ''}; fix them, or exempt a construct with Policy.exempt(scope, rule, reason)\n\n${formatFindings(findings)}`);
    this.name = 'PolicyError';
    this.findings = findings;
  }

  /** The same error over `findings` (synth merges the findings of every target into one error). */
  public withFindings(findings: readonly PolicyFinding[]): PolicyError {
    return new PolicyError(findings);
  }
}

/** Findings that differ only in their target (folder, and the target's id leading the construct path). */
export interface FindingGroup {
  readonly finding: PolicyFinding;
  /** The folders below dist/ the finding occurs in, in order of first occurrence. */
  readonly folders: readonly string[];
  /** The construct path below the target's chart (`shop/web/Deployment`), or undefined for plain manifests. */
  readonly constructPath?: string;
}

/** Groups identical findings across targets (the same service is usually rendered for every environment). */
export function groupFindings(findings: readonly PolicyFinding[]): FindingGroup[] {
  const groups = new Map<string, { finding: PolicyFinding; folders: string[]; constructPath?: string }>();
  for (const f of findings) {
    const rel = f.constructPath?.split('/').slice(1).join('/');
    const key = JSON.stringify([f.rule, f.object.kind, f.object.namespace, f.object.name, f.field, f.message, f.fix, rel]);
    const g = groups.get(key);
    if (!g) groups.set(key, { finding: f, folders: [f.folder], constructPath: rel });
    else if (!g.folders.includes(f.folder)) g.folders.push(f.folder);
  }
  return [...groups.values()];
}

/** The findings as a table of at most 120 columns; long cells wrap inside their column. */
export function formatFindings(findings: readonly PolicyFinding[]): string {
  const rows = groupFindings(findings).map(({ finding: f, folders, constructPath }) => ({
    object: [
      ...wrap(formatObjectRef(f.object), WIDTH.object),
      ...wrapList(`${folders.length === 1 ? 'target' : 'targets'}: `, folders, WIDTH.object),
      ...(f.constructPath === undefined ? [] : wrapConstructPath(folders.length === 1 ? f.constructPath : `<target>/${constructPath}`, WIDTH.object)),
    ],
    problem: [...wrapPath(f.rule, WIDTH.problem), ...wrapPath(f.field, WIDTH.problem), ...wrap(f.message, WIDTH.problem)],
    fix: wrap(f.fix, WIDTH.fix),
  }));
  const header = { object: ['OBJECT / WHERE'], problem: ['RULE / FIELD / PROBLEM'], fix: ['FIX'] };
  const cols = ['object', 'problem', 'fix'] as const;
  const width = WIDTH;
  const line = (cells: Record<typeof cols[number], string>) => cols.map((c) => cells[c].padEnd(width[c])).join('  ').trimEnd();
  const render = (r: typeof header) => {
    const height = Math.max(...cols.map((c) => r[c].length));
    const out: string[] = [];
    for (let i = 0; i < height; i++) {
      out.push(line(Object.fromEntries(cols.map((c) => [c, r[c][i] ?? ''])) as Record<typeof cols[number], string>));
    }
    return out.join('\n');
  };
  const rule = line(Object.fromEntries(cols.map((c) => [c, '-'.repeat(width[c])])) as Record<typeof cols[number], string>);
  // a blank line between rows keeps wrapped cells readable
  return [render(header), rule, rows.map(render).join('\n\n')].join('\n');
}

/** `label` then the items joined by `, `, wrapped after the commas. */
function wrapList(label: string, items: readonly string[], width: number): string[] {
  return pack([{ text: label.trimEnd(), sep: '' }, ...items.map((text, i) => ({ text: i < items.length - 1 ? `${text},` : text, sep: ' ' }))], width);
}

/** `construct: <path>`, wrapped after the slashes. */
function wrapConstructPath(path: string, width: number): string[] {
  return pack([{ text: 'construct:', sep: '' }, ...path.split(/(?<=\/)/).map((text, i) => ({ text, sep: i === 0 ? ' ' : '' }))], width);
}

/** Greedy word wrap; a word longer than the column breaks after its commas (JSON values), else anywhere. */
function wrap(text: string, width: number): string[] {
  const tokens: Token[] = [];
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    word.split(/(?<=,)/).forEach((part, i) => tokens.push({ text: part, sep: i === 0 ? ' ' : '' }));
  }
  return pack(tokens, width);
}

/** Wraps a JSON path after its dots, so a line break never splits a field name. */
function wrapPath(path: string, width: number): string[] {
  return pack(path.split(/(?<=\.)/).map((text) => ({ text, sep: '' })), width);
}

interface Token {
  readonly text: string;
  /** What joins it to the previous token on the same line. */
  readonly sep: string;
}

function pack(tokens: readonly Token[], width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const tok of tokens) {
    let text = tok.text;
    while (text.length > width) {
      if (cur) { lines.push(cur); cur = ''; }
      lines.push(text.slice(0, width));
      text = text.slice(width);
    }
    const next = cur ? `${cur}${tok.sep}${text}` : text;
    if (next.length > width && cur) {
      lines.push(cur);
      cur = text;
    } else {
      cur = next;
    }
  }
  if (cur || lines.length === 0) lines.push(cur);
  return lines;
}
