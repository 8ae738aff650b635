// Benchmark helper: our synth of the bench platform, timed phase by phase in one process, and the dump of its
// rendered objects that the serialization floor (scripts/bench-floor.ts) re-serializes.
//
//   SERVICES=1000 node --import tsx scripts/bench-phases.ts <outdir> [<floor-input.json>]
//
// Prints one JSON line: the phase times in milliseconds (`load` is the process's time before main ran:
// node start-up, tsx and module loading), object, file and byte counts.
//
// The phases mirror GitOpsApp.render() / synthFiles() / synth() step by step (render needs the app's private
// inventory hand-off); test/apps/bench.test.ts checks that they still produce exactly app.synthFiles().
import '../lib/capabilities'; // every capability's registration (synth stages, settings)
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import { buildBenchApp, servicesFromEnv } from '../apps/bench';
import { previousTreeIn, retainedConfigGenerations } from '../lib/config/config-generations';
import { annotateSyncWaves, computeApplyOrder, phaseKustomizations, unitApplyOrders } from '../lib/gitops/apply-order';
import { writeTree } from '../lib/gitops/dist-writer';
import { GitOpsApp } from '../lib/gitops/gitops-app';
import { buildInventory, TargetInventory } from '../lib/gitops/inventory';
import { compareManifests, layoutFiles, RenderedObject, renderTree } from '../lib/gitops/layout';
import { applyUnitsOf, withTenancyKustomizations } from '../lib/gitops/tenancy-layout';
import { addTenancyGitOps } from '../lib/gitops/tenancy-projects';
import { checkReferences } from '../lib/gitops/references';
import { checkPolicy } from '../lib/policy/check';
import { checkSchemas, folderVersions } from '../lib/schema/check';
import * as YAML from 'yaml';
import type { FloorInput } from './bench-floor';

/** Milliseconds per phase of one synth. */
export interface PhaseTimes {
  /** Construct tree: the GitOpsApp and everything below it. */
  readonly build: number;
  /** Construct validations and toJson of every object (targets, then the Argo CD and Flux charts). */
  readonly render: number;
  /** The policy engine over the rendered objects. */
  readonly policy: number;
  /** Strict schema validation of every object against its target's Kubernetes version and the CRD schemas. */
  readonly schema: number;
  /** Grouping into files, sorting, YAML serialization, kustomization.yaml. */
  readonly layout: number;
  /** Checking that every Argo CD / Flux path exists in the files. */
  readonly references: number;
  /** Staging folder, files, swap. */
  readonly write: number;
}

export interface PhasedSynth {
  readonly times: PhaseTimes;
  /** CPU time (user + system) per phase, ms, in the order of PhaseTimes. */
  readonly cpu: number[];
  /** Live heap after each phase, MB (only with --expose-gc, else empty). */
  readonly heap: number[];
  readonly objects: RenderedObject[];
  readonly files: Map<string, string>;
}

/** Builds the app with `build` and synthesizes it into `outdir` (skipped when `outdir` is undefined), timed. */
export function synthInPhases(build: () => GitOpsApp<any, any>, outdir?: string): PhasedSynth {
  let t = performance.now();
  let cpu = process.cpuUsage();
  const gc = (globalThis as any).gc as (() => void) | undefined;
  const lap = () => {
    const now = performance.now();
    const ms = now - t;
    const c = process.cpuUsage(cpu);
    cpuMs.push((c.user + c.system) / 1000);
    // with --expose-gc (BENCH_HEAP): what each phase leaves alive, measured outside the timed laps
    if (gc) {
      gc();
      heapMb.push(Math.round(process.memoryUsage().heapUsed / 2 ** 20));
    }
    cpu = process.cpuUsage();
    t = performance.now();
    return ms;
  };
  const cpuMs: number[] = [];
  const heapMb: number[] = [];

  const app = build();
  const tBuild = lap();

  // GitOpsApp.render() without its last steps (checkSchemas, checkPolicy), so that each gets its own figure
  const gitops = [app.argoCd, app.flux].filter((c): c is NonNullable<typeof c> => c !== undefined);
  const objects = renderTree(app, { exclude: gitops });
  const handOff = app as unknown as { inventory_?: Map<string, TargetInventory> };
  const targetOrder = computeApplyOrder(objects, app.targets.map((x) => x.path));
  annotateSyncWaves(objects, targetOrder);
  const applyOrder = unitApplyOrders(targetOrder, applyUnitsOf(app, app.targets));
  handOff.inventory_ = buildInventory(app.targets, objects, applyOrder);
  addTenancyGitOps(app.targets, app.argoCd, app.flux, applyOrder);
  try {
    for (const chart of gitops) objects.push(...renderTree(chart, { include: (o) => chart.includes(o) }));
  } finally {
    handOff.inventory_ = undefined;
  }
  const tRender = lap();

  checkSchemas(objects, folderVersions(app.targets));
  const tSchema = lap();

  checkPolicy(objects);
  const tPolicy = lap();

  // --- config: as synthTo does, keep the config generations of the dist/ being replaced ---
  const retained = outdir !== undefined ? retainedConfigGenerations(objects, previousTreeIn(outdir)) : [];
  const layout = withTenancyKustomizations(app, app.targets, layoutFiles([...objects, ...retained], app.targets.map((x) => x.path)));
  const phases = phaseKustomizations(applyOrder);
  const files = phases.size === 0 ? layout : new Map([...layout, ...phases].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const tLayout = lap();

  checkReferences(files, app.referencesOf(objects));
  const tReferences = lap();

  if (outdir !== undefined) writeTree(outdir, files);
  const tWrite = lap();

  return {
    times: { build: tBuild, render: tRender, policy: tPolicy, schema: tSchema, layout: tLayout, references: tReferences, write: tWrite },
    cpu: cpuMs,
    heap: heapMb,
    objects,
    files,
  };
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
  const { times, cpu, heap, objects, files } = synthInPhases(() => buildBenchApp(services, outdir), outdir);
  let bytes = 0;
  for (const text of files.values()) bytes += Buffer.byteLength(text);
  if (dumpFile) fs.writeFileSync(dumpFile, JSON.stringify(floorInput(objects, files)));
  process.stdout.write(`${JSON.stringify({ services, load, ...times, cpu, heap, objects: objects.length, files: files.size, bytes })}\n`);
}
