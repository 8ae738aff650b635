import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import {
  CONFIG_GENERATION_LABEL, CONFIG_RETIRED_ANNOTATION, ConfigFiles, configGenerationOf, droppedConfigGenerations, formatDroppedGenerations, previousTreeOf, retainedConfigGenerations,
} from '../../lib/config';
import { prng, randomString } from '../fixtures/prng';
import { diffTrees, Environments, formatTreeDiff, GitOpsApp, readTree } from '../../lib/gitops';
import { PlatformNamespace } from '../../lib/platform';
import { HardenedService } from '../../lib/workloads';

interface Options {
  readonly retain?: number;
  /** Leave the config out entirely. */
  readonly noConfig?: boolean;
}

/** dev with one service whose application.yaml carries `level`. */
function app(level: string, options: Options = {}): GitOpsApp {
  const a = new GitOpsApp({
    environments: Environments.define({ dev: { clusters: [{ name: 'dev', server: 'https://dev.k.example' }] } }),
    argoCd: false,
    flux: false,
  });
  a.forEachTarget((scope) => {
    const ns = new PlatformNamespace(scope, 'shop');
    new HardenedService(ns, 'api', {
      image: 'ghcr.io/acme/api:1.0.0',
      port: 8080,
      use: options.noConfig ? [] : [ConfigFiles.of({ files: { 'application.yaml': { level } }, retainGenerations: options.retain })],
    });
  });
  return a;
}

const FILE = 'dev/shop/api.yaml';

function configMaps(tree: ReadonlyMap<string, string>): any[] {
  return YAML.parseAllDocuments(tree.get(FILE) ?? '', { version: '1.1' }).map((d) => d.toJS()).filter((m) => m?.kind === 'ConfigMap');
}

const current = (tree: ReadonlyMap<string, string>) => configMaps(tree).find((m) => configGenerationOf(m)?.state === 'current').metadata.name;
/** Retained generation names, by rank. */
const retained = (tree: ReadonlyMap<string, string>) => configMaps(tree)
  .filter((m) => configGenerationOf(m)?.state === 'retained')
  .sort((a, b) => Number(a.metadata.annotations[CONFIG_RETIRED_ANNOTATION]) - Number(b.metadata.annotations[CONFIG_RETIRED_ANNOTATION]))
  .map((m) => m.metadata.name);

describe('rollback-safe retention of config generations', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'config-gen-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('after a config change and a second synth, the previous generation is still in dist/, marked retained', () => {
    const out = path.join(tmp, 'one');
    app('info').synthTo(out);
    const first = readTree(out);
    app('debug').synthTo(out);
    const second = readTree(out);
    expect(current(second)).not.toBe(current(first));
    expect(retained(second)).toEqual([current(first)]);
    const kept = configMaps(second).find((m) => m.metadata.name === current(first));
    expect(kept.metadata.labels[CONFIG_GENERATION_LABEL]).toBe('retained');
    expect(kept.metadata.annotations[CONFIG_RETIRED_ANNOTATION]).toBe('1');
    expect(kept.data).toEqual(configMaps(first)[0].data);
    expect(kept.immutable).toBe(true);
    // the pods mount only the current one
    const dep = YAML.parseAllDocuments(second.get(FILE)!).map((d) => d.toJS()).find((m) => m.kind === 'Deployment');
    expect(dep.spec.template.spec.volumes.find((v: any) => v.name === 'config').configMap.name).toBe(current(second));
  });

  test('after N+1 changes the oldest generation is dropped (default N = 5)', () => {
    const out = path.join(tmp, 'many');
    const names: string[] = [];
    for (let i = 0; i < 7; i++) {
      app(`level-${i}`).synthTo(out);
      names.push(current(readTree(out)));
    }
    const tree = readTree(out);
    expect(retained(tree)).toEqual([names[5], names[4], names[3], names[2], names[1]]);
    expect(tree.get(FILE)).not.toContain(names[0]);
  });

  test('the window follows retainGenerations; 0 keeps nothing', () => {
    const out = path.join(tmp, 'window');
    for (const level of ['a', 'b', 'c', 'd']) app(level, { retain: 2 }).synthTo(out);
    expect(retained(readTree(out))).toHaveLength(2);
    app('e', { retain: 0 }).synthTo(out);
    expect(retained(readTree(out))).toEqual([]);
  });

  test('a synth without a change writes the same bytes; a revert makes the old generation current again', () => {
    const out = path.join(tmp, 'revert');
    app('a').synthTo(out);
    const a = current(readTree(out));
    app('b').synthTo(out);
    const b = readTree(out);
    app('b').synthTo(out);
    expect(readTree(out)).toEqual(b);
    app('a').synthTo(out);
    const reverted = readTree(out);
    expect(current(reverted)).toBe(a);
    expect(retained(reverted)).toEqual([current(b)]);
  });

  test('deterministic: the same input and the same previous tree give the same bytes', () => {
    const out = path.join(tmp, 'det');
    app('x').synthTo(out);
    app('y').synthTo(out);
    const previous = readTree(out);
    const one = app('z').synthFiles(previousTreeOf(previous));
    const two = app('z').synthFiles(previousTreeOf(previous));
    expect(one).toEqual(two);
    expect(retained(one)).toHaveLength(2);
  });

  test('config sets no longer rendered keep nothing, and a first synth has nothing to keep', () => {
    const out = path.join(tmp, 'gone');
    app('a').synthTo(out);
    app('b', { noConfig: true }).synthTo(out);
    expect(configMaps(readTree(out))).toEqual([]);
    expect(retainedConfigGenerations([], undefined)).toEqual([]);
  });

  test('retained generations are listed in the folder kustomization (same file as the workload)', () => {
    const out = path.join(tmp, 'kust');
    app('a').synthTo(out);
    app('b').synthTo(out);
    expect(readTree(out).get('dev/kustomization.yaml')).toContain('shop/api.yaml');
  });

  test('npm run diff shows the new generation, the retained one and the retired one', () => {
    const out = path.join(tmp, 'diff');
    app('a', { retain: 1 }).synthTo(out);
    const t1 = readTree(out);
    const t2 = app('b', { retain: 1 }).synthFiles(previousTreeOf(t1));
    const text = formatTreeDiff(diffTrees(t1, t2));
    expect(text).toContain(`+ ConfigMap shop/${current(t2)}  (${FILE})  [new config generation: the pods mounting it roll]`);
    expect(text).toContain(`~ ConfigMap shop/${current(t1)}  (${FILE})  [retained config generation 1: kept for rollbacks]`);
    const t3 = app('c', { retain: 1 }).synthFiles(previousTreeOf(t2));
    const text3 = formatTreeDiff(diffTrees(t2, t3));
    expect(text3).toContain(`- ConfigMap shop/${current(t1)}  (${FILE})  [retired config generation: outside the retention window, pruned]`);
    expect(text3).toContain(`~ ConfigMap shop/${current(t2)}  (${FILE})  [retained config generation 1: kept for rollbacks]`);
  });
});

describe('what is carried over is judged too', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'config-gen-policy-'));
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  test('a hand edit of a previous generation is dropped and reported, never carried over', () => {
    app('a').synthTo(out);
    const file = path.join(out, FILE);
    const old = current(readTree(out));
    const text = fs.readFileSync(file, 'utf8');
    // someone puts a credential into the generation that is about to be retained
    fs.writeFileSync(file, text.replace('application.yaml: |', `AWS_KEY: AKIA${'A'.repeat(16)}\n  application.yaml: |`));
    const b = app('b');
    const files = b.synthFiles(previousTreeOf(readTree(out)));
    expect(configMaps(files).map((m) => m.metadata.name)).not.toContain(old);
    expect(droppedConfigGenerations()).toEqual([{ file: FILE, namespace: 'shop', name: old, set: 'api-config', reason: expect.stringMatching(/data was edited/) }]);
    expect(formatDroppedGenerations(droppedConfigGenerations())).toContain(`${FILE}: ConfigMap shop/${old} of config set api-config: its data was edited`);
  });

  test('an untouched previous generation with a foreign field is stripped to a ConfigMap', () => {
    app('a').synthTo(out);
    const file = path.join(out, FILE);
    const old = current(readTree(out));
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('immutable: true', 'immutable: false\nextra: field'));
    const kept = configMaps(app('b').synthFiles(previousTreeOf(readTree(out)))).find((m) => m.metadata.name === old);
    expect(kept.extra).toBeUndefined();
    expect(kept.immutable).toBe(true);
    expect(Object.keys(kept.metadata.labels)).toEqual([...Object.keys(kept.metadata.labels)].sort());
  });
});

describe('retention keeps only what the library wrote, unchanged (generated tampering)', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'config-gen-tamper-'));
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));
  const rand = prng(404);
  const int = (n: number) => Math.floor(rand() * n);

  /** Tamperings of one ConfigMap document (YAML text of dist/), each with the reason it must be dropped for. */
  const TAMPER: [string, (doc: string, name: string) => string, RegExp][] = [
    ['edit a value', (doc) => doc.replace(/level: (\S+)/, (_m, v) => `level: ${v}x`), /data was edited/],
    ['add a key', (doc) => doc.replace('\ndata:\n', `\ndata:\n  extra.txt: "${randomString(rand, 'abc', 5)}"\n`), /data was edited/],
    ['drop the mark', (doc) => doc.replace(/^ {4}config\.typed-manifests\.io\/content-sha256: .*\n/m, ''), /no config.typed-manifests.io\/content-sha256 mark/],
    ['forge the mark', (doc) => doc.replace(/(content-sha256: )([0-9a-f]{64})/, (_m, k, h) => `${k}${h.slice(0, 63)}${h[63] === '0' ? '1' : '0'}`), /data was edited/],
    ['rename it', (doc, name) => doc.replace(`name: ${name}`, `name: ${name.slice(0, -10)}${randomString(rand, '0123456789abcdef', 10)}`), /name is not the one its content gives/],
    ['add binaryData', (doc) => doc.replace('\ndata:\n', `\nbinaryData:\n  x.bin: AAEC\ndata:\n`), /binaryData/],
  ];

  test.each(TAMPER)('%s: the generation is dropped and reported, the others stay', (_n, tamper, reason) => {
    for (let round = 0; round < 4; round++) {
      fs.rmSync(out, { recursive: true, force: true });
      const levels = Array.from({ length: 3 + int(3) }, (_x, i) => `${randomString(rand, 'abcdefgh', 6)}-${i}`);
      for (const l of levels) app(l).synthTo(out);
      const before = readTree(out);
      const gens = [current(before), ...retained(before)];
      const victim = gens[int(gens.length)];
      const text = before.get(FILE)!;
      const docs = text.split(/^---\n/m);
      const i = docs.findIndex((d) => d.includes(`\n  name: ${victim}\n`));
      docs[i] = tamper(docs[i], victim);
      const tampered = new Map(before).set(FILE, docs.join('---\n'));
      const next = app(`${randomString(rand, 'xyz', 8)}-next`);
      const files = next.synthFiles(previousTreeOf(tampered));
      const kept = [current(files), ...retained(files)];
      const name = tamper === TAMPER[4][1] ? YAML.parse(docs[i]).metadata.name : victim;
      expect([victim, kept.includes(name)]).toEqual([victim, false]);
      expect(retained(files)).toEqual(gens.filter((g) => g !== victim));
      expect(droppedConfigGenerations()).toEqual([{ file: FILE, namespace: 'shop', name, set: 'api-config', reason: expect.stringMatching(reason) }]);
    }
  });

  test('a foreign ConfigMap claiming to be a retained generation is dropped', () => {
    fs.rmSync(out, { recursive: true, force: true });
    app('one').synthTo(out);
    const before = readTree(out);
    const foreign = `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    ${CONFIG_GENERATION_LABEL}: retained\n    config.typed-manifests.io/set: api-config\n  name: api-config-0123456789\n  namespace: shop\ndata:\n  application.yaml: "level: evil"\nimmutable: true\n`;
    const next = app('two');
    const files = next.synthFiles(previousTreeOf(new Map(before).set(FILE, `${before.get(FILE)}${foreign}`)));
    expect(retained(files)).toEqual([current(before)]);
    expect(droppedConfigGenerations().map((d) => [d.name, d.reason])).toEqual([['api-config-0123456789', expect.stringMatching(/not written by this library/)]]);
  });
});
