import * as YAML from 'yaml';

/**
 * Finds values that look like credentials: known token formats anywhere, connection strings and Authorization
 * headers that carry a password or token, literal values under keys named like a password, and random-looking
 * values under keys named like a secret. It errs on the side of ordinary config passing: URLs without a
 * password, paths (Vault `secret/data/x`, GCP `projects/p/secrets/s`), ARNs, image digests, UUIDs, words,
 * identifiers (`DB_PASSWORD`, `storefront-db-v2`), numbers, durations and placeholders (`${DB_PASSWORD}`) are
 * never judged random.
 *
 * `credentialsInObject` walks every string of an object, keys and values, nested anywhere, and reads config
 * file contents (JSON, YAML, Java properties, env/INI/TOML-style `key = value` lines, base64 `binaryData`).
 */

/** Known credential formats, each with what it is called in messages. */
export const CREDENTIAL_PATTERNS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'a PEM private key block', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { name: 'an AWS access key id', pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])/ },
  { name: 'a Stripe live key', pattern: /(?<![A-Za-z0-9])(?:sk|rk)_live_[0-9A-Za-z]{16,}/ },
  { name: 'a GitHub token', pattern: /(?<![A-Za-z0-9])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/ },
  { name: 'a Slack token', pattern: /(?<![A-Za-z0-9])xox[abprs]-[A-Za-z0-9-]{10,}/ },
  { name: 'a Slack webhook URL', pattern: /hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{16,}/ },
  { name: 'a GitLab token', pattern: /(?<![A-Za-z0-9])glpat-[A-Za-z0-9_-]{20,}/ },
  { name: 'a Google API key', pattern: /(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/ },
  { name: 'an npm token', pattern: /(?<![A-Za-z0-9])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/ },
  { name: 'an API secret key (sk-...)', pattern: /(?<![A-Za-z0-9])sk-(?:proj-|ant-)?[A-Za-z0-9_-]{32,}/ },
  { name: 'a JSON Web Token', pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/ },
];

const ANY_PATTERN = new RegExp(CREDENTIAL_PATTERNS.map((p) => `(?:${p.pattern.source})`).join('|'));
/** `scheme://[user]:password@host` (redis://:pw@host has no user). */
const URL_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:([^\s@/]+)@/gi;
/** `password=...` / `pwd=...` inside a connection string (JDBC `;` or `?&` parameters, ODBC/ADO.NET `Pwd=`). */
const PARAM_PASSWORD = /(?:^|[;?&\s])(?:password|passwd|pwd)\s*=\s*("[^"]*"|'[^']*'|\{[^}]*\}|[^;&\s]*)/gi;
/** `Authorization: Bearer <token>` / `Basic <base64>` values. */
const AUTH_HEADER = /(?:^|[\s"'])(?:Bearer|Basic|Token)\s+([A-Za-z0-9._~+/=-]{12,})/;
const SENSITIVE = /password|passwd|pwd|secret|token|apikey|accesskey|privatekey|signingkey|encryptionkey|hmackey|credential|authorization|passphrase/;
const NOT_SENSITIVE = /checksum|hash|digest|fingerprint|sha\d*$/;
/** Key names whose value, when a literal, is a password whatever it looks like. */
const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FLAGS = /^(?:true|false|yes|no|on|off|enabled|disabled|required|optional|none|null|nil|~)$/i;

/** Whether a key (env name, ConfigMap key, annotation name, a key inside a config file) is named like a secret. */
export function isSensitiveKey(key: string): boolean {
  return memo(SENSITIVE_KEYS, key, () => {
    const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
    return SENSITIVE.test(k) && !NOT_SENSITIVE.test(k);
  });
}

// keys are judged once per process: a platform's objects share a small vocabulary of field and env names, and
// every string value is judged under its key (bounded, so that hostile or generated keys cannot grow it unbounded)
const SENSITIVE_KEYS = new Map<string, boolean>();
const PASSWORD_KEYS = new Map<string, boolean>();
const MEMO_LIMIT = 50_000;

function memo(cache: Map<string, boolean>, key: string, judge: () => boolean): boolean {
  const known = cache.get(key);
  if (known !== undefined) return known;
  const v = judge();
  if (cache.size >= MEMO_LIMIT) cache.clear();
  cache.set(key, v);
  return v;
}

/** The words of a key (`spring.datasource.password` -> [spring, datasource, password], `dbPassword` -> [db, password]). */
function keyWords(key: string): string[] {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== '');
}

/** Whether a key names a password itself (its last word is password/passwd/pwd/passphrase), not its file, key or length. */
export function isPasswordKey(key: string): boolean {
  return memo(PASSWORD_KEYS, key, () => {
    const w = keyWords(key);
    return w.length > 0 && PASSWORD_WORDS.has(w[w.length - 1]);
  });
}

/** A reference to a value kept elsewhere, not the value: `${X}`, `$(X)`, `{{ x }}`, `<x>`, `%(x)s`, `***`. */
export function isPlaceholder(v: string): boolean {
  return /^\$\{[^}]*\}$|^\$\([^)]*\)$|^\$[A-Za-z_][A-Za-z0-9_]*$|^\{\{.*\}\}$|^<[^>]*>$|^%\([^)]*\)s$|^\*+$|^(?:changeme|change-me|replace-me|redacted|none|null|nil|unset)$/i.test(v.trim());
}

/** The start of a template expression (`{{ .password }}` is cut at its first space). */
function opensPlaceholder(v: string): boolean {
  return /^(?:\$\{|\$\(|\{\{|%\(|\$[A-Za-z_])/.test(v);
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(v: string): number {
  const counts = new Map<string, number>();
  for (const c of v) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / v.length;
    h -= p * Math.log2(p);
  }
  return h;
}

const WORD_SEGMENT = /^(?:[A-Z0-9]+|[A-Za-z][a-z0-9]*)(?:[-_.](?:[A-Z0-9]+|[A-Za-z0-9][a-z0-9]*))*$/;

/**
 * Names and references that sit under secret-sounding keys without being secrets: AWS ARNs, Vault and cloud
 * secret-manager paths, environment-variable style identifiers, Kubernetes object names with versions.
 */
export function isReference(v: string): boolean {
  if (/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(?:\d{12})?:\S+$/.test(v)) return true;
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v)) return true; // DB_PASSWORD: the name of a variable or a key
  if (/^[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+$/.test(v) && v.split(/[-_.]/).every((s) => /^[a-z]{2,}[0-9]*$|^[0-9]+$|^v[0-9]+$/.test(s))) return true;
  // paths of words: secret/data/storefront/db, projects/acme/secrets/db/versions/latest (base64 has + or = or mixed-case runs)
  if (v.includes('/') && !/[+=\s]/.test(v)) {
    const segs = v.replace(/^\/|\/$/g, '').split('/');
    if (segs.length >= 2 && segs.every((s) => WORD_SEGMENT.test(s))) return true;
  }
  return false;
}

/**
 * Whether a value has the shape of ordinary config rather than a secret: a URL (without a password), a path,
 * structured text, a placeholder, a UUID, a reference or name, a digest, words, a number, a host name.
 */
export function isOrdinaryShape(v: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) || /^\.?\/[a-z0-9_.-]+(?:\/[A-Za-z0-9._-]*)*$/.test(v)) return true; // URLs, paths (base64 may start with '/': a path's first segment is a lowercase name)
  if (/^[[{]/.test(v) || v.includes('"')) return true; // structured text: its own keys are judged line by line
  if (isPlaceholder(v) || opensPlaceholder(v) || UUID.test(v) || isReference(v)) return true;
  if (/^sha(?:256|384|512):[0-9a-f]+$/i.test(v) || /@sha256:[0-9a-f]{64}$/.test(v)) return true;
  if (/^[a-z]+(?:[-_.][a-z]+)*$/.test(v) || /^[-+]?[0-9.]+$/.test(v) || /^[0-9]+(?:ms|s|m|h|d)$/.test(v)) return true;
  return /^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::[0-9]+)?$/.test(v); // host names
}

/** Whether a single value looks randomly generated (a key, a password), as opposed to ordinary config. */
export function looksRandom(value: string): boolean {
  const v = value.trim().replace(/^["']|["']$/g, '');
  if (v.length < 16 || v.length > 4096 || /\s/.test(v) || isOrdinaryShape(v)) return false;
  const hex = /^[0-9a-f]{32,}$/i.test(v);
  const classes = charClasses(v);
  if (hex) return shannonEntropy(v) >= 2.5;
  // a random string of n characters from a large alphabet scores close to log2(n) bits (capped by the alphabet)
  return classes >= 2 && shannonEntropy(v) >= Math.min(3.5, Math.log2(v.length) - 0.75);
}

function charClasses(v: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(v)).length;
}

function unquote(v: string): string {
  const t = v.trim();
  return /^(["']).*\1$/.test(t) || /^\{.*\}$/.test(t) ? t.slice(1, -1) : t;
}

/**
 * Whether a literal under a password key is a password: not empty, a flag, a path or reference to the value,
 * nor any ordinary shape; a mix of character classes (`hunter2`, `S3cret!`).
 */
function isLiteralPassword(raw: string): boolean {
  const v = unquote(raw);
  if (v.length < 6 || v.length > 256 || /\s/.test(v) || FLAGS.test(v)) return false;
  if (/^(?:file:|vault:|ref\+|secret:|env:|@)/i.test(v) || isOrdinaryShape(v)) return false;
  return charClasses(v) >= 2;
}

/**
 * What `value` looks like when it looks like a credential (`an AWS access key id`), else undefined.
 * `key` is the name it is stored under (a map key, an env var's or header's name, the flag before an argument);
 * multi-line values are also read as `key: value` / `key=value` / `"key": "value"` lines.
 */
export function credentialIn(value: unknown, key = ''): string | undefined {
  if (typeof value !== 'string' || value.length < 4) return undefined;
  if (key && isPasswordKey(key) && !value.includes('\n') && isLiteralPassword(value)) {
    return `a plaintext password under ${JSON.stringify(key)}`;
  }
  if (value.length < 8) return undefined;
  // one pass over the value for every known format; which one matched is only worked out on a hit
  if (ANY_PATTERN.test(value)) return CREDENTIAL_PATTERNS.find((p) => p.pattern.test(value))!.name;
  if (value.includes('://') && value.includes('@')) {
    for (const m of value.matchAll(URL_PASSWORD)) {
      const pw = decodeSafe(m[1]);
      if (!isPlaceholder(pw) && !opensPlaceholder(pw)) return 'a connection URL with a password';
    }
  }
  if (/(?:password|passwd|pwd)\s*=/i.test(value) && (/[;?&]/.test(value) || /^jdbc:/i.test(value))) {
    for (const m of value.matchAll(PARAM_PASSWORD)) {
      if (isLiteralPassword(m[1])) return 'a connection string with a password';
    }
  }
  const auth = AUTH_HEADER.exec(value);
  if (auth && !isPlaceholder(auth[1]) && (looksRandom(auth[1]) || /^Basic\s/i.test(auth[0].trim()))) return 'an HTTP Authorization credential';
  if (key && isSensitiveKey(key) && looksRandom(value)) return `a random-looking value under a key named like a secret (${JSON.stringify(key)})`;
  const flag = /^--?([A-Za-z][A-Za-z0-9_.-]*)=(.+)$/s.exec(value);
  if (flag && !value.includes('\n')) return credentialIn(flag[2], flag[1]);
  if (value.length <= 1024 * 1024 && value.includes('\n')) {
    for (const [k, v] of lineEntries(value)) {
      const what = credentialIn(v, k);
      if (what) return what;
    }
  }
  return undefined;
}

/** `key = value` / `key: value` / `"key": "value"` / `export KEY=value` lines of any text (INI/TOML sections ignored). */
function lineEntries(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+|-\s+)?["']?([A-Za-z0-9_.-]+)["']?\s*[:=]\s*(.*?)\s*,?\s*$/.exec(line);
    if (!m || m[2] === '' || m[2].startsWith('#')) continue;
    const v = m[2].replace(/\s+#.*$/, '');
    out.push([m[1], /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v]);
  }
  return out;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** One credential found in an object: the value's path, what it looks like, and where inside a file it is. */
export interface CredentialHit {
  /** Path of the value in the object (`spec.template.spec.containers[0].env[3].value`, `data["app.yaml"]`). */
  readonly path: string;
  readonly what: string;
  /** Inside a config file: the key within the file (`database.password`). */
  readonly within?: string;
  /** Whether the hit is in a key rather than a value. */
  readonly inKey?: boolean;
  /** Length of the value (the value itself is never reported). */
  readonly length: number;
}

export interface CredentialScanOptions {
  /** Value paths not to read (exact paths, or prefixes ending in `.` / `[`). @default - none */
  readonly skip?: (path: string) => boolean;
  /**
   * Fields not to read, each as its map keys from the object's root (`['spec', 'encryptedData']`). Unlike
   * `skip`, they cost nothing on the values that are read: no path is written out unless something is found.
   * @default - none
   */
  readonly skipFields?: readonly (readonly string[])[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function join(base: string, key: string): string {
  if (IDENTIFIER.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}

const FLAG_ARG = /^--?[A-Za-z][A-Za-z0-9_.-]*$/;

/**
 * Every credential-looking string of `obj`, keys and values, nested anywhere. The key a value is judged under
 * is its map key, the `name` of a `{ name, value }` pair (env, headers, parameters), or the flag before it in
 * an argument list. Strings under a key with a config-file extension (`application.yaml`) are parsed as that
 * format; `binaryData` values are decoded first.
 */
export function credentialsInObject(obj: unknown, options: CredentialScanOptions = {}, base = ''): CredentialHit[] {
  const out: CredentialHit[] = [];
  const skip = options.skip;
  const skipFields = options.skipFields ?? [];
  // the path of the value being read, as segments: written out as text only for a hit (or for `skip`), since a
  // platform's objects hold about a hundred strings each and almost none is a credential
  const segs: (string | number)[] = [];
  const pathOf = (depth: number): string => {
    let p = base;
    for (let i = 0; i < depth; i++) p = typeof segs[i] === 'number' ? `${p}[${segs[i]}]` : join(p, segs[i] as string);
    return p;
  };
  const skippedField = (depth: number): boolean => skipFields.some((f) => f.length === depth && f.every((k, i) => segs[i] === k));
  const walk = (v: unknown, depth: number, key: string, binary: boolean) => {
    if (typeof v === 'string') {
      inspectString(v, depth, key, binary);
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        segs[depth] = i;
        if (skip && skip(pathOf(depth + 1))) continue;
        const prev = i > 0 ? v[i - 1] : undefined;
        const flag = typeof prev === 'string' && FLAG_ARG.test(prev) ? prev.replace(/^-+/, '') : key;
        walk(v[i], depth + 1, flag, binary);
      }
    } else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const pairName = typeof o.name === 'string' && ('value' in o) ? o.name : undefined;
      for (const k of Object.keys(o)) {
        segs[depth] = k;
        if (skipFields.length > 0 && skippedField(depth + 1)) continue;
        if (skip && skip(pathOf(depth + 1))) continue;
        // a key can carry a token too (an annotation or data key); judged on its own, without a key (field and
        // label names repeat on every object: a clean one is judged once)
        const inKey = k.length >= 16 ? keyCredential(k) : undefined;
        if (inKey) out.push({ path: pathOf(depth + 1), what: inKey, inKey: true, length: k.length });
        walk(o[k], depth + 1, k === 'value' && pairName !== undefined ? pairName : k, binary || k === 'binaryData');
      }
    }
  };
  const inspectString = (value: string, depth: number, key: string, binary: boolean) => {
    if (!binary && value.length < 8 && !value.includes('\n')) {
      // too short for a token, a file or a connection string: only a password under a password key is possible
      const what = value.length < 6 ? undefined : credentialIn(value, key);
      if (what) out.push({ path: pathOf(depth), what, length: value.length });
      return;
    }
    const known = value.length <= CLEAN_VALUE_MAX ? cleanValues(key, binary) : undefined;
    if (known?.has(value)) return;
    const hit = inspect(value, key, binary);
    if (hit) out.push({ path: pathOf(depth), ...hit });
    else if (known) rememberClean(known, value);
  };
  if (!(skip && skip(base))) walk(obj, 0, '', false);
  return out;
}

// Strings judged clean, by the key they were judged under: a platform's objects repeat a few thousand distinct
// strings (labels, images, ports, probes, config files per environment) a million times. Bounded by characters,
// so that generated or hostile input cannot grow it without limit.
const CLEAN_VALUE_MAX = 64 * 1024;
const CLEAN_CHARS_LIMIT = 16 * 1024 * 1024;
const CLEAN = new Map<string, Set<string>>();
const CLEAN_BINARY = new Map<string, Set<string>>();
let cleanChars = 0;

const CLEAN_KEYS = new Set<string>();

/** `credentialIn(key)` for a map key, remembering the clean ones. */
function keyCredential(key: string): string | undefined {
  if (CLEAN_KEYS.has(key)) return undefined;
  const what = credentialIn(key);
  if (what === undefined && key.length <= CLEAN_VALUE_MAX) {
    countClean(key.length + 16);
    CLEAN_KEYS.add(key);
  }
  return what;
}

function cleanValues(key: string, binary: boolean): Set<string> {
  const byKey = binary ? CLEAN_BINARY : CLEAN;
  let set = byKey.get(key);
  if (!set) {
    byKey.set(key, (set = new Set()));
    countClean(key.length + 64); // keys count too: generated keys must not grow the memo either
  }
  return set;
}

function rememberClean(set: Set<string>, value: string): void {
  countClean(value.length + 16);
  set.add(value);
}

function countClean(chars: number): void {
  cleanChars += chars;
  if (cleanChars <= CLEAN_CHARS_LIMIT) return;
  // start over (a set a caller still holds is then only garbage)
  CLEAN.clear();
  CLEAN_BINARY.clear();
  CLEAN_KEYS.clear();
  cleanChars = chars;
}

const FILE_EXT = /\.(json|ya?ml|properties|env|ini|toml|conf|cfg)$/i;

/** What a string under `key` looks like when it looks like a credential: the hit without its path. */
function inspect(value: string, key: string, binary: boolean): Omit<CredentialHit, 'path'> | undefined {
  let text = value;
  if (binary) {
    const decoded = decodeText(value);
    if (decoded === undefined) return undefined; // real binary data: nothing to read
    text = decoded;
  }
  const ext = FILE_EXT.exec(key)?.[1]?.toLowerCase();
  if (ext && text.includes('\n') || (ext === 'json' && /^\s*[[{]/.test(text))) {
    const entries = fileEntries(ext!, text);
    if (entries) {
      for (const [k, v] of entries) {
        const what = credentialIn(v, k.split('.').pop() ?? k);
        if (what) return { what, within: k, length: v.length };
      }
      // a token in a comment or a free-text value is still a token
      if (ANY_PATTERN.test(text)) return { what: CREDENTIAL_PATTERNS.find((p) => p.pattern.test(text))!.name, length: value.length };
      return undefined;
    }
  }
  const what = credentialIn(text, key);
  return what ? { what, length: value.length } : undefined;
}

/** The text a base64 value decodes to, when it is text (UTF-8, no NUL); undefined for binary data. */
function decodeText(b64: string): string | undefined {
  if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(b64)) return undefined;
  const buf = Buffer.from(b64, 'base64');
  if (buf.includes(0)) return undefined;
  const text = buf.toString('utf8');
  return text.includes('\ufffd') ? undefined : text;
}

/** Leaf values of a config file by dotted key (`database.password`), or undefined when it does not parse. */
export function fileEntries(ext: string, text: string): [string, string][] | undefined {
  if (ext === 'json' || ext === 'yaml' || ext === 'yml') {
    let docs: unknown[];
    try {
      docs = ext === 'json' ? [JSON.parse(text)] : YAML.parseAllDocuments(text).map((d) => {
        if (d.errors.length > 0) throw new Error('unparsable');
        return d.toJS({ maxAliasCount: 100 });
      });
    } catch {
      return undefined;
    }
    const out: [string, string][] = [];
    const walk = (v: unknown, at: string) => {
      if (typeof v === 'string') out.push([at, v]);
      else if (typeof v === 'number' && at) out.push([at, String(v)]);
      else if (Array.isArray(v)) v.forEach((x) => walk(x, at));
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        const pair = typeof o.name === 'string' && typeof o.value === 'string' ? o.name : undefined;
        for (const k of Object.keys(o)) walk(o[k], k === 'value' && pair ? (at ? `${at}.${pair}` : pair) : at ? `${at}.${k}` : k);
      }
    };
    docs.forEach((d) => walk(d, ''));
    return out;
  }
  if (ext === 'properties') return propertiesEntries(text);
  return lineEntries(text);
}

/** java.util.Properties lines (`key=value`, `key: value`, `key value`), continuation lines and escapes read. */
function propertiesEntries(text: string): [string, string][] {
  const out: [string, string][] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].replace(/^\s+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    while (/(?<!\\)(?:\\\\)*\\$/.test(line) && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i].replace(/^\s+/, '');
    const m = /^((?:\\.|[^=:\s\\])+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (!m) continue;
    out.push([unescapeProperty(m[1]), unescapeProperty(m[2])]);
  }
  return out;
}

function unescapeProperty(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\(.)/g, (_m, hex, c) => (hex ? String.fromCharCode(parseInt(hex, 16)) : ({ n: '\n', r: '\r', t: '\t', f: '\f' } as Record<string, string>)[c] ?? c));
}
