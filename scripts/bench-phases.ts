// Benchmark helper: our synth of the bench platform, timed phase by phase in one process, and the dump of its
// rendered objects that the serialization floor (scripts/bench-floor.ts) re-serializes.
//
//   SERVICES=1000 node --import tsx scripts/bench-phases.ts <outdir> [<floor-input.json>]
//
// Prints one JSON line: the phase times in milliseconds (`load` is the process's time before main ran:
// node start-up, tsx and module loading), object, file and byte counts.
//
// The phases are GitOpsApp's own pipeline steps (its step hook), summed over the targets; test/apps/bench.test.ts
// checks that the phased synth still writes exactly what app.synthFiles() returns.
import '../lib/capabilities'; // every capability's registration (synth stages, settings)
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import { buildBenchApp, servicesFromEnv } from '../apps/bench';
import { GitOpsApp, SynthStep } from '../lib/gitops/gitops-app';
import { compareManifests, RenderedObject } from '../lib/gitops/layout';
import { DIST_MARKER } from '../lib/gitops/dist-marker';
import { readTree } from '../lib/gitops/manifest-diff';
import * as YAML from 'yaml';
import type { FloorInput } from './bench-floor';

/** Milliseconds per phase of one synth, summed over the targets (synth runs the pipeline one target at a time). */
export interface PhaseTimes {
  /** Construct tree: the GitOpsApp, and (a streaming app) each target when synth reaches it. */
  readonly build: number;
  /** Construct validations and toJson of every object, apply order, inventory (targets, then Argo CD and Flux). */
  readonly render: number;
  /** Strict schema validation of every object against its target's Kubernetes version and the CRD schemas. */
  readonly schema: number;
  /** The policy engine over the rendered objects. */
  readonly policy: number;
  /** The other registered checks (promotion ledger, retained config, checks against the previous dist/). */
  readonly checks: number;
  /** Grouping into files, sorting, kustomization.yaml. */
  readonly layout: number;
  /** Checking that every Argo CD / Flux path exists in the files. */
  readonly references: number;
  /** YAML serialization, files, swap (serialization happens as the writer reaches each file). */
  readonly write: number;
}

const PHASES: readonly (keyof PhaseTimes)[] = ['build', 'render', 'schema', 'policy', 'checks', 'layout', 'references', 'write'];

export interface PhasedSynth {
  readonly times: PhaseTimes;
  /** CPU time (user + system) per phase, ms, in the order of PhaseTimes. */
  readonly cpu: number[];
  /** Peak heap used seen at a phase boundary, MB. */
  readonly peakHeapMb: number;
  /** The rendered objects (only when asked for: a second render). */
  readonly objects: RenderedObject[];
  readonly files: Map<string, string>;
}

/**
 * Builds the app with `build` and synthesizes it into `outdir` (or, when undefined, into memory with
 * synthFiles), timing each step of GitOpsApp's pipeline through its step hook; the times of a step are summed
 * over the targets. With `keepObjects`, the rendered objects are returned too (an untimed render afterwards).
 */
export function synthInPhases(build: () => GitOpsApp<any, any>, outdir?: string, keepObjects = false): PhasedSynth {
  const wall = new Map<keyof PhaseTimes, number>(PHASES.map((p) => [p, 0]));
  const cpuMs = new Map<keyof PhaseTimes, number>(PHASES.map((p) => [p, 0]));
  let peak = 0;
  let t = performance.now();
  let cpu = process.cpuUsage();
  const lap = (phase: keyof PhaseTimes) => {
    const c = process.cpuUsage(cpu);
    wall.set(phase, wall.get(phase)! + performance.now() - t);
    cpuMs.set(phase, cpuMs.get(phase)! + (c.user + c.system) / 1000);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    cpu = process.cpuUsage();
    t = performance.now();
  };
  const app = build();
  lap('build');
  app._onStep = (step: SynthStep) => lap(step);
  let files: Map<string, string>;
  if (outdir !== undefined) {
    app.synthTo(outdir);
    lap('write');
    files = readTree(outdir);
    files.delete(DIST_MARKER);
  } else {
    files = app.synthFiles();
    lap('write');
  }
  app._onStep = undefined;
  const objects = keepObjects ? app.render() : [];
  const times = Object.fromEntries(PHASES.map((p) => [p, wall.get(p)!])) as unknown as PhaseTimes;
  return { times, cpu: PHASES.map((p) => cpuMs.get(p)!), peakHeapMb: Math.round(peak / 2 ** 20), objects, files };
}

/**
 * The serialization floor's input: for every file of dist/, in order, the documents it holds. Object files
 * carry the rendered manifests themselves, in the order layoutFiles writes them; kustomization.yaml files are
 * parsed back from the layout.
 */
export function floorInput(objects: readonly RenderedObject[], files: ReadonlyMap<string, string>): FloorInput {
  const byFile = new Map<string, unknown[]>();
  for (const o of objects) {
    const key = `${o.folder}/${o.file}`;
    let docs = byFile.get(key);
    if (!docs) byFile.set(key, (docs = []));
    docs.push(o.manifest);
  }
  const out: [string, unknown[]][] = [];
  for (const [file, text] of files) {
    const docs = byFile.get(file);
    if (docs) out.push([file, [...docs].sort(compareManifests)]);
    else out.push([file, YAML.parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS())]);
  }
  return { files: out };
}

if (require.main === module) {
  const load = performance.now();
  const [outdir, dumpFile] = process.argv.slice(2);
  if (!outdir) {
    process.stderr.write('usage: SERVICES=<n> node --import tsx scripts/bench-phases.ts <outdir> [<floor-input.json>]\n');
    process.exit(2);
  }
  const services = servicesFromEnv();
  const { times, cpu, peakHeapMb, objects, files } = synthInPhases(() => buildBenchApp(services, outdir), outdir, dumpFile !== undefined);
  let bytes = 0;
  for (const text of files.values()) bytes += Buffer.byteLength(text);
  if (dumpFile) fs.writeFileSync(dumpFile, JSON.stringify(floorInput(objects, files)));
  const objectCount = objects.length > 0 ? objects.length : countDocuments(files);
  process.stdout.write(`${JSON.stringify({ services, load, ...times, cpu, peakHeapMb, objects: objectCount, files: files.size, bytes })}\n`);
}

/** Objects in the files of dist/ (YAML documents outside kustomization.yaml). */
function countDocuments(files: ReadonlyMap<string, string>): number {
  let n = 0;
  for (const [name, text] of files) {
    if (name.endsWith('kustomization.yaml')) continue;
    n += 1 + (text.match(/^---$/gm)?.length ?? 0);
  }
  return n;
}
