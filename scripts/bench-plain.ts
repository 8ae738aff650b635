// Benchmark helper: the stock cdk8s baseline. Builds the bench platform with plain cdk8s (one App per
// environment, one Chart per namespace and per service; see buildPlainBenchApps) and runs stock App.synth()
// (one YAML file per chart) into <outdir>/<env>/.
//
//   SERVICES=1000 node --import tsx scripts/bench-plain.ts <outdir> [--linear]
//
// Stock App.synth() is quadratic in the charts of an App: every chart.toJson() validates and resolves the
// dependencies of the whole App again. With --linear the same synth does that once per App (App.synth() already
// does it before its loop) and each chart only renders its own objects: the same files, byte for byte; the fair
// baseline for a per-object comparison.
import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
import { buildPlainBenchApps, servicesFromEnv } from '../apps/bench';

/** Makes chart.toJson() render only the chart (as stock does after validating and resolving the whole App). */
export function linearStock(): void {
  (App as any)._synthChart = (chart: Chart) => new DependencyGraph(chart.node).topology()
    .filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart)
    .map((x) => x.toJson());
}

export function main(argv: readonly string[]): void {
  const outdir = argv[0];
  if (!outdir) {
    process.stderr.write('usage: SERVICES=<n> node --import tsx scripts/bench-plain.ts <outdir> [--linear]\n');
    process.exit(2);
  }
  if (argv.includes('--linear')) linearStock();
  for (const app of buildPlainBenchApps(servicesFromEnv(), outdir)) app.synth();
}

if (require.main === module) main(process.argv.slice(2));
