import * as YAML from 'yaml';

// Same options as cdk8s's Yaml.stringify, so ordinary files match what `cdk8s synth` would write byte for byte:
// YAML 1.1 quoting (kubectl's reader is YAML 1.1: "yes", "on", "0755" stay strings), no line folding. Strings
// that some YAML reader could read differently are double-quoted with escapes (see `safeString`).
const BASE = { keepUndefined: true, lineWidth: 0, version: '1.1' as const };

/** The yaml library's own string tag: how an ordinary string is written. */
const LIBRARY_STRING = new YAML.Document(null, BASE).schema.tags.find((t) => t.tag === 'tag:yaml.org,2002:str' && !(t as any).format) as YAML.ScalarTag;

/**
 * Replaces the library's string tag (listed first, so it wins) with one that keeps the library's text only
 * where YAML 1.1 and 1.2 readers read it back as the same string.
 */
const SAFE_STRING: YAML.ScalarTag = {
  ...LIBRARY_STRING,
  // a test that never matches: it resolves nothing when parsing, but ranks this tag with the 1.1 merge tag
  // (which would otherwise claim the string `<<` and write it plain)
  test: /^(?!)/,
  stringify(item, ctx, onComment, onChompKeep) {
    const value = String(item.value);
    const text = LIBRARY_STRING.stringify!(item, ctx, onComment, onChompKeep);
    return safeText(value, text, (ctx as any).implicitKey === true) ?? doubleQuoted(value);
  },
};

const OPTIONS: YAML.DocumentOptions & YAML.SchemaOptions & YAML.ToStringOptions & YAML.CreateNodeOptions = {
  ...BASE,
  customTags: (tags) => [SAFE_STRING, ...tags],
};

/** Serializes one manifest through the `yaml` library, with the reader-safe string decision. */
export function toYamlReference(doc: unknown): string {
  return YAML.stringify(doc, OPTIONS);
}

/** Serializes manifests as a multi-document YAML file (byte-identical to `toYamlReference` per document). */
export function toYaml(docs: readonly unknown[]): string {
  return docs.map(stringifyDocument).join('---\n');
}

// Characters written as escapes: C0 controls but tab and newline (those are handled below), DEL, C1 controls
// (U+0085 is a line break for YAML 1.1), U+2028/U+2029 (line breaks for YAML 1.1, content for 1.2), the BOM,
// the non-characters U+FFFE/U+FFFF and lone surrogates (not encodable in UTF-8).
// eslint-disable-next-line no-control-regex
const ESCAPED = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// Plain scalars that a YAML 1.1 reader (go-yaml v2, sigs.k8s.io/yaml), a 1.2 reader (go-yaml v3) or Go's
// ParseInt (base prefixes 0b/0o/0x in any case, a sign, underscores) may resolve to something else than
// the string: numbers in every base, sexagesimal, floats, infinities and NaN, booleans and null in every
// case, timestamps, the 1.1 value key `=` and the merge key `<<`.
const RISKY_PLAIN = [
  /^[-+]?(?:0[bB][0-9a-fA-F_]*|0[oO][0-9a-fA-F_]*|0[xX][0-9a-fA-F_]*|[0-9][0-9_]*)$/,
  /^[-+]?[0-9][0-9_]*(?::[0-9_]+)+(?:\.[0-9_]*)?$/,
  /^[-+]?(?:\.[0-9_]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$/,
  /^[-+]?\.(?:inf|nan)$/i,
  /^(?:y|n|yes|no|on|off|true|false|null|~|=|<<)$/i,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:$|[Tt \t])/,
];

/** Whether a plain (unquoted) scalar could be read as anything but `s` by some reader. */
function riskyPlain(s: string): boolean {
  if (s === '' || /^[ \t]|[ \t]$|\t/.test(s) || ESCAPED.test(s)) return true;
  return RISKY_PLAIN.some((r) => r.test(s));
}

/**
 * A block scalar (`|`) is kept only for text every reader takes literally: no escapes needed, no tab or
 * carriage return, no whitespace-only line (YAML 1.1 and 1.2 readers disagree on those), no leading space
 * or empty first line (they need an indentation indicator), at most one trailing newline.
 */
function blockSafe(s: string): boolean {
  return !ESCAPED.test(s) && !/[\t\r]/.test(s) && !/^[ \n]|(?:^|\n)[ ]+(?:\n|$)|\n\n$/.test(s);
}

const verdicts = new Map<string, boolean>();
const SIMPLE_PLAIN = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const WORDLIKE = /[g-wyG-WY]/;

/** `text` when it is a reader-safe rendering of `value` (as the library wrote it), else undefined. */
function safeText(value: string, text: string, implicitKey: boolean): string | undefined {
  const first = text[0];
  if (first === '|' || first === '>') return !implicitKey && first === '|' && blockSafe(value) ? text : undefined;
  if (ESCAPED.test(value) || /\t/.test(value) || text.includes('\n')) return undefined;
  if (first === '"') return text === doubleQuoted(value) ? text : undefined;
  if (first !== "'" && riskyPlain(value)) return undefined;
  // names, labels and paths need no second opinion (riskyPlain covers every resolution rule of both schemas)
  if (SIMPLE_PLAIN.test(text)) return text;
  // anything else gets a last check with both readers, once per distinct text
  const key = `${implicitKey ? 'k' : 'v'}${text}`;
  let ok = verdicts.get(key);
  if (ok === undefined) {
    const src = implicitKey ? `${text}: 1\n` : `a: ${text}\n`;
    ok = readsAs(src, value, implicitKey, '1.1') && readsAs(src, value, implicitKey, '1.2');
    remember(verdicts, key, ok);
  }
  return ok ? text : undefined;
}

function readsAs(src: string, value: string, implicitKey: boolean, version: '1.1' | '1.2'): boolean {
  try {
    const doc = YAML.parseDocument(src, { version, merge: false, uniqueKeys: false });
    if (doc.errors.length > 0 || !YAML.isMap(doc.contents) || doc.contents.items.length !== 1) return false;
    const pair = doc.contents.items[0];
    const node = implicitKey ? pair.key : pair.value;
    return YAML.isScalar(node) && node.value === value && (!implicitKey || (YAML.isScalar(pair.value) && pair.value.value === 1));
  } catch {
    return false;
  }
}

/**
 * A double-quoted scalar on one line; everything outside printable ASCII and ordinary Unicode text is
 * escaped (`\n`, `\t`, `\xNN`, `\uNNNN`), so YAML 1.1 and 1.2 readers read the same string.
 */
export function doubleQuoted(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c === 0x22) esc = '\\"';
    else if (c === 0x5c) esc = '\\\\';
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
      esc = c === 0x0a ? '\\n' : c === 0x09 ? '\\t' : c === 0x0d ? '\\r' : c === 0 ? '\\0' : `\\x${c.toString(16).padStart(2, '0')}`;
    } else if (c === 0x2028 || c === 0x2029 || c === 0xfeff || c === 0xfffe || c === 0xffff) {
      esc = `\\u${c.toString(16)}`;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const pair = c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (pair) {
        i++;
        continue;
      }
      esc = `\\u${c.toString(16)}`;
    }
    if (esc !== undefined) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return `${out}${s.slice(start)}"`;
}

/**
 * Block YAML for plain JSON data, written directly instead of through the `yaml` document model (the
 * most expensive step of synth). How each distinct key and scalar is written is decided once, by the same
 * reader-safe rule as the library path (`SAFE_STRING`), and cached: manifests repeat the same label keys and
 * values thousands of times. Anything outside the fast path (multi-line strings, non-JSON values, keys
 * needing explicit syntax) falls back to the library for the whole document, so the bytes never differ.
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

/** Caches `value`; a full cache starts over (one that stopped taking entries sent every later value to the library). */
function remember<K, V>(cache: Map<K, V>, key: K, value: V): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
}

function keyText(key: string): string | null {
  let text = keys.get(key);
  if (text === undefined && SIMPLE_PLAIN.test(key) && WORDLIKE.test(key) && !riskyPlain(key)) {
    // a field name or label key: plain at every depth, as the library writes it
    text = key;
    remember(keys, key, text);
  }
  if (text === undefined) {
    const line = YAML.stringify({ [key]: 1 }, OPTIONS);
    text = line.endsWith(': 1\n') && !line.slice(0, -4).includes('\n') && !line.startsWith('? ') ? line.slice(0, -4) : null;
    // some keys are written differently at the start of a line (document markers such as `---`): only keys
    // written the same at the top and nested take the fast path
    if (text !== null && YAML.stringify({ x: { [key]: 1 } }, OPTIONS) !== `x:\n  ${text}: 1\n`) text = null;
    remember(keys, key, text);
  }
  return text;
}

/** A scalar as the library writes it after `key: ` or `- `; null when it would span lines. */
function scalarText<K extends string | number>(cache: Map<K, string | null>, value: K): string | null {
  let text = cache.get(value);
  if (text === undefined && typeof value === 'string' && SIMPLE_PLAIN.test(value) && WORDLIKE.test(value) && !riskyPlain(value)) {
    // a name, label or path with a letter no number, infinity or timestamp contains (readers disagree on
    // forms like `e3`): no reader resolves it to anything else, so it is written plain, as the library would
    text = value;
    remember(cache, value, text);
  }
  if (text === undefined && typeof value === 'string') {
    // expressions, images, URLs, sentences: decided without a library round trip and two parses per distinct
    // value (most of them occur once), with the library's result (see plainShortcut, quotedShortcut)
    text = plainShortcut(value) ? value : quotedShortcut(value) ? doubleQuoted(value) : undefined;
    // long values (expressions, ciphertext) rarely repeat: deciding again is cheaper than keeping them all
    if (text !== undefined && value.length <= 128) remember(cache, value, text);
  }
  if (text === undefined) {
    const line = YAML.stringify({ a: value }, OPTIONS);
    text = line.startsWith('a: ') && line.indexOf('\n') === line.length - 1 ? line.slice(3, -1) : null;
    remember(cache, value, text);
  }
  return text;
}

// One line of printable ASCII that starts with a letter, digit or `(` and holds no quote-like, comment or
// tag character; with a letter no number, infinity or timestamp contains and none of the library's plain-scalar
// exclusions (`: `, a trailing `:` or space, a document marker), the library writes it plain (see test/gitops/serialize.test.ts).
// content hashes (config checksums): hex with a letter, long enough that no reader's number forms apply beyond
// those riskyPlain refuses
const HASH = /^[0-9][0-9a-f]{7,63}$/;
const SHORTCUT_CHARS = /^[A-Za-z0-9(][A-Za-z0-9 _.,/(){}[\]=~"+*<>!?$%^&|;:@-]*$/;

/** Whether a value written after `key: ` or `- ` is the value itself, decided without the library. */
export function plainShortcut(value: string): boolean {
  return value.length < 1024 && SHORTCUT_CHARS.test(value) && (WORDLIKE.test(value) || HASH.test(value)) && !/: |:$| $|  /.test(value)
    && !value.startsWith('---') && !value.startsWith('...') && !riskyPlain(value);
}

/**
 * A multi-line value as the library writes it after `key: ` (`|` or `|-`, then the lines at `indent`), or null
 * when the library's own decision is needed: only text every reader takes literally (blockSafe) and no
 * document marker at the start of a line.
 */
function blockText(value: string, indent: string): string | null {
  if (!value.includes('\n') || !blockSafe(value) || /(?:^|\n)(?:---|\.\.\.)/.test(value)) return null;
  const clip = value.endsWith('\n');
  const body = (clip ? value.slice(0, -1) : value).replace(/\n+/g, `$&${indent}`);
  return `|${clip ? '' : '-'}\n${indent}${body}\n`;
}

/**
 * Whether the library double-quotes a value (after `key: ` or `- `), so that it is written `doubleQuoted(value)`:
 * one line of printable ASCII with no `"` (the library would single-quote it) that plain style cannot carry
 * (`: ` or ` #` inside, a leading or trailing space, a trailing `:`).
 */
export function quotedShortcut(value: string): boolean {
  return value.length < 1024 && /^[\x20-\x21\x23-\x7e]+$/.test(value) && /: | #|:$|^ | $/.test(value);
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
    // a multi-line string (a config file) as the library writes it: a literal block, indented below its key
    const block = typeof v === 'string' && v.includes('\n') ? blockText(v, indent + '  ') : null;
    if (block !== null) {
      out.push(lead, k, ': ', block);
      lead = indent;
      continue;
    }
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
