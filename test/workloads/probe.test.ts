import { Construct } from 'constructs';
import { Probe } from '../../lib/workloads';
import { makeChart } from '../helpers';

const timing = { periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3, successThreshold: 1 };
const scope = () => new Construct(makeChart(), 'svc');

describe('Probe', () => {
  test('fills unset timings from the role defaults', () => {
    expect(Probe.http('/ready')._render(scope(), 'readiness', 8080, timing)).toEqual({
      httpGet: { path: '/ready', port: 8080 }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3, successThreshold: 1,
    });
  });

  test('keeps explicit timings and port', () => {
    expect(Probe.http('/ready', { port: 9000, periodSeconds: 20, initialDelaySeconds: 3, scheme: 'HTTPS' })._render(scope(), 'readiness', 8080, timing))
      .toMatchObject({ httpGet: { path: '/ready', port: 9000, scheme: 'HTTPS' }, periodSeconds: 20, initialDelaySeconds: 3 });
  });

  test('passes the gRPC service name through', () => {
    expect(Probe.grpc({ service: 'orders' })._render(scope(), 'liveness', 9090, timing).grpc).toEqual({ port: 9090, service: 'orders' });
  });

  test('throws if a network probe has no port to use', () => {
    expect(() => Probe.tcp()._render(scope(), 'readiness', undefined, timing)).toThrow('test/svc: readiness.port is required because the workload has no port');
  });

  test('throws if a timing is not a positive integer', () => {
    expect(() => Probe.http('/x', { periodSeconds: 0 })._render(scope(), 'liveness', 80, timing)).toThrow('test/svc: liveness.periodSeconds must be an integer between 1 and 2147483647, got 0');
    expect(() => Probe.http('/x', { timeoutSeconds: 1.5 })._render(scope(), 'liveness', 80, timing)).toThrow(/liveness.timeoutSeconds must be an integer/);
  });
});
