import { IConstruct } from 'constructs';
import { configError } from './errors';

/** Largest value of a Kubernetes int32 field (replicas, ports, most counts). */
export const INT32_MAX = 2_147_483_647;
/**
 * Largest int64 a JavaScript number holds exactly; Kubernetes int64 fields (grace periods, deadlines) accept
 * more, but a value past this cannot be written without losing digits.
 */
export const INT64_SAFE_MAX = Number.MAX_SAFE_INTEGER;

/** True when `value` is an integer within [min, max]. */
export function isIntInRange(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Throws unless `value` is an integer within [min, max]. */
export function assertInt(scope: IConstruct, prop: string, value: unknown, min: number, max: number, example: number): number {
  if (!isIntInRange(value, min, max)) {
    const range = max >= INT64_SAFE_MAX ? `of at least ${min}` : `between ${min} and ${max}`;
    throw configError(scope, prop, `must be an integer ${range}`, value, `use e.g. ${example}`);
  }
  return value;
}

/** Throws unless `value` is an int32 of at least `min` (replica counts, thresholds). */
export function assertInt32(scope: IConstruct, prop: string, value: unknown, min: number, example: number): number {
  return assertInt(scope, prop, value, min, INT32_MAX, example);
}

/** Throws unless `value` is a TCP/UDP port number (1-65535). */
export function assertPort(scope: IConstruct, prop: string, port: unknown): number {
  if (!isIntInRange(port, 1, 65535)) {
    throw configError(scope, prop, 'must be an integer port between 1 and 65535', port, 'use e.g. 8080');
  }
  return port;
}

/** Throws unless `value` is a percentage (an integer between `min` and 100). */
export function assertPercent(scope: IConstruct, prop: string, value: unknown, example: number, min = 1): number {
  return assertInt(scope, prop, value, min, 100, example);
}
