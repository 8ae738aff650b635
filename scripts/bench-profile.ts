// Where our synth spends its time: CPU-profiles `node --import tsx apps/bench.ts` and prints the functions
// with the most self time, the same grouped by package / library folder, and the inclusive time of the
// library's main steps.
//
//   npx tsx scripts/bench-profile.ts [--services 1000] [--top 15] [--keep]
//   npx tsx scripts/bench-profile.ts --summarize <file.cpuprofile> [--top 15]
//
// The profile is written to a temp folder and deleted unless --keep (never into the repository).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number };
  readonly children?: number[];
}

interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** Where a frame's code lives: `yaml`, `cdk8s`, `lib/gitops`, `node:internal`, `(garbage collector)`... */
export function groupOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const file = url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = file.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (file.startsWith('node:')) return 'node:internal';
  const rel = path.relative(ROOT, file);
  if (!rel.startsWith('..')) {
    const parts = rel.split('/');
    return parts[0] === 'lib' ? `lib/${parts[1]}` : parts[0];
  }
  return file;
}

function where(node: ProfileNode): string {
  const { url, lineNumber, columnNumber } = node.callFrame;
  if (!url) return '';
  const file = url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('/node_modules/');
  const short = nm >= 0 ? file.slice(nm + '/node_modules/'.length) : path.relative(ROOT, file).startsWith('..') ? file : path.relative(ROOT, file);
  // tsx compiles a .ts file to few long lines: the column tells functions apart there
  return `${short}:${lineNumber + 1}${short.endsWith('.ts') ? `:${columnNumber + 1}` : ''}`;
}

/** A text summary of a profile: top self time by function, self time by group, inclusive time of key steps. */
export function summarize(profile: CpuProfile, top = 15): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const pct = (x: number) => `${((x / total) * 100).toFixed(1).padStart(5)}%`;
  const ms = (x: number) => `${(x / 1000).toFixed(0).padStart(6)} ms`;
  const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}  ${where(n)}`;

  const selfByFn = new Map<string, number>();
  const selfByGroup = new Map<string, number>();
  for (const [id, t] of selfUs) {
    const n = byId.get(id)!;
    selfByFn.set(key(n), (selfByFn.get(key(n)) ?? 0) + t);
    const g = groupOf(n.callFrame.url, n.callFrame.functionName);
    selfByGroup.set(g, (selfByGroup.get(g) ?? 0) + t);
  }

  // inclusive: every function on a sample's stack gets the sample once (recursion counted once)
  const inclusive = new Map<string, number>();
  for (const [id, t] of selfUs) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      const k = n.callFrame.functionName;
      if (!k || seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + t);
    }
  }

  const out: string[] = [];
  out.push(`profile: ${(total / 1e6).toFixed(2)} s sampled (${profile.samples.length} samples)`);
  out.push('');
  out.push(`top ${top} functions by self time:`);
  for (const [k, t] of [...selfByFn.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) out.push(`  ${pct(t)} ${ms(t)}  ${k}`);
  out.push('');
  out.push('self time by package / library folder:');
  for (const [g, t] of [...selfByGroup.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20)) out.push(`  ${pct(t)} ${ms(t)}  ${g}`);
  out.push('');
  out.push('inclusive time of the main steps:');
  const steps = ['buildBenchApp', 'renderTree', 'validate', 'toJson', 'resolve', 'buildInventory', 'checkPolicy', 'layoutFiles', 'toYaml', 'stringify',
    'compareManifests', 'checkReferences', 'writeTree', 'writeFileSync', 'swapInto', 'rmSync', 'garbage collector'];
  for (const s of steps) {
    const t = inclusive.get(s) ?? inclusive.get(`(${s})`);
    if (t !== undefined) out.push(`  ${pct(t)} ${ms(t)}  ${s}`);
  }
  return out.join('\n');
}

function main(): void {
  const argv = process.argv.slice(2);
  let services = 1000;
  let top = 15;
  let keep = false;
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--services') services = Number(argv[++i]);
    else if (a === '--top') top = Number(argv[++i]);
    else if (a === '--keep') keep = true;
    else if (a === '--summarize') file = argv[++i];
    else {
      process.stderr.write('usage: npx tsx scripts/bench-profile.ts [--services 1000] [--top 15] [--keep] | --summarize <file.cpuprofile>\n');
      process.exit(2);
    }
  }
  if (file) {
    process.stdout.write(`${summarize(JSON.parse(fs.readFileSync(file, 'utf8')), top)}\n`);
    return;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-profile-'));
  try {
    const r = spawnSync('node', ['--cpu-prof', '--cpu-prof-dir', tmp, '--import', 'tsx', 'apps/bench.ts'], {
      cwd: ROOT,
      env: { ...process.env, SERVICES: String(services), CDK8S_OUTDIR: path.join(tmp, 'out') },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`apps/bench.ts failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    // tsx may run the app in the main thread only, but keep the largest profile in case of helpers
    const profiles = fs.readdirSync(tmp).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(tmp, f));
    const biggest = profiles.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
    process.stdout.write(`SERVICES=${services}: ${path.basename(biggest)}\n${summarize(JSON.parse(fs.readFileSync(biggest, 'utf8')), top)}\n`);
    if (keep) process.stdout.write(`kept ${biggest}\n`);
  } finally {
    if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) main();
