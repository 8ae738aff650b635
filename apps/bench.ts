// The benchmark platform: SERVICES generated services (default 100) in dev, staging and prod, spread over ten
// namespaces. `node --import tsx apps/bench.ts` renders it into $CDK8S_OUTDIR or dist-bench/ (never dist/);
// `npx tsx scripts/bench.ts` times it against the serialization floor and stock cdk8s.
//
// Every service is a HardenedService with its usual companions (ServiceAccount, Deployment, Service,
// NetworkPolicy, HorizontalPodAutoscaler, PodDisruptionBudget) plus a raw ConfigMap created inside it, so it
// lands in the service's file: OBJECTS_PER_SERVICE objects per service and environment. Every service but
// the first calls one other (service i calls service (i - 1) / 2, across namespaces), the first admits the
// ingress controller.
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Environment, Environments, GitOpsApp } from '../lib/gitops';
import { PlatformNamespace } from '../lib/platform';
import { Team } from '../lib/tenancy';
import { HardenedService, NetworkPeer } from '../lib/workloads';

type EnvName = 'dev' | 'staging' | 'prod';

export const benchEnvironments = Environments.define<EnvName>({
  dev: { clusters: [{ name: 'dev', server: 'https://dev.k8s.bench.example', region: 'eu-west-1' }], domain: 'dev.bench.example' },
  staging: { clusters: [{ name: 'staging', server: 'https://staging.k8s.bench.example', region: 'eu-west-1' }], domain: 'staging.bench.example' },
  prod: { production: true, clusters: [{ name: 'prod', server: 'https://prod.k8s.bench.example', region: 'eu-west-1' }], domain: 'bench.example' },
});

/** The most namespaces the services are spread over. */
export const BENCH_NAMESPACES = 10;
/** ServiceAccount, Deployment, Service, NetworkPolicy, HorizontalPodAutoscaler, PodDisruptionBudget, ConfigMap. */
export const OBJECTS_PER_SERVICE = 7;
/**
 * One Team per namespace (tenancy): Namespace, default-deny NetworkPolicy, LimitRange, ResourceQuota, three
 * preset Roles and their RoleBindings, the Flux tenant's RoleBinding and ServiceAccount.
 */
export const OBJECTS_PER_NAMESPACE = 12;
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

/** The platform of `services` services (deterministic: the same number gives the same platform). */
export function benchPlatform(services: number): BenchPlatform {
  if (!Number.isInteger(services) || services < 1) {
    throw new Error(`bench: SERVICES must be a positive integer, got ${JSON.stringify(services)}; use e.g. ${DEFAULT_SERVICES}`);
  }
  const nsCount = Math.min(BENCH_NAMESPACES, services);
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
/** The team owning `namespace`, with a quota sized for the services it holds (their prod maximum fits). */
export function addBenchTeam(scope: Construct, namespace: string, services: number): PlatformNamespace {
  const team = new Team(scope, namespace, {
    groups: { admins: [`oidc:${namespace}-admins`], developers: [`oidc:${namespace}-developers`], viewers: ['oidc:engineering'] },
    namespaces: [namespace],
    // per service at most 24 pods + 6 surge of 500m / 512Mi (1Gi limit)
    quota: {
      requestsCpu: String(services * 16), requestsMemory: `${services * 16}Gi`, limitsMemory: `${services * 32}Gi`, pods: services * 32,
      objectCounts: { services: services, configmaps: services + 1, secrets: 10 },
    },
  });
  return team.namespace(namespace);
}
// --- end tenancy ---

/** Creates one service, with its ConfigMap, below `scope` (whose namespace it lives in). */
export function addBenchService(scope: Construct, spec: BenchServiceSpec, env: Environment<EnvName>): HardenedService {
  const i = spec.index;
  const service = new HardenedService(scope, spec.name, {
    image: `ghcr.io/acme/${spec.name}:1.${i % 7}.${i % 3}`,
    port: 8080,
    autoscaling: env.pick({
      dev: { minReplicas: 2, maxReplicas: 4 },
      staging: { minReplicas: 2, maxReplicas: 6 },
      prod: { minReplicas: 3, maxReplicas: 12 + (i % 4) * 4 },
    }),
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
    ingress: spec.calls === undefined ? [NetworkPeer.namespace('ingress-nginx')] : undefined,
  });
  new ApiObject(service, 'ConfigMap', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: service.pod.metadata(`${service.name}-config`),
    data: {
      'environment': env.name,
      'feature-flags': `checkout=${i % 2 === 0 ? 'on' : 'off'},search=on`,
      'max-connections': String(100 + (i % 10) * 10),
      // strings YAML 1.1 would read as other types: the serializer must quote them
      'cache-enabled': 'yes',
      'file-mode': '0644',
    },
  });
  return service;
}

function connect(services: readonly HardenedService[], platform: BenchPlatform): void {
  for (const spec of platform.services) {
    if (spec.calls !== undefined) services[spec.index].connectTo(services[spec.calls]);
  }
}

/** The benchmark platform as a GitOpsApp (dist layout, policy, Argo CD and Flux objects). Writes nothing. */
export function buildBenchApp(services: number, outdir?: string): GitOpsApp<EnvName> {
  const platform = benchPlatform(services);
  const app = new GitOpsApp({
    environments: benchEnvironments,
    repository: { url: 'https://github.com/acme/bench-gitops.git', revision: 'main', path: 'dist-bench' },
    outdir,
  });
  app.forEachTarget((scope, { env }) => {
    const namespaces = new Map(platform.namespaces.map((ns) => [ns, addBenchTeam(scope, ns, servicesIn(platform, ns))]));
    const built = platform.services.map((spec) => addBenchService(namespaces.get(spec.namespace)!, spec, env));
    connect(built, platform);
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
  return benchEnvironments.all.map((env) => {
    const app = new App({ outdir: `${outdir}/${env.name}` });
    for (const ns of platform.namespaces) addBenchTeam(new Chart(app, ns), ns, servicesIn(platform, ns));
    const built = platform.services.map((spec) => addBenchService(new Chart(app, spec.name, { namespace: spec.namespace }), spec, env));
    connect(built, platform);
    return app;
  });
}

function servicesIn(platform: BenchPlatform, namespace: string): number {
  return platform.services.filter((s) => s.namespace === namespace).length;
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
