import { JsonPatch } from 'cdk8s';
import { Delivery } from '../../lib/delivery';
import { ServiceLevelObjective } from '../../lib/observability';
import { HpaMetric, KedaScaledJob, KedaTrigger, Scaling, SCALING_DEFAULTS } from '../../lib/scaling';
import { HardenedCronJob, HardenedService, HardenedWorker } from '../../lib/workloads';
import { crdSchemaErrors } from '../fixtures/crd-schema';
import { ExternalSecret, SecretStore } from '../../lib/secrets';
import { prng, renderEnvApp as renderWith } from '../fixtures/env-app';

/** The queue and Kafka credentials the workloads below read, declared as a secret source must be (policy checks it). */
const renderEnvApp: typeof renderWith = (build, overrides) => renderWith((ns, env) => {
  const store = SecretStore.existing({ name: 'vault' });
  new ExternalSecret(ns, 'mq', { store, data: { url: { key: 'shop/mq', property: 'url' } } });
  new ExternalSecret(ns, 'kafka', { store, data: { user: { key: 'shop/kafka', property: 'user' }, password: { key: 'shop/kafka', property: 'password' } } });
  build(ns, env);
}, overrides);

const image = 'ghcr.io/acme/app:1.4.2';
const rabbit = (value = 20) => KedaTrigger.rabbitMq({ queueName: 'orders', value, authentication: { secret: 'mq', keys: { host: 'url' } } });
const mqEnv = { AMQP_URL: { secret: 'mq', key: 'url' } };

describe('Scaling.hpa', () => {
  const app = renderEnvApp((ns) => {
    new HardenedService(ns, 'api', { image, port: 8080, use: [Scaling.hpa({ maxReplicas: 10 })] });
    new HardenedService(ns, 'web', {
      image, port: 8080,
      use: [Scaling.hpa({
        minReplicas: 1,
        maxReplicas: 6,
        metrics: [
          HpaMetric.memory({ averageUtilization: 80 }),
          HpaMetric.requestsPerSecond(50),
          HpaMetric.object({ metric: 'requests_per_second', describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'web' }, value: '2k' }),
          HpaMetric.external({ metric: 'queue_messages_ready', selector: { queue: 'orders' }, averageValue: 30 }),
        ],
        behavior: { scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }] } },
      })],
    });
  });

  test('defaults: min 2, CPU at 70%, fast-up slow-down behaviour; targets the Deployment', () => {
    const hpa = app.one('dev', 'HorizontalPodAutoscaler', 'api');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      minReplicas: SCALING_DEFAULTS.hpa.minReplicas,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }, { type: 'Pods', value: 4, periodSeconds: 60 }] },
        scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
      },
    });
  });

  test('the Deployment leaves replicas to the HPA; the disruption budget follows the minimum', () => {
    expect(app.one('dev', 'Deployment', 'api').spec.replicas).toBeUndefined();
    expect(app.all('dev', 'PodDisruptionBudget').map((p) => p.metadata.name)).toEqual(['api']); // web's minimum is 1: no PDB
    expect(app.one('dev', 'Deployment', 'web').spec.replicas).toBeUndefined();
  });

  test('resource, pods, object and external metrics; behaviour overrides merge with the defaults', () => {
    const spec = app.one('dev', 'HorizontalPodAutoscaler', 'web').spec;
    expect(spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
      { type: 'Pods', pods: { metric: { name: SCALING_DEFAULTS.hpa.requestsPerSecondMetric }, target: { type: 'AverageValue', averageValue: '50' } } },
      { type: 'Object', object: { metric: { name: 'requests_per_second' }, describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'web' }, target: { type: 'Value', value: '2k' } } },
      { type: 'External', external: { metric: { name: 'queue_messages_ready', selector: { matchLabels: { queue: 'orders' } } }, target: { type: 'AverageValue', averageValue: '30' } } },
    ]);
    expect(spec.behavior.scaleDown).toEqual({ stabilizationWindowSeconds: 600, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }] });
    expect(spec.behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
  });

  test('follows the Rollout of a canary (retargetScaling), which carries no replicas either', () => {
    const a = renderEnvApp((ns) => {
      new HardenedService(ns, 'api', { image, port: 8080, use: [Scaling.hpa({ maxReplicas: 10 })], delivery: Delivery.canary({}) });
    });
    expect(a.one('dev', 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'api' });
    expect(a.one('dev', 'Rollout').spec.replicas).toBeUndefined();
    expect(a.one('dev', 'Deployment').spec.replicas).toBe(0);
  });

  test('is the autoscaler Flagger scales from (an HPA, or a KEDA ScaledObject)', () => {
    const slo = ServiceLevelObjective.of({ successRate: 0.99 });
    // Flagger's analysis (and the alerts derived from it) read Istio's metrics: the pods are in the mesh
    const meshed = { dev: { mesh: { istio: true } }, prod: { mesh: { istio: true } } };
    const a = renderEnvApp((ns) => {
      new HardenedService(ns, 'api', { image, port: 8080, use: [Scaling.hpa({ minReplicas: 2, maxReplicas: 4 })], delivery: Delivery.flagger({ slo }) });
    }, meshed);
    expect(a.one('prod', 'Canary').spec.autoscalerRef).toEqual({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'api' });
    const k = renderEnvApp((ns) => {
      new HardenedService(ns, 'api', { image, port: 8080, use: [Scaling.keda({ maxReplicas: 4, triggers: [KedaTrigger.prometheus({ query: 'q', threshold: 5 })] })], delivery: Delivery.flagger({ slo }) });
    }, meshed);
    expect(k.one('prod', 'Canary').spec.autoscalerRef).toEqual({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', name: 'api' });
    expect(crdSchemaErrors(k.one('prod', 'Canary'))).toEqual([]);
  });

  test.each([
    [{ minReplicas: 5, maxReplicas: 3 }, /dev\/shop\/api: hpa.minReplicas is above maxReplicas \(3\), got 5; lower minReplicas or raise maxReplicas to at least 5/],
    [{ minReplicas: 0, maxReplicas: 3 }, /hpa.minReplicas must be an integer between 1 and 2147483647, got 0/],
    [{ maxReplicas: 2.5 }, /hpa.maxReplicas must be an integer between 1 and 2147483647, got 2.5/],
    [{ maxReplicas: 3, metrics: [] }, /hpa.metrics is empty/],
    [{ maxReplicas: 3, metrics: [HpaMetric.pods({ metric: 'bad metric', averageValue: 1 })] }, /hpa.metrics\[0\].metric must be a metric name, got "bad metric"/],
    [{ maxReplicas: 3, metrics: [HpaMetric.external({ metric: 'q', value: 1, averageValue: 2 })] }, /hpa.metrics\[0\] needs exactly one of value and averageValue/],
    [{ maxReplicas: 3, metrics: [HpaMetric.memory({})] }, /hpa.metrics\[0\] needs a target/],
    [{ maxReplicas: 3, metrics: [HpaMetric.pods({ metric: 'rps', averageValue: -1 })] }, /hpa.metrics\[0\].averageValue must be a positive number, got -1/],
    [{ maxReplicas: 3, metrics: [HpaMetric.memory({ averageUtilization: 80, averageValue: '1Gi' })] }, /hpa.metrics\[0\] sets both averageUtilization and averageValue/],
    [{ maxReplicas: 3, metrics: [HpaMetric.memory({ averageValue: 'lots' })] }, /hpa.metrics\[0\].averageValue must be a non-negative Kubernetes quantity, got "lots"/],
    [{ maxReplicas: 3, behavior: { scaleDown: { selectPolicy: 'Sometimes' } } }, /hpa.behavior.scaleDown.selectPolicy must be 'Max', 'Min' or 'Disabled', got "Sometimes"/],
    [{ maxReplicas: 3, behavior: { scaleUp: { policies: [{ type: 'Replicas', value: 1, periodSeconds: 60 }] } } }, /hpa.behavior.scaleUp.policies\[0\].type must be 'Pods' or 'Percent', got "Replicas"/],
    [{ maxReplicas: 3, behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 3600 }] } } }, /hpa.behavior.scaleUp.policies\[0\].periodSeconds must be an integer between 1 and 1800, got 3600/],
    [{ maxReplicas: 3, behavior: { scaleUp: { stabilizationWindowSeconds: 7200 } } }, /hpa.behavior.scaleUp.stabilizationWindowSeconds must be an integer between 0 and 3600, got 7200/],
  ])('rejects %j', (options, message) => {
    expect(() => renderEnvApp((ns) => { new HardenedService(ns, 'api', { image, port: 8080, use: [Scaling.hpa(options as any)] }); })).toThrow(message);
  });

  test('min above max is caught for any pair (generated)', () => {
    const rnd = prng(5);
    for (let i = 0; i < 30; i++) {
      const max = 1 + Math.floor(rnd() * 20);
      const min = max + 1 + Math.floor(rnd() * 5);
      expect(() => renderEnvApp((ns) => { new HardenedWorker(ns, 'w', { image, use: [Scaling.hpa({ minReplicas: min, maxReplicas: max })] }); }))
        .toThrow(`hpa.minReplicas is above maxReplicas (${max}), got ${min}`);
    }
  });
});

describe('one owner for replicas', () => {
  const build = (props: any) => () => renderEnvApp((ns) => { new HardenedWorker(ns, 'w', { image, secretEnv: mqEnv, ...props }); });

  test('an HPA and a ScaledObject on one workload is an error', () => {
    expect(build({ use: [Scaling.hpa({ maxReplicas: 4 }), Scaling.keda({ maxReplicas: 4, triggers: [rabbit()] })] }))
      .toThrow(/dev\/shop\/w: use: Scaling.keda adds a ScaledObject while HorizontalPodAutoscaler \(use: Scaling.hpa\) already scales the workload, got "ScaledObject"; keep one scaler per workload/);
    expect(build({ autoscaling: { maxReplicas: 4 }, use: [Scaling.keda({ maxReplicas: 4, triggers: [rabbit()] })] }))
      .toThrow(/adds a ScaledObject while HorizontalPodAutoscaler \(autoscaling\) already scales the workload/);
    expect(build({ autoscaling: { maxReplicas: 4 }, use: [Scaling.hpa({ maxReplicas: 4 })] })).toThrow(/already scales the workload/);
  });

  test('fixed replicas and a scaler is an error', () => {
    expect(build({ replicas: 3, use: [Scaling.hpa({ maxReplicas: 4 })] }))
      .toThrow(/dev\/shop\/w: replicas is fixed while a HorizontalPodAutoscaler \(use: Scaling.hpa\) scales the workload \(the scaler owns the replica count\), got 3; remove replicas/);
  });

  test('the legacy autoscaling prop keeps its output: CPU-only HPA, no behaviour, PDB at min 2', () => {
    const a = renderEnvApp((ns) => { new HardenedService(ns, 'api', { image, port: 8080, autoscaling: { maxReplicas: 5 } }); });
    expect(a.one('dev', 'HorizontalPodAutoscaler').spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      minReplicas: 2, maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    expect(a.all('dev', 'PodDisruptionBudget')).toHaveLength(1);
    expect(a.one('dev', 'Deployment').spec.replicas).toBeUndefined();
  });
});

describe('Scaling.keda', () => {
  const app = renderEnvApp((ns) => {
    new HardenedWorker(ns, 'orders', { image, secretEnv: mqEnv, use: [Scaling.keda({ maxReplicas: 10, triggers: [rabbit()] })] });
    new HardenedWorker(ns, 'events', {
      image,
      secretEnv: { KAFKA_USER: { secret: 'kafka', key: 'user' }, KAFKA_PASSWORD: { secret: 'kafka', key: 'password' } },
      use: [Scaling.keda({
        minReplicas: 2,
        maxReplicas: 8,
        scaleToZero: false,
        pollingInterval: 15,
        cooldownPeriod: 120,
        triggers: [
          KedaTrigger.kafka({ bootstrapServers: ['kafka.data.svc:9092'], consumerGroup: 'events', topic: 'events', authentication: { secret: 'kafka', keys: { username: 'user', password: 'password' } } }),
          KedaTrigger.prometheus({ query: 'sum(rate(events_total[2m]))', threshold: 100 }),
          KedaTrigger.cron({ start: '0 8 * * 1-5', end: '0 20 * * 1-5', desiredReplicas: 4 }),
        ],
      })],
    });
    new HardenedService(ns, 'api', { image, port: 8080, use: [Scaling.keda({ maxReplicas: 6, triggers: [KedaTrigger.prometheus({ query: 'sum(rate(http_requests_total[1m]))', threshold: 50 })] })] });
  });

  test('defaults: a worker scales to zero outside production, keeps one pod in production; polling 30 s, cooldown 300 s', () => {
    const dev = app.one('dev', 'ScaledObject', 'orders').spec;
    expect(dev).toMatchObject({ minReplicaCount: 0, maxReplicaCount: 10, pollingInterval: 30, cooldownPeriod: 300, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders' } });
    expect(app.one('prod', 'ScaledObject', 'orders').spec.minReplicaCount).toBe(SCALING_DEFAULTS.keda.minReplicas);
    expect(app.one('dev', 'Deployment', 'orders').spec.replicas).toBeUndefined();
    expect(app.all('dev', 'PodDisruptionBudget').map((p) => p.metadata.name)).toEqual(['events']); // min 2
  });

  test('follows the Rollout of a canary, like the HPA', () => {
    const a = renderEnvApp((ns) => {
      new HardenedService(ns, 'api', { image, port: 8080, use: [Scaling.keda({ maxReplicas: 6, triggers: [KedaTrigger.prometheus({ query: 'q', threshold: 5 })] })], delivery: Delivery.canary({}) });
    });
    expect(a.one('dev', 'ScaledObject').spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'api' });
    expect(a.one('dev', 'Rollout').spec.replicas).toBeUndefined();
  });

  test('a service that serves traffic never scales to zero by default', () => {
    expect(app.one('dev', 'ScaledObject', 'api').spec.minReplicaCount).toBe(1);
  });

  test('renders RabbitMQ, Kafka, Prometheus (server from the environment) and cron triggers, credentials through TriggerAuthentications', () => {
    expect(app.one('dev', 'ScaledObject', 'orders').spec.triggers).toEqual([
      { type: 'rabbitmq', name: 'rabbitmq', metadata: { protocol: 'amqp', queueName: 'orders', mode: 'QueueLength', value: '20' }, authenticationRef: { name: 'orders-rabbitmq' } },
    ]);
    expect(app.one('dev', 'TriggerAuthentication', 'orders-rabbitmq').spec).toEqual({ secretTargetRef: [{ parameter: 'host', name: 'mq', key: 'url' }] });
    const events = app.one('dev', 'ScaledObject', 'events').spec;
    expect(events.triggers.map((t: any) => t.type)).toEqual(['kafka', 'prometheus', 'cron']);
    expect(events.triggers[0]).toEqual({ type: 'kafka', name: 'kafka', metadata: { bootstrapServers: 'kafka.data.svc:9092', consumerGroup: 'events', topic: 'events', lagThreshold: '10' }, authenticationRef: { name: 'events-kafka' } });
    expect(events.triggers[1].metadata).toEqual({ serverAddress: 'http://prometheus-operated.monitoring.svc:9090', query: 'sum(rate(events_total[2m]))', threshold: '100', activationThreshold: '0' });
    expect(events.triggers[2].metadata).toEqual({ timezone: 'Etc/UTC', start: '0 8 * * 1-5', end: '0 20 * * 1-5', desiredReplicas: '4' });
    expect(events).toMatchObject({ minReplicaCount: 2, pollingInterval: 15, cooldownPeriod: 120 });
    expect(app.one('dev', 'TriggerAuthentication', 'events-kafka').spec.secretTargetRef).toEqual([
      { parameter: 'password', name: 'kafka', key: 'password' }, { parameter: 'username', name: 'kafka', key: 'user' },
    ]);
  });

  test('scales to zero while idle and to the minimum while active (idleReplicaCount)', () => {
    const a = renderEnvApp((ns) => { new HardenedWorker(ns, 'w', { image, secretEnv: mqEnv, use: [Scaling.keda({ minReplicas: 3, maxReplicas: 9, triggers: [rabbit()] })] }); });
    expect(a.one('dev', 'ScaledObject').spec).toMatchObject({ idleReplicaCount: 0, minReplicaCount: 3 });
    expect(a.all('dev', 'PodDisruptionBudget')).toEqual([]); // the minimum can be 0
    expect(a.all('prod', 'PodDisruptionBudget')).toHaveLength(1);
  });

  test('the environment decides where scale to zero is allowed', () => {
    const a = renderEnvApp((ns) => { new HardenedWorker(ns, 'w', { image, secretEnv: mqEnv, use: [Scaling.keda({ maxReplicas: 9, triggers: [rabbit()] })] }); },
      { dev: { scaling: { allowScaleToZero: false } }, prod: { scaling: { allowScaleToZero: true } } });
    expect(a.one('dev', 'ScaledObject').spec.minReplicaCount).toBe(1);
    expect(a.one('prod', 'ScaledObject').spec.minReplicaCount).toBe(0);
  });

  test('ScaledObjects and TriggerAuthentications validate against the KEDA CRD schemas', () => {
    for (const env of ['dev', 'prod'] as const) {
      for (const kind of ['ScaledObject', 'TriggerAuthentication']) {
        for (const o of app.all(env, kind)) expect(crdSchemaErrors(o)).toEqual([]);
      }
    }
  });

  test.each([
    ['scale to zero on a service that serves traffic', (ns: any) => new HardenedService(ns, 'api', { image, port: 8080, use: [Scaling.keda({ maxReplicas: 3, scaleToZero: true, triggers: [rabbit()] })] }),
      /dev\/shop\/api: keda.scaleToZero is set on a service that serves synchronous traffic \(a request would find no pod\), got true; keep at least one pod/],
    ['scale to zero where the environment forbids it', (ns: any, env: any) => new HardenedWorker(ns, 'w', { image, secretEnv: mqEnv, use: [Scaling.keda({ maxReplicas: 3, scaleToZero: env.production, triggers: [rabbit()] })] }),
      /prod\/shop\/w: keda.scaleToZero is not allowed in environment prod \(scaling.allowScaleToZero\), got true/],
    ['an authentication secret the workload does not declare', (ns: any) => new HardenedWorker(ns, 'w', { image, use: [Scaling.keda({ maxReplicas: 3, triggers: [rabbit()] })] }),
      /dev\/shop\/w: keda.triggers\[0\].authentication names Secret key mq\/url, which the workload does not declare, got .*; read it in the workload \(secretEnv: \{ X: \{ secret: 'mq', key: 'url' \} \}\)/],
    ['min replicas above max', (ns: any) => new HardenedWorker(ns, 'w', { image, secretEnv: mqEnv, use: [Scaling.keda({ minReplicas: 4, maxReplicas: 3, triggers: [rabbit()] })] }),
      /keda.minReplicas is above maxReplicas \(3\), got 4/],
    ['no triggers', (ns: any) => new HardenedWorker(ns, 'w', { image, use: [Scaling.keda({ maxReplicas: 3, triggers: [] })] }), /keda.triggers is empty/],
    ['a RabbitMQ trigger without host', (ns: any) => new HardenedWorker(ns, 'w', { image, secretEnv: mqEnv, use: [Scaling.keda({ maxReplicas: 3, triggers: [KedaTrigger.rabbitMq({ queueName: 'q', value: 5, authentication: { secret: 'mq', keys: { password: 'url' } } })] })] }),
      /keda.triggers\[0\].authentication must map parameter host/],
    ['MessageRate over amqp', (ns: any) => new HardenedWorker(ns, 'w', { image, secretEnv: mqEnv, use: [Scaling.keda({ maxReplicas: 3, triggers: [KedaTrigger.rabbitMq({ queueName: 'q', value: 5, mode: 'MessageRate', authentication: { secret: 'mq', keys: { host: 'url' } } })] })] }),
      /keda.triggers\[0\].protocol must be http for mode MessageRate/],
    ['a bad cron', (ns: any) => new HardenedWorker(ns, 'w', { image, use: [Scaling.keda({ maxReplicas: 3, triggers: [KedaTrigger.cron({ start: 'at eight', end: '0 20 * * *', desiredReplicas: 2 })] })] }),
      /keda.triggers\[0\].start/],
    ['bad Kafka servers', (ns: any) => new HardenedWorker(ns, 'w', { image, use: [Scaling.keda({ maxReplicas: 3, triggers: [KedaTrigger.kafka({ bootstrapServers: ['kafka'], consumerGroup: 'g', topic: 't' })] })] }),
      /keda.triggers\[0\].bootstrapServers must list host:port addresses/],
    ['a non-positive threshold', (ns: any) => new HardenedWorker(ns, 'w', { image, use: [Scaling.keda({ maxReplicas: 3, triggers: [KedaTrigger.prometheus({ query: 'q', threshold: 0 })] })] }),
      /keda.triggers\[0\].threshold must be a positive number, got 0/],
    ['bad Kafka names', (ns: any) => new HardenedWorker(ns, 'w', { image, use: [Scaling.keda({ maxReplicas: 3, triggers: [KedaTrigger.kafka({ bootstrapServers: ['k:9092'], consumerGroup: 'a group', topic: 't' })] })] }),
      /keda.triggers\[0\].consumerGroup must be a Kafka name, got "a group"/],
    ['an empty queue name', (ns: any) => new HardenedWorker(ns, 'w', { image, secretEnv: mqEnv, use: [Scaling.keda({ maxReplicas: 3, triggers: [KedaTrigger.rabbitMq({ queueName: '', value: 5, authentication: { secret: 'mq', keys: { host: 'url' } } })] })] }),
      /keda.triggers\[0\].queueName must name the queue, got ""/],
    ['a bad cron time zone', (ns: any) => new HardenedWorker(ns, 'w', { image, use: [Scaling.keda({ maxReplicas: 3, triggers: [KedaTrigger.cron({ start: '0 8 * * *', end: '0 20 * * *', desiredReplicas: 2, timeZone: 'Berlin time' })] })] }),
      /keda.triggers\[0\].timeZone must be an IANA time zone, got "Berlin time"/],
    ['an empty query', (ns: any) => new HardenedWorker(ns, 'w', { image, use: [Scaling.keda({ maxReplicas: 3, triggers: [KedaTrigger.prometheus({ query: ' ', threshold: 1 })] })] }),
      /keda.triggers\[0\].query must be a PromQL expression/],
    ['a bad Prometheus address', (ns: any) => new HardenedWorker(ns, 'w', { image, use: [Scaling.keda({ maxReplicas: 3, triggers: [KedaTrigger.prometheus({ query: 'q', threshold: 1, serverAddress: 'prometheus:9090' })] })] }),
      /keda.triggers\[0\].serverAddress must be the Prometheus URL \(none given and no environment default\), got "prometheus:9090"/],
    ['authentication without keys', (ns: any) => new HardenedWorker(ns, 'w', { image, use: [Scaling.keda({ maxReplicas: 3, triggers: [KedaTrigger.kafka({ bootstrapServers: ['k:9092'], consumerGroup: 'g', topic: 't', authentication: { secret: 'kafka', keys: {} } })] })] }),
      /keda.triggers\[0\].authentication.keys is empty/],
    ['a cron job', (ns: any) => new HardenedCronJob(ns, 'j', { image, schedule: '@daily', use: [Scaling.keda({ maxReplicas: 3, triggers: [rabbit()] })] }),
      /dev\/shop\/j: use Scaling.keda scales Deployments \(HardenedService, HardenedWorker\), not a CronJob/],
  ])('rejects %s', (_what, build, message) => {
    expect(() => renderEnvApp((ns, env) => { build(ns, env); })).toThrow(message);
  });
});

describe('KedaScaledJob', () => {
  const app = renderEnvApp((ns) => {
    new KedaScaledJob(ns, 'importer', { image, secretEnv: mqEnv, triggers: [rabbit(1)], maxReplicas: 5 });
  });

  test('a hardened Job template per unit of backlog, with defaults', () => {
    const sj = app.one('dev', 'ScaledJob', 'importer');
    expect(sj.spec).toMatchObject({ maxReplicaCount: 5, pollingInterval: 30, successfulJobsHistoryLimit: 5, failedJobsHistoryLimit: 5 });
    expect(sj.spec.jobTargetRef).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 3600 });
    const pod = sj.spec.jobTargetRef.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
    expect(app.all('dev', 'TriggerAuthentication').map((t) => t.metadata.name)).toEqual(['importer-rabbitmq']);
    expect(app.all('dev', 'NetworkPolicy').map((t) => t.metadata.name)).toContain('importer');
  });

  test('validates against the ScaledJob CRD schema', () => {
    expect(crdSchemaErrors(app.one('prod', 'ScaledJob'))).toEqual([]);
  });

  test('is judged by policy like any other pod', () => {
    expect(() => renderEnvApp((ns) => {
      const job = new KedaScaledJob(ns, 'importer', { image, triggers: [KedaTrigger.prometheus({ query: 'q', threshold: 1 })] });
      job.scaledJob.addJsonPatch(JsonPatch.add('/spec/jobTargetRef/template/spec/hostNetwork', true));
    })).toThrow(/pss-host-namespaces|hostNetwork/);
  });

  test('rejects an undeclared authentication secret and a bad maxReplicas', () => {
    expect(() => renderEnvApp((ns) => { new KedaScaledJob(ns, 'importer', { image, triggers: [rabbit()] }); })).toThrow(/dev\/shop\/importer: triggers\[0\].authentication names Secret key mq\/url, which the workload does not declare/);
    expect(() => renderEnvApp((ns) => { new KedaScaledJob(ns, 'importer', { image, secretEnv: mqEnv, triggers: [rabbit()], maxReplicas: 0 }); })).toThrow(/maxReplicas must be an integer between 1 and 2147483647, got 0/);
  });
});
