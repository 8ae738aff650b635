// Benchmark helper: the serialization floor. Writes already-rendered objects with the project's serializer
// (toYaml) and writer (writeTree: staging folder, swap) in the dist/ file layout, and loads nothing else (no
// cdk8s, no construct tree): what any synth of the same objects must at least spend.
//
//   node --import tsx scripts/bench-floor.ts <floor-input.json> <outdir>
//
// The input comes from scripts/bench-phases.ts. Prints one JSON line with the in-process times (ms) of
// reading the input, serializing and writing.
import '../lib/capabilities'; // every capability's registration (synth stages, settings)
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import { writeTree } from '../lib/gitops/dist-writer';
import { toYaml } from '../lib/gitops/serialize';

/** Every file of dist/ (path relative to it) with the documents it holds, in order. */
export interface FloorInput {
  readonly files: [string, unknown[]][];
}

/** The files' contents, serialized as GitOpsApp does. */
export function serializeFloor(input: FloorInput): Map<string, string> {
  const files = new Map<string, string>();
  for (const [file, docs] of input.files) files.set(file, toYaml(docs));
  return files;
}

/** Serializes and writes `input` into `outdir` (replacing it). */
export function writeFloor(input: FloorInput, outdir: string): void {
  writeTree(outdir, serializeFloor(input));
}

if (require.main === module) {
  const load = performance.now();
  const [inputFile, outdir] = process.argv.slice(2);
  if (!inputFile || !outdir) {
    process.stderr.write('usage: node --import tsx scripts/bench-floor.ts <floor-input.json> <outdir>\n');
    process.exit(2);
  }
  let t = performance.now();
  const input: FloorInput = JSON.parse(fs.readFileSync(inputFile, 'utf8'));
  const read = performance.now() - t;
  t = performance.now();
  const files = serializeFloor(input);
  const serialize = performance.now() - t;
  t = performance.now();
  writeTree(outdir, files);
  const write = performance.now() - t;
  process.stdout.write(`${JSON.stringify({ load, read, serialize, write })}\n`);
}
