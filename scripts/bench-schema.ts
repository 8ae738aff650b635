// Benchmark helper: the cost of strict schema validation per object, in process, on the bench platform.
//
//   SERVICES=1000 npx tsx scripts/bench-schema.ts [runs]
//
// Prints the first (cold: reads and compiles the schemas the app uses) and the following (warm) runs.
import '../lib/capabilities'; // every capability's registration (synth stages, settings)
import { performance } from 'perf_hooks';
import { buildBenchApp, servicesFromEnv } from '../apps/bench';
import { renderTree } from '../lib/gitops/layout';
import { folderVersions, schemaFindings } from '../lib/schema/check';

const runs = Number(process.argv[2] ?? 3);
const app = buildBenchApp(servicesFromEnv());
// the targets' objects, rendered without validation, so that the first run is cold (reads and compiles)
const objects = renderTree(app, { exclude: [app.argoCd, app.flux].filter((c) => c !== undefined) });
const versionOf = folderVersions(app.targets);
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  const findings = schemaFindings(objects, versionOf);
  const ms = performance.now() - t;
  process.stdout.write(`${i === 0 ? 'cold' : 'warm'}: ${objects.length} objects, ${ms.toFixed(1)} ms, ${((ms * 1000) / objects.length).toFixed(1)} us/object, ${findings.length} findings\n`);
}
