import { App, Chart } from 'cdk8s';
import { addFinalizer, runFinalizers } from '../../lib/core';

describe('finalizers', () => {
  test('run once each, in registration order, for the app the scope belongs to', () => {
    const app = new App();
    const other = new App();
    const chart = new Chart(app, 'a');
    const calls: string[] = [];
    addFinalizer(chart, () => calls.push('first'));
    addFinalizer(app, () => {
      calls.push('second');
      // a finalizer may register another one: it runs in the same pass
      addFinalizer(chart, () => calls.push('third'));
    });
    addFinalizer(other, () => calls.push('other'));
    runFinalizers(chart);
    expect(calls).toEqual(['first', 'second', 'third']);
    runFinalizers(app);
    expect(calls).toEqual(['first', 'second', 'third']);
    runFinalizers(other);
    expect(calls).toEqual(['first', 'second', 'third', 'other']);
  });
});
