import { IConstruct } from 'constructs';
import { configError } from './errors';

/** Ranges of the five fields, as the Kubernetes CronJob controller (robfig/cron) reads them. */
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
] as const;

export const CRON_MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'] as const;

/**
 * Why a cron expression is invalid, or undefined when it is valid: five fields (minute hour day-of-month month
 * day-of-week) with `*`, numbers in range, ranges `a-b`, steps `/n`, lists `,`, month and weekday names, `?`
 * in the day fields; or a macro such as `@daily`. Time zones belong in `timeZone`, not in a `TZ=` prefix.
 */
export function cronProblem(expr: unknown): string | undefined {
  if (typeof expr !== 'string') return 'must be a string';
  const text = expr.trim();
  if (text !== expr || /\s{2,}|[\t\n\r]/.test(text)) return 'must be fields separated by single spaces';
  if ((CRON_MACROS as readonly string[]).includes(text)) return undefined;
  if (/^(CRON_)?TZ=/.test(text)) return 'must not carry a time zone prefix';
  const fields = text.split(' ');
  if (fields.length !== 5) return `must have five fields (minute hour day-of-month month day-of-week), found ${fields.length}`;
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(fields[i], FIELDS[i], i === 2 || i === 4);
    if (problem) return `${FIELDS[i].name} field ${JSON.stringify(fields[i])} ${problem}`;
  }
  return undefined;
}

function fieldProblem(field: string, spec: (typeof FIELDS)[number], questionMark: boolean): string | undefined {
  if (field === '?' && questionMark) return undefined;
  for (const part of field.split(',')) {
    const [range, step, ...rest] = part.split('/');
    if (rest.length > 0) return 'has more than one step';
    if (step !== undefined && !/^[1-9][0-9]{0,2}$/.test(step)) return 'has a step that is not a positive number';
    if (range === '*') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return 'has a malformed range';
    const values = bounds.map((b) => valueOf(b, spec));
    if (values.some((v) => v === undefined)) return `must use values ${spec.min}-${spec.max}${'names' in spec ? ' or names' : ''}`;
    if (values.length === 2 && values[0]! > values[1]!) return 'has a range that ends before it starts';
  }
  return undefined;
}

function valueOf(text: string, spec: (typeof FIELDS)[number]): number | undefined {
  if (/^[0-9]{1,2}$/.test(text)) {
    const n = Number(text);
    return n >= spec.min && n <= spec.max ? n : undefined;
  }
  if ('names' in spec) {
    const i = (spec.names as readonly string[]).indexOf(text.toLowerCase());
    if (i >= 0) return i + spec.min;
  }
  return undefined;
}

/** Throws unless `expr` is a cron schedule the CronJob controller accepts. */
export function assertCron(scope: IConstruct, prop: string, expr: unknown): string {
  const problem = cronProblem(expr);
  if (problem) {
    throw configError(scope, prop, `must be a five-field cron expression or a macro like @daily (${problem})`, expr, "write it like '30 2 * * *' (02:30 every day)");
  }
  return expr as string;
}
