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
