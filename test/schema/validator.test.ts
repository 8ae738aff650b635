import { closest, formatPath, SchemaCompiler, SchemaIssue } from '../../lib/schema';
import { prng, randomString } from '../fixtures/prng';

/** Issues of `value` against an inline schema (CRD semantics unless `freeFormObjects`). */
function issues(schema: any, value: unknown, options: Partial<ConstructorParameters<typeof SchemaCompiler>[1]> = {}, definitions: Record<string, any> = {}): SchemaIssue[] {
  const c = new SchemaCompiler(definitions, { freeFormObjects: false, ...options });
  const ctx = { path: [] as (string | number)[], issues: [] as SchemaIssue[] };
  c.schema(schema)(value, ctx);
  return ctx.issues;
}
const paths = (list: SchemaIssue[]) => list.map((i) => i.path);

describe('SchemaCompiler keywords', () => {
  test.each([
    ['integer', 3, true], ['integer', 3.5, false], ['integer', '3', false], ['number', 3.5, true], ['number', 'x', false],
    ['string', 'x', true], ['string', 3, false], ['boolean', false, true], ['boolean', 'true', false],
    ['array', [], true], ['array', {}, false], ['object', {}, true], ['object', [], false], ['object', null, false],
  ])('type %s with %p: ok=%p', (type, value, ok) => {
    expect(issues({ type }, value).length === 0).toBe(ok);
  });

  test('a type error names the expected type and suggests the fix', () => {
    const [i] = issues({ type: 'object', properties: { replicas: { type: 'integer' } } }, { replicas: '3' });
    expect(i).toMatchObject({ path: 'replicas', code: 'type', problem: 'must be an integer, got "3"', fix: 'write 3 without quotes' });
  });

  test('x-kubernetes-int-or-string takes integers and strings only', () => {
    const s = { 'x-kubernetes-int-or-string': true };
    expect(issues(s, 1)).toEqual([]);
    expect(issues(s, '25%')).toEqual([]);
    expect(issues(s, 1.5)[0].problem).toMatch(/integer or a string/);
    expect(issues(s, true)).toHaveLength(1);
  });

  test('quantities: generated valid quantities pass, generated garbage fails', () => {
    const s = { type: 'string', format: 'quantity' };
    const rand = prng(7);
    const suffixes = ['', 'm', 'k', 'M', 'G', 'Ki', 'Mi', 'Gi', 'Ti'];
    for (let i = 0; i < 200; i++) {
      const q = `${Math.floor(rand() * 10000)}${rand() < 0.3 ? `.${Math.floor(rand() * 100)}` : ''}${suffixes[Math.floor(rand() * suffixes.length)]}`;
      expect(issues(s, q)).toEqual([]);
      expect(issues(s, Number.parseFloat(q))).toEqual([]);
      const bad = `${q}${randomString(rand, 'xyzQ ', 1 + Math.floor(rand() * 3))}`;
      expect(issues(s, bad)[0]).toMatchObject({ code: 'format' });
    }
  });

  test('enum: case-insensitive near miss gets the exact spelling as fix', () => {
    const [i] = issues({ type: 'string', enum: ['TCP', 'UDP'] }, 'tcp');
    expect(i.problem).toBe('must be one of "TCP", "UDP", got "tcp"');
    expect(i.fix).toBe('use "TCP" (values are case-sensitive)');
    expect(issues({ enum: ['TCP', 'UDP'] }, 'UDP')).toEqual([]);
  });

  test('required: a missing field is reported at its own path', () => {
    expect(paths(issues({ type: 'object', required: ['a', 'b'], properties: { a: {}, b: {} } }, { a: 1 }))).toEqual(['b']);
  });

  test('pattern, minLength, maxLength (characters, not UTF-16 units)', () => {
    expect(issues({ type: 'string', pattern: '^[a-z]+$' }, 'abc')).toEqual([]);
    expect(issues({ type: 'string', pattern: '^[a-z]+$' }, 'aBc')[0].code).toBe('pattern');
    expect(issues({ type: 'string', minLength: 1 }, '')[0].fix).toBe('set a non-empty value');
    expect(issues({ type: 'string', maxLength: 2 }, '😀😀')).toEqual([]);
    expect(issues({ type: 'string', maxLength: 2 }, 'abc')[0].code).toBe('range');
  });

  test('minimum, maximum (inclusive and exclusive), generated around the bounds', () => {
    const rand = prng(11);
    for (let i = 0; i < 100; i++) {
      const lo = Math.floor(rand() * 100) - 50;
      const hi = lo + Math.floor(rand() * 50);
      const v = lo - 10 + Math.floor(rand() * (hi - lo + 20));
      expect(issues({ type: 'integer', minimum: lo, maximum: hi }, v).length === 0).toBe(v >= lo && v <= hi);
      expect(issues({ type: 'integer', minimum: lo, exclusiveMinimum: true }, v).length === 0).toBe(v > lo);
      expect(issues({ type: 'integer', maximum: hi, exclusiveMaximum: true }, v).length === 0).toBe(v < hi);
    }
  });

  test('int32 format: out of range is an error', () => {
    expect(issues({ type: 'integer', format: 'int32' }, 2147483647)).toEqual([]);
    expect(issues({ type: 'integer', format: 'int32' }, 2147483648)[0].code).toBe('range');
  });

  test('date-time and byte formats', () => {
    expect(issues({ type: 'string', format: 'date-time' }, '2026-01-31T12:00:00Z')).toEqual([]);
    expect(issues({ type: 'string', format: 'date-time' }, '31/01/2026')[0].code).toBe('format');
    expect(issues({ type: 'string', format: 'byte' }, Buffer.from('hello').toString('base64'))).toEqual([]);
    expect(issues({ type: 'string', format: 'byte' }, 'not base64!')[0].code).toBe('format');
  });

  test('minItems, maxItems, minProperties, maxProperties', () => {
    expect(issues({ type: 'array', minItems: 1 }, [])[0].code).toBe('range');
    expect(issues({ type: 'array', maxItems: 1 }, [1, 2])[0].problem).toBe('must have at most 1 item, got 2');
    expect(issues({ type: 'object', additionalProperties: true, maxProperties: 1 }, { a: 1, b: 2 })[0].code).toBe('range');
    expect(issues({ type: 'object', additionalProperties: true, minProperties: 1 }, {})[0].code).toBe('range');
  });

  test('list-map keys must be unique (generated lists)', () => {
    const s = { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['containerPort', 'protocol'], items: { type: 'object', properties: { containerPort: { type: 'integer' }, protocol: { type: 'string' } } } };
    const rand = prng(3);
    for (let i = 0; i < 100; i++) {
      const list = Array.from({ length: 1 + Math.floor(rand() * 5) }, () => ({ containerPort: 8080 + Math.floor(rand() * 3), protocol: rand() < 0.5 ? 'TCP' : 'UDP' }));
      const keys = list.map((p) => `${p.containerPort}/${p.protocol}`);
      const dupes = keys.map((k, j) => (keys.indexOf(k) < j ? j : -1)).filter((j) => j >= 0);
      expect(paths(issues(s, list))).toEqual(dupes.map((j) => `[${j}]`));
    }
  });

  test('list-type set: items unique', () => {
    const s = { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } };
    expect(issues(s, ['a', 'b'])).toEqual([]);
    expect(issues(s, ['a', 'a'])[0]).toMatchObject({ path: '[1]', code: 'duplicate' });
  });

  test('unknown fields: errors in structural schemas, with a typo suggestion', () => {
    const s = { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'object' } } };
    const [i] = issues(s, { replica: 3 });
    expect(i).toMatchObject({ path: 'replica', code: 'unknown-field', problem: 'unknown field, got "replica"', fix: 'did you mean "replicas"?' });
  });

  test('unknown fields are allowed by additionalProperties (true or a schema) and x-kubernetes-preserve-unknown-fields', () => {
    expect(issues({ type: 'object', additionalProperties: true }, { x: 1 })).toEqual([]);
    expect(issues({ type: 'object', additionalProperties: { type: 'string' } }, { x: 'a' })).toEqual([]);
    expect(paths(issues({ type: 'object', additionalProperties: { type: 'string' } }, { x: 1 }))).toEqual(['x']);
    expect(issues({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, { x: { y: 1 } })).toEqual([]);
    expect(issues({ type: 'object', additionalProperties: false, properties: {} }, { x: 1 })[0].code).toBe('unknown-field');
  });

  test('an object without properties: free-form in Kubernetes definitions, pruned in CRD schemas', () => {
    expect(issues({ type: 'object' }, { anything: 1 }, { freeFormObjects: true })).toEqual([]);
    expect(issues({ type: 'object' }, { anything: 1 }, { freeFormObjects: false })[0].code).toBe('unknown-field');
  });

  test('x-kubernetes-embedded-resource allows apiVersion, kind and metadata', () => {
    expect(issues({ type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', additionalProperties: true } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: {} })).toEqual([]);
  });

  test('nullable', () => {
    expect(issues({ type: 'string', nullable: true }, null)).toEqual([]);
    expect(issues({ type: 'string' }, null)[0].fix).toBe('use a string, or leave the field out');
  });

  test('anyOf, oneOf, allOf and not constrain values without pruning', () => {
    const s = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, oneOf: [{ required: ['a'] }, { required: ['b'] }] };
    expect(issues(s, { a: 'x' })).toEqual([]);
    expect(issues(s, { a: 'x', b: 'y' })[0].problem).toMatch(/matches 2$/);
    expect(issues(s, {})[0].code).toBe('composition');
    expect(issues({ anyOf: [{ type: 'integer' }, { type: 'string' }] }, true)[0].code).toBe('composition');
    expect(issues({ allOf: [{ minimum: 2 }] }, 1)[0].code).toBe('range');
    expect(issues({ not: { required: ['x'] }, type: 'object', properties: { x: {} } }, { x: 1 })[0].code).toBe('composition');
  });

  test('a composition passes exactly when its branches, checked on their own, say so (generated values)', () => {
    // branches are checked in probe mode (no messages); their verdicts must be those of a full check
    const r = prng(4242);
    const branches = [
      { type: 'integer', minimum: 2 }, { type: 'string', pattern: '^[a-z]+$' }, { type: 'string', maxLength: 3 },
      { type: 'object', required: ['a'], properties: { a: { type: 'integer' } } }, { type: 'array', items: { type: 'integer' } }, { enum: ['x', 'y'] },
      { anyOf: [{ type: 'boolean' }, { type: 'string', minLength: 2 }] },
    ];
    const values = [0, 1, 5, 2.5, 'ab', 'AB', 'abcd', 'x', '', true, false, null, {}, { a: 1 }, { a: 'b' }, [], [1, 'a'], [3]];
    for (let i = 0; i < 300; i++) {
      const picked = branches.filter(() => r() < 0.4);
      if (picked.length === 0) continue;
      const v = values[Math.floor(r() * values.length)];
      const ok = picked.map((b) => issues(b, v).length === 0);
      const n = ok.filter(Boolean).length;
      expect([picked, v, issues({ anyOf: picked }, v).length === 0]).toEqual([picked, v, n > 0]);
      expect([picked, v, issues({ oneOf: picked }, v).length === 0]).toEqual([picked, v, n === 1]);
      expect([picked[0], v, issues({ not: picked[0] }, v).length === 0]).toEqual([picked[0], v, !ok[0]]);
    }
  });

  test('$ref is followed and recursion terminates', () => {
    const defs = { Node: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/definitions/Node' } } } } };
    const c = new SchemaCompiler(defs, { freeFormObjects: true });
    const ctx = { path: [] as (string | number)[], issues: [] as SchemaIssue[] };
    c.definition('Node')({ name: 'a', children: [{ name: 'b', children: [{ name: 3 }] }] }, ctx);
    expect(paths(ctx.issues)).toEqual(['children[0].children[0].name']);
  });

  test('enum table entries and gated fields apply to definition properties', () => {
    const defs = { Port: { type: 'object', properties: { protocol: { type: 'string' }, sleep: { type: 'object' } } } };
    const c = new SchemaCompiler(defs, { freeFormObjects: true, enums: { 'Port.protocol': ['TCP'] }, gatedFields: new Map([['Port.sleep', { problem: 'needs 1.30', fix: 'remove it' }]]) });
    const ctx = { path: [] as (string | number)[], issues: [] as SchemaIssue[] };
    c.definition('Port')({ protocol: 'tcp', sleep: {} }, ctx);
    expect(ctx.issues.map((i) => [i.path, i.code])).toEqual([['protocol', 'enum'], ['sleep', 'gated-field']]);
  });
});

describe('helpers', () => {
  test('formatPath quotes keys that are not identifiers', () => {
    expect(formatPath(['metadata', 'labels', 'app.kubernetes.io/name'])).toBe('metadata.labels["app.kubernetes.io/name"]');
    expect(formatPath(['spec', 'containers', 0, 'ports', 1])).toBe('spec.containers[0].ports[1]');
    expect(formatPath([])).toBe('<root>');
  });

  test('closest suggests only near misses (generated names)', () => {
    const rand = prng(5);
    for (let i = 0; i < 100; i++) {
      const name = randomString(rand, 'abcdefghij', 6 + Math.floor(rand() * 6));
      const typo = name.slice(0, -1); // one deletion
      expect(closest(typo, [name, 'zzzzzzzzzzzzz'])).toBe(name);
      expect(closest('qqqqqqqq', [name])).toBeUndefined();
    }
  });
});
