import { IConstruct } from 'constructs';
import { configError } from './errors';

const SIMPLE = /^([1-9][0-9]*)(s|m|h)$/;

/** The longest duration a Go `time.Duration` (int64 nanoseconds) holds, in seconds: about 292 years. */
export const GO_DURATION_MAX_SECONDS = 9_223_372_036;

/**
 * A duration as users write it: '30s', '5m', '1h', or a number of seconds. Returns the string form ('90s' for
 * 90), or throws a config error naming `prop`.
 */
export function parseDuration(scope: IConstruct, prop: string, value: string | number): string {
  let text: string | undefined;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value > 0) text = `${value}s`;
  } else if (typeof value === 'string' && SIMPLE.test(value)) {
    text = value;
  }
  if (text === undefined) {
    throw configError(scope, prop, "must be a positive duration: '30s', '5m', '1h' or a number of seconds", value, "write e.g. '5m' or 300");
  }
  // controllers read it as a Go duration: past int64 nanoseconds it overflows (and 1e21 would print as '1e+21s')
  if (!SIMPLE.test(text) || durationSeconds(text) > GO_DURATION_MAX_SECONDS) {
    throw configError(scope, prop, `must be at most ${GO_DURATION_MAX_SECONDS} seconds (about 292 years, a Go duration's limit)`, value, "write e.g. '5m' or 300");
  }
  return text;
}

/** Seconds of a duration already checked by parseDuration. */
export function durationSeconds(duration: string): number {
  const m = SIMPLE.exec(duration)!;
  return Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
}

/** A duration in seconds or minutes only ('1h' -> '60m'), for fields whose schema has no hours (Flagger). */
export function minutesOrSeconds(duration: string): string {
  const s = durationSeconds(duration);
  return s % 60 === 0 ? `${s / 60}m` : `${s}s`;
}

const GO_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
const GO_DURATION = /^(?:[0-9]+(?:\.[0-9]+)?(?:ns|us|µs|ms|s|m|h))+$/;

/**
 * Seconds of a Go duration (`30s`, `1h30m`, `720h0m0s`), the form Flux, Velero, External Secrets and Prometheus
 * fields take; undefined when malformed. A bare `0` is accepted, as Go does.
 */
export function parseGoDuration(value: unknown): number | undefined {
  if (value === '0') return 0;
  if (typeof value !== 'string' || !GO_DURATION.test(value)) return undefined;
  let total = 0;
  for (const m of value.matchAll(/([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * GO_UNITS[m[2]];
  return total;
}

/** Throws unless `value` is a positive Go duration; returns its seconds. */
export function assertGoDuration(scope: IConstruct, prop: string, value: unknown, example = '1h'): number {
  const seconds = parseGoDuration(value);
  if (seconds === undefined || seconds <= 0 || seconds > GO_DURATION_MAX_SECONDS) {
    throw configError(scope, prop, 'must be a positive duration with units (s, m, h), at most about 292 years', value, `write it like '${example}' or '1h30m'`);
  }
  return seconds;
}

/** Prometheus durations (`5m`, `1h`, `30d`, `1w`): what PromQL range selectors and rule `for:` take. */
export function parsePrometheusDuration(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^(?:[0-9]+(?:ms|s|m|h|d|w|y))+$/.test(value)) return undefined;
  const units: Record<string, number> = { ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  let total = 0;
  for (const m of value.matchAll(/([0-9]+)(ms|s|m|h|d|w|y)/g)) total += Number(m[1]) * units[m[2]];
  return total;
}
