// The benchmark platform: SERVICES generated services (default 100) in dev, staging and prod, spread over ten
// namespaces. `node --import tsx apps/bench.ts` renders it into $CDK8S_OUTDIR or dist-bench/ (never dist/);
// `npx tsx scripts/bench.ts` times it against the serialization floor and stock cdk8s.
//
// Every service is a HardenedService with its usual companions (ServiceAccount, Deployment, Service,
// NetworkPolicy, an autoscaler (even services an HPA, odd ones a KEDA ScaledObject), PodDisruptionBudget), a
// ServiceMonitor and an SLO PrometheusRule, plus its config files (an immutable,
// content-named ConfigMap) and a SealedSecret token: OBJECTS_PER_SERVICE objects per service and environment.
// Every namespace has an ExternalSecret `db` (from an existing Vault store) that every third service reads. Every
// service but the first calls one other (service i calls service (i - 1) / 2, across namespaces).
// --- exposure --- Every service is exposed on `<name>.<domain>` through the cluster's Gateway (an HTTPRoute;
// the wildcard listener holds the certificate) and every environment runs the Istio mesh: per namespace a
// PeerAuthentication and a deny-all AuthorizationPolicy, per service an ALLOW AuthorizationPolicy (the gateway
// and its callers) and a DestinationRule (circuit breaking).
import '../lib/capabilities'; // every capability's registration (synth stages, settings)
import { createHash } from 'crypto';
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigFiles } from '../lib/config';
import { runFinalizers } from '../lib/core';
import { Exposure, GatewayDeclaration, PlatformGateway } from '../lib/exposure';
import { Environment, Environments, GitOpsApp, setTarget } from '../lib/gitops';
import { Metrics, ServiceLevelObjective, SloMetrics } from '../lib/observability';
import { PlatformNamespace } from '../lib/platform';
import { KedaTrigger, Scaling } from '../lib/scaling';
import { ExternalSecret, SealedSecret, SecretEnv, SecretStore, VaultAuth } from '../lib/secrets';
import { KyvernoPolicies } from '../lib/policy';
import { Access, NodePool, NodePoolProps, Priority, PriorityClasses, Team } from '../lib/tenancy';
import { CanaryStep, Delivery } from '../lib/delivery';
import { StorageClass, StorageClassProps } from '../lib/storage';
import { TrafficRouting } from '../lib/traffic';
import { addImageResolver, HardenedCronJob, HardenedService, HardenedWorker, IDeliveryStrategy } from '../lib/workloads';
// --- promotion ---
import { LedgerEntry, Promotion, PromotionLedger } from '../lib/promotion';
// --- storage ---
import { HardenedJob, HardenedStatefulSet } from '../lib/workloads';

type EnvName = 'dev' | 'staging' | 'prod';

// --- exposure ---
/** The injected proxy's resources (the Istio installation's `global.proxy.resources`): quota fits count them. */
const benchSidecar = { cpuRequest: '50m', memoryRequest: '64Mi', cpuLimit: '500m', memoryLimit: '256Mi' };
// the apex host (services under a path of it bring a cert-manager Certificate) and a wildcard listener
const benchGateway = (domain: string): GatewayDeclaration => ({
  name: 'public', namespace: 'gateway-system', gatewayClassName: 'istio', serviceAccount: 'public-istio', podLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' },
  listeners: [{ name: 'https', hostname: `*.${domain}`, certificateSecret: 'wildcard-tls' }, { name: 'https-apex', hostname: domain }],
});

// --- every capability the example platform uses, per cluster: a Kubernetes version (three different ones, 1.29
// with its fallbacks), a storage class, node pools, a Vault ClusterSecretStore and a certificate issuer ---
const benchStorage = (reclaimPolicy: 'Retain' | 'Delete'): StorageClassProps[] => [
  { name: 'fast-ssd', provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3', encrypted: 'true' }, reclaimPolicy },
];
export const benchNodePools: NodePoolProps[] = [
  { name: 'general', labels: { 'node.acme.io/pool': 'general' } },
  { name: 'spot', labels: { 'node.acme.io/pool': 'spot' }, taints: [{ key: 'node.acme.io/spot', value: 'true', effect: 'NoSchedule' }], spot: true },
];
const benchVault = (env: EnvName) => ({
  vault: SecretStore.vault({
    name: `vault-${env}`, server: `https://vault.${env}.bench.example:8200`, path: 'secret',
    auth: VaultAuth.kubernetes({
      role: `bench-${env}`, mountPath: `kubernetes-${env}`,
      serviceAccount: { name: 'vault-auth', namespace: 'external-secrets', render: true }, tokenReviewer: 'client',
    }),
  }),
});

/** The bench's cluster settings of one environment (also the fleet case's rings: scripts/bench-fleet.ts). */
export function benchCluster(env: EnvName, name: string = env, server = `https://${name}.k8s.bench.example`) {
  const domain = env === 'prod' ? 'bench.example' : `${env}.bench.example`;
  return {
    name, server, region: 'eu-west-1', gateway: benchGateway(domain),
    kubernetesVersion: ({ dev: '1.34', staging: '1.33', prod: '1.29' } as const)[env],
    storageClasses: benchStorage(env === 'dev' ? 'Delete' : 'Retain'),
    nodePools: benchNodePools,
  };
}

const envSettings = (env: EnvName) => ({
  domain: env === 'prod' ? 'bench.example' : `${env}.bench.example`, mesh: { istio: true, sidecar: benchSidecar }, secretStores: benchVault(env),
  certificateIssuer: { name: env === 'prod' ? 'letsencrypt' : 'letsencrypt-staging' },
});

export const benchEnvironments = Environments.define<EnvName>({
  dev: { clusters: [benchCluster('dev')], ...envSettings('dev') },
  staging: { clusters: [benchCluster('staging')], ...envSettings('staging') },
  prod: { production: true, clusters: [benchCluster('prod')], ...envSettings('prod') },
});

/** The most namespaces the services are spread over (BENCH_NAMESPACES, 1, 2 or 5, packs them closer). */
export const BENCH_NAMESPACES = 10;
/**
 * ServiceAccount, Deployment, Service, NetworkPolicy, HorizontalPodAutoscaler or ScaledObject,
 * PodDisruptionBudget, ServiceMonitor, PrometheusRule, ConfigMap (config files), SealedSecret, HTTPRoute,
 * DestinationRule, AuthorizationPolicy, and the mesh's PeerAuthentication that lets Prometheus scrape in plain text.
 */
export const OBJECTS_PER_SERVICE = 14;
/**
 * One Team per namespace (tenancy): Namespace, default-deny NetworkPolicy, LimitRange, ResourceQuota, three
 * preset Roles and their RoleBindings, the Flux tenant's RoleBinding and ServiceAccount; the mesh's
 * PeerAuthentication and deny-all AuthorizationPolicy; the namespace's ExternalSecret.
 */
export const OBJECTS_PER_NAMESPACE = 15;
// --- storage: one service in ten (0, 10, 20...) owns a database and a migration Job that runs before it ---
/** Every how-many-th service owns a database. */
export const DATABASE_EVERY = 10;
/**
 * Database (ServiceAccount, StatefulSet, two Services, NetworkPolicy, PodDisruptionBudget, and with the mesh an
 * AuthorizationPolicy admitting its callers) + migration Job (ServiceAccount, Job, NetworkPolicy).
 */
export const OBJECTS_PER_DATABASE = 10;
/** How many databases the platform of `services` services has. */
export function benchDatabases(services: number): number {
  return Math.ceil(services / DATABASE_EVERY);
}

/** Service `service`'s database and its migration, below `scope` (the service's namespace scope or chart). */
export function addBenchDatabase(scope: Construct, spec: BenchServiceSpec, env: Environment<EnvName>, service: HardenedService): void {
  if (spec.index % DATABASE_EVERY !== 0) return;
  const db = new HardenedStatefulSet(scope, `${spec.name}-db`, {
    image: BENCH_POSTGRES,
    port: 5432,
    replicas: env.pick({ dev: 1, staging: 1, prod: 3 }),
    volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: env.pick({ dev: '5Gi', staging: '10Gi', prod: '50Gi' }), storageClassName: 'fast-ssd' }],
    // production backs up daily (a Velero Schedule)
    backup: env.production ? { storageLocation: 'backups-eu-west-1' } : false,
  });
  service.connectTo(db);
  const migrate = new HardenedJob(scope, `${spec.name}-migrate`, { image: benchMigrateImage(spec), args: ['migrate'], runBefore: [service] });
  db.connectFrom(migrate);
}

/** SERVICES when the environment variable is not set. */
export const DEFAULT_SERVICES = 100;

/** One generated service: its name (also its construct id), namespace and whom it calls. */
export interface BenchServiceSpec {
  readonly index: number;
  readonly name: string;
  readonly namespace: string;
  /** Index of the service this one calls (connectTo), if any. */
  readonly calls?: number;
}

/** The generated platform: namespaces, then services in creation order. */
export interface BenchPlatform {
  readonly namespaces: readonly string[];
  readonly services: readonly BenchServiceSpec[];
}

/** BENCH_NAMESPACES, else BENCH_NAMESPACES' default: how many namespaces the services are spread over. */
export function namespacesFromEnv(): number {
  const raw = process.env.BENCH_NAMESPACES;
  if (raw === undefined || raw === '') return BENCH_NAMESPACES;
  const n = Number(raw);
  // every tenth service routes the environment's apex host, which one owner may serve: they share a team only
  // when the spread divides ten
  if (![1, 2, 5, 10].includes(n)) throw new Error(`bench: BENCH_NAMESPACES must be 1, 2, 5 or 10 (a divisor of ten: the services on the apex host share one team), got ${JSON.stringify(raw)}; use e.g. 1 (every service in one namespace)`);
  return n;
}

/** The platform of `services` services (deterministic: the same number gives the same platform). */
export function benchPlatform(services: number): BenchPlatform {
  if (!Number.isInteger(services) || services < 1) {
    throw new Error(`bench: SERVICES must be a positive integer, got ${JSON.stringify(services)}; use e.g. ${DEFAULT_SERVICES}`);
  }
  const nsCount = Math.min(namespacesFromEnv(), services);
  const width = String(services - 1).length;
  const namespaces = Array.from({ length: nsCount }, (_, i) => `team-${String(i).padStart(2, '0')}`);
  const specs = Array.from({ length: services }, (_, i): BenchServiceSpec => ({
    index: i,
    name: `svc-${String(i).padStart(Math.max(width, 4), '0')}`,
    namespace: namespaces[i % nsCount],
    calls: i > 0 ? Math.floor((i - 1) / 2) : undefined,
  }));
  return { namespaces, services: specs };
}

// --- tenancy ---
/** The team owning `namespace`, with a quota sized for the services it holds (their prod maximum, mesh sidecars included, fits). */
export function addBenchTeam(scope: Construct, namespace: string, services: number): PlatformNamespace {
  const team = new Team(scope, namespace, {
    groups: { admins: [`oidc:${namespace}-admins`], developers: [`oidc:${namespace}-developers`], viewers: ['oidc:engineering'] },
    namespaces: [namespace],
    // per service at most 24 pods + 6 surge of 500m / 512Mi (1Gi limit), and one service in ten has a database
    quota: {
      requestsCpu: String(services * 26), requestsMemory: `${services * 26}Gi`, limitsMemory: `${services * 58}Gi`, pods: services * 48,
      objectCounts: { services: services * 3, configmaps: services * 3 + 1, secrets: services * 2 + 10 },
    },
  });
  return team.namespace(namespace);
}
// --- end tenancy ---

/** Creates one service, with its ConfigMap, below `scope` (whose namespace it lives in). */
const BENCH_SLO = ServiceLevelObjective.of({ successRate: 0.999, latency: { percentile: 0.99, thresholdMs: 300 } });

export function addBenchService(scope: Construct, spec: BenchServiceSpec, env: Environment<EnvName>): HardenedService {
  const i = spec.index;
  const bounds = env.pick({
    dev: { minReplicas: 2, maxReplicas: 4 },
    staging: { minReplicas: 2, maxReplicas: 6 },
    prod: { minReplicas: 3, maxReplicas: 12 + (i % 4) * 4 },
  });
  const service = new HardenedService(scope, spec.name, {
    image: benchImage(spec),
    port: 8080,
    autoscaling: i % 2 === 0 ? bounds : undefined,
    // --- observability and scaling --- (explicit environment settings: the stock twin has no GitOpsApp target)
    use: [
      Metrics.scrape({ port: 9090, latencyBucketsMs: [100, 300, 1000] }),
      Metrics.slo(BENCH_SLO, { metrics: SloMetrics.http(), dashboard: false, environment: env.name, paging: env.production }),
      ...(i % 2 === 1 ? [Scaling.keda({
        ...bounds,
        triggers: [KedaTrigger.prometheus({
          serverAddress: env.prometheusAddress,
          query: `sum(rate(http_requests_total{namespace="${spec.namespace}",service="${spec.name}"}[2m]))`,
          threshold: 100,
        })],
      })] : []),
      // --- exposure --- one service in ten under a path of the apex host (a cert-manager Certificate)
      // (a Flagger canary, one in ten, stays internal: Flagger would need the Gateway API provider to share the route)
      ...(i % 10 === 6 ? [] : [i % 10 === 1 ? Exposure.http({ hosts: ['{domain}'], paths: [`/${spec.name}`] }) : Exposure.http()]),
      // --- tenancy ---
      ...(i % 10 === 2 ? [Priority.of('critical')] : []),
    ],
    // --- delivery --- one in ten an Argo Rollouts canary (staging, Istio, analysed against its SLO) or blue-green
    // (prod), one in ten a Flagger canary; the others roll out
    delivery: benchDelivery(i, env),
    resources: env.pick({
      dev: { cpuRequest: '100m', memoryRequest: '128Mi', memoryLimit: '256Mi' },
      staging: { cpuRequest: '250m', memoryRequest: '256Mi', memoryLimit: '512Mi' },
      prod: { cpuRequest: '500m', memoryRequest: '512Mi', memoryLimit: '1Gi' },
    }),
    env: {
      LOG_LEVEL: env.pick({ dev: 'debug', staging: 'info', prod: 'warn' }),
      PUBLIC_HOST: `${spec.name}.${env.domain ?? 'localhost'}`,
      CONFIG_DIR: '/etc/config',
    },
    // --- secrets --- every third service reads its namespace's ExternalSecret `db` (checked by policy)
    secretEnv: i % 3 === 0 ? { DATABASE_URL: { secret: 'db', key: 'url' } } : undefined,
  });
  // --- config ---
  service.use(ConfigFiles.of({
    files: {
      'environment': env.name,
      'feature-flags': `checkout=${i % 2 === 0 ? 'on' : 'off'},search=on`,
      'max-connections': String(100 + (i % 10) * 10),
      // strings YAML 1.1 would read as other types: the serializer must quote them
      'cache-enabled': 'yes',
      'file-mode': '0644',
      'application.yaml': { server: { port: 8080 }, pool: { maxSize: 10 + (i % 5) }, features: { search: true, checkout: i % 2 === 0 } },
    },
  }));
  // --- secrets ---
  const token = new SealedSecret(service, 'Token', { name: `${spec.name}-token`, encryptedData: { token: benchCiphertext(`${env.name}/${spec.name}`) } });
  service.use(SecretEnv.of(token, { API_TOKEN: 'token' }, { rollOnChange: i % 2 === 0 }));
  return service;
}

function benchDelivery(i: number, env: Environment<EnvName>): IDeliveryStrategy | undefined {
  if (env.name === 'dev') return undefined;
  if (i % 10 === 4) {
    return env.pick<IDeliveryStrategy>({
      dev: Delivery.rollingUpdate(),
      staging: Delivery.canary({ trafficRouting: TrafficRouting.istio(), slo: BENCH_SLO, steps: [CanaryStep.setWeight(10), CanaryStep.pause('2m'), CanaryStep.setWeight(50), CanaryStep.pause('2m')] }),
      prod: Delivery.blueGreen({ slo: BENCH_SLO, autoPromotionEnabled: false }),
    });
  }
  if (i % 10 === 6) return Delivery.flagger({ slo: BENCH_SLO, stepWeights: [10, 25, 50] });
  return undefined;
}

/**
 * One service in ten has a queue worker (KEDA on RabbitMQ with a TriggerAuthentication, scraped through a
 * PodMonitor), another one in ten a nightly report (a CronJob on the spot pool, batch priority).
 */
export function addBenchCompanions(scope: Construct, spec: BenchServiceSpec, env: Environment<EnvName>, service: HardenedService): void {
  if (spec.index % 10 === 3) {
    const worker = new HardenedWorker(scope, `${spec.name}-worker`, {
      image: benchMigrateImage(spec),
      command: ['/app/bin/worker'],
      secretEnv: { AMQP_URL: { secret: 'db', key: 'url' } },
      use: [
        Scaling.keda({
          triggers: [KedaTrigger.rabbitMq({ queueName: spec.name, value: 20, authentication: { secret: 'db', keys: { host: 'url' } } })],
          minReplicas: 1, maxReplicas: env.pick({ dev: 2, staging: 4, prod: 10 }),
        }),
        Metrics.scrape({ port: 9090 }),
        // leader election (mounts the token: the grant's exemption becomes a Kyverno PolicyException)
        Access.grant({ resources: ['leases'], verbs: ['get', 'create', 'update'], apiGroups: ['coordination.k8s.io'], resourceNames: [`${spec.name}-leader`] }),
      ],
    });
    worker.connectTo(service);
  }
  if (spec.index % 10 === 9) {
    new HardenedCronJob(scope, `${spec.name}-report`, {
      image: benchMigrateImage(spec), schedule: `${spec.index % 60} 2 * * *`, args: ['--since=24h'],
      use: [NodePool.of('spot'), Priority.of('batch')],
    });
  }
}

/** Every namespace's database credentials, from the environment's Vault (a ClusterSecretStore per cluster). */
export function addBenchNamespaceSecrets(ns: PlatformNamespace): ExternalSecret {
  return new ExternalSecret(ns, 'db', { store: 'vault', data: { url: { key: `${ns.node.id}/db`, property: 'url' } } });
}

/** Made-up, deterministic ciphertext shaped like kubeseal output (2-byte length, RSA-2048 block, AES-GCM part). */
function benchCiphertext(seed: string): string {
  const chunks: Buffer[] = [];
  for (let i = 0; chunks.length * 32 < 2 + 256 + 48; i++) chunks.push(createHash('sha256').update(`${seed}/${i}`).digest());
  const b = Buffer.concat(chunks).subarray(0, 2 + 256 + 48);
  b.writeUInt16BE(256, 0);
  return b.toString('base64');
}

function connect(services: readonly HardenedService[], platform: BenchPlatform): void {
  for (const spec of platform.services) {
    if (spec.calls !== undefined) services[spec.index].connectTo(services[spec.calls]);
  }
}

// --- promotion ---
/** Every how-many-th service runs an older release in prod (a promotion in progress). */
export const PROMOTING_EVERY = 4;

/**
 * The bench's promotion ledger, built in code: dev, staging and prod run what the code declares (verified one
 * stage after the other), except every PROMOTING_EVERY-th service, whose prod still runs 0.9.0 while staging has
 * verified the new release.
 */
export function benchLedger(platform: BenchPlatform): PromotionLedger {
  const at = (day: number, hour = 9) => `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
  const entries: LedgerEntry[] = [];
  const chain = (workload: string, image: string, prodImage = image) => {
    entries.push({ stage: 'dev', workload, image, config: [], since: at(2), verified: { at: at(2, 12), evidence: 'bench CI run' } });
    // staging keeps the record of the previous release it verified while prod still runs it
    const earlier = prodImage === image ? {} : { verifiedEarlier: [{ image: prodImage, at: at(1), evidence: 'bench staging analysis (previous release)' }] };
    entries.push({ stage: 'staging', workload, image, config: [], since: at(3), upstream: { at: at(2, 12), evidence: 'bench CI run' }, verified: { at: at(3, 12), evidence: 'bench staging analysis' }, ...earlier });
    if (prodImage === image) entries.push({ stage: 'prod', workload, image, config: [], since: at(4), upstream: { at: at(3, 12), evidence: 'bench staging analysis' } });
    // verified in staging on day 1, before staging moved on (day 3)
    else entries.push({ stage: 'prod', workload, image: prodImage, config: [], since: at(1, 12), upstream: { at: at(1), evidence: 'bench staging analysis (previous release)' } });
  };
  for (const spec of platform.services) {
    const image = benchImage(spec);
    chain(`${spec.namespace}/${spec.name}`, image, spec.index % PROMOTING_EVERY === 1 ? `ghcr.io/acme/${spec.name}:0.9.0` : image);
    if (spec.index % DATABASE_EVERY === 0) {
      chain(`${spec.namespace}/${spec.name}-db`, BENCH_POSTGRES);
      chain(`${spec.namespace}/${spec.name}-migrate`, benchMigrateImage(spec));
    }
    if (spec.index % 10 === 3) chain(`${spec.namespace}/${spec.name}-worker`, benchMigrateImage(spec));
    if (spec.index % 10 === 9) chain(`${spec.namespace}/${spec.name}-report`, benchMigrateImage(spec));
  }
  return PromotionLedger.of(entries, 'bench ledger');
}

const BENCH_POSTGRES = 'ghcr.io/acme/postgres:16.4';
function benchImage(spec: BenchServiceSpec): string {
  return `ghcr.io/acme/${spec.name}:1.${spec.index % 7}.${spec.index % 3}`;
}
/** The image of a service's migration Job, worker and report (its 1.0.0 tooling release). */
function benchMigrateImage(spec: BenchServiceSpec): string {
  return `ghcr.io/acme/${spec.name}:1.0.0`;
}
// --- end promotion ---

/** The benchmark platform as a GitOpsApp (dist layout, policy, Argo CD and Flux objects). Writes nothing. */
export function buildBenchApp(services: number, outdir?: string, environments: Environments<EnvName> = benchEnvironments,
  options: { readonly streaming?: boolean } = {}): GitOpsApp<EnvName> {
  const platform = benchPlatform(services);
  const app = new GitOpsApp({
    environments,
    repository: { url: 'https://github.com/acme/bench-gitops.git', revision: 'main', path: 'dist-bench' },
    outdir,
    // one target's constructs alive at a time: N=10,000 services x 3 environments fits the default heap
    streaming: options.streaming ?? true,
  });
  // --- promotion --- each environment renders the release the bench ledger records for it (the fleet case, one
  // environment of many clusters, has no chain to promote along)
  if (environments === benchEnvironments) new Promotion(app, 'promotion', { environments, ledger: benchLedger(platform) });
  app.forEachTarget((scope, { env }) => {
    new PriorityClasses(scope, 'priority-classes');
    new KyvernoPolicies(scope, 'kyverno');
    const namespaces = new Map(platform.namespaces.map((ns) => [ns, addBenchTeam(scope, ns, servicesIn(platform, ns))]));
    for (const ns of namespaces.values()) addBenchNamespaceSecrets(ns);
    const built = platform.services.map((spec) => addBenchService(namespaces.get(spec.namespace)!, spec, env));
    connect(built, platform);
    platform.services.forEach((spec, i) => addBenchDatabase(namespaces.get(spec.namespace)!, spec, env, built[i])); // --- storage ---
    platform.services.forEach((spec, i) => addBenchCompanions(namespaces.get(spec.namespace)!, spec, env, built[i]));
  });
  return app;
}

/**
 * The same platform under stock cdk8s, the baseline: one plain `App` per environment (outdir
 * `<outdir>/<env>`) with one `Chart` per namespace (its PlatformNamespace) and one `Chart` per service (in the
 * service's namespace), services created by the same function with the same ids. `App.synth()` of each
 * writes one file per chart.
 */
export function buildPlainBenchApps(services: number, outdir = 'dist-bench-plain'): App[] {
  const platform = benchPlatform(services);
  const ledger = benchLedger(platform);
  return benchEnvironments.all.map((env) => {
    const app = new App({ outdir: `${outdir}/${env.name}` });
    // the same releases per environment as the GitOpsApp renders from the ledger (stock cdk8s has no promotion)
    addImageResolver(app, (r) => ledger.entry(env.name, `${r.namespace}/${r.name}`)?.image ?? r.image);
    // the environment description (gateway, mesh) the constructs read, as GitOpsApp gives its charts
    const target = { env, cluster: env.clusters[0], path: env.name };
    const chart = (id: string, namespace?: string) => {
      const c = new Chart(app, id, { namespace });
      setTarget(c, target);
      return c;
    };
    // what GitOpsApp adds per target: the cluster's storage classes; and the platform's priority classes
    StorageClass.renderAll(chart('storage-classes'), target.cluster.storageClasses);
    new PriorityClasses(chart('priority'), 'priority-classes');
    new KyvernoPolicies(chart('kyverno'), 'kyverno');
    PlatformGateway.of(chart('gateway'));
    // the teams share one chart, as they share one target in GitOpsApp (a chart renders the ClusterSecretStore its
    // ExternalSecrets read once)
    const teams = chart('teams');
    for (const ns of platform.namespaces) addBenchNamespaceSecrets(addBenchTeam(teams, ns, servicesIn(platform, ns)));
    const built = platform.services.map((spec) => addBenchService(chart(spec.name, spec.namespace), spec, env));
    connect(built, platform);
    platform.services.forEach((spec, i) => addBenchDatabase(built[i].node.scope as Construct, spec, env, built[i])); // --- storage ---
    platform.services.forEach((spec, i) => addBenchCompanions(built[i].node.scope as Construct, spec, env, built[i]));
    runFinalizers(app);
    return app;
  });
}

function servicesIn(platform: BenchPlatform, namespace: string): number {
  return platform.services.filter((s) => s.namespace === namespace).length;
}

/**
 * The fleet case: one production environment whose `clusters` clusters are rings (one target each), every ring
 * with the same settings (Kubernetes version, storage, gateway) but its own API server.
 */
export function benchFleet(clusters: number): Environments<EnvName> {
  const rings = Array.from({ length: clusters }, (_, i) => benchCluster('prod', `ring-${String(i).padStart(3, '0')}`));
  // only `prod` is declared; env.pick's other keys are never read
  return Environments.define({ prod: { production: true, clusters: rings, ...envSettings('prod') } }) as unknown as Environments<EnvName>;
}

/** SERVICES from the environment, or the default. */
export function servicesFromEnv(value = process.env.SERVICES): number {
  if (value === undefined || value === '') return DEFAULT_SERVICES;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`bench: SERVICES must be a positive integer, got ${JSON.stringify(value)}; use e.g. SERVICES=${DEFAULT_SERVICES}`);
  }
  return n;
}

if (require.main === module) {
  buildBenchApp(servicesFromEnv(), process.env.CDK8S_OUTDIR || 'dist-bench').synth();
}
