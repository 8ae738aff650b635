// The example platform: a storefront (web front end, API, order worker, nightly report) in dev, staging
// and prod (two regions). `npm run synth` renders it into dist/.
import { Environments, GitOpsApp } from '../lib/gitops';
import { PlatformNamespace } from '../lib/platform';
import { HardenedCronJob, HardenedService, HardenedWorker, NetworkPeer, Probe } from '../lib/workloads';

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

const VERSION = { web: '2.14.0', api: '3.8.1', worker: '3.8.1', report: '1.2.0' };

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
        prod: { autoscaling: { minReplicas: 3, maxReplicas: 12 } },
      }),
      env: { LOG_LEVEL: env.pick({ dev: 'debug', staging: 'info', prod: 'info' }), DB_POOL_SIZE: '20' },
      secretEnv: { DATABASE_URL: { secret: 'storefront-db', key: 'url' } },
      // the managed Postgres lives outside the cluster
      egress: [{ peer: NetworkPeer.ipBlock('10.20.0.0/16'), ports: [5432] }],
    });

    const web = new HardenedService(ns, 'web', {
      image: `ghcr.io/acme/storefront-web:${VERSION.web}`,
      port: 8080,
      replicas: env.pick({ dev: 1, staging: 2, prod: 4 }),
      ingress: [NetworkPeer.namespace('ingress-nginx')],
      env: { API_URL: 'http://api:8080', PUBLIC_HOST: env.domain ?? 'localhost' },
    });
    web.connectTo(api);

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
    });
  });
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
