// `npm run promote` — the promotion ledger (promotion.yaml): advance one stage, print where every stage stands,
// or check that code and ledger agree (for CI).
//
//   npm run promote -- <stage> [--evidence "<what verified the upstream's release>"]
//   npm run promote -- <stage> --hotfix "<reason>" --expires <ISO 8601 date>     (skips the upstream stage)
//   npm run promote -- <stage> --emergency "<reason>"                             (inside a freeze window)
//   npm run promote -- --status
//   npm run promote -- --check
//   [--app apps/main.ts]
//
// "Now" is the wall clock, or the ISO 8601 timestamp in TYPED_MANIFESTS_NOW. The ledger is rewritten
// deterministically (same entries, same bytes) and only when something changed.
// Exit codes: 0 = done (--check: code and ledger agree); 1 = refused (--check: they disagree); 2 = usage error.
import * as fs from 'fs';
import * as path from 'path';
import { parseTimestamp, Promotion } from '../lib/promotion';

interface Args {
  readonly stage?: string;
  readonly status: boolean;
  readonly check: boolean;
  readonly app: string;
  readonly evidence?: string;
  readonly hotfix?: string;
  readonly expires?: string;
  readonly emergency?: string;
}

function usage(problem?: string): never {
  if (problem) process.stderr.write(`promote: ${problem}\n`);
  process.stderr.write('usage: npm run promote -- <stage> [--evidence "..."] [--hotfix "reason" --expires 2026-12-24T00:00:00Z] [--emergency "reason"] [--app apps/main.ts]\n'
    + '       npm run promote -- --status | --check [--app apps/main.ts]\n');
  process.exit(problem ? 2 : 0);
}

function parseArgs(argv: string[]): Args {
  const a: Record<string, string | boolean> = { status: false, check: false, app: 'apps/main.ts' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--status' || arg === '--check') a[arg.slice(2)] = true;
    else if (['--evidence', '--hotfix', '--expires', '--emergency', '--app'].includes(arg)) {
      const v = argv[++i];
      if (v === undefined) usage(`${arg} needs a value`);
      a[arg.slice(2)] = v;
    } else if (arg === '--help' || arg === '-h') usage();
    else if (arg.startsWith('-')) usage(`unknown option ${JSON.stringify(arg)}`);
    else if (a.stage !== undefined) usage(`one stage at a time, got ${JSON.stringify(a.stage)} and ${JSON.stringify(arg)}`);
    else a.stage = arg;
  }
  const modes = [a.stage !== undefined, a.status, a.check].filter(Boolean).length;
  if (modes !== 1) usage('give a stage, --status or --check');
  if ((a.hotfix === undefined) !== (a.expires === undefined)) usage('--hotfix and --expires go together (a hotfix needs a reason and an expiry)');
  if (a.stage === undefined && (a.evidence ?? a.hotfix ?? a.emergency) !== undefined) usage('--evidence, --hotfix and --emergency go with a stage');
  return a as unknown as Args;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  let promotion: Promotion;
  try {
    // building the app does not check the ledger (synth does), so an out-of-date ledger can be rewritten
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.resolve(args.app));
    const build = mod.buildApp ?? mod.default?.buildApp;
    if (typeof build !== 'function') throw new Error(`${args.app} must export buildApp(): GitOpsApp`);
    const app = build();
    const found = Promotion.of(app);
    if (!found) throw new Error(`${args.app} declares no Promotion; add new Promotion(app, 'promotion', { environments, ... })`);
    promotion = found;
  } catch (e) {
    process.stderr.write(`promote: ${(e as Error).message ?? e}\n`);
    process.exit(2);
  }

  if (args.status) {
    for (const line of promotion.statusLines()) process.stdout.write(`${line}\n`);
    return;
  }
  if (args.check) {
    const problems = promotion.disagreements();
    if (problems.length === 0) {
      process.stdout.write(`promote: ${promotion.ledger.file} agrees with the code (${promotion.stages.length} stages)\n`);
      return;
    }
    for (const p of problems) process.stderr.write(`promote: ${p}\n`);
    process.exit(1);
  }
  let expires: Date | undefined;
  if (args.expires !== undefined) {
    expires = parseTimestamp(/^\d{4}-\d{2}-\d{2}$/.test(args.expires) ? `${args.expires}T00:00:00Z` : args.expires);
    if (!expires) usage(`--expires must be an ISO 8601 date or timestamp, got ${JSON.stringify(args.expires)}`);
  }
  try {
    const result = promotion.promote(args.stage!, {
      evidence: args.evidence,
      hotfix: args.hotfix !== undefined ? { reason: args.hotfix, expires: expires! } : undefined,
      emergency: args.emergency,
    });
    for (const line of result.lines) process.stdout.write(`${line}\n`);
    if (result.changed) {
      fs.writeFileSync(promotion.ledger.file, promotion.ledgerText(result.ledger));
      process.stdout.write(`promote: wrote ${promotion.ledger.file}; commit it (and run npm run synth)\n`);
    } else {
      process.stdout.write(`promote: ${args.stage} is up to date; ${promotion.ledger.file} unchanged\n`);
    }
  } catch (e) {
    process.stderr.write(`promote: ${(e as Error).message ?? e}\n`);
    process.exit(1);
  }
}

main();
