// The first TypeScript block of docs/promotion.md, verbatim but for the import paths (test/promotion/docs.test.ts
// compares them), so `tsc -p .` type-checks the page's code.
import { Environments, GitOpsApp } from '../../lib/gitops';
import { ChangeCalendar, FreezeWindow, Promotion } from '../../lib/promotion';

const environments = Environments.define({
  dev: { clusters: [{ name: 'dev', server: 'https://dev.k8s.example' }] },
  staging: { clusters: [{ name: 'staging', server: 'https://staging.k8s.example' }] },
  prod: {
    production: true,
    clusters: [
      { name: 'prod-eu-west-1', server: 'https://prod-eu-west-1.k8s.example' },
      { name: 'prod-us-east-1', server: 'https://prod-us-east-1.k8s.example' },
    ],
  },
});

const app = new GitOpsApp({ environments });
new Promotion(app, 'promotion', {
  environments,
  // chain: the environments in declared order unless given
  rings: { prod: [{ clusters: ['prod-eu-west-1'] }, { clusters: ['prod-us-east-1'] }] },
  // ring 1 takes a release 2h after staging verified it, ring 2 a day after ring 1 did
  soak: { 'prod/1': '2h', 'prod/2': '24h' },
  calendar: ChangeCalendar.of({
    prod: [FreezeWindow.yearly({ name: 'year-end', from: '12-20', until: '01-04', description: 'year-end sales peak' })],
  }),
  // ledger: 'promotion.yaml' (relative to the working directory) unless given
});
// --- end of the block in docs/promotion.md ---
export { app };
