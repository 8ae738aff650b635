// Benchmark helper, the fleet case: SERVICES services (default 50) on CLUSTERS rings of one production
// environment (apps/bench.ts benchFleet), synthesized in process. Prints one JSON line: clusters, objects, files,
// bytes, wall and CPU milliseconds of build + synthFiles (no write), and how many clusters took the rendering of
// a representative with the same settings (`shared`; SHARING=0 builds every cluster up front, no sharing).
//
//   CLUSTERS=100 SERVICES=50 node --import tsx scripts/bench-fleet.ts
import { performance } from 'perf_hooks';
import { benchFleet, buildBenchApp } from '../apps/bench';

export function fleetSynth(clusters: number, services: number, sharing = true): { files: Map<string, string>; shared: number } {
  const app = buildBenchApp(services, undefined, benchFleet(clusters), { streaming: sharing });
  const files = app.synthFiles();
  return { files, shared: app._sharedTargets };
}

if (require.main === module) {
  const clusters = Number(process.env.CLUSTERS ?? 100);
  const services = Number(process.env.SERVICES ?? 50);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const { files, shared } = fleetSynth(clusters, services, process.env.SHARING !== '0');
  const cpu = process.cpuUsage(cpu0);
  const ms = performance.now() - t0;
  let bytes = 0;
  let objects = 0;
  for (const [name, text] of files) {
    bytes += text.length;
    if (!name.endsWith('kustomization.yaml')) objects += 1 + (text.match(/^---$/gm)?.length ?? 0);
  }
  process.stdout.write(`${JSON.stringify({ clusters, services, objects, files: files.size, bytes, ms, cpuMs: (cpu.user + cpu.system) / 1000, shared })}\n`);
}
