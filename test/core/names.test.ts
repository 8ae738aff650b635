import { isDnsLabel, isLabelValue } from '../../lib/core';

describe('names', () => {
  test.each(['api', 'a', 'orders-api-2', 'a'.repeat(63)])('accepts DNS label %p', (n) => expect(isDnsLabel(n)).toBe(true));
  test.each(['Api', '-api', 'api-', 'a_b', 'a.b', '', 'a'.repeat(64)])('rejects DNS label %p', (n) => expect(isDnsLabel(n)).toBe(false));
  test.each(['1.2.3', 'v1_2', ''])('accepts label value %p', (v) => expect(isLabelValue(v)).toBe(true));
  test.each(['-x', 'x/y', 'a'.repeat(64)])('rejects label value %p', (v) => expect(isLabelValue(v)).toBe(false));
});
