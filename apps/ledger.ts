// A second app in the example's repository: the ledger team's service, on the same clusters as the storefront
// platform (apps/main.ts), written to its own folder. It renders only what it owns: the StorageClass the
// platform renders is referred to (`existing: true`), argocd-cm's health check is the platform's, and its
// namespace is one no other app writes into. `checkSharedRepository` (test/gitops/shared-repository.test.ts)
// checks all of that across both apps; docs/gitops.md walks through it.
import { Environments, GitOpsApp } from '../lib/gitops';
import { PlatformNamespace } from '../lib/platform';
import { HardenedService } from '../lib/workloads';

/** The platform's clusters, as this app sees them: the cluster-wide objects are the platform's. */
export const ledgerEnvironments = Environments.define({
  dev: { clusters: [{ name: 'dev', server: 'https://dev.k8s.acme.example', storageClasses: [{ name: 'fast-ssd', existing: true }] }] },
  staging: { clusters: [{ name: 'staging', server: 'https://staging.k8s.acme.example', storageClasses: [{ name: 'fast-ssd', existing: true }] }] },
  prod: {
    production: true,
    clusters: [
      { name: 'prod-eu-west-1', server: 'https://prod-eu-west-1.k8s.acme.example', storageClasses: [{ name: 'fast-ssd', existing: true }] },
      { name: 'prod-us-east-1', server: 'https://prod-us-east-1.k8s.acme.example', storageClasses: [{ name: 'fast-ssd', existing: true }] },
    ],
  },
});

export function buildLedgerApp(outdir = 'dist-ledger'): GitOpsApp<'dev' | 'staging' | 'prod'> {
  const app = new GitOpsApp({
    environments: ledgerEnvironments,
    outdir,
    // the same repository, its own folder, project and Flux name
    repository: { url: 'https://github.com/acme/storefront-gitops.git', revision: 'main', path: 'dist-ledger' },
    argoCd: { project: 'ledger', applicationHealthCheck: false },
    flux: { name: 'ledger' },
  });
  app.forEachTarget((scope) => {
    const ns = new PlatformNamespace(scope, 'ledger', { team: 'ledger' });
    new HardenedService(ns, 'ledger', { image: 'ghcr.io/acme/ledger:1.0.0', port: 8080 });
  });
  return app;
}

if (require.main === module) buildLedgerApp().synth();
