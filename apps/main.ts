// The example platform: a storefront (web front end, API, checkout, order worker, nightly report) in dev,
// staging and prod (two regions). `npm run synth` renders it into dist/.
//
// Delivery per environment: dev rolls out Deployments; in staging and prod the API is an Istio canary analysed
// against its SLO (Argo Rollouts), web goes blue-green (Argo Rollouts) and checkout is a Flagger canary.
import { CanaryStep, Delivery } from '../lib/delivery';
import { Environments, GitOpsApp } from '../lib/gitops';
import { ServiceLevelObjective } from '../lib/observability';
import { TrafficRouting } from '../lib/traffic';
import { HardenedCronJob, HardenedService, HardenedWorker, IDeliveryStrategy, NetworkPeer, Probe } from '../lib/workloads';
// --- tenancy ---
import { NodePool, NodePoolProps, Priority, PriorityClasses, Team } from '../lib/tenancy';

/** Node pools every cluster has: general purpose, tainted high-memory nodes (databases), tainted spot nodes (batch). */
export const nodePools: NodePoolProps[] = [
  { name: 'general', labels: { 'node.acme.io/pool': 'general' } },
  { name: 'high-memory', labels: { 'node.acme.io/pool': 'high-memory' }, taints: [{ key: 'node.acme.io/pool', value: 'high-memory', effect: 'NoSchedule' }] },
  { name: 'spot', labels: { 'node.acme.io/pool': 'spot' }, taints: [{ key: 'node.acme.io/spot', value: 'true', effect: 'NoSchedule' }], spot: true },
];
// --- end tenancy ---

export const environments = Environments.define({
  dev: {
    clusters: [{ name: 'dev', server: 'https://dev.k8s.acme.example', region: 'eu-west-1', nodePools }],
    domain: 'dev.shop.acme.example',
  },
  staging: {
    clusters: [{ name: 'staging', server: 'https://staging.k8s.acme.example', region: 'eu-west-1', nodePools }],
    domain: 'staging.shop.acme.example',
  },
  prod: {
    production: true,
    clusters: [
      { name: 'prod-eu-west-1', server: 'https://prod-eu-west-1.k8s.acme.example', region: 'eu-west-1', nodePools },
      { name: 'prod-us-east-1', server: 'https://prod-us-east-1.k8s.acme.example', region: 'us-east-1', nodePools },
    ],
    domain: 'shop.acme.example',
  },
});

const VERSION = { web: '2.14.0', api: '3.8.1', checkout: '1.6.0', worker: '3.8.1', report: '1.2.0' };

/** What the storefront's services promise their callers: canary analysis measures these (and, later, alerts). */
export const slos = {
  api: ServiceLevelObjective.of({ successRate: 0.999, latency: { percentile: 0.99, thresholdMs: 300 } }),
  web: ServiceLevelObjective.of({ successRate: 0.995, latency: { percentile: 0.95, thresholdMs: 800 } }),
  checkout: ServiceLevelObjective.of({ successRate: 0.999, latency: { percentile: 0.99, thresholdMs: 500 } }),
};

/** Builds the platform without writing anything (used by synth, the diff command and the tests). */
export function buildApp(outdir?: string): GitOpsApp<'dev' | 'staging' | 'prod'> {
  const app = new GitOpsApp({
    environments,
    repository: { url: 'https://github.com/acme/storefront-gitops.git', revision: 'main', path: 'dist' },
    outdir,
  });

  app.forEachTarget((scope, { env }) => {
    // --- tenancy ---
    new PriorityClasses(scope, 'priority-classes');
    const storefront = new Team(scope, 'storefront', {
      groups: { admins: ['oidc:storefront-admins'], developers: ['oidc:storefront-developers'], viewers: ['oidc:engineering'] },
      namespaces: ['storefront'],
      quota: env.pick({
        dev: { requestsCpu: '3', requestsMemory: '6Gi', limitsMemory: '12Gi', pods: 30, requestsStorage: '20Gi', objectCounts: { services: 20, configmaps: 20, secrets: 20, persistentvolumeclaims: 10 } },
        staging: { requestsCpu: '8', requestsMemory: '16Gi', limitsMemory: '24Gi', pods: 40, requestsStorage: '50Gi', objectCounts: { services: 20, configmaps: 20, secrets: 20, persistentvolumeclaims: 10 } },
        prod: { requestsCpu: '24', requestsMemory: '48Gi', limitsMemory: '64Gi', pods: 100, requestsStorage: '200Gi', objectCounts: { services: 20, configmaps: 20, secrets: 20, persistentvolumeclaims: 10 } },
      }),
    });
    const payments = new Team(scope, 'payments', {
      groups: { admins: ['oidc:payments-admins'], developers: ['oidc:payments-developers'], viewers: ['oidc:engineering'] },
      namespaces: ['payments'],
      quota: env.pick({
        dev: { requestsCpu: '1', requestsMemory: '2Gi', limitsMemory: '4Gi', pods: 10, objectCounts: { services: 5, configmaps: 10, secrets: 10 } },
        staging: { requestsCpu: '2', requestsMemory: '4Gi', limitsMemory: '8Gi', pods: 15, objectCounts: { services: 5, configmaps: 10, secrets: 10 } },
        prod: { requestsCpu: '4', requestsMemory: '8Gi', limitsMemory: '16Gi', pods: 30, objectCounts: { services: 5, configmaps: 10, secrets: 10 } },
      }),
    });
    const ns = storefront.namespace('storefront');
    // --- end tenancy ---

    const api = new HardenedService(ns, 'api', {
      image: `ghcr.io/acme/storefront-api:${VERSION.api}`,
      port: 8080,
      readiness: Probe.http('/readyz'),
      liveness: Probe.http('/livez'),
      startup: Probe.http('/livez', { failureThreshold: 24 }),
      resources: env.pick({
        dev: { cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '512Mi' },
        staging: { cpuRequest: '250m', memoryRequest: '512Mi', memoryLimit: '1Gi' },
        prod: { cpuRequest: '500m', memoryRequest: '1Gi', memoryLimit: '1Gi' },
      }),
      ...env.pick<{ replicas?: number; autoscaling?: { minReplicas: number; maxReplicas: number } }>({
        dev: { replicas: 1 },
        staging: { replicas: 2 },
        prod: { autoscaling: { minReplicas: 3, maxReplicas: 12 } },
      }),
      env: { LOG_LEVEL: env.pick({ dev: 'debug', staging: 'info', prod: 'info' }), DB_POOL_SIZE: '20' },
      secretEnv: { DATABASE_URL: { secret: 'storefront-db', key: 'url' } },
      // the managed Postgres lives outside the cluster
      egress: [{ peer: NetworkPeer.ipBlock('10.20.0.0/16'), ports: [5432] }],
      delivery: env.pick<IDeliveryStrategy>({
        dev: Delivery.rollingUpdate(),
        // default steps (10%, 25%, 50%, 2 minutes each) under background analysis; GET traffic mirrored to the
        // canary before it takes real requests
        staging: Delivery.canary({
          trafficRouting: TrafficRouting.istio(),
          slo: slos.api,
          steps: [
            CanaryStep.scaleCanary(25), CanaryStep.mirror({ method: 'GET', percentage: 50 }), CanaryStep.pause('5m'),
            CanaryStep.setWeight(10), CanaryStep.pause('2m'),
            CanaryStep.setWeight(50), CanaryStep.pause('2m'),
          ],
        }),
        // testers reach the canary with a header first; analysis gates each half
        prod: Delivery.canary({
          trafficRouting: TrafficRouting.istio(),
          slo: slos.api,
          steps: [
            CanaryStep.setWeight(5), CanaryStep.headerRoute({ header: 'x-storefront-canary', value: 'always' }), CanaryStep.pause('10m'),
            CanaryStep.analysis(),
            CanaryStep.setWeight(25), CanaryStep.pause('10m'),
            CanaryStep.setWeight(50), CanaryStep.pause('10m'),
            CanaryStep.analysis(),
          ],
        }),
      }),
    });

    const web = new HardenedService(ns, 'web', {
      image: `ghcr.io/acme/storefront-web:${VERSION.web}`,
      port: 8080,
      replicas: env.pick({ dev: 1, staging: 2, prod: 4 }),
      ingress: [NetworkPeer.namespace('ingress-nginx')],
      env: { API_URL: 'http://api:8080', CHECKOUT_URL: 'http://checkout:8080', PUBLIC_HOST: env.domain ?? 'localhost' },
      delivery: env.pick<IDeliveryStrategy>({
        dev: Delivery.rollingUpdate(),
        // the preview must meet the SLO before it is promoted
        staging: Delivery.blueGreen({ slo: slos.web, previewReplicaCount: 1 }),
        // a human promotes; the new version is measured again while the previous one still runs
        prod: Delivery.blueGreen({ slo: slos.web, autoPromotionEnabled: false, postPromotionAnalysis: true, scaleDownDelaySeconds: 300 }),
      }),
    });
    web.connectTo(api);

    // Flagger scales checkout from its autoscaler, so staging and prod autoscale
    const checkout = new HardenedService(ns, 'checkout', {
      image: `ghcr.io/acme/storefront-checkout:${VERSION.checkout}`,
      port: 8080,
      ...env.pick<{ replicas?: number; autoscaling?: { minReplicas: number; maxReplicas: number } }>({
        dev: { replicas: 1 },
        staging: { autoscaling: { minReplicas: 2, maxReplicas: 4 } },
        prod: { autoscaling: { minReplicas: 3, maxReplicas: 10 } },
      }),
      delivery: env.pick<IDeliveryStrategy>({
        dev: Delivery.rollingUpdate(),
        staging: Delivery.flagger({ slo: slos.checkout, loadTest: {} }),
        prod: Delivery.flagger({ slo: slos.checkout, stepWeights: [5, 10, 25, 50], threshold: 3 }),
      }),
    });
    web.connectTo(checkout);
    checkout.connectTo(api);

    const worker = new HardenedWorker(ns, 'order-worker', {
      image: `ghcr.io/acme/storefront-api:${VERSION.worker}`,
      command: ['/app/bin/worker'],
      replicas: env.pick({ dev: 1, staging: 1, prod: 3 }),
      secretEnv: { DATABASE_URL: { secret: 'storefront-db', key: 'url' } },
      egress: [{ peer: NetworkPeer.ipBlock('10.20.0.0/16'), ports: [5432] }],
    });
    worker.connectTo(api);

    new HardenedCronJob(ns, 'nightly-report', {
      image: `ghcr.io/acme/storefront-report:${VERSION.report}`,
      schedule: '30 2 * * *',
      args: ['--since=24h'],
      secretEnv: { DATABASE_URL: { secret: 'storefront-db', key: 'url' } },
      egress: [{ peer: NetworkPeer.ipBlock('10.20.0.0/16'), ports: [5432] }],
      use: [NodePool.of('spot'), Priority.of('batch')], // --- tenancy: batch work on spot nodes ---
    });

    // --- tenancy ---
    api.use(Priority.of('critical'));
    checkout.use(Priority.of('critical'));
    // the payments team's own service; checkout calls it across namespaces
    const paymentsApi = new HardenedService(payments.namespace('payments'), 'payments-api', {
      image: 'ghcr.io/acme/payments-api:0.9.2',
      port: 8080,
      replicas: env.pick({ dev: 1, staging: 2, prod: 3 }),
      resources: { cpuRequest: '200m', memoryRequest: '256Mi', memoryLimit: '512Mi' },
      use: [Priority.of('critical')],
    });
    checkout.connectTo(paymentsApi);
    // --- end tenancy ---
  });
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
