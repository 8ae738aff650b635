import { IConstruct } from 'constructs';
import { configError } from './errors';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function isDnsLabel(value: string, maxLength = 63): boolean {
  return typeof value === 'string' && value.length <= maxLength && DNS_LABEL.test(value);
}

/** Throws unless `value` is an RFC 1123 label (object names, Service names, namespaces). */
export function assertDnsLabel(scope: IConstruct, prop: string, value: string, maxLength = 63): string {
  if (!isDnsLabel(value, maxLength)) {
    throw configError(scope, prop, `must be a DNS-1123 label (at most ${maxLength} characters: lowercase letters, digits and '-', starting and ending with a letter or digit)`, value,
      `rename it, e.g. ${show1123(value)}`);
  }
  return value;
}

/** Throws unless `value` is an RFC 1123 subdomain (hostnames, most object names). */
export function assertDnsSubdomain(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    throw configError(scope, prop, 'must be a DNS-1123 subdomain (lowercase letters, digits, \'-\' and \'.\')', value, `use e.g. ${show1123(value)}`);
  }
  return value;
}

export function isLabelValue(value: string): boolean {
  return typeof value === 'string' && value.length <= 63 && LABEL_VALUE.test(value);
}

export function assertLabelValue(scope: IConstruct, prop: string, value: string): string {
  if (!isLabelValue(value)) {
    throw configError(scope, prop, 'must be a valid label value (at most 63 characters: letters, digits, \'-\', \'_\' and \'.\', starting and ending alphanumeric)', value, 'shorten or simplify it');
  }
  return value;
}

/** A suggestion for a bad name: the closest DNS-1123 label. */
function show1123(value: unknown): string {
  const s = String(value ?? '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return `'${s || 'my-service'}'`;
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/**
 * Why `key` is not a label or annotation key (`[prefix/]name`: a DNS subdomain prefix of at most 253 characters,
 * a name of at most 63 alphanumerics, '-', '_', '.'), or undefined when it is one.
 */
export function qualifiedNameProblem(key: unknown): string | undefined {
  if (typeof key !== 'string' || key.length === 0) return 'must be a non-empty string';
  // every label and annotation key of every object passes here; a platform uses a few hundred distinct ones
  if (VALID_QUALIFIED_NAMES.has(key)) return undefined;
  const problem = judgeQualifiedName(key);
  if (problem === undefined) {
    if (VALID_QUALIFIED_NAMES.size >= 10_000) VALID_QUALIFIED_NAMES.clear(); // bounded against generated keys
    VALID_QUALIFIED_NAMES.add(key);
  }
  return problem;
}

const VALID_QUALIFIED_NAMES = new Set<string>();

function judgeQualifiedName(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return "must have at most one '/'";
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) return 'must have a DNS subdomain prefix (lowercase, at most 253 characters)';
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return 'must have a name part of at most 63 characters: letters, digits, \'-\', \'_\' and \'.\', starting and ending alphanumeric';
  }
  return undefined;
}

/** Throws unless `key` is a valid label key. */
export function assertLabelKey(scope: IConstruct, prop: string, key: string): string {
  const problem = qualifiedNameProblem(key);
  if (problem) throw configError(scope, prop, `is not a valid label key (${problem})`, key, "write it like 'team' or 'acme.example/team'");
  return key;
}

/** Throws unless every key and value of `labels` is valid; returns a null-prototype-safe copy. */
export function assertLabels(scope: IConstruct, prop: string, labels: Record<string, string> | undefined): Record<string, string> | undefined {
  if (labels === undefined) return undefined;
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
    throw configError(scope, prop, 'must be a map of label keys to values', labels, "write it like { team: 'shop' }");
  }
  const out: Record<string, string> = {};
  for (const key of Object.keys(labels)) {
    assertLabelKey(scope, `${prop} key`, key);
    assertLabelValue(scope, `${prop}[${JSON.stringify(key)}]`, labels[key]);
    Object.defineProperty(out, key, { value: labels[key], enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Throws unless every annotation key is valid and every value a string (total size at most 256 KiB). */
export function assertAnnotations(scope: IConstruct, prop: string, annotations: Record<string, string> | undefined): Record<string, string> | undefined {
  if (annotations === undefined) return undefined;
  if (annotations === null || typeof annotations !== 'object' || Array.isArray(annotations)) {
    throw configError(scope, prop, 'must be a map of annotation keys to string values', annotations, "write it like { 'acme.example/owner': 'shop' }");
  }
  const out: Record<string, string> = {};
  let size = 0;
  for (const key of Object.keys(annotations)) {
    const problem = qualifiedNameProblem(key);
    if (problem) throw configError(scope, `${prop} key`, `is not a valid annotation key (${problem})`, key, "write it like 'acme.example/owner'");
    const value = annotations[key];
    if (typeof value !== 'string') throw configError(scope, `${prop}[${JSON.stringify(key)}]`, 'must be a string', value, 'quote it');
    size += key.length + value.length;
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  if (size > 256 * 1024) throw configError(scope, prop, 'must total at most 256 KiB', `${size} bytes`, 'move large data into a ConfigMap');
  return out;
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Throws unless `name` is an environment variable name the API server accepts (no '=', no leading digit). */
export function assertEnvName(scope: IConstruct, prop: string, name: string): string {
  if (typeof name !== 'string' || !ENV_NAME.test(name)) {
    throw configError(scope, prop, 'is not a valid environment variable name', name, "use letters, digits, '_', '.' and '-', not starting with a digit, e.g. 'LOG_LEVEL'");
  }
  return name;
}

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/** True for a ConfigMap or Secret data key (a file name when mounted). */
export function isConfigKey(key: unknown): key is string {
  // the kubelet writes keys as file names next to its `..data` link: '.', '..' and a '..' prefix are refused
  return typeof key === 'string' && key.length <= 253 && CONFIG_KEY.test(key) && key !== '.' && !key.startsWith('..');
}

/** Throws unless `key` is a valid ConfigMap/Secret key. */
export function assertConfigKey(scope: IConstruct, prop: string, key: string): string {
  if (!isConfigKey(key)) {
    throw configError(scope, prop, "is not a valid ConfigMap/Secret key (letters, digits, '-', '_' and '.', at most 253 characters, not '.' and not starting with '..')", key, "name it like 'application.yaml'");
  }
  return key;
}

/** True for an IANA service name: at most 15 lowercase alphanumerics and '-', at least one letter, no '--'. */
export function isPortName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= 15 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) && /[a-z]/.test(name) && !name.includes('--');
}

/** Throws unless `name` is a valid port name. */
export function assertPortName(scope: IConstruct, prop: string, name: string): string {
  if (!isPortName(name)) {
    throw configError(scope, prop, "must be an IANA service name (at most 15 characters: lowercase letters, digits and '-', at least one letter, no '--')", name, "use e.g. 'http' or 'metrics'");
  }
  return name;
}

/** True for a DNS host name (`shop.acme.example`), or with `wildcard`, a `*.` wildcard of one. */
export function isHostname(value: unknown, wildcard = false): value is string {
  if (typeof value !== 'string' || value.length > 253) return false;
  const host = wildcard && value.startsWith('*.') ? value.slice(2) : value;
  return DNS_SUBDOMAIN.test(host) && host.split('.').every((l) => l.length <= 63);
}

/** Throws unless `value` is a DNS host name (a `*.` wildcard only when `wildcard`). */
export function assertHostname(scope: IConstruct, prop: string, value: string, wildcard = false): string {
  if (!isHostname(value, wildcard)) {
    throw configError(scope, prop, `must be a DNS host name${wildcard ? " (optionally starting with '*.')" : ''}`, value, "write it like 'shop.acme.example'");
  }
  return value;
}

/** Throws unless `value` is an absolute, normalized path (`/etc/app`). */
export function assertAbsolutePath(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.split('/').some((s, i) => i > 0 && (s === '.' || s === '..' || (s === '' && i < value.split('/').length - 1))) || /[\0\n\r]/.test(value) || (value.length > 1 && value.endsWith('/'))) {
    throw configError(scope, prop, 'must be an absolute path without . or .. segments', value, "write it like '/etc/app'");
  }
  return value;
}
