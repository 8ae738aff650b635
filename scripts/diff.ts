// `npm run diff` — what the next synth would change in the committed dist/, and which of those changes
// Kubernetes rejects or Argo CD / Flux turn into a delete-and-recreate.
//
//   npx tsx scripts/diff.ts [--check] [--app apps/main.ts] [--dist <folder>]
//
// The app module must export `buildApp(outdir?: string): GitOpsApp` and only synth when it is the main
// module (`if (require.main === module) buildApp().synth();`), so that importing it writes nothing.
// Exit codes: 0 = printed (or, with --check, dist/ is up to date); 1 = with --check, dist/ is out of date;
// 2 = usage error or the app failed to render.
import '../lib/capabilities'; // every capability's registration (synth stages, settings)
import * as path from 'path';
import { droppedConfigGenerations } from '../lib/config/capability';
import { formatDroppedGenerations, previousTreeIn } from '../lib/config/config-generations';
import { diffTrees, formatTreeDiff, readTree } from '../lib/gitops/manifest-diff';

interface Args {
  readonly check: boolean;
  readonly app: string;
  readonly dist?: string;
}

function parseArgs(argv: string[]): Args {
  let check = false;
  let app = 'apps/main.ts';
  let dist: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--check') check = true;
    else if (a === '--app' || a === '--dist') {
      const v = argv[++i];
      if (!v) usage(`${a} needs a value`);
      if (a === '--app') app = v;
      else dist = v;
    } else if (a === '--help' || a === '-h') usage();
    else usage(`unknown argument ${JSON.stringify(a)}`);
  }
  return { check, app, dist };
}

function usage(problem?: string): never {
  if (problem) process.stderr.write(`diff: ${problem}\n`);
  process.stderr.write('usage: npx tsx scripts/diff.ts [--check] [--app apps/main.ts] [--dist dist]\n');
  process.exit(problem ? 2 : 0);
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const appFile = path.resolve(args.app);
  let mod: any;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(appFile);
  } catch (e) {
    process.stderr.write(`diff: cannot load ${args.app}: ${(e as Error).stack ?? e}\n`);
    process.exit(2);
  }
  const build = mod.buildApp ?? mod.default?.buildApp;
  if (typeof build !== 'function') {
    process.stderr.write(`diff: ${args.app} must export a function buildApp(outdir?: string): GitOpsApp (and synth only when it is the main module)\n`);
    process.exit(2);
  }
  let rendered: Map<string, string>;
  let outdir: string;
  try {
    const app = build(args.dist);
    outdir = args.dist ?? app.outdir;
    rendered = app.synthFiles(previousTreeIn(outdir)); // config generations kept from the committed dist/
    const dropped = formatDroppedGenerations(droppedConfigGenerations());
    if (dropped) process.stderr.write(dropped);
  } catch (e) {
    process.stderr.write(`diff: the app failed to render:\n${(e as Error).message ?? e}\n`);
    process.exit(2);
  }
  const label = path.relative(process.cwd(), path.resolve(outdir)) || '.';
  const diff = diffTrees(readTree(outdir), rendered);
  process.stdout.write(formatTreeDiff(diff, label));
  if (args.check && !diff.upToDate) {
    process.stderr.write(`diff: ${label}/ is out of date; run \`npm run synth\` and commit the result\n`);
    process.exit(1);
  }
}

main();
