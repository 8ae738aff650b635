import { IConstruct } from 'constructs';
import { configError } from './errors';

// Kubernetes resource.Quantity: a signed decimal number with an optional binary (Ki..Ei), decimal (n..E) or
// exponent suffix.
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const SUFFIX: Record<string, number> = {
  '': 1, 'n': 1e-9, 'u': 1e-6, 'm': 1e-3, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18,
  'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40, 'Pi': 2 ** 50, 'Ei': 2 ** 60,
};

/** The value of a Kubernetes quantity in base units (cores, bytes), or undefined when it is malformed. */
export function parseQuantity(value: string): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = QUANTITY.exec(value);
  if (!m) return undefined;
  const suffix = m[2] ?? '';
  const factor = /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : SUFFIX[suffix];
  return Number(m[1]) * factor;
}

/** Parses a quantity or throws a config error that says what a quantity looks like. */
export function assertQuantity(scope: IConstruct, prop: string, value: string, example: string): number {
  const parsed = parseQuantity(value);
  if (parsed === undefined || parsed < 0) {
    throw configError(scope, prop, 'must be a non-negative Kubernetes quantity', value, `write it like '${example}'`);
  }
  return parsed;
}
