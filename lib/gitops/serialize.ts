import * as YAML from 'yaml';

// Same options as cdk8s's Yaml.stringify, so files match what `cdk8s synth` would write byte for byte:
// YAML 1.1 quoting (kubectl's reader is YAML 1.1: "yes", "on", "0755" stay strings), no line folding.
const OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' as const };

/** Serializes one manifest exactly as the `yaml` library does with cdk8s's options. */
export function toYamlReference(doc: unknown): string {
  return YAML.stringify(doc, OPTIONS);
}

/** Serializes manifests as a multi-document YAML file (byte-identical to cdk8s's `Yaml.stringify`). */
export function toYaml(docs: readonly unknown[]): string {
  return docs.map(stringifyDocument).join('---\n');
}

/**
 * Block YAML for plain JSON data, written directly instead of through the `yaml` document model (the
 * most expensive step of synth). How each distinct key and scalar is written (plain or quoted) is still
 * decided by the `yaml` library, once, and cached: manifests repeat the same label keys and values
 * thousands of times. Anything outside the fast path (multi-line strings, non-JSON values, keys needing
 * explicit syntax) falls back to the library for the whole document, so the bytes never differ.
 */
function stringifyDocument(doc: unknown): string {
  if (isPlainObject(doc) && Object.keys(doc).length > 0) {
    const out: string[] = [];
    if (writeMap(doc, '', out)) return out.join('');
  }
  return YAML.stringify(doc, OPTIONS);
}

const keys = new Map<string, string | null>();
const strings = new Map<string, string | null>();
const numbers = new Map<number, string | null>();
// bounded so a huge platform cannot grow the caches without limit
const CACHE_LIMIT = 200_000;

function keyText(key: string): string | null {
  let text = keys.get(key);
  if (text === undefined) {
    const line = YAML.stringify({ [key]: 1 }, OPTIONS);
    text = line.endsWith(': 1\n') && !line.slice(0, -4).includes('\n') && !line.startsWith('? ') ? line.slice(0, -4) : null;
    // some keys are written differently at the start of a line (document markers such as `---`): only keys
    // written the same at the top and nested take the fast path
    if (text !== null && YAML.stringify({ x: { [key]: 1 } }, OPTIONS) !== `x:\n  ${text}: 1\n`) text = null;
    if (keys.size < CACHE_LIMIT) keys.set(key, text);
  }
  return text;
}

/** A scalar as the library writes it after `key: ` or `- `; null when it would span lines. */
function scalarText<K extends string | number>(cache: Map<K, string | null>, value: K): string | null {
  let text = cache.get(value);
  if (text === undefined) {
    const line = YAML.stringify({ a: value }, OPTIONS);
    text = line.startsWith('a: ') && line.indexOf('\n') === line.length - 1 ? line.slice(3, -1) : null;
    if (cache.size < CACHE_LIMIT) cache.set(value, text);
  }
  return text;
}

function valueText(v: unknown): string | null | undefined {
  switch (typeof v) {
    case 'string': return scalarText(strings, v);
    case 'number': return scalarText(numbers, v);
    case 'boolean': return v ? 'true' : 'false';
    case 'object':
      if (v === null) return 'null';
      if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
      if (isPlainObject(v)) return Object.keys(v).length === 0 ? '{}' : undefined;
      return null;
    default:
      return null; // undefined, functions, symbols, bigint: let the library decide
  }
}

/** Appends `map` at `indent`; the first line may carry a prefix (`- `) instead of the indent. */
function writeMap(map: Record<string, unknown>, indent: string, out: string[], first = indent): boolean {
  let lead = first;
  for (const key in map) {
    const k = keyText(key);
    if (k === null) return false;
    const v = map[key];
    const text = valueText(v);
    if (text === null) return false;
    if (text !== undefined) {
      out.push(lead, k, ': ', text, '\n');
    } else {
      out.push(lead, k, ':\n');
      const inner = indent + '  ';
      if (Array.isArray(v) ? !writeSeq(v, inner, out) : !writeMap(v as Record<string, unknown>, inner, out)) return false;
    }
    lead = indent;
  }
  return true;
}

function writeSeq(seq: readonly unknown[], indent: string, out: string[]): boolean {
  for (const item of seq) {
    const text = valueText(item);
    if (text === null) return false;
    if (text !== undefined) {
      out.push(indent, '- ', text, '\n');
    } else if (Array.isArray(item)) {
      return false; // nested sequences are rare in manifests: leave their layout to the library
    } else if (!writeMap(item as Record<string, unknown>, indent + '  ', out, indent + '- ')) {
      return false;
    }
  }
  return true;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
