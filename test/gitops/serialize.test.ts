import * as YAML from 'yaml';
import { buildApp } from '../../apps/main';
import { buildBenchApp } from '../../apps/bench';
import { toYaml, toYamlReference } from '../../lib/gitops';

// The fast writer must produce exactly the bytes of the yaml library with cdk8s's options.
const expectSameBytes = (doc: unknown) => expect(toYaml([doc])).toBe(toYamlReference(doc));

const TRICKY_STRINGS = [
  '', ' ', 'yes', 'no', 'on', 'off', 'y', 'n', 'true', 'False', 'null', '~', '0755', '0x1F', '0b101', '1e3', '.5', '1.0',
  '1_000', '12:30', '190:20:30', '2024-01-01', '2024-01-01T10:00:00Z', '.inf', '-.Inf', '.nan', '-', '- item', '? q',
  ': x', 'a: b', 'a #b', '#comment', 'trailing ', ' leading', '"quoted"', "'single'", 'back\\slash', 'tab\there',
  '@at', '`tick', '%pct', '&anchor', '*alias', '!tag', '|pipe', '>gt', '[a]', '{a}', 'a,b', 'ünïcødé', 'emoji 🚀',
  'line1\nline2', 'ends with newline\n', '\nstarts', 'ctrl\u0007char', '---', '...', 'a'.repeat(200), 'http://x:80/y?z=1#f',
  '100%', '25%', '10Mi', '0', '-1', '3.14', 'NaN', '<<', '=', 'http', '$(VAR)', '{{ template }}',
];

describe('toYaml', () => {
  test('writes every object of the example platform byte for byte like the yaml library', () => {
    const objects = buildApp().render();
    expect(objects.length).toBeGreaterThan(100);
    for (const o of objects) expectSameBytes(o.manifest);
  });

  test('writes the bench platform byte for byte like the yaml library', () => {
    for (const o of buildBenchApp(5).render()) expectSameBytes(o.manifest);
  });

  test.each(TRICKY_STRINGS.map((s) => [JSON.stringify(s), s]))('writes the string %s as a value, list item and key exactly like the library', (_, s) => {
    expectSameBytes({ kind: 'ConfigMap', data: { key: s, list: [s, 'x'], nested: [{ name: s, value: s }] } });
    expectSameBytes({ kind: 'ConfigMap', metadata: { labels: { [s || 'empty']: 'v' } }, [s]: { [s]: s } });
  });

  test.each([
    ['numbers', { a: 0, b: -1, c: 1.5, d: 1e21, e: 2 ** 53, f: 0.1 + 0.2, g: -0.0 }],
    ['booleans and null', { a: true, b: false, c: null }],
    ['empty collections', { a: {}, b: [], c: [{}, []], d: { e: {} } }],
    ['nested sequences', { a: [[1, 2], [3, [4]]] }],
    ['sequences of maps', { a: [{ b: 1, c: [{ d: 2 }] }, { e: { f: 3 } }] }],
    ['undefined values', { a: undefined, b: [undefined, 1] }],
    ['dates', { a: new Date(0) }],
    ['a top-level list', [1, 'a']],
    ['a top-level scalar', 'plain'],
    ['an empty document', {}],
  ])('writes %s exactly like the library', (_, doc) => {
    expectSameBytes(doc);
  });

  test('separates documents with ---', () => {
    expect(toYaml([{ a: 1 }, { b: 2 }])).toBe('a: 1\n---\nb: 2\n');
  });

  test('round-trips: what it writes parses back to the same data', () => {
    const doc = { metadata: { labels: Object.fromEntries(TRICKY_STRINGS.filter((s) => s).map((s, i) => [`k${i}`, s])) } };
    expect(YAML.parse(toYaml([doc]), { version: '1.1' })).toEqual(doc);
  });
});
