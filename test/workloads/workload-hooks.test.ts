// The seams lib/observability and lib/scaling use: Service ports after construction, one owner for replicas.
import { ApiObject } from 'cdk8s';
import { HardenedService, HardenedWorker } from '../../lib/workloads';
import { makeChart, only, render } from '../helpers';

const image = 'ghcr.io/acme/api:1.4.2';

describe('HardenedService.addServicePort', () => {
  test('exposes a pod port on the Service after construction', () => {
    const chart = makeChart();
    const svc = new HardenedService(chart, 'api', { image, port: 8080 });
    svc.pod.addPort({ name: 'metrics', port: 9090 });
    svc.addServicePort({ name: 'metrics', port: 9090 });
    expect(only(render(chart), 'Service').spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' },
      { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
    ]);
    expect(svc.serviceExposedPorts).toEqual([{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }]);
  });

  test('rejects a port the pods do not declare, and duplicates', () => {
    const svc = new HardenedService(makeChart(), 'api', { image, port: 8080 });
    expect(() => svc.addServicePort({ name: 'metrics', port: 9090 })).toThrow(/api: ports.metrics is not a port the pods declare, got 9090; add it with pod.addPort first/);
    expect(() => svc.addServicePort({ name: 'http', port: 8080 })).toThrow(/ports.http duplicates Service port 8080 \('http'\)/);
  });
});

describe('LongRunningWorkload.claimReplicas', () => {
  const owner = (scope: any, min: number) => ({ kind: 'ScaledObject', minReplicas: min, prop: 'use: test', object: new ApiObject(scope, `Scaler${min}`, { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'x' } }) });

  test('drops replicas and the disruption budget when the minimum can be 0 or 1; keeps it above', () => {
    for (const [min, pdb] of [[0, false], [1, false], [2, true], [5, true]] as const) {
      const chart = makeChart();
      const w = new HardenedWorker(chart, 'w', { image });
      expect(w.podDisruptionBudget).toBeDefined(); // 2 fixed replicas by default
      w.claimReplicas(owner(chart, min));
      const objects = render(chart);
      expect(only(objects, 'Deployment').spec.replicas).toBeUndefined();
      expect(objects.some((o: any) => o.kind === 'PodDisruptionBudget')).toBe(pdb);
      expect([w.replicas, w.minReplicas, w.scaler?.kind]).toEqual([undefined, min, 'ScaledObject']);
      expect(w.autoscaler).toBeUndefined(); // not an HPA
    }
  });
});
