// `npm run restore-drill` — prints the Velero Restore of a restore drill: the named backup of a stateful
// workload, restored into a scratch namespace (apply it with `kubectl apply -f -` on the cluster).
//
//   npm run restore-drill -- --env prod --workload db --backup storefront-db-20260301030000
//       [--cluster prod-us-east-1] [--namespace storefront] [--into storefront-drill] [--app apps/main.ts]
//
// The app module must export `buildApp(outdir?: string): GitOpsApp` (see scripts/diff.ts). Nothing is written.
// Exit codes: 0 = printed; 2 = usage error, or no such workload or backup schedule.
import '../lib/capabilities'; // every capability's registration (synth stages, settings)
import * as path from 'path';
import { toYaml } from '../lib/gitops/serialize';
import type { GitOpsApp } from '../lib/gitops/gitops-app';
import { HardenedStatefulSet } from '../lib/workloads/hardened-stateful-set';

export interface RestoreDrillArgs {
  readonly env: string;
  readonly workload: string;
  readonly backup: string;
  readonly cluster?: string;
  readonly namespace?: string;
  readonly into?: string;
}

/** The Restore YAML of a drill, from an app's construct tree (nothing is rendered or written). */
export function restoreDrillYaml(app: GitOpsApp<any, any>, a: RestoreDrillArgs): string {
  const targets = app.targets.filter((t) => t.env.name === a.env && (!a.cluster || t.cluster.name === a.cluster));
  if (targets.length === 0) {
    throw new Error(`no target for --env ${a.env}${a.cluster ? ` --cluster ${a.cluster}` : ''}; environments: ${app.environments.names.join(', ')}`);
  }
  // the clusters of an environment render the same workloads: the first one's schedule stands for all
  const target = targets[0];
  const found = app.chartFor(target).node.findAll()
    .filter((c): c is HardenedStatefulSet => c instanceof HardenedStatefulSet && c.name === a.workload && (!a.namespace || c.namespace === a.namespace));
  if (found.length !== 1) {
    throw new Error(found.length === 0
      ? `no stateful workload '${a.workload}'${a.namespace ? ` in namespace ${a.namespace}` : ''} in ${target.path}`
      : `'${a.workload}' is in several namespaces (${found.map((w) => w.namespace).join(', ')}); pass --namespace`);
  }
  const schedule = found[0].backup;
  if (!schedule) throw new Error(`${found[0].node.path} has no backup schedule in ${target.path} (backups are on in production environments, or with the backup prop)`);
  return `# restore drill for ${target.path}: ${found[0].namespace}/${found[0].name} from backup ${a.backup}\n${toYaml([schedule.restoreDrill(a.backup, { namespace: a.into })])}`;
}

function parseArgs(argv: string[]): RestoreDrillArgs & { app: string } {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(env|workload|backup|cluster|namespace|into|app)$/.exec(argv[i]);
    if (!m || argv[i + 1] === undefined) usage(`unknown argument or missing value: ${JSON.stringify(argv[i])}`);
    values[m![1]] = argv[++i];
  }
  for (const k of ['env', 'workload', 'backup']) if (!values[k]) usage(`--${k} is required`);
  return { app: 'apps/main.ts', ...values } as RestoreDrillArgs & { app: string };
}

function usage(problem: string): never {
  process.stderr.write(`restore-drill: ${problem}\nusage: npm run restore-drill -- --env prod --workload db --backup <backup name> [--cluster c] [--namespace ns] [--into scratch-ns] [--app apps/main.ts]\n`);
  process.exit(2);
}

if (require.main === module) {
  const args = parseArgs(process.argv.slice(2));
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.resolve(args.app));
    process.stdout.write(restoreDrillYaml(mod.buildApp(), args));
  } catch (e) {
    process.stderr.write(`restore-drill: ${(e as Error).message}\n`);
    process.exit(2);
  }
}
