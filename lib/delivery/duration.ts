import { IConstruct } from 'constructs';
import { configError } from '../core';

const SIMPLE = /^([1-9][0-9]*)(s|m|h)$/;

/**
 * A duration as users write it: '30s', '5m', '1h', or a number of seconds. Returns the string form ('90s' for
 * 90), or throws a config error naming `prop`.
 */
export function parseDuration(scope: IConstruct, prop: string, value: string | number): string {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value > 0) return `${value}s`;
  } else if (typeof value === 'string' && SIMPLE.test(value)) {
    return value;
  }
  throw configError(scope, prop, "must be a positive duration: '30s', '5m', '1h' or a number of seconds", value, "write e.g. '5m' or 300");
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

/** Throws unless `value` is an integer within [min, max]. */
export function assertInt(scope: IConstruct, prop: string, value: unknown, min: number, max: number, example: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `between ${min} and ${max}`;
    throw configError(scope, prop, `must be an integer ${range}`, value, `use e.g. ${example}`);
  }
  return value;
}

/** Throws unless the weights are integers in 1-100 and strictly increasing. */
export function assertWeights(scope: IConstruct, prop: string, weights: readonly number[]): void {
  for (const w of weights) {
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 1 || w > 100) {
      throw configError(scope, prop, 'must be integer percentages between 1 and 100', weights, 'use e.g. [10, 25, 50]');
    }
  }
  for (let i = 1; i < weights.length; i++) {
    if (weights[i] <= weights[i - 1]) {
      throw configError(scope, prop, 'must increase strictly (traffic only moves towards the new version)', weights,
        `order them, e.g. ${JSON.stringify([...new Set(weights)].sort((a, b) => a - b))}`);
    }
  }
}
