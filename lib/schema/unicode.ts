/**
 * Strings YAML readers refuse: a lone UTF-16 surrogate (half of a pair, U+D800..U+DFFF on its own) is not a
 * Unicode character. JSON.stringify and the yaml library write it as an escape (`"\udc80"`) that kubectl's and
 * kustomize's readers reject when they load the file, so it is refused at synth, by field.
 */

/** The index of the first lone surrogate in `s`, or -1. */
export function loneSurrogateIndex(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return i;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

export interface UnicodeIssue {
  readonly path: string;
  readonly problem: string;
  readonly fix: string;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Every key and string value of `value` holding a lone surrogate, by field path. */
export function unicodeIssues(value: unknown, path = ''): UnicodeIssue[] {
  const out: UnicodeIssue[] = [];
  // the path as segments, written out only for an issue: every string of every object passes through here
  const segs: (string | number)[] = [];
  const pathOf = (depth: number): string => {
    let at = path;
    for (let d = 0; d < depth; d++) {
      const k = segs[d];
      at = typeof k === 'number' ? `${at}[${k}]` : IDENT.test(k) ? (at ? `${at}.${k}` : k) : `${at}[${JSON.stringify(k)}]`;
    }
    return at;
  };
  const walk = (v: unknown, depth: number) => {
    if (typeof v === 'string') {
      if (!wellFormed(v)) out.push(issue(pathOf(depth) || '<value>', 'value', v, loneSurrogateIndex(v)));
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        segs[depth] = i;
        walk(v[i], depth + 1);
      }
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        segs[depth] = k;
        if (!wellFormed(k)) out.push(issue(pathOf(depth + 1), 'key', k, loneSurrogateIndex(k)));
        walk((v as any)[k], depth + 1);
      }
    }
  };
  walk(value, 0);
  return out;
}

/** Whether `s` has no lone surrogate (native where the runtime has String.prototype.isWellFormed). */
const wellFormed: (s: string) => boolean = typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
  ? (s) => (s as unknown as { isWellFormed(): boolean }).isWellFormed()
  : (s) => loneSurrogateIndex(s) < 0;

function issue(path: string, what: 'key' | 'value', s: string, i: number): UnicodeIssue {
  const code = s.charCodeAt(i).toString(16).toUpperCase();
  return {
    path,
    problem: `${what} holds a lone UTF-16 surrogate (U+${code} at index ${i}), which is not Unicode: kubectl and kustomize refuse the file`,
    fix: 'remove the character, or complete the surrogate pair (the text was probably cut in the middle of an emoji)',
  };
}
