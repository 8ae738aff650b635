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

describe('the bench platform keeps a fixed vocabulary of keys as it grows', () => {
  // Synth stays linear only while objects share their shapes: a map key named after a service (as the secret
  // checksums once were: one annotation key per Secret) gives each object a shape of its own, and past about
  // 1500 distinct keys V8's shape transitions made rendering superlinear. Any key that grows with the platform
  // shows up here as a key of the larger platform that the smaller one lacks.
  const keysOf = (n: number) => {
    const keys = new Set<string>();
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { keys.add(k); walk(x); }
    };
    for (const o of buildBenchApp(n, undefined, undefined, { streaming: false }).render()) walk(o.manifest);
    return keys;
  };

  test('no map key of any rendered object grows with the number of services (N=10 against N=20)', () => {
    const small = keysOf(SERVICES);
    const large = keysOf(2 * SERVICES);
    expect([...large].filter((k) => !small.has(k)).sort()).toEqual([]);
  });
});
