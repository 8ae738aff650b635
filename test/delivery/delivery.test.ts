import { ArgoBlueGreen, ArgoCanary, Delivery, FlaggerCanary, RollingUpdate } from '../../lib/delivery';
import { ServiceLevelObjective } from '../../lib/observability';
import { renderService, sorted } from '../fixtures/service-app';

describe('Delivery', () => {
  test('factories return the strategies', () => {
    const slo = ServiceLevelObjective.of({ successRate: 0.99 });
    expect(Delivery.rollingUpdate()).toBeInstanceOf(RollingUpdate);
    expect(Delivery.canary()).toBeInstanceOf(ArgoCanary);
    expect(Delivery.blueGreen()).toBeInstanceOf(ArgoBlueGreen);
    expect(Delivery.flagger({ slo })).toBeInstanceOf(FlaggerCanary);
  });

  test('a rolling update renders exactly what a service without delivery renders', () => {
    const plain = renderService({ replicas: 3 });
    const rolling = renderService({ replicas: 3, delivery: Delivery.rollingUpdate() });
    expect(sorted(rolling.objects)).toEqual(sorted(plain.objects));
    expect(rolling.one('Deployment').spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
  });

  test('every strategy keeps the same hardened pod template on the Deployment', () => {
    const slo = ServiceLevelObjective.of({ successRate: 0.99 });
    const template = (delivery?: any) => renderService({ autoscaling: { minReplicas: 2, maxReplicas: 4 }, delivery }).one('Deployment').spec.template;
    const base = template();
    expect(template(Delivery.canary({ slo }))).toEqual(base);
    expect(template(Delivery.blueGreen({ slo }))).toEqual(base);
    // Flagger adds only the `app` label it renames on the primary
    const flagger = template(Delivery.flagger({ slo }));
    expect(flagger.spec).toEqual(base.spec);
    expect(flagger.metadata.labels).toEqual({ ...base.metadata.labels, app: 'api' });
  });
});
