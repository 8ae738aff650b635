import { IConstruct } from 'constructs';
import { configError } from './errors';

const IPV4_OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const IPV4 = new RegExp(`^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}$`);

/** True for a dotted IPv4 address without leading zeros (`10.0.0.1`). */
export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

/** True for an IPv6 address in any of its textual forms (`fd00::1`, `::ffff:10.0.0.1`). */
export function isIpv6(value: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(value) || value.length > 45) return false;
  let text = value;
  let groups = 8;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    if (!isIpv4(text.slice(lastColon + 1))) return false;
    text = text.slice(0, lastColon + 1) + '0:0';
  }
  const double = text.split('::');
  if (double.length > 2) return false;
  const parts = (s: string) => (s === '' ? [] : s.split(':'));
  const head = parts(double[0]);
  const tail = double.length === 2 ? parts(double[1]) : [];
  if ([...head, ...tail].some((g) => !/^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  const count = head.length + tail.length;
  return double.length === 2 ? count < groups : count === groups;
}

/** Why `value` is not a CIDR block (`10.0.0.0/16`, `fd00::/8`), or undefined when it is one. */
export function cidrProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  const slash = value.indexOf('/');
  if (slash < 0) return 'must have a prefix length (/n)';
  const ip = value.slice(0, slash);
  const prefix = value.slice(slash + 1);
  const v4 = isIpv4(ip);
  if (!v4 && !isIpv6(ip)) return 'must start with an IPv4 or IPv6 address';
  const max = v4 ? 32 : 128;
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefix) || Number(prefix) > max) return `must have a prefix length between 0 and ${max}`;
  return undefined;
}

/** Throws unless `value` is a CIDR block. */
export function assertCidr(scope: IConstruct, prop: string, value: unknown): string {
  const problem = cidrProblem(value);
  if (problem) throw configError(scope, prop, `is not a CIDR block (${problem})`, value, "write it like '10.20.0.0/16' or 'fd00::/8'");
  return value as string;
}

/** The address of a valid IPv4 or IPv6 text as a number, and its width in bits. */
function ipBits(ip: string): { readonly value: bigint; readonly width: number } {
  if (isIpv4(ip)) return { value: ip.split('.').reduce((acc, o) => (acc << 8n) | BigInt(o), 0n), width: 32 };
  let text = ip;
  if (text.includes('.')) {
    const i = text.lastIndexOf(':');
    const v4 = ipBits(text.slice(i + 1)).value;
    text = `${text.slice(0, i + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return { value: all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n), width: 128 };
}

/**
 * True when CIDR `inner` lies strictly inside CIDR `outer` (same family, longer prefix, same leading bits): what a
 * NetworkPolicy `ipBlock.except` entry must be. Both must be valid CIDRs.
 */
export function cidrStrictlyContains(outer: string, inner: string): boolean {
  const [oIp, oLen] = outer.split('/');
  const [iIp, iLen] = inner.split('/');
  const o = ipBits(oIp);
  const i = ipBits(iIp);
  if (o.width !== i.width || Number(iLen) <= Number(oLen)) return false;
  const shift = BigInt(o.width - Number(oLen));
  return (o.value >> shift) === (i.value >> shift);
}
