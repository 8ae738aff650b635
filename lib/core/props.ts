import { IConstruct } from 'constructs';
import { configError } from './errors';
import { PROP_SHAPES, PropShapeName } from './prop-names.generated';

export type { PropShapeName };

/**
 * Rejects props the input shape does not declare, at run time: TypeScript's excess-property check misses
 * spread and variables, and plain JavaScript has none, so a misspelled `secretEnvs:` would otherwise be
 * dropped silently. Walks nested input shapes (`resources`, `security`, arrays of them) too. Called once at the
 * top of each constructor or factory, before anything reads the props.
 *
 * @param where the construct receiving the props, or the factory's name (`Delivery.canary`)
 * @param shape the props interface (the table is generated from the TypeScript sources)
 * @param props what the caller passed
 */
export function checkProps(where: IConstruct | string, shape: PropShapeName, props: unknown): void {
  walk(where, shape, props, '');
}

function walk(where: IConstruct | string, shape: PropShapeName, value: unknown, prefix: string): void {
  if (!isPlainObject(value)) return;
  const known = PROP_SHAPES[shape] as Record<string, PropShapeName | null>;
  for (const key of Object.keys(value)) {
    const at = prefix + propSegment(key, prefix === '');
    if (!Object.prototype.hasOwnProperty.call(known, key)) {
      const guess = didYouMean(key, Object.keys(known));
      // a construct's message names its class too (the path says where, not what)
      const owner = typeof where === 'string' || prefix ? '' : ` (${where.constructor.name})`;
      throw configError(where, at, `is not a prop of ${shape}${owner}`, (value as any)[key],
        guess !== undefined ? `did you mean '${guess}'?` : `remove it; the known props are ${Object.keys(known).join(', ')}`);
    }
    const nested = known[key];
    const v = (value as any)[key];
    if (nested === null || v === undefined) continue;
    if (Array.isArray(v)) v.forEach((item, i) => walk(where, nested, item, `${at}[${i}]`));
    else walk(where, nested, v, at);
  }
}

/** Only literal objects: class instances (strategies, enum-like values) carry their own fields. */
function isPlainObject(v: unknown): v is object {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A key as it reads in a prop path: `.name`, or `["a b"]` for keys no one types bare (line breaks, markup). */
function propSegment(key: string, first: boolean): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return first ? key : `.${key}`;
  return `[${JSON.stringify(key)}]`;
}

/** The known name closest to `key` (edit distance with transpositions, case ignored), if close enough. */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  const k = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const d = distance(k, name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  // a plural, a dropped or doubled letter, a swap: within a third of the name (at least 2 edits)
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return Math.abs(a.length - b.length);
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
