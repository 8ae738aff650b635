import { IConstruct } from 'constructs';
import { configError, parseQuantity } from '../core';

/**
 * Parses a volume size (a Kubernetes quantity of bytes, at least 1Mi). Decimal-unit spellings such as '10GB'
 * are errors whose fix names the binary quantity ('10Gi'), which is what such sizes almost always mean.
 */
export function assertStorageSize(scope: IConstruct, prop: string, value: string): number {
  const bytes = parseQuantity(value);
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 2 ** 20) {
    const unit = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([KMGTPE])i?B\s*$/i.exec(value) : null;
    const fix = unit ? `write '${unit[1]}${unit[2].toUpperCase()}i'` : "write a quantity of at least 1Mi, like '10Gi'";
    throw configError(scope, prop, 'must be a Kubernetes quantity of bytes (Ki, Mi, Gi, Ti)', value, fix);
  }
  return bytes;
}
