import { IConstruct } from 'constructs';

/**
 * A configuration mistake found while building the construct tree.
 *
 * The message always reads `<construct path>: <prop> <problem>, got <value>; <fix>` so that a user can find
 * the line to change without reading a stack trace.
 */
export class ConfigError extends Error {
  public readonly constructPath: string;
  public readonly prop: string;

  constructor(constructPath: string, prop: string, message: string) {
    super(message);
    this.name = 'ConfigError';
    this.constructPath = constructPath;
    this.prop = prop;
  }
}

/**
 * A check's error that lists findings per output folder (schema, policy). Synth checks one target at a time and
 * goes on checking the others after such an error, then reports every target's findings in one error.
 */
export interface FindingsError extends Error {
  readonly findings: readonly { readonly folder: string }[];
  /** The same kind of error over `findings` (this error's and others', in folder order). */
  withFindings(findings: readonly { readonly folder: string }[]): Error;
}

export function isFindingsError(e: unknown): e is FindingsError {
  return e instanceof Error && Array.isArray((e as any).findings) && typeof (e as any).withFindings === 'function';
}

/**
 * One error for what several checks found: findings errors of one kind merged (findings in folder order, each
 * folder's own order kept), else the first error.
 */
export function combineErrors(errors: readonly Error[]): Error {
  const first = errors[0];
  if (!isFindingsError(first) || errors.some((e) => !isFindingsError(e) || e.constructor !== first.constructor)) return first;
  const all = errors.flatMap((e) => [...(e as FindingsError).findings]);
  // stable: each folder's findings keep the order their check gave them
  const sorted = all.map((f, i) => ({ f, i })).sort((a, b) => (a.f.folder < b.f.folder ? -1 : a.f.folder > b.f.folder ? 1 : a.i - b.i)).map((x) => x.f);
  return first.withFindings(sorted);
}

/** Renders a received value the way it would be typed in code. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value); // NaN and Infinity too
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol' || typeof value === 'function') return String(value);
  try {
    // non-finite numbers inside objects would print as null: show them as typed
    const text = JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? `__num:${v}` : v));
    return text === undefined ? String(value) : text.replace(/"__num:(-?Infinity|NaN)"/g, '$1');
  } catch {
    return String(value);
  }
}

/**
 * The one way to report bad input: names the construct path, the prop, the value received and the fix.
 *
 * @param scope the construct whose props are wrong (its path prefixes the message), or a factory's name
 * @param prop the prop, as the user wrote it (`resources.memoryLimit`)
 * @param problem what is wrong, lowercase (`must be a DNS-1123 label`)
 * @param value the value received
 * @param fix how to fix it (`use lowercase letters, digits and '-'`)
 */
export function configError(scope: IConstruct | string, prop: string, problem: string, value: unknown, fix: string): ConfigError {
  const path = typeof scope === 'string' ? scope : scope.node.path || '<app>';
  return new ConfigError(path, prop, `${path}: ${prop} ${problem}, got ${show(value)}; ${fix}`);
}
