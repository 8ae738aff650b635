/**
 * Finds values that look like credentials: known token formats anywhere, and random-looking values under keys
 * named like a secret. Used by the rule `hygiene-no-plaintext-credentials` on env values, ConfigMap data and
 * annotations. It errs on the side of ordinary config passing: URLs, paths, image digests, UUIDs, words,
 * numbers, durations and placeholders (`${DB_PASSWORD}`) are never judged random.
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
const URL_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:([^\s@/]+)@/gi;
const SENSITIVE = /password|passwd|pwd|secret|token|apikey|accesskey|privatekey|credential/;
const NOT_SENSITIVE = /checksum|hash|digest|fingerprint|sha\d*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a key (env name, ConfigMap key, annotation name, a key inside a config file) is named like a secret. */
export function isSensitiveKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SENSITIVE.test(k) && !NOT_SENSITIVE.test(k);
}

/** A reference to a value kept elsewhere, not the value: `${X}`, `$(X)`, `{{ x }}`, `<x>`, `%(x)s`, `***`. */
export function isPlaceholder(v: string): boolean {
  return /^\$\{[^}]*\}$|^\$\([^)]*\)$|^\{\{.*\}\}$|^<[^>]*>$|^%\([^)]*\)s$|^\*+$|^(?:changeme|change-me|replace-me|redacted|none|null|nil|unset)$/i.test(v.trim());
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

/** Whether a single value looks randomly generated (a key, a password), as opposed to ordinary config. */
export function looksRandom(value: string): boolean {
  const v = value.trim().replace(/^["']|["']$/g, '');
  if (v.length < 16 || v.length > 4096 || /\s/.test(v)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) || /^\.?\/[a-z0-9_.-]+(?:\/[A-Za-z0-9._-]*)*$/.test(v)) return false; // URLs, paths (base64 may start with '/': a path's first segment is a lowercase name)
  if (/^[[{]/.test(v) || v.includes('"')) return false; // structured text: its own keys are judged line by line
  if (isPlaceholder(v) || UUID.test(v)) return false;
  if (/^sha(?:256|384|512):[0-9a-f]+$/i.test(v) || /@sha256:[0-9a-f]{64}$/.test(v)) return false;
  if (/^[a-z]+(?:[-_.][a-z]+)*$/.test(v) || /^[-+]?[0-9.]+$/.test(v)) return false;
  if (/^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::[0-9]+)?$/.test(v)) return false; // host names
  const hex = /^[0-9a-f]{32,}$/i.test(v);
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(v)).length;
  if (hex) return shannonEntropy(v) >= 2.5;
  // a random string of n characters from a large alphabet scores close to log2(n) bits (capped by the alphabet)
  return classes >= 2 && shannonEntropy(v) >= Math.min(3.5, Math.log2(v.length) - 0.75);
}

/**
 * What `value` looks like when it looks like a credential (`an AWS access key id`), else undefined.
 * `key` is the name it is stored under; multi-line values (config files) are also read as `key: value` /
 * `key=value` / `"key": "value"` lines.
 */
export function credentialIn(value: unknown, key = ''): string | undefined {
  if (typeof value !== 'string' || value.length < 8) return undefined;
  // one pass over the value for every known format; which one matched is only worked out on a hit
  if (ANY_PATTERN.test(value)) return CREDENTIAL_PATTERNS.find((p) => p.pattern.test(value))!.name;
  if (value.includes('://') && value.includes('@')) {
    for (const m of value.matchAll(URL_PASSWORD)) {
      if (!isPlaceholder(decodeSafe(m[1]))) return 'a URL with a password';
    }
  }
  if (key && isSensitiveKey(key) && looksRandom(value)) return `a random-looking value under a key named like a secret (${JSON.stringify(key)})`;
  if (value.length <= 1024 * 1024 && value.includes('\n')) {
    for (const line of value.split('\n')) {
      const m = /^\s*(?:-\s+)?["']?([A-Za-z0-9_.-]+)["']?\s*[:=]\s*["']?([^\s"',]+)["']?,?\s*$/.exec(line);
      if (m && isSensitiveKey(m[1]) && looksRandom(m[2])) return `a random-looking value under a key named like a secret (${JSON.stringify(m[1])})`;
    }
  }
  return undefined;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
