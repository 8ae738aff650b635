import { IConstruct } from 'constructs';
import { configError } from '../core';

// durations and integer ranges are shared validators: they live in lib/core
export { assertInt, durationSeconds, minutesOrSeconds, parseDuration } from '../core';

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
