import { Construct } from 'constructs';
import { App } from 'cdk8s';
import { ServiceLevelObjective } from '../../lib/observability';

const scope = () => new Construct(new App(), 'svc');

describe('ServiceLevelObjective', () => {
  test('keeps the objectives and defaults the compliance window to 30 days', () => {
    const slo = ServiceLevelObjective.of({ successRate: 0.999, latency: { percentile: 0.99, thresholdMs: 300 } });
    expect(slo.successRate).toBe(0.999);
    expect(slo.latency).toEqual({ percentile: 0.99, thresholdMs: 300 });
    expect(slo.window).toBe('30d');
  });

  test('derives the error budget from the success rate', () => {
    expect(ServiceLevelObjective.of({ successRate: 0.999 }).errorBudget).toBe(0.001);
    expect(ServiceLevelObjective.of({ latency: { percentile: 0.95, thresholdMs: 100 } }).errorBudget).toBeUndefined();
  });

  test('is a value: changing the options afterwards changes nothing', () => {
    const latency = { percentile: 0.99, thresholdMs: 300 };
    const slo = ServiceLevelObjective.of({ latency });
    (latency as any).thresholdMs = 1;
    expect(slo.latency!.thresholdMs).toBe(300);
  });

  test('a well-formed objective validates', () => {
    expect(() => ServiceLevelObjective.of({ successRate: 0.99, window: '4w' })._validate(scope(), 'slo')).not.toThrow();
  });

  test.each([
    [{}, /svc: slo declares no objective, got \{\}; set successRate/],
    [{ successRate: 99.9 }, /svc: slo.successRate must be a fraction between 0 and 1 \(exclusive\), got 99.9; write 99.9% as 0.999/],
    [{ successRate: 1 }, /slo.successRate must be a fraction/],
    [{ latency: { percentile: 99, thresholdMs: 300 } }, /slo.latency.percentile must be a fraction between 0 and 1 \(exclusive\), got 99; write p99 as 0.99/],
    [{ latency: { percentile: 0.99, thresholdMs: 0 } }, /slo.latency.thresholdMs must be a positive number of milliseconds, got 0/],
    [{ latency: { percentile: 0.99 } }, /svc: slo.latency.thresholdMs is required with latency.percentile \(0.99 of requests within what\?\), got undefined; add thresholdMs/],
    [{ successRate: 0, latency: undefined }, /slo.successRate must be a fraction between 0 and 1/],
    [{ successRate: 0.99, window: '1h30' }, /slo.window must be a Prometheus duration/],
    [{ successRate: 0.99, window: '30 days' }, /slo.window must be a Prometheus duration .*, got "30 days"; use e.g. '30d'/],
  ])('rejects %j with a message naming the prop, value and fix', (options, message) => {
    expect(() => ServiceLevelObjective.of(options as any)._validate(scope(), 'slo')).toThrow(message);
  });
});
