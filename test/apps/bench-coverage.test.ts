// The benchmark platform measures every capability the example platform uses, and its bytes only change on purpose.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { buildBenchApp } from '../../apps/bench';
import { buildApp } from '../../apps/main';

// ten services: every role of the bench (database, worker, cron job, canaries, apex exposure) occurs once
const SERVICES = 10;
const DIGEST_FILE = path.join(__dirname, 'fixtures', 'bench-digest.json');

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

  test(`the bench's dist/ (N=${SERVICES}) is byte-for-byte the pinned one (set UPDATE_BENCH_DIGEST=1 after an intended change)`, () => {
    const hash = createHash('sha256');
    for (const [file, text] of files) hash.update(`${file}\0${text}\0`);
    const actual = { services: SERVICES, files: files.size, sha256: hash.digest('hex') };
    if (process.env.UPDATE_BENCH_DIGEST === '1') {
      fs.mkdirSync(path.dirname(DIGEST_FILE), { recursive: true });
      fs.writeFileSync(DIGEST_FILE, `${JSON.stringify(actual, null, 2)}\n`);
    }
    expect(actual).toEqual(JSON.parse(fs.readFileSync(DIGEST_FILE, 'utf8')));
  });
});
