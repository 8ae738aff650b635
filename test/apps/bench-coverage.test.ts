// The benchmark platform measures every capability the example platform uses (its bytes: bench-bytes.test.ts).
import { buildBenchApp } from '../../apps/bench';
import { buildApp } from '../../apps/main';

// ten services: every role of the bench (database, worker, cron job, canaries, apex exposure) occurs once
const SERVICES = 10;

describe('the benchmark platform covers the example platform', () => {
  const files = buildBenchApp(SERVICES).synthFiles();
  const kindsOf = (texts: Iterable<string>) => {
    const kinds = new Set<string>();
    for (const text of texts) for (const m of text.matchAll(/^kind: (\S+)$/gm)) kinds.add(m[1]);
    return kinds;
  };

  test('renders every kind the example renders', () => {
    const example = kindsOf(buildApp().synthFiles().values());
    const bench = kindsOf(files.values());
    expect([...example].filter((k) => !bench.has(k)).sort()).toEqual([]);
    expect(example.size).toBeGreaterThan(30);
  });

  test('on clusters of several Kubernetes versions', () => {
    const versions = new Set(buildBenchApp(1).targets.map((t) => t.cluster.kubernetesVersion));
    expect(versions.size).toBeGreaterThanOrEqual(3);
  });
});
