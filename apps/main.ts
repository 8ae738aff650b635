// The example platform: a storefront (web front end, API, checkout, order worker, nightly report) in dev,
// staging and prod (two regions). `npm run synth` renders it into dist/.
//
// Delivery per environment: dev rolls out Deployments; in staging and prod the API is an Istio canary analysed
// against its SLO (Argo Rollouts), web goes blue-green (Argo Rollouts) and checkout is a Flagger canary.
import { CanaryStep, Delivery } from '../lib/delivery';
import { Environments, GitOpsApp } from '../lib/gitops';
import { Metrics, ServiceLevelObjective, SloMetrics } from '../lib/observability';
import { PlatformNamespace } from '../lib/platform';
import { HpaMetric, KedaTrigger, Scaling } from '../lib/scaling';
import { TrafficRouting } from '../lib/traffic';
import { HardenedCronJob, HardenedService, HardenedWorker, IDeliveryStrategy, IWorkloadExtension, NetworkPeer, Probe } from '../lib/workloads';

export const environments = Environments.define({
  dev: {
    clusters: [{ name: 'dev', server: 'https://dev.k8s.acme.example', region: 'eu-west-1' }],
    domain: 'dev.shop.acme.example',
  },
  staging: {
    clusters: [{ name: 'staging', server: 'https://staging.k8s.acme.example', region: 'eu-west-1' }],
    domain: 'staging.shop.acme.example',
  },
  prod: {
    production: true,
    clusters: [
      { name: 'prod-eu-west-1', server: 'https://prod-eu-west-1.k8s.acme.example', region: 'eu-west-1' },
      { name: 'prod-us-east-1', server: 'https://prod-us-east-1.k8s.acme.example', region: 'us-east-1' },
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

// --- observability and scaling ---
/**
 * The services' metrics endpoint: the request-duration histogram's buckets (milliseconds) include every SLO
 * latency threshold. SLO alerts read the services' own metrics (`http_requests_total`, its histogram).
 */
const scrape = () => Metrics.scrape({ port: 9090, latencyBucketsMs: [25, 50, 100, 300, 500, 800, 1000, 2500] });
const sloMetrics = SloMetrics.http();
/**
 * Requests per second per API pod in prod: `http_requests_per_second`, served on the custom metrics API by the
 * Prometheus adapter from `http_requests_total` (rule: `sum(rate(http_requests_total[2m])) by (namespace, pod)`).
 */
const API_RPS_PER_POD = 50;
// --- end observability and scaling ---

/** Builds the platform without writing anything (used by synth, the diff command and the tests). */
export function buildApp(outdir?: string): GitOpsApp<'dev' | 'staging' | 'prod'> {
  const app = new GitOpsApp({
    environments,
    repository: { url: 'https://github.com/acme/storefront-gitops.git', revision: 'main', path: 'dist' },
    outdir,
  });

  app.forEachTarget((scope, { env }) => {
    const ns = new PlatformNamespace(scope, 'storefront', { team: 'storefront' });

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
        prod: {},
      }),
      // --- observability and scaling ---
      use: [
        scrape(),
        Metrics.slo(slos.api, { metrics: sloMetrics }),
        ...env.pick<IWorkloadExtension[]>({
          dev: [],
          staging: [],
          prod: [Scaling.hpa({ minReplicas: 3, maxReplicas: 12, metrics: [HpaMetric.requestsPerSecond(API_RPS_PER_POD), HpaMetric.cpu(70)] })],
        }),
      ],
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
      use: [scrape(), Metrics.slo(slos.checkout, { metrics: sloMetrics })], // --- observability ---
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
      secretEnv: { DATABASE_URL: { secret: 'storefront-db', key: 'url' }, AMQP_URL: { secret: 'storefront-rabbitmq', key: 'url' } },
      egress: [{ peer: NetworkPeer.ipBlock('10.20.0.0/16'), ports: [5432] }, { peer: NetworkPeer.namespace('rabbitmq'), ports: [5672] }],
      // --- scaling --- one pod per 20 queued orders; idle at zero pods in dev
      use: [
        Scaling.keda({
          triggers: [KedaTrigger.rabbitMq({ queueName: 'orders', value: 20, authentication: { secret: 'storefront-rabbitmq', keys: { host: 'url' } } })],
          minReplicas: env.pick({ dev: 1, staging: 1, prod: 3 }),
          maxReplicas: env.pick({ dev: 2, staging: 4, prod: 20 }),
          scaleToZero: env.is('dev'),
        }),
        Metrics.scrape({ port: 9090 }),
      ],
    });
    worker.connectTo(api);

    new HardenedCronJob(ns, 'nightly-report', {
      image: `ghcr.io/acme/storefront-report:${VERSION.report}`,
      schedule: '30 2 * * *',
      args: ['--since=24h'],
      secretEnv: { DATABASE_URL: { secret: 'storefront-db', key: 'url' } },
      egress: [{ peer: NetworkPeer.ipBlock('10.20.0.0/16'), ports: [5432] }],
    });
  });
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
