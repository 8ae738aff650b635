import { HardenedCronJob, HardenedJob, HardenedService, HardenedStatefulSet, HardenedWorker, IReachable, IWorkload } from '../../lib/workloads';
import { makeChart, render } from '../helpers';

const image = 'ghcr.io/acme/app:1.0.0';

// every workload kind connects to a service and to a stateful set the same way: one method, both sides opened
const clients: [string, (chart: any) => IWorkload][] = [
  ['HardenedService', (c) => new HardenedService(c, 'client', { image, port: 8080 })],
  ['HardenedWorker', (c) => new HardenedWorker(c, 'client', { image })],
  ['HardenedCronJob', (c) => new HardenedCronJob(c, 'client', { image, schedule: '@daily' })],
  ['HardenedJob', (c) => new HardenedJob(c, 'client', { image })],
  ['HardenedStatefulSet', (c) => new HardenedStatefulSet(c, 'client', { image, port: 5433, volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }] })],
];
const servers: [string, (chart: any) => IReachable & IWorkload, number][] = [
  ['HardenedService', (c) => new HardenedService(c, 'server', { image, port: 9000 }), 9000],
  ['HardenedStatefulSet', (c) => new HardenedStatefulSet(c, 'server', { image, port: 5432, volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }] }), 5432],
];

describe.each(clients)('%s', (_kind, makeClient) => {
  test.each(servers)('connectTo a %s opens egress here and ingress there; connectFrom is the same rule', (_s, makeServer, port) => {
    for (const direction of ['connectTo', 'connectFrom'] as const) {
      const chart = makeChart();
      const client = makeClient(chart);
      const server = makeServer(chart);
      if (direction === 'connectTo') client.connectTo(server);
      else (server as any).connectFrom(client);
      const np = (name: string) => render(chart).find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === name);
      expect(np('client').spec.egress).toContainEqual({ to: [{ podSelector: { matchLabels: server.pod.selectorLabels } }], ports: [{ protocol: 'TCP', port }] });
      expect(np('server').spec.ingress).toContainEqual({ from: [{ podSelector: { matchLabels: client.pod.selectorLabels } }], ports: [{ protocol: 'TCP', port }] });
    }
  });
});
