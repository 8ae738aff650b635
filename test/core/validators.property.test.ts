// Property tests of the shared validators: generated inputs (seeded, so a failure reproduces) are judged by the
// validator and by an independent reference written here from the Kubernetes rules (or Node's own IP parser),
// and both must agree.
import * as net from 'net';
import { App, Chart } from 'cdk8s';
import {
  assertInt32, assertNodeSelectorTerm, assertToleration, cidrProblem, cidrStrictlyContains, ConfigError, cronProblem, INT32_MAX, isConfigKey, isDnsLabel,
  isHostname, isIntInRange, assertDnsSubdomain, isLabelValue, isPortName, parseGoDuration, parseQuantity, qualifiedNameProblem, assertEnvName,
} from '../../lib/core';
import { prng } from '../fixtures/prng';

const RUNS = 3000;
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const UPPER = LOWER.toUpperCase();
/** Characters that matter to the name rules, plus some that never belong in a name. */
const NOISE = '-._/=: @$\u00e9\u2028\n\t';

function gen(seed: number) {
  const r = prng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[] | string): T => xs[int(xs.length)] as T;
  const str = (alphabet: string, min: number, max: number) => {
    let s = '';
    const n = min + int(max - min + 1);
    for (let i = 0; i < n; i++) s += pick(alphabet);
    return s;
  };
  return { r, int, pick, str };
}

/**
 * The generated cases where the validator and the reference disagree (the first 20), asserted once per test with
 * `expect(d.found).toEqual([])`, which shows each input: an `expect` per generated case costs more than the
 * validators under test.
 */
function disagreements() {
  const found: unknown[] = [];
  const record = (c: unknown) => { if (found.length < 20) found.push(c); };
  return {
    found,
    /** Records `input` when `got` is not `expected` (Object.is, as toBe). */
    same(input: unknown, got: unknown, expected: unknown): void {
      if (!Object.is(got, expected)) record({ input, got, expected });
    },
    /** Records `input` when `got` is not within 10^-digits / 2 of `expected` (as toBeCloseTo). */
    close(input: unknown, got: number | undefined, expected: number, digits: number): void {
      if (!(typeof got === 'number' && Math.abs(expected - got) < 10 ** -digits / 2)) record({ input, got, expected });
    },
  };
}

const isAlnum = (c: string) => LOWER.includes(c.toLowerCase()) || DIGITS.includes(c);
const scope = () => new Chart(new App(), 'probe');

// --- references, written from the Kubernetes validation rules, character by character ---
function refDnsLabel(s: string): boolean {
  if (s.length < 1 || s.length > 63) return false;
  for (const c of s) if (!(LOWER.includes(c) || DIGITS.includes(c) || c === '-')) return false;
  return s[0] !== '-' && s[s.length - 1] !== '-';
}

/** IsDNS1123Subdomain: at most 253 characters, dot-separated labels of [a-z0-9-] with alphanumeric ends. */
function refDnsSubdomain(s: string): boolean {
  if (s.length < 1 || s.length > 253) return false;
  return s.split('.').every((l) => {
    if (l.length === 0) return false;
    for (const c of l) if (!(LOWER.includes(c) || DIGITS.includes(c) || c === '-')) return false;
    return l[0] !== '-' && l[l.length - 1] !== '-';
  });
}

function refLabelValue(s: string): boolean {
  if (s === '') return true;
  if (s.length > 63) return false;
  for (const c of s) if (!(isAlnum(c) || c === '-' || c === '_' || c === '.')) return false;
  return isAlnum(s[0]) && isAlnum(s[s.length - 1]);
}

function refQualifiedName(s: string): boolean {
  const i = s.indexOf('/');
  if (i !== s.lastIndexOf('/')) return false;
  const name = i < 0 ? s : s.slice(i + 1);
  if (i >= 0) {
    const prefix = s.slice(0, i);
    if (prefix.length === 0 || prefix.length > 253 || !prefix.split('.').every(refDnsLabel)) return false;
  }
  return name.length > 0 && refLabelValue(name);
}

function refPortName(s: string): boolean {
  if (s.length < 1 || s.length > 15) return false;
  let letter = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (LOWER.includes(c)) letter = true;
    else if (!DIGITS.includes(c) && c !== '-') return false;
    if (c === '-' && (i === 0 || i === s.length - 1 || s[i + 1] === '-')) return false;
  }
  return letter;
}

function refEnvName(s: string): boolean {
  if (s.length === 0 || DIGITS.includes(s[0])) return false;
  for (const c of s) if (!(isAlnum(c) || c === '-' || c === '_' || c === '.')) return false;
  return true;
}

function refConfigKey(s: string): boolean {
  // apimachinery's IsConfigMapKey: hasChDirPrefix refuses '.', '..' and any '..' prefix
  if (s.length === 0 || s.length > 253 || s === '.' || s.startsWith('..')) return false;
  for (const c of s) if (!(isAlnum(c) || c === '-' || c === '_' || c === '.')) return false;
  return true;
}

function refCidr(s: string): boolean {
  const parts = s.split('/');
  if (parts.length !== 2 || !/^(0|[1-9][0-9]*)$/.test(parts[1])) return false;
  const family = net.isIPv4(parts[0]) ? 32 : net.isIPv6(parts[0]) && !parts[0].includes('%') ? 128 : 0;
  return family > 0 && Number(parts[1]) <= family;
}

describe('name validators agree with the Kubernetes rules on generated strings', () => {
  const cases: [string, (s: string) => boolean, (s: string) => boolean, string][] = [
    ['DNS label', (s) => isDnsLabel(s), refDnsLabel, LOWER + DIGITS + '-'],
    ['DNS subdomain', (s) => { try { assertDnsSubdomain(scope(), 'name', s); return true; } catch { return false; } }, refDnsSubdomain, LOWER + DIGITS + '-.'],
    ['label value', isLabelValue, refLabelValue, LOWER + UPPER + DIGITS + '-_.'],
    // asked twice: valid keys are remembered, and the remembered answer must be the judged one
    ['label key', (s) => {
      const first = qualifiedNameProblem(s);
      if (qualifiedNameProblem(s) !== first) throw new Error(`label key: ${JSON.stringify(s)} judged differently the second time`);
      return first === undefined;
    }, refQualifiedName, LOWER + UPPER + DIGITS + '-_./'],
    ['port name', isPortName, refPortName, LOWER + DIGITS + '-'],
    ['env name', (s) => { try { assertEnvName(scope(), 'env', s); return true; } catch { return false; } }, refEnvName, LOWER + UPPER + DIGITS + '-_.'],
    ['config key', isConfigKey, refConfigKey, LOWER + UPPER + DIGITS + '-_.'],
  ];
  test.each(cases)('%s', (_name, actual, reference, alphabet) => {
    const g = gen(_name.length * 7919);
    let valid = 0;
    for (let i = 0; i < RUNS; i++) {
      // mostly the name's own alphabet (so many are valid), sometimes noise, sometimes long
      const s = g.str(g.r() < 0.85 ? alphabet : alphabet + NOISE, 0, g.r() < 0.1 ? 80 : 16);
      const expected = reference(s);
      if (actual(s) !== expected) throw new Error(`${_name}: ${JSON.stringify(s)} judged ${!expected}, reference says ${expected}`);
      if (expected) valid++;
    }
    // the generator must exercise both sides
    expect(valid).toBeGreaterThan(RUNS / 20);
    expect(valid).toBeLessThan(RUNS - RUNS / 20);
  });

  test('hostnames: labels of a subdomain, each at most 63, wildcards only when allowed', () => {
    const g = gen(42);
    const d = disagreements();
    for (let i = 0; i < RUNS; i++) {
      const labels = Array.from({ length: 1 + g.int(4) }, () => g.str(LOWER + DIGITS + '-', 0, g.r() < 0.05 ? 70 : 10));
      const host = (g.r() < 0.2 ? '*.' : '') + labels.join('.');
      const plain = host.startsWith('*.') ? host.slice(2) : host;
      const expected = host.length <= 253 && plain.split('.').every(refDnsLabel);
      d.same({ host, wildcard: true }, isHostname(host, true), expected);
      d.same({ host, wildcard: false }, isHostname(host, false), expected && !host.startsWith('*.'));
    }
    expect(d.found).toEqual([]);
  });
});

describe('CIDR blocks', () => {
  function ipv4(g: ReturnType<typeof gen>): string {
    return Array.from({ length: 4 }, () => (g.r() < 0.05 ? String(256 + g.int(100)) : g.r() < 0.05 ? `0${g.int(10)}` : String(g.int(256)))).join('.');
  }
  function ipv6(g: ReturnType<typeof gen>): string {
    const groups = Array.from({ length: 8 }, () => g.int(0x10000).toString(16));
    if (g.r() < 0.5) {
      const at = g.int(8);
      const len = 1 + g.int(8 - at);
      return `${groups.slice(0, at).join(':')}::${groups.slice(at + len).join(':')}`;
    }
    if (g.r() < 0.1) return `::ffff:${ipv4(g)}`;
    return groups.slice(0, g.r() < 0.05 ? 7 : 8).join(':');
  }

  test('cidrProblem agrees with Node\'s address parser on generated blocks', () => {
    const g = gen(7);
    const d = disagreements();
    let valid = 0;
    for (let i = 0; i < RUNS; i++) {
      const v6 = g.r() < 0.4;
      const ip = v6 ? ipv6(g) : ipv4(g);
      const prefix = g.r() < 0.05 ? `0${g.int(9)}` : String(g.int(v6 ? 140 : 40));
      const s = g.r() < 0.03 ? ip : `${ip}/${prefix}`;
      const expected = refCidr(s);
      d.same(s, cidrProblem(s) === undefined, expected);
      if (expected) valid++;
    }
    expect(d.found).toEqual([]);
    expect(valid).toBeGreaterThan(RUNS / 3);
  });

  test.each(['10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0', '256.0.0.0/8', 'fd00::/129', '10.0.0.0/8 ', ' 10.0.0.0/8', '10.0.0.0/08'])('rejects %p', (s) => {
    expect(cidrProblem(s)).toBeDefined();
  });

  test('cidrStrictlyContains agrees with Node\'s BlockList on generated IPv4 and IPv6 pairs', () => {
    const g = gen(11);
    const d = disagreements();
    let contained = 0;
    let checked = 0;
    for (let i = 0; i < RUNS; i++) {
      const v6 = g.r() < 0.4;
      const family = v6 ? 'ipv6' : 'ipv4';
      const width = v6 ? 128 : 32;
      const outerIp = v6 ? ipv6(g).replace(/::$/, '::0') : `10.${g.int(4)}.${g.int(4)}.0`;
      if (!refCidr(`${outerIp}/8`)) continue;
      const outerLen = g.int(width + 1);
      const innerLen = g.int(width + 1);
      // inner: often derived from outer (so containment happens), else random
      const innerIp = g.r() < 0.6 ? outerIp : v6 ? ipv6(g).replace(/::$/, '::0') : `10.${g.int(4)}.${g.int(4)}.${g.int(256)}`;
      if (!refCidr(`${innerIp}/${innerLen}`)) continue;
      const list = new net.BlockList();
      list.addSubnet(outerIp, outerLen, family);
      const expected = innerLen > outerLen && list.check(innerIp, family);
      const got = cidrStrictlyContains(`${outerIp}/${outerLen}`, `${innerIp}/${innerLen}`);
      d.same([outerIp, outerLen, innerIp, innerLen], got, expected);
      checked++;
      if (expected) contained++;
    }
    expect(d.found).toEqual([]);
    expect(contained).toBeGreaterThan(checked / 10);
    expect(contained).toBeLessThan(checked - checked / 10);
  });
});

describe('cron schedules', () => {
  const FIELDS = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];
  const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

  function field(g: ReturnType<typeof gen>, i: number): string {
    const [min, max] = FIELDS[i];
    const v = () => min + g.int(max - min + 1);
    switch (g.int(5)) {
      case 0: return '*';
      case 1: return `*/${1 + g.int(30)}`;
      case 2: { const a = v(); const b = a + g.int(max - a + 1); return `${a}-${b}${g.r() < 0.5 ? `/${1 + g.int(5)}` : ''}`; }
      case 3: return [v(), v(), v()].join(',');
      default: return i === 3 && g.r() < 0.5 ? g.pick(MONTHS) : String(v());
    }
  }

  test('generated valid schedules are accepted', () => {
    const g = gen(3);
    const d = disagreements();
    for (let i = 0; i < RUNS; i++) {
      const expr = [0, 1, 2, 3, 4].map((f) => field(g, f)).join(' ');
      d.same(expr, cronProblem(expr), undefined);
    }
    expect(d.found).toEqual([]);
  });

  test('a schedule with one value out of its field\'s range is rejected, naming the field', () => {
    const g = gen(5);
    const names = ['minute', 'hour', 'day of month', 'month', 'day of week'];
    const d = disagreements();
    for (let i = 0; i < RUNS; i++) {
      const fields = [0, 1, 2, 3, 4].map((f) => field(g, f));
      const bad = g.int(5);
      const [min, max] = FIELDS[bad];
      const out = g.r() < 0.5 ? max + 1 + g.int(60) : min - 1;
      if (out < 0) { fields[bad] = g.pick(['xyz', 'abc', '1-', '-', '5-2', '*/0', '1/2/3', '']); } else fields[bad] = String(out);
      const expr = fields.join(' ');
      const problem = cronProblem(expr);
      d.same(expr, problem === undefined, false);
      if (fields[bad] !== '') d.same({ expr, problem, names: names[bad] }, problem?.includes(names[bad]), true);
    }
    expect(d.found).toEqual([]);
  });

  test.each(['0 25 * * *', '99 99 99 99 99', '0 0 * xyz abc', '* * * *', '* * * * * *', '60 * * * *', '0 0 0 * *', '0 0 * 13 *', '0 0 * * 8', 'TZ=UTC 0 0 * * *'])('rejects %p', (expr) => {
    expect(cronProblem(expr)).toBeDefined();
  });
});

describe('durations and quantities', () => {
  const UNITS: [string, number][] = [['ns', 1e-9], ['us', 1e-6], ['ms', 1e-3], ['s', 1], ['m', 60], ['h', 3600]];

  test('Go durations: generated component lists parse to their sum; noise does not parse', () => {
    const g = gen(13);
    const d = disagreements();
    for (let i = 0; i < RUNS; i++) {
      const parts = Array.from({ length: 1 + g.int(3) }, () => [g.int(1000), g.pick(UNITS)] as const);
      const text = parts.map(([n, [u]]) => `${n}${u}`).join('');
      const expected = parts.reduce((acc, [n, [, f]]) => acc + n * f, 0);
      d.close(text, parseGoDuration(text), expected, 6);
      const noisy = `${text}${g.pick(['d', 'w', ' ', 'S', 'M', '-1s', 'x'])}`;
      d.same(noisy, parseGoDuration(noisy), undefined);
    }
    expect(d.found).toEqual([]);
  });

  test('quantities: generated number and suffix parse to number times factor', () => {
    const SUFFIXES: [string, number][] = [['', 1], ['m', 1e-3], ['k', 1e3], ['M', 1e6], ['G', 1e9], ['Ki', 1024], ['Mi', 2 ** 20], ['Gi', 2 ** 30], ['e3', 1e3]];
    const g = gen(17);
    const d = disagreements();
    for (let i = 0; i < RUNS; i++) {
      const n = g.r() < 0.5 ? g.int(5000) : Math.round(g.r() * 10000) / 100;
      const [suffix, factor] = g.pick(SUFFIXES);
      d.close(`${n}${suffix}`, parseQuantity(`${n}${suffix}`), n * factor, 3);
      const bad = `${n}${g.pick(['MB', 'mi', 'KB', ' Mi', 'g', 'x', '%'])}`;
      d.same(bad, parseQuantity(bad), undefined);
    }
    expect(d.found).toEqual([]);
  });
});

describe('integer ranges', () => {
  test('assertInt32 accepts exactly the integers in [min, 2^31-1] and shows the value it got', () => {
    const g = gen(19);
    const specials = [NaN, Infinity, -Infinity, -0, 0.5, INT32_MAX, INT32_MAX + 1, 2 ** 53, -1, 1e21];
    const d = disagreements();
    for (let i = 0; i < RUNS; i++) {
      const v = i < specials.length ? specials[i] : g.r() < 0.5 ? g.int(2 ** 32) - 2 ** 30 : (g.r() - 0.5) * 2 ** 34;
      const expected = Number.isFinite(v) && Math.floor(v) === v && v >= 0 && v <= 2147483647;
      let error: unknown;
      try { assertInt32(scope(), 'replicas', v, 0, 2); } catch (e) { error = e; }
      d.same({ v, assertInt32: true }, error === undefined, expected);
      d.same({ v, isIntInRange: true }, isIntInRange(v, 0, INT32_MAX), expected);
      if (error) {
        const shown = `got ${Object.is(v, -0) ? '-0' : String(v)};`;
        d.same({ v, message: (error as ConfigError).message, shows: shown }, (error as ConfigError).message.includes(shown), true);
      }
    }
    expect(d.found).toEqual([]);
  });
});

describe('tolerations', () => {
  /** ValidateTolerations, as the API server applies it. */
  function refToleration(t: any): boolean {
    const op = t.operator ?? 'Equal';
    if (op !== 'Equal' && op !== 'Exists') return false;
    if ((t.key ?? '') === '' && op !== 'Exists') return false;
    if ((t.key ?? '') !== '' && !refQualifiedName(t.key)) return false;
    if (op === 'Exists' && (t.value ?? '') !== '') return false;
    if (t.value !== undefined && !refLabelValue(t.value)) return false;
    if ((t.effect ?? '') !== '' && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) return false;
    if (t.tolerationSeconds !== undefined && (t.effect !== 'NoExecute' || !Number.isInteger(t.tolerationSeconds))) return false;
    return true;
  }

  test('generated tolerations are judged as the API server judges them', () => {
    const g = gen(23);
    const d = disagreements();
    let valid = 0;
    for (let i = 0; i < RUNS; i++) {
      const maybe = <T>(p: number, f: () => T): T | undefined => (g.r() < p ? f() : undefined);
      const t: any = {};
      const key = maybe(0.8, () => g.pick(['pool', 'acme.example/pool', '', 'Bad Key', 'a/b/c', '-x']));
      const operator = maybe(0.7, () => g.pick(['Equal', 'Exists', 'equal', 'In', '']));
      const value = maybe(0.6, () => g.pick(['batch', '', 'x'.repeat(64), 'a b']));
      const effect = maybe(0.6, () => g.pick(['NoSchedule', 'PreferNoSchedule', 'NoExecute', 'noschedule', '']));
      const seconds = maybe(0.2, () => g.pick([300, 0, 1.5]));
      if (key !== undefined) t.key = key;
      if (operator !== undefined) t.operator = operator;
      if (value !== undefined) t.value = value;
      if (effect !== undefined) t.effect = effect;
      if (seconds !== undefined) t.tolerationSeconds = seconds;
      let ok = true;
      try { assertToleration(scope(), 'tolerations[0]', t); } catch { ok = false; }
      const expected = refToleration(t);
      d.same(t, ok, expected);
      if (expected) valid++;
    }
    expect(d.found).toEqual([]);
    expect(valid).toBeGreaterThan(RUNS / 20);
  });
});

describe('node selector terms', () => {
  /** ValidateNodeSelectorRequirement, as the API server applies it. */
  function refRequirement(r: any): boolean {
    if (typeof r.key !== 'string' || !refQualifiedName(r.key)) return false;
    const v: unknown[] = r.values ?? [];
    switch (r.operator) {
      case 'In': case 'NotIn': return v.length > 0 && v.every((x) => typeof x === 'string' && refLabelValue(x));
      case 'Exists': case 'DoesNotExist': return v.length === 0;
      case 'Gt': case 'Lt': return v.length === 1 && typeof v[0] === 'string' && /^-?[0-9]+$/.test(v[0]);
      default: return false;
    }
  }

  test('generated requirements are judged as the API server judges them', () => {
    const g = gen(29);
    const d = disagreements();
    let valid = 0;
    for (let i = 0; i < RUNS; i++) {
      const r: any = {
        key: g.pick(['pool', 'kubernetes.io/arch', 'node.acme.example/cpus', 'a b', '', '/x']),
        operator: g.pick(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt', 'in', 'Equals']),
      };
      if (g.r() < 0.7) r.values = Array.from({ length: g.int(3) }, () => g.pick(['amd64', '4', '-2', 'four', 'x'.repeat(64), '']));
      let ok = true;
      try { assertNodeSelectorTerm(scope(), 'term', { matchExpressions: [r] }); } catch { ok = false; }
      const expected = refRequirement(r);
      d.same(r, ok, expected);
      if (expected) valid++;
    }
    expect(d.found).toEqual([]);
    expect(valid).toBeGreaterThan(RUNS / 20);
  });
});

describe('simple durations', () => {
  test('numbers and s/m/h strings up to the Go duration limit are accepted; past it, or malformed, rejected with the value shown', () => {
    const { parseDuration, GO_DURATION_MAX_SECONDS } = require('../../lib/core');
    const g = gen(31);
    const d = disagreements();
    for (let i = 0; i < RUNS; i++) {
      const unit = g.pick(['s', 'm', 'h'] as const);
      const factor = unit === 'h' ? 3600 : unit === 'm' ? 60 : 1;
      const n = g.r() < 0.5 ? 1 + g.int(1000) : Math.floor(g.r() * 10 ** (1 + g.int(22)));
      const asString = g.r() < 0.5;
      const value = asString ? `${n}${unit}` : n;
      const seconds = asString ? n * factor : n;
      const expected = Number.isSafeInteger(n) && n > 0 && seconds <= GO_DURATION_MAX_SECONDS && !(asString && !/^[1-9][0-9]*$/.test(String(n)));
      let got: string | undefined;
      let message = '';
      try { got = parseDuration(scope(), 'pause', value); } catch (e) { message = (e as Error).message; }
      d.same(value, got !== undefined, expected);
      if (got !== undefined) d.same(value, got, asString ? value : `${n}s`);
      else d.same({ value, message }, message.includes(`got ${JSON.stringify(value)};`), true);
    }
    expect(d.found).toEqual([]);
  });
});
