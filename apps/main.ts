// The example platform: a storefront (web front end, API, checkout, order worker, nightly report) in dev,
// staging and prod (two regions). `npm run synth` renders it into dist/.
//
// Delivery per environment: dev rolls out Deployments; in staging and prod the API is an Istio canary analysed
// against its SLO (Argo Rollouts), web goes blue-green (Argo Rollouts) and checkout is a Flagger canary.
//
// Kubernetes versions: prod-us-east-1 still runs 1.29, so its workloads drain with `exec: [sleep, N]` instead of
// the kubelet sleep action (1.30+); synth lists that fallback and validates each folder against its version.
//
// Exposure: web is exposed on the environment's host over HTTPS, the API under /api on the same host (its
// canary splits that route); staging and prod run the Istio mesh: mTLS STRICT and AuthorizationPolicies.
import '../lib/capabilities'; // every capability's registration (synth stages, settings)
import { ConfigFiles } from '../lib/config';
import { CanaryStep, Delivery } from '../lib/delivery';
import { Exposure, GatewayDeclaration } from '../lib/exposure';
import { Environments, GitOpsApp } from '../lib/gitops';
import { Metrics, ServiceLevelObjective, SloMetrics } from '../lib/observability';
import { ExternalSecret, SealedSecret, SecretEnv, SecretStore, VaultAuth } from '../lib/secrets';
import { HpaMetric, KafkaSasl, KedaTrigger, Scaling } from '../lib/scaling';
import { TrafficRouting } from '../lib/traffic';
import { HardenedCronJob, HardenedService, HardenedWorker, IDeliveryStrategy, IWorkloadExtension, NetworkPeer, Probe } from '../lib/workloads';
// --- tenancy ---
import { Access, NodePool, NodePoolProps, Priority, PriorityClasses, Team } from '../lib/tenancy';
import { KyvernoPolicies } from '../lib/policy';
// --- storage ---
import { StorageClassProps } from '../lib/storage';
import { HardenedJob, HardenedStatefulSet } from '../lib/workloads';
// --- promotion ---
import { ChangeCalendar, FreezeWindow, Promotion } from '../lib/promotion';

// --- storage: every cluster declares the class the database's volumes use (dev's disks are disposable) ---
const fastSsd = (reclaimPolicy: 'Retain' | 'Delete'): StorageClassProps[] => [
  { name: 'fast-ssd', provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3', encrypted: 'true' }, reclaimPolicy },
];

// --- exposure ---
/**
 * Every cluster's shared Gateway (Istio's Gateway API implementation), rendered by the platform: the environment's
 * own host and a wildcard listener below it, each with a certificate from the environment's issuer; each listener
 * admits exactly the team namespaces whose routes attach to it.
 */
const gateway: GatewayDeclaration = {
  name: 'public',
  namespace: 'gateway-system',
  gatewayClassName: 'istio',
  podLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' },
  serviceAccount: 'public-istio',
  listeners: [{ name: 'https', hostname: '{domain}' }, { name: 'https-wildcard', hostname: '*.{domain}', certificateSecret: 'wildcard-tls' }],
};
/** The proxy resources the clusters' Istio installation injects (its `global.proxy.resources`): quota fits count them. */
const meshSidecar = { cpuRequest: '50m', memoryRequest: '64Mi', cpuLimit: '500m', memoryLimit: '256Mi' };
const stagingIssuer = { name: 'letsencrypt-staging' };
// --- end exposure ---

// --- secrets ---
/**
 * Each environment reads its own Vault: a ClusterSecretStore `vault-<env>` logging in with Kubernetes auth as the
 * `vault-auth` account, which the store renders; Vault (outside the clusters) reviews each login with that
 * account's own token, so the account is bound to `system:auth-delegator`.
 */
function vaultStore(env: 'dev' | 'staging' | 'prod'): SecretStore {
  return SecretStore.vault({
    name: `vault-${env}`,
    server: `https://vault.${env === 'prod' ? '' : `${env}.`}acme.example:8200`,
    path: 'secret',
    auth: VaultAuth.kubernetes({
      role: `storefront-${env}`,
      mountPath: `kubernetes-${env}`,
      serviceAccount: { name: 'vault-auth', namespace: 'external-secrets', render: true },
      tokenReviewer: 'client',
    }),
  });
}

// --- tenancy ---
/** Node pools every cluster has: general purpose, tainted high-memory nodes (databases), tainted spot nodes (batch). */
export const nodePools: NodePoolProps[] = [
  { name: 'general', labels: { 'node.acme.io/pool': 'general' } },
  { name: 'high-memory', labels: { 'node.acme.io/pool': 'high-memory' }, taints: [{ key: 'node.acme.io/pool', value: 'high-memory', effect: 'NoSchedule' }] },
  { name: 'spot', labels: { 'node.acme.io/pool': 'spot' }, taints: [{ key: 'node.acme.io/spot', value: 'true', effect: 'NoSchedule' }], spot: true },
];
// --- end tenancy ---

export const environments = Environments.define({
  dev: {
    clusters: [{ name: 'dev', server: 'https://dev.k8s.acme.example', region: 'eu-west-1', kubernetesVersion: '1.34', gateway, storageClasses: fastSsd('Delete'), nodePools }],
    domain: 'dev.shop.acme.example',
    certificateIssuer: stagingIssuer,
    // --- secrets ---
    secretStores: { vault: vaultStore('dev') },
  },
  staging: {
    clusters: [{ name: 'staging', server: 'https://staging.k8s.acme.example', region: 'eu-west-1', kubernetesVersion: '1.34', gateway, storageClasses: fastSsd('Retain'), nodePools }],
    domain: 'staging.shop.acme.example',
    certificateIssuer: stagingIssuer,
    mesh: { istio: true, sidecar: meshSidecar },
    // --- secrets ---
    secretStores: { vault: vaultStore('staging') },
  },
  prod: {
    production: true,
    clusters: [
      { name: 'prod-eu-west-1', server: 'https://prod-eu-west-1.k8s.acme.example', region: 'eu-west-1', kubernetesVersion: '1.33', gateway, storageClasses: fastSsd('Retain'), nodePools },
      { name: 'prod-us-east-1', server: 'https://prod-us-east-1.k8s.acme.example', region: 'us-east-1', kubernetesVersion: '1.29', gateway, storageClasses: fastSsd('Retain'), nodePools },
    ],
    domain: 'shop.acme.example',
    certificateIssuer: { name: 'letsencrypt' },
    mesh: { istio: true, sidecar: meshSidecar },
    // --- secrets ---
    secretStores: { vault: vaultStore('prod') },
  },
});

const VERSION = { web: '2.14.0', api: '3.9.0', checkout: '1.6.0', worker: '3.9.0', report: '1.2.0' };

/** What the storefront's services promise their callers: canary analysis measures these (and, later, alerts). */
export const slos = {
  api: ServiceLevelObjective.of({ successRate: 0.999, latency: { percentile: 0.99, thresholdMs: 300 } }),
  // web is measured on the mesh (its blue-green analysis and its alerts): a bound of Istio's default histogram
  web: ServiceLevelObjective.of({ successRate: 0.995, latency: { percentile: 0.95, thresholdMs: 1000 } }),
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
  // --- promotion --- dev -> staging -> prod ring 1 (eu-west-1) -> ring 2 (us-east-1); each stage renders the
  // release promotion.yaml records for it (dev: what the code declares); prod freezes over the year-end peak
  new Promotion(app, 'promotion', {
    environments,
    rings: { prod: [{ clusters: ['prod-eu-west-1'] }, { clusters: ['prod-us-east-1'] }] },
    soak: { 'prod/1': '2h', 'prod/2': '24h' },
    calendar: ChangeCalendar.of({
      prod: [FreezeWindow.yearly({ name: 'year-end', from: '12-20', until: '01-04', description: 'year-end sales peak' })],
    }),
  });

  app.forEachTarget((scope, { env, cluster }) => {
    // --- tenancy ---
    new PriorityClasses(scope, 'priority-classes');
    // admission enforces what synth checks (Enforce in prod, Audit elsewhere); exemptions travel as PolicyExceptions
    new KyvernoPolicies(scope, 'kyverno');
    const storefront = new Team(scope, 'storefront', {
      groups: { admins: ['oidc:storefront-admins'], developers: ['oidc:storefront-developers'], viewers: ['oidc:engineering'] },
      namespaces: ['storefront'],
      quota: env.pick({
        dev: { requestsCpu: '3', requestsMemory: '6Gi', limitsMemory: '12Gi', pods: 30, requestsStorage: '20Gi', objectCounts: { services: 20, configmaps: 20, secrets: 20, persistentvolumeclaims: 10 } },
        staging: { requestsCpu: '8', requestsMemory: '16Gi', limitsMemory: '24Gi', pods: 40, requestsStorage: '50Gi', objectCounts: { services: 20, configmaps: 20, secrets: 20, persistentvolumeclaims: 10 } },
        prod: { requestsCpu: '30', requestsMemory: '64Gi', limitsMemory: '88Gi', pods: 100, requestsStorage: '400Gi', objectCounts: { services: 20, configmaps: 20, secrets: 20, persistentvolumeclaims: 10 } },
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

    // --- secrets ---
    // database credentials from this environment's Vault; the payment provider's token sealed with kubeseal
    new ExternalSecret(ns, 'storefront-db', {
      store: 'vault',
      data: {
        url: { key: `storefront/${env.name}/database`, property: 'url' },
        username: { key: `storefront/${env.name}/database`, property: 'username' },
        password: { key: `storefront/${env.name}/database`, property: 'password' },
      },
    });
    // the order queue's credentials, from the same Vault
    new ExternalSecret(ns, 'storefront-rabbitmq', {
      store: 'vault',
      data: { url: { key: `storefront/${env.name}/rabbitmq`, property: 'url' } },
    });
    const paymentToken = new SealedSecret(ns, 'payment-provider', {
      encryptedData: { token: env.pick(PAYMENT_TOKEN_SEALED) },
    });

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
      env: { LOG_LEVEL: env.pick({ dev: 'debug', staging: 'info', prod: 'info' }), DB_POOL_SIZE: '20' },
      secretEnv: { DATABASE_URL: { secret: 'storefront-db', key: 'url' } },
      use: [
        // --- observability and scaling ---
        scrape(),
        Metrics.slo(slos.api, { metrics: sloMetrics }),
        ...env.pick<IWorkloadExtension[]>({
          dev: [],
          staging: [],
          prod: [Scaling.hpa({ minReplicas: 3, maxReplicas: 12, metrics: [HpaMetric.requestsPerSecond(API_RPS_PER_POD), HpaMetric.cpu(70)] })],
        }),
        // --- config and secrets, exposure (under /api on the storefront's host; the canary splits this same route) ---
        ConfigFiles.of({ files: { 'application.yaml': apiConfig(env.name) }, mountPath: '/etc/storefront-api' }),
        SecretEnv.of(paymentToken, { PAYMENT_PROVIDER_TOKEN: 'token' }, { rollOnChange: true }),
        Exposure.http({ hosts: ['{domain}'], paths: ['/api'] }),
      ],
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
      // --- exposure --- on the environment's host, over HTTPS with a cert-manager certificate
      use: [Exposure.http({ hosts: ['{domain}'] })],
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
      // --- config ---
      use: [
        scrape(), Metrics.slo(slos.checkout, { metrics: sloMetrics }), // --- observability ---
        ConfigFiles.of({
          files: { 'checkout.json': { currency: 'EUR', paymentTimeoutSeconds: env.pick({ dev: 30, staging: 15, prod: 10 }) } },
          // not a credential, but it stays out of pull-request comments: diff and review print a hash instead
          env: { PAYMENT_MERCHANT_ID: env.pick({ dev: 'acme-test-0001', staging: 'acme-test-0001', prod: 'acme-eu-4711' }) },
          sensitive: ['PAYMENT_MERCHANT_ID'],
        }),
      ],
    });
    web.connectTo(checkout);
    checkout.connectTo(api);

    const worker = new HardenedWorker(ns, 'order-worker', {
      image: `ghcr.io/acme/storefront-api:${VERSION.worker}`,
      command: ['/app/bin/worker'],
      secretEnv: { DATABASE_URL: { secret: 'storefront-db', key: 'url' }, AMQP_URL: { secret: 'storefront-rabbitmq', key: 'url' } },
      egress: [{ peer: NetworkPeer.namespace('rabbitmq'), ports: [5672] }],
      // --- scaling --- one pod per 20 queued orders; idle at zero pods in dev
      use: [
        Scaling.keda({
          // the connection URL (with its credentials) from the declared Secret; TLS to the broker
          triggers: [KedaTrigger.rabbitMq({ queueName: 'orders', value: 20, host: { secret: 'storefront-rabbitmq', key: 'url' }, tls: {} })],
          minReplicas: env.pick({ dev: 1, staging: 1, prod: 3 }),
          maxReplicas: env.pick({ dev: 2, staging: 4, prod: 20 }),
          scaleToZero: env.is('dev'),
        }),
        Metrics.scrape({ port: 9090 }),
        // one replica relays the outbox at a time: leader election on a Lease (mounts the token, exempted with the grant)
        Access.grant({ resources: ['leases'], verbs: ['get', 'create', 'update'], apiGroups: ['coordination.k8s.io'], resourceNames: ['order-worker-leader'] }),
      ],
    });
    worker.connectTo(api);

    const report = new HardenedCronJob(ns, 'nightly-report', {
      image: `ghcr.io/acme/storefront-report:${VERSION.report}`,
      schedule: '30 2 * * *',
      args: ['--since=24h'],
      secretEnv: { DATABASE_URL: { secret: 'storefront-db', key: 'url' } },
      use: [NodePool.of('spot'), Priority.of('batch')], // --- tenancy: batch work on spot nodes ---
    });

    // --- storage: the storefront's PostgreSQL, its backups, and the schema migration that runs before the API ---
    const db = new HardenedStatefulSet(ns, 'db', {
      image: 'ghcr.io/acme/storefront-postgres:16.4',
      port: 5432,
      portName: 'postgres',
      replicas: env.pick({ dev: 1, staging: 1, prod: 3 }),
      volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: env.pick({ dev: '10Gi', staging: '20Gi', prod: '100Gi' }), storageClassName: 'fast-ssd' }],
      resources: env.pick({
        dev: { cpuRequest: '250m', memoryRequest: '512Mi', memoryLimit: '1Gi' },
        staging: { cpuRequest: '500m', memoryRequest: '1Gi', memoryLimit: '2Gi' },
        prod: { cpuRequest: '2', memoryRequest: '8Gi', memoryLimit: '8Gi' },
      }),
      env: { PGDATA: '/var/lib/postgresql/data/pgdata' },
      secretEnv: { POSTGRES_PASSWORD: { secret: 'storefront-db', key: 'password' } },
      // production backs up daily by default; the checkpoint flushes dirty pages so the snapshot starts clean
      backup: env.production
        ? { storageLocation: `backups-${cluster.region}`, preHook: { command: ['psql', '-U', 'postgres', '-c', 'CHECKPOINT'], timeout: '2m' } }
        : undefined,
    });
    // the server's socket directory (the root filesystem is read-only)
    db.use(NodePool.of('high-memory')); // --- tenancy: the database runs on the tainted high-memory pool ---
    db.pod.addVolume({ name: 'run', emptyDir: { sizeLimit: '1Mi' } }, { mountPath: '/var/run/postgresql' });
    api.connectTo(db);
    worker.connectTo(db);
    report.connectTo(db); // every workload kind connects the same way (cron jobs and jobs too)

    const migrate = new HardenedJob(ns, 'db-migrate', {
      image: `ghcr.io/acme/storefront-api:${VERSION.api}`,
      command: ['/app/bin/migrate', 'up'],
      secretEnv: { DATABASE_URL: { secret: 'storefront-db', key: 'url' } },
      runBefore: [api],
    });
    migrate.connectTo(db);

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
    // the payments team's event consumer: KEDA follows its Kafka lag, logging in with SCRAM-SHA-512 over TLS; the
    // mechanism is plain trigger metadata, the user, password and CA come from the team's Vault
    const paymentsNs = payments.namespace('payments');
    new ExternalSecret(paymentsNs, 'payments-kafka', {
      store: 'vault',
      data: {
        username: { key: `payments/${env.name}/kafka`, property: 'username' },
        password: { key: `payments/${env.name}/kafka`, property: 'password' },
        'ca.crt': { key: `payments/${env.name}/kafka`, property: 'ca' },
      },
    });
    const kafkaSecret = (key: string) => ({ secret: 'payments-kafka', key });
    new HardenedWorker(paymentsNs, 'payments-events', {
      image: 'ghcr.io/acme/payments-api:0.9.2',
      command: ['/app/bin/events'],
      resources: { cpuRequest: '100m', memoryRequest: '128Mi', memoryLimit: '256Mi' },
      secretEnv: { KAFKA_USERNAME: kafkaSecret('username'), KAFKA_PASSWORD: kafkaSecret('password'), KAFKA_CA: kafkaSecret('ca.crt') },
      egress: [{ peer: NetworkPeer.namespace('kafka'), ports: [9093] }],
      use: [Scaling.keda({
        triggers: [KedaTrigger.kafka({
          bootstrapServers: ['kafka-bootstrap.kafka.svc:9093'], consumerGroup: 'payments-events', topic: 'payments',
          sasl: KafkaSasl.scramSha512({ username: kafkaSecret('username'), password: kafkaSecret('password') }),
          tls: { ca: kafkaSecret('ca.crt') },
        })],
        minReplicas: 1,
        maxReplicas: env.pick({ dev: 2, staging: 2, prod: 6 }),
      })],
    });
    // --- end tenancy ---
  });
  return app;
}

// --- config ---
/** The API's application.yaml: what differs per environment is here, in code, not in patches. */
function apiConfig(env: 'dev' | 'staging' | 'prod') {
  return {
    server: { port: 8080, shutdown: 'graceful' },
    storefront: {
      currency: 'EUR',
      search: { backend: env === 'dev' ? 'in-memory' : 'opensearch', resultsPerPage: 24 },
      recommendations: { enabled: env !== 'dev' },
    },
    database: { pool: { maxSize: env === 'prod' ? 40 : 10, idleTimeout: '10m' } },
    logging: { level: env === 'dev' ? 'debug' : 'info', format: 'json' },
  };
}

// --- secrets ---
/**
 * Made-up example ciphertext (plausible kubeseal output: base64 of a 2-byte length, an RSA-2048 block and an
 * AES-GCM part), NOT a real sealed value. Seal your own per cluster:
 * `kubectl create secret generic payment-provider -n storefront --from-literal=token=... --dry-run=client -o yaml | kubeseal -o yaml`.
 * Prod's two clusters share one sealing key here (copied between their controllers).
 */
const PAYMENT_TOKEN_SEALED = {
  dev: 'AQBg2AjS+M/wL++G3hYoK7q3ooOPKssjKaer7eCgCm0dW3qqNHj6x0+F/HSI5dRsebzIK7x0dj8d2l5w4ndv/4mZhOn5DPaS0+qNJzCceaLKI/XDSdOBOWlQtr4eZlB5/24E++WGjGrl+m285YWkL0iOO5rpNuZ5lr9Y/Bed4Qs1GUv7OK0Q28ZYJ6Cexu4Khba6DtqU1Ra4l+pkTLDRch4Wp/xlUnqOYo+i2UBa+wqCDVLKmB0Hce6doyChoc8bzRL08epH0v2yz8dS5tj4oaH9w7pnexzaRPAauNbDHTJhob/RLVv033sa0Ds3Zs38npiMf020miI0aSmHV+JMyqYRQl08moZwwen2ubEBbMc4+yOl8rsdr4b2Y8wmnIm1aQBGnBy9vFYQb0iJWOtZlEBG',
  staging: 'AQAvmpbYiF2iE9cAjLecSeBz3XTM2bi2MUVcrcCQtxXHjsBpxXUjsht3LBbfCJeFRcau/wAhNcQ/EC0Ktuor9fInQpp3It5NWsH8HEpSOW8+3tg2fnMgw74jyvCgSYs48N8Q3v5Px3Yq0QqlEIpnBCPSfu7Q6szpR47b3GpT2rg+vDQQGHvNWxnFdvUSEkcpQUxHFJ7ZaIq5EcMTrNMxHMZAq/1rfUsBFUkhHQpDA43q7fGi+3C5uVD7HA2g+DwSC/X7z9AF1rYUD5TbprpGT1bQYEdQ/r9lp6k5KT+z74j3uZ6XBLXnIz8uj2C2pjKN1NhSn0+JPxUz9amwSKfduNSZy64HsdabUea+7GNdkvfTeeytWE3mgGP1X3Cj5jb4RjnpHUWlaeTriwGVVwcBGZMd',
  prod: 'AQBvp9cZ7sBX7ui95XGGvsFr60x0Sz6dqu8lfTkLL0SR38wLy2/035pKyV2fzGMCl6JGt+0gst6TwmvA2uUIBoD8cBjhHNahNvu5iEj0bx40x5zq/gnh1zS8KvgXIzOubHFGR9Az1RlRwMk2ycggGFsSg8kT6COzEqN0j8pSyBGoeh634y0HFIfyIHvWwI0WrpmA94ur/vd6249L2wX5FSAXtt4BniWgcsPNIp2wOI0sSBE4r7TPRNx+HyuWmJPhLwbfSV63Mt4RamddBHthg4RlpRMjqOJAhS2JKbGBbrBqybxpr8UmjGGmY8BrsXkIruTlnJSv49EUl2xNUJvkUVw91vVKfmZ/JEugNmIjRdMgnN7FQ+6Ywl7I5w/xG79TdafD8f3+LViU4rRpoRVOXr2F',
};

if (require.main === module) {
  buildApp().synth();
}
