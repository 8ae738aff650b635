// `npm run review` — a change report for a pull request: what changes in which target, what restarts or is
// re-created, how each changed workload rolls out (drawn), which versions move, which risks the change carries.
//
//   npx tsx scripts/review.ts [--base <git-ref>] [--app apps/main.ts] [--out review] [--check]
//   npx tsx scripts/review.ts --old <dist-dir> --new <dist-dir> [--app apps/main.ts] [--out review] [--check]
//
// Default: the base is the merge base of HEAD with the main branch (origin/main, else main); the base tree is
// that commit's dist/, the head tree is what the working tree's app renders now. With --old/--new, two dist/
// trees are compared (acknowledgements and exemptions come from --app when given).
// Writes <out>/report.md (for a pull-request comment) and <out>/report.html (self-contained, with pictures).
// The previous report is removed first: after a failed run there is none to mistake for this one's.
// Exit codes: 0 = written (with --check: no unacknowledged high risk); 1 = --check found one; 2 = usage or
// render error.
import '../lib/capabilities'; // every capability's registration (synth stages, settings)
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readTree } from '../lib/gitops/manifest-diff';
import { formatTimestamp, Promotion, releaseVersion } from '../lib/promotion';
import { appRecords, AppRecords, buildChangeReport, ExemptionRecord, REVIEW_DEFAULTS, reportHtml, reportMarkdown, StageRecord } from '../lib/review';

interface Args {
  readonly base?: string;
  readonly old?: string;
  readonly new?: string;
  readonly app?: string;
  readonly out: string;
  readonly check: boolean;
  readonly baseApp: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Record<string, string | boolean> = { out: REVIEW_DEFAULTS.outDir, check: false, baseApp: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--check') a.check = true;
    else if (arg === '--no-base-app') a.baseApp = false;
    else if (['--base', '--old', '--new', '--app', '--out'].includes(arg)) {
      const v = argv[++i];
      if (!v) usage(`${arg} needs a value`);
      a[arg.slice(2)] = v;
    } else if (arg === '--help' || arg === '-h') usage();
    else usage(`unknown argument ${JSON.stringify(arg)}`);
  }
  if ((a.old === undefined) !== (a.new === undefined)) usage('--old and --new go together');
  if (a.old !== undefined && a.base !== undefined) usage('use either --base or --old/--new');
  return a as unknown as Args;
}

function usage(problem?: string): never {
  if (problem) process.stderr.write(`review: ${problem}\n`);
  process.stderr.write('usage: npx tsx scripts/review.ts [--base <git-ref>] [--old <dir> --new <dir>] [--app apps/main.ts] [--out review] [--check] [--no-base-app]\n');
  process.exit(problem ? 2 : 0);
}

function git(args: string[], cwd = process.cwd()): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
}

/** The merge base of HEAD with the main branch. */
function defaultBase(): string {
  for (const ref of ['origin/main', 'main', 'origin/master', 'master']) {
    try {
      return git(['merge-base', 'HEAD', ref]).trim();
    } catch {
      // try the next name
    }
  }
  throw new Error('no main branch to compare with; pass --base <git-ref>');
}

/** The files below `dir` (relative to the repository root) at `ref`, keyed by path below `dir`. */
function treeAt(ref: string, dir: string): Map<string, string> {
  const root = git(['rev-parse', '--show-toplevel']).trim();
  const rel = path.relative(root, path.resolve(dir)).split(path.sep).join('/');
  const names = git(['ls-tree', '-r', '-z', '--name-only', ref, '--', rel], root).split('\0').filter(Boolean);
  const out = new Map<string, string>();
  if (names.length === 0) return out;
  // one `git cat-file --batch` for every blob
  const input = names.map((n) => `${ref}:${n}`).join('\n') + '\n';
  const raw = execFileSync('git', ['cat-file', '--batch'], { cwd: root, input, maxBuffer: 1 << 30 });
  let pos = 0;
  for (const n of names) {
    const nl = raw.indexOf(10, pos);
    const header = raw.subarray(pos, nl).toString('utf8').split(' ');
    const size = Number(header[2]);
    out.set(n.slice(rel.length + 1), raw.subarray(nl + 1, nl + 1 + size).toString('utf8'));
    pos = nl + 1 + size + 1;
  }
  return new Map([...out.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}

function loadApp(appFile: string): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.resolve(appFile));
  const build = mod.buildApp ?? mod.default?.buildApp;
  if (typeof build !== 'function') throw new Error(`${appFile} must export buildApp(outdir?: string): GitOpsApp`);
  return build();
}

/** The head tree and records of the app in the working tree. */
function renderHead(appFile: string): { files: Map<string, string>; records: AppRecords; outdir: string; stages?: StageRecord[] } {
  const app = loadApp(appFile);
  const files: Map<string, string> = app.synthFiles();
  const records = appRecords(app, app.render());
  return { files, records, outdir: app.outdir, stages: promotionStages(app) };
}

/** The app's promotion stages as the review shows them (undefined when the app declares no Promotion). */
function promotionStages(app: any): StageRecord[] | undefined {
  const promotion = Promotion.of(app);
  if (!promotion) return undefined;
  return promotion.status().map(({ stage, workloads, frozen }) => ({
    name: stage.name,
    folders: stage.folders,
    workloads: workloads.map((w) => ({
      workload: w.workload, runs: releaseVersion(w.runs),
      ...(w.candidate !== undefined ? { candidate: releaseVersion(w.candidate) } : {}),
      ...(w.waitingOn !== undefined ? { waitingOn: w.waitingOn } : {}),
    })),
    exemptions: workloads.flatMap((w) => [
      ...(w.entry?.hotfix ? [{ workload: w.workload, kind: 'hotfix' as const, reason: w.entry.hotfix.reason, until: w.entry.hotfix.expires }] : []),
      ...(w.entry?.emergency ? [{ workload: w.workload, kind: 'emergency' as const, reason: w.entry.emergency.reason, until: w.entry.emergency.window }] : []),
    ]),
    ...(frozen ? { frozen: `${frozen.window.name} until ${formatTimestamp(frozen.closes)}` } : {}),
  }));
}

/**
 * The exemptions the base commit's app declares: its code is checked out in a temporary worktree and asked,
 * since exemptions live in code, not in dist/. Undefined when that fails (the report then says so).
 */
function baseExemptions(ref: string, appFile: string): ExemptionRecord[] | undefined {
  const root = git(['rev-parse', '--show-toplevel']).trim();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-base-'));
  try {
    git(['worktree', 'add', '--detach', '--quiet', dir, ref], root);
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    const relApp = path.relative(root, path.resolve(appFile));
    const probe = path.join(dir, '.review-records.ts');
    fs.writeFileSync(probe, [
      `const mod = require(${JSON.stringify(`./${relApp}`)});`,
      "const { evaluate } = require('./lib/policy/check');",
      'const app = (mod.buildApp ?? mod.default.buildApp)();',
      'const out = evaluate(app.render(), { includeExempted: true }).filter((f: any) => f.exemption)',
      "  .map((f: any) => ({ folder: f.folder, object: `${f.object.kind}/${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`, rule: f.rule, reason: f.exemption.reason }));",
      'process.stdout.write(JSON.stringify(out));',
    ].join('\n'));
    const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), probe], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) return undefined;
    const list: ExemptionRecord[] = JSON.parse(r.stdout);
    const seen = new Set<string>();
    return list.filter((e) => !seen.has(`${e.folder}|${e.object}|${e.rule}`) && seen.add(`${e.folder}|${e.object}|${e.rule}`));
  } catch {
    return undefined;
  } finally {
    try {
      git(['worktree', 'remove', '--force', dir], root);
    } catch {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  // a run that fails must not leave the previous run's report to be read as this one's
  for (const f of ['report.md', 'report.html']) fs.rmSync(path.join(args.out, f), { force: true });
  const started = process.hrtime.bigint();
  let base: Map<string, string>;
  let head: Map<string, string>;
  let records: AppRecords | undefined;
  let baseLabel: string;
  let headLabel: string;
  let baseEx: ExemptionRecord[] | undefined;
  let stages: StageRecord[] | undefined;
  try {
    if (args.old !== undefined) {
      base = readTree(args.old);
      head = readTree(args.new!);
      baseLabel = args.old;
      headLabel = args.new!;
      if (args.app) {
        const rendered = renderHead(args.app);
        records = rendered.records;
        stages = rendered.stages;
      }
    } else {
      const appFile = args.app ?? 'apps/main.ts';
      const rendered = renderHead(appFile);
      head = rendered.files;
      records = rendered.records;
      stages = rendered.stages;
      const ref = args.base ?? defaultBase();
      const short = git(['rev-parse', '--short', ref]).trim();
      base = treeAt(ref, rendered.outdir);
      baseLabel = `${args.base ?? 'merge base'} (${short})`;
      headLabel = 'working tree';
      if (args.baseApp) baseEx = baseExemptions(ref, appFile);
    }
  } catch (e) {
    process.stderr.write(`review: ${(e as Error).message ?? e}\n`);
    process.exit(2);
  }
  const report = buildChangeReport({
    base, head, baseLabel, headLabel,
    exemptions: records ? { base: baseEx, head: records.exemptions } : undefined,
    acknowledgements: records?.acknowledgements,
    stages,
  });
  fs.mkdirSync(args.out, { recursive: true });
  fs.writeFileSync(path.join(args.out, 'report.md'), reportMarkdown(report));
  fs.writeFileSync(path.join(args.out, 'report.html'), reportHtml(report));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const high = report.unacknowledgedHigh.length;
  process.stdout.write(`review: ${report.totals.added} added, ${report.totals.changed} changed, ${report.totals.removed} removed, ${report.risks.length} risk(s), ${high} unacknowledged high; wrote ${args.out}/report.md and ${args.out}/report.html in ${ms.toFixed(0)} ms\n`);
  if (args.check && high > 0) {
    for (const r of report.unacknowledgedHigh) process.stderr.write(`review: HIGH ${r.kind} ${r.folder} ${r.object}: ${r.message}\n`);
    process.stderr.write('review: acknowledge each in code with Review.acknowledge(scope, kind, reason), or change the code\n');
    process.exit(1);
  }
}

main();
