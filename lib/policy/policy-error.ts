import { ConfigError } from '../core';
import { formatObjectRef, PolicyFinding } from './rule';

const WIDTH = { object: 44, problem: 64, fix: 48 };

/**
 * Synth failed policy: the message is a table with one row per finding (object, rule, what is wrong, how to fix
 * it, construct path), and `findings` carries the same rows as data.
 */
export class PolicyError extends ConfigError {
  public readonly findings: readonly PolicyFinding[];

  constructor(findings: readonly PolicyFinding[]) {
    const n = findings.length;
    super(findings[0]?.constructPath ?? '<app>', 'policy',
      `policy check failed with ${n} finding${n === 1 ? '' : 's'}; fix them, or exempt a construct with Policy.exempt(scope, rule, reason)\n\n${formatFindings(findings)}`);
    this.name = 'PolicyError';
    this.findings = findings;
  }
}

/** The findings as a fixed-width table; long cells wrap inside their column. */
export function formatFindings(findings: readonly PolicyFinding[]): string {
  const rows = findings.map((f) => ({
    object: wrap(`${f.folder ? `${f.folder} ` : ''}${formatObjectRef(f.object)}`, WIDTH.object),
    rule: [f.rule],
    problem: [...wrapPath(f.field, WIDTH.problem), ...wrap(f.message, WIDTH.problem)],
    fix: wrap(f.fix, WIDTH.fix),
    construct: [f.constructPath ?? '-'],
  }));
  const header = { object: ['OBJECT'], rule: ['RULE'], problem: ['FIELD / PROBLEM'], fix: ['FIX'], construct: ['CONSTRUCT'] };
  const cols = ['object', 'rule', 'problem', 'fix', 'construct'] as const;
  const width = Object.fromEntries(cols.map((c) => [c, Math.max(...[header, ...rows].map((r) => Math.max(...r[c].map((l) => l.length))))])) as Record<typeof cols[number], number>;
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
