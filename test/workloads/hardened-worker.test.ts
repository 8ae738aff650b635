import { HardenedService, HardenedWorker, Probe } from '../../lib/workloads';
import { kinds, makeChart, only, podSpec, render } from '../helpers';

const image = 'ghcr.io/acme/worker:4.0.1';

function minimal(props: Partial<ConstructorParameters<typeof HardenedWorker>[2]> = {}) {
  const chart = makeChart();
  const worker = new HardenedWorker(chart, 'orders', { image, ...props });
  return { chart, worker, objects: render(chart) };
}

describe('HardenedWorker', () => {
  test('renders no Service: ServiceAccount, Deployment, NetworkPolicy, PodDisruptionBudget', () => {
    expect(kinds(minimal().objects)).toEqual(['Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'ServiceAccount']);
  });

  test('matches the snapshot with minimal props', () => {
    expect(minimal().objects).toMatchSnapshot();
  });

  test('labels its pods as the worker component', () => {
    expect(only(minimal().objects, 'Deployment').spec.template.metadata.labels['app.kubernetes.io/component']).toBe('worker');
  });

  test('probes a health port 8080 over HTTP /healthz', () => {
    const c = podSpec(only(minimal().objects, 'Deployment')).containers[0];
    expect(c.ports).toEqual([{ name: 'health', containerPort: 8080, protocol: 'TCP' }]);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 8080 });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 8080 });
  });

  test('uses the given health port', () => {
    const c = podSpec(only(minimal({ healthPort: 9100 }).objects, 'Deployment')).containers[0];
    expect(c.readinessProbe.httpGet.port).toBe(9100);
  });

  test('accepts an exec probe', () => {
    const c = podSpec(only(minimal({ liveness: Probe.exec(['/app/alive']) }).objects, 'Deployment')).containers[0];
    expect(c.livenessProbe.exec.command).toEqual(['/app/alive']);
  });

  test('admits no ingress at all', () => {
    expect(only(minimal().objects, 'NetworkPolicy').spec.ingress).toEqual([]);
  });

  test('has the same hardening as a service', () => {
    const spec = podSpec(only(minimal().objects, 'Deployment'));
    expect(spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(spec.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
    expect(spec.containers[0].lifecycle.preStop.sleep.seconds).toBe(5);
    expect(spec.topologySpreadConstraints).toHaveLength(2);
  });

  test('connectTo a service opens the path both ways', () => {
    const chart = makeChart();
    const api = new HardenedService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
    new HardenedWorker(chart, 'orders', { image }).connectTo(api);
    const nps = render(chart).filter((o) => o.kind === 'NetworkPolicy');
    expect(nps.find((n) => n.metadata.name === 'orders').spec.egress[1].ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
    expect(nps.find((n) => n.metadata.name === 'api').spec.ingress[0].from[0].podSelector.matchLabels['app.kubernetes.io/name']).toBe('orders');
  });

  test('throws if the health port is out of range', () => {
    expect(() => minimal({ healthPort: 0 })).toThrow('test/orders: healthPort must be an integer port between 1 and 65535, got 0; use e.g. 8080');
  });

  test('throws if a probe needs a port the exec probe does not have', () => {
    expect(() => minimal({ readiness: Probe.exec([]) })).toThrow(/test\/orders: readiness exec probe needs a command/);
  });
});
