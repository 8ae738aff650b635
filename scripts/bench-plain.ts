// Benchmark helper: the stock cdk8s baseline. Builds the bench platform with plain cdk8s (one App per
// environment, one Chart per namespace and per service; see buildPlainBenchApps) and runs stock App.synth()
// (one YAML file per chart) into <outdir>/<env>/.
//
//   SERVICES=1000 node --import tsx scripts/bench-plain.ts <outdir>
import { buildPlainBenchApps, servicesFromEnv } from '../apps/bench';

export function main(argv: readonly string[]): void {
  const outdir = argv[0];
  if (!outdir) {
    process.stderr.write('usage: SERVICES=<n> node --import tsx scripts/bench-plain.ts <outdir>\n');
    process.exit(2);
  }
  for (const app of buildPlainBenchApps(servicesFromEnv(), outdir)) app.synth();
}

if (require.main === module) main(process.argv.slice(2));
