import { parseQuantity } from '../../lib/core';

describe('parseQuantity', () => {
  test.each([
    ['100m', 0.1], ['2', 2], ['0.5', 0.5], ['128Mi', 128 * 2 ** 20], ['1Gi', 2 ** 30], ['500M', 5e8], ['1e3', 1000], ['1.5k', 1500],
  ])('reads %s as %d', (q, v) => {
    expect(parseQuantity(q)).toBeCloseTo(v);
  });

  test.each(['128MB', 'lots', '', '1.2.3', 'Mi', '10 Mi'])('rejects %p', (q) => {
    expect(parseQuantity(q)).toBeUndefined();
  });
});
