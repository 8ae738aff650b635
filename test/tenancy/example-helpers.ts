import { parseQuantity } from '../../lib/core';
export { namespaceFootprint, podTemplateOf } from '../../lib/policy';

export function parseQuantityOr(value: string): number {
  const q = parseQuantity(value);
  if (q === undefined) throw new Error(`not a quantity: ${value}`);
  return q;
}
