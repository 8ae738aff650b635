// Benchmark helper, the fleet case: SERVICES services (default 50) on CLUSTERS rings of one production
// environment (apps/bench.ts benchFleet), synthesized in process. Prints one JSON line: clusters, objects, files,
// bytes, wall and CPU milliseconds of build + synthTo into a temporary folder (as npm run synth), and how many clusters took the rendering of
// a representative with the same settings (`shared`; SHARING=0 builds every cluster up front, no sharing).
//
//   CLUSTERS=100 SERVICES=50 node --import tsx scripts/bench-fleet.ts
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { readTree } from '../lib/gitops/manifest-diff';
import { benchFleet, buildBenchApp } from '../apps/bench';

export function fleetSynth(clusters: number, services: number, sharing = true): { files: Map<string, string>; shared: number } {
  const app = buildBenchApp(services, undefined, benchFleet(clusters), { streaming: sharing });
  const files = app.synthFiles();
  return { files, shared: app._sharedTargets };
}

/** The fleet synthesized as `npm run synth` does (into a folder, each ring released once written). */
function fleetSynthTo(clusters: number, services: number, sharing: boolean, outdir: string): number {
  const app = buildBenchApp(services, outdir, benchFleet(clusters), { streaming: sharing });
  app.synthTo(outdir);
  return app._sharedTargets;
}

if (require.main === module) {
  const clusters = Number(process.env.CLUSTERS ?? 100);
  const services = Number(process.env.SERVICES ?? 50);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-fleet-'));
  let shared: number;
  let files: Map<string, string>;
  let took: { cpu: NodeJS.CpuUsage; ms: number };
  try {
    shared = fleetSynthTo(clusters, services, process.env.SHARING !== '0', outdir);
    took = { cpu: process.cpuUsage(cpu0), ms: performance.now() - t0 };
    files = readTree(outdir);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  const { cpu, ms } = took;
  let bytes = 0;
  let objects = 0;
  for (const [name, text] of files) {
    bytes += text.length;
    if (!name.endsWith('kustomization.yaml')) objects += 1 + (text.match(/^---$/gm)?.length ?? 0);
  }
  process.stdout.write(`${JSON.stringify({ clusters, services, objects, files: files.size, bytes, ms, cpuMs: (cpu.user + cpu.system) / 1000, shared })}\n`);
}
