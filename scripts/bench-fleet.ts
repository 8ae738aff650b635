// Benchmark helper, the fleet case: SERVICES services (default 50) on CLUSTERS rings of one production
// environment (apps/bench.ts benchFleet), synthesized in process. Prints one JSON line: clusters, objects, files,
// bytes, wall and CPU milliseconds of build + synthFiles (no write) and the peak heap.
//
//   CLUSTERS=100 SERVICES=50 node --import tsx scripts/bench-fleet.ts
import { performance } from 'perf_hooks';
import { benchFleet, buildBenchApp } from '../apps/bench';

export function fleetSynth(clusters: number, services: number): Map<string, string> {
  return buildBenchApp(services, undefined, benchFleet(clusters)).synthFiles();
}

if (require.main === module) {
  const clusters = Number(process.env.CLUSTERS ?? 100);
  const services = Number(process.env.SERVICES ?? 50);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const files = fleetSynth(clusters, services);
  const cpu = process.cpuUsage(cpu0);
  const ms = performance.now() - t0;
  let bytes = 0;
  let objects = 0;
  for (const [name, text] of files) {
    bytes += text.length;
    if (!name.endsWith('kustomization.yaml')) objects += 1 + (text.match(/^---$/gm)?.length ?? 0);
  }
  process.stdout.write(`${JSON.stringify({ clusters, services, objects, files: files.size, bytes, ms, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
}
