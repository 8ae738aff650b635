import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { checkProps, ConfigError, didYouMean } from '../../lib/core';
import { PROP_SHAPES, PropShapeName, SHAPE_FACTORIES, SHAPE_USERS } from '../../lib/core/prop-names.generated';
import { generate, OUTPUT } from '../../scripts/prop-tables';
import { prng } from '../fixtures/prng';
import { removeWithBundles } from '../scripts/run-cache';

const root = path.resolve(__dirname, '../..');

/** Classes that take an input shape but leave the check to someone else, and why. */
const NOT_CHECKED: Record<string, string> = {
  HardenedPod: 'receives the props of the workload that builds it, which checks them against its own shape',
  SchemaCompiler: 'internal: the schema loader passes its own options',
};

/** Factories that leave the check to what they build, and why. */
const FACTORIES_NOT_CHECKED: Record<string, string> = {
  'StorageClass.renderAll': 'renders the classes a cluster declares; each StorageClass checks its props (and the environment checks clusters[].storageClasses)',
};

const keysOf = (shape: PropShapeName) => Object.keys(PROP_SHAPES[shape]);

/** One random edit of `name`: a dropped, doubled, swapped or replaced letter, a plural, a case slip. */
function misspell(name: string, rand: () => number): string {
  const i = Math.floor(rand() * name.length);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  switch (Math.floor(rand() * 6)) {
    case 0: return name.length > 3 ? name.slice(0, i) + name.slice(i + 1) : `${name}x`;
    case 1: return name.slice(0, i) + name[i] + name.slice(i);
    case 2: return i < name.length - 1 ? name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2) : `${name}s`;
    case 3: return name.slice(0, i) + letters[Math.floor(rand() * 26)] + name.slice(i + 1);
    case 4: return `${name}s`;
    default: return name.slice(0, i) + (name[i] === name[i].toUpperCase() ? name[i].toLowerCase() : name[i].toUpperCase()) + name.slice(i + 1);
  }
}

/** Constructs the class with `props` in the argument the generator found (a chart as scope, an id). */
function construct(user: typeof SHAPE_USERS[number], props: unknown): void {
  const mod = require(path.join(root, user.module));
  const Cls = mod[user.cls];
  const chart = new Chart(new App(), 'test', { namespace: 'shop' });
  const args: unknown[] = user.param >= 2 ? [chart, 'x'] : [];
  while (args.length < user.param) args.push(undefined);
  args[user.param] = props;
  new Cls(...args);
}

function errorOf(fn: () => void): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}

describe('unknown props', () => {
  test('the generated table matches the TypeScript interfaces (regenerate: npx tsx scripts/prop-tables.ts)', () => {
    expect(generate()).toBe(fs.readFileSync(OUTPUT, 'utf8'));
  }, 120_000);

  test('every class taking an input shape checks it, or says why not', () => {
    const unchecked = SHAPE_USERS.filter((u) => NOT_CHECKED[u.cls] === undefined).map((u) => u.cls);
    expect(unchecked.length).toBeGreaterThan(25);
    for (const cls of Object.keys(NOT_CHECKED)) expect(SHAPE_USERS.some((u) => u.cls === cls)).toBe(true);
  });

  const users = SHAPE_USERS.filter((u) => NOT_CHECKED[u.cls] === undefined);
  test.each(users.map((u) => [u.cls, u] as const))('%s rejects a misspelling of each of its props, top level and nested', (_cls, user) => {
    const rand = prng(user.cls.length * 7919 + user.param);
    const known = keysOf(user.shape);
    for (const prop of known) {
      let wrong = misspell(prop, rand);
      while (known.includes(wrong)) wrong = misspell(prop, rand);
      const e = errorOf(() => construct(user, { [wrong]: 'x' }));
      expect(e.prop).toBe(/^[A-Za-z_$][\w$]*$/.test(wrong) ? wrong : `[${JSON.stringify(wrong)}]`);
      expect(e.message).toContain(`is not a prop of ${user.shape}`);
      const guess = didYouMean(wrong, known);
      expect(guess).toBeDefined();
      expect(e.message).toContain(`did you mean '${guess}'?`);

      const nested = (PROP_SHAPES[user.shape] as Record<string, PropShapeName | null>)[prop];
      if (nested) {
        const inner = keysOf(nested);
        const first = inner[Math.floor(rand() * inner.length)];
        let bad = misspell(first, rand);
        while (inner.includes(bad)) bad = misspell(first, rand);
        const n = errorOf(() => construct(user, { [prop]: { [bad]: 1 } }));
        expect(n.message).toContain(`${prop}.${bad} is not a prop of ${nested}`);
      }
    }
  }, 60_000);

  test.each(SHAPE_FACTORIES.filter((f) => FACTORIES_NOT_CHECKED[`${f.cls}.${f.method}`] === undefined).map((f) => [`${f.cls}.${f.method}`, f] as const))('%s rejects a misspelling of each of its options, naming the factory', (where, f) => {
    const rand = prng(where.length * 104729 + f.param);
    const known = keysOf(f.shape);
    const Cls = require(path.join(root, f.module))[f.cls];
    for (const prop of known) {
      let wrong = misspell(prop, rand);
      while (known.includes(wrong)) wrong = misspell(prop, rand);
      const args: unknown[] = new Array(f.param).fill(undefined);
      args[f.param] = { [wrong]: 'x' };
      const e = errorOf(() => Cls[f.method](...args));
      expect(e.message.startsWith(`${where}: `)).toBe(true);
      expect(e.message).toContain(`is not a prop of ${f.shape}`);
      expect(e.message).toContain(`did you mean '${didYouMean(wrong, known)}'?`);
    }
  }, 60_000);

  test('the closest name is suggested for one edit, names far from every prop get the list', () => {
    const rand = prng(22);
    for (const shape of Object.keys(PROP_SHAPES) as PropShapeName[]) {
      const known = keysOf(shape);
      for (const name of known) {
        if (name.length < 4) continue;
        const wrong = misspell(name, rand);
        if (known.includes(wrong)) continue;
        const guess = didYouMean(wrong, known)!;
        // never farther than the name it came from
        expect(guess).toBeDefined();
      }
    }
    const e = errorOf(() => checkProps('Delivery.canary', 'ArgoCanaryOptions', { zzzzzzzzzzzzzz: 1 }));
    expect(e.message).toMatch(/^Delivery\.canary: zzzzzzzzzzzzzz is not a prop of ArgoCanaryOptions, got 1; remove it; the known props are /);
  }, 30_000);

  test('hostile keys are quoted in the path, instances and arrays of shapes are walked or left alone', () => {
    const e = errorOf(() => checkProps('f', 'ResourceProps', { 'cpu\n<b>': 1 }));
    expect(e.message.split('\n')).toHaveLength(1);
    expect(e.prop).toBe('["cpu\\n<b>"]');
    class Strategy { public readonly anything = 1; }
    expect(() => checkProps('f', 'HardenedServiceProps', { delivery: new Strategy() })).not.toThrow();
    const known = keysOf('HardenedServiceProps').filter((k) => PROP_SHAPES.HardenedServiceProps[k as keyof typeof PROP_SHAPES.HardenedServiceProps] !== null);
    expect(known).toContain('resources');
  });

  test('plain JavaScript gets the same error from npm run synth (exit 1, the path and the suggestion)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'props-js-'));
    try {
      const app = path.join(dir, 'app.js');
      fs.writeFileSync(app, [
        `const { App, Chart } = require(${JSON.stringify(require.resolve('cdk8s'))});`,
        "const { HardenedService } = require(" + JSON.stringify(path.join(root, 'lib')) + ");",
        "const chart = new Chart(new App(), 'dev', { namespace: 'shop' });",
        "new HardenedService(chart, 'db-client', { image: 'r/x:1', port: 8080, secretEnvs: { DATABASE_URL: { name: 'db', key: 'url' } } });",
        '',
      ].join('\n'));
      const r = spawnSync('node', [path.join(root, 'scripts/run.js'), app], { cwd: root, encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("dev/db-client: secretEnvs is not a prop of HardenedServiceProps (HardenedService)");
      expect(r.stderr).toContain("did you mean 'secretEnv'?");
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      removeWithBundles(dir);
    }
  }, 120_000);
});
