import { IConstruct } from 'constructs';
import { configError } from '../core';
import { toYaml } from '../core/serialize';

/** A config file's content: text as is, or structured data serialized by the file's extension. */
export type ConfigValue = string | ConfigObject | readonly unknown[];
export interface ConfigObject { readonly [key: string]: unknown }

/** Extensions whose structured values are serialized, and how. */
export const STRUCTURED_EXTENSIONS = ['.yaml', '.yml', '.json', '.properties'] as const;

/**
 * The text of one config file. Structured values are serialized deterministically: YAML with the project's
 * serializer (keys in the order written), JSON with sorted keys and two-space indent, Java properties with
 * flattened, sorted keys (`a.b[0]=x`).
 */
export function renderConfigFile(scope: IConstruct, prop: string, file: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') {
    throw configError(scope, prop, 'must be the file content (a string) or structured data (an object or array)', value, 'quote it, or pass an object');
  }
  const ext = file.slice(file.lastIndexOf('.')).toLowerCase();
  switch (ext) {
    case '.yaml':
    case '.yml':
      return toYaml([plain(scope, prop, value)]);
    case '.json':
      return `${JSON.stringify(sortKeys(plain(scope, prop, value)), null, 2)}\n`;
    case '.properties':
      return toProperties(scope, prop, value);
    default:
      throw configError(scope, prop, `is structured data but ${JSON.stringify(file)} has no extension it can be serialized by (${STRUCTURED_EXTENSIONS.join(', ')})`,
        value, 'rename the file, or pass its content as a string');
  }
}

/** Checks that `value` is JSON data (no functions, undefined, NaN, class instances, cycles). */
function plain(scope: IConstruct, prop: string, value: unknown, seen = new Set<unknown>()): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
  } else if (typeof value === 'object' && !seen.has(value)) {
    seen.add(value);
    try {
      if (Array.isArray(value)) return value.map((v) => plain(scope, prop, v, seen));
      const proto = Object.getPrototypeOf(value);
      if (proto === Object.prototype || proto === null) {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(value)) {
          Object.defineProperty(out, k, { value: plain(scope, `${prop}.${k}`, (value as any)[k], seen), enumerable: true, writable: true, configurable: true });
        }
        return out;
      }
    } finally {
      seen.delete(value);
    }
  }
  throw configError(scope, prop, 'must be JSON data (strings, finite numbers, booleans, null, arrays, plain objects)', value, 'convert it to plain data');
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) Object.defineProperty(out, k, { value: sortKeys((v as any)[k]), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

function toProperties(scope: IConstruct, prop: string, value: object): string {
  const lines: [string, string][] = [];
  const walk = (v: unknown, key: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${key}[${i}]`));
    else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) walk((v as any)[k], key ? `${key}.${k}` : k);
    } else {
      lines.push([key, v === null ? '' : String(v)]);
    }
  };
  walk(plain(scope, prop, value), '');
  lines.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return lines.map(([k, v]) => `${escapeProperty(k, true)}=${escapeProperty(v, false)}\n`).join('');
}

/** java.util.Properties escaping: `\`, line breaks, separators in keys, leading spaces, non-Latin-1 as \uXXXX. */
function escapeProperty(s: string, key: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const code = s.charCodeAt(i);
    if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '\f') out += '\\f';
    else if ((key && (c === '=' || c === ':' || c === ' ' || c === '#' || c === '!')) || (c === ' ' && i === 0)) out += `\\${c}`;
    else if ((!key && i === 0 && (c === '#' || c === '!'))) out += `\\${c}`;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return out;
}
