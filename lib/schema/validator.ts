import { parseQuantity } from '../core/quantity';

/** One way an object does not fit its schema. */
export interface SchemaIssue {
  /** Field path (`spec.template.spec.containers[0].ports[0].protocol`); `<root>` for the object itself. */
  readonly path: string;
  /** The same path as segments (to look the field up in other schemas). */
  readonly segments: readonly (string | number)[];
  readonly problem: string;
  readonly fix: string;
  /** What kind of issue, for callers that refine messages. */
  readonly code: 'unknown-field' | 'type' | 'enum' | 'required' | 'format' | 'range' | 'pattern' | 'duplicate' | 'gated-field' | 'composition';
}

/** Validates one value at the path the context holds, pushing issues. */
export type Check = (value: unknown, ctx: CheckContext) => void;

export interface CheckContext {
  readonly path: (string | number)[];
  readonly issues: SchemaIssue[];
  /** Only whether the value passes is asked (an anyOf/oneOf/not branch): issues carry no message. @default false */
  readonly probe?: boolean;
}

export interface CompilerOptions {
  /**
   * Kubernetes OpenAPI semantics (true): `type: object` without properties is free-form (RawExtension).
   * CRD structural-schema semantics (false): it prunes every field unless `x-kubernetes-preserve-unknown-fields`.
   */
  readonly freeFormObjects: boolean;
  /** Allowed values the schema lacks, keyed `<definition>.<field>`. @default - none */
  readonly enums?: Readonly<Record<string, readonly string[]>>;
  /** Fields that exist in the schema but must not be set, keyed `<definition>.<field>`, with the problem and fix. */
  readonly gatedFields?: ReadonlyMap<string, { readonly problem: string; readonly fix: string }>;
  /** Replaces the check of a root-level property (a CRD's `metadata` is checked as Kubernetes ObjectMeta). */
  readonly rootOverrides?: Readonly<Record<string, Check>>;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `spec.containers[0].env["X.Y"]` from path segments. */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (IDENT.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out || '<root>';
}

function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** What a probing check records: that the branch failed, not where or why (nobody reads it). */
const PROBE_ISSUE: SchemaIssue = Object.freeze({ path: '', segments: [], problem: '', fix: '', code: 'composition' });

function issue(ctx: CheckContext, code: SchemaIssue['code'], problem: string, fix: string, extra?: string | number): void {
  if (ctx.probe) {
    ctx.issues.push(PROBE_ISSUE);
    return;
  }
  const segments = extra === undefined ? [...ctx.path] : [...ctx.path, extra];
  ctx.issues.push({ path: formatPath(segments), segments, problem, fix, code });
}

/** Edit distance, small inputs only (field names). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[n];
}

/** The known field closest to a misspelled one, if close enough to be a typo. */
export function closest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = k.toLowerCase() === lower ? 0 : editDistance(name, k);
    if (d < bestD) { bestD = d; best = k; }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(name.length / 4)) ? best : undefined;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const INT32 = { min: -2147483648, max: 2147483647 };

/**
 * Compiles JSON schemas (Kubernetes OpenAPI definitions with `$ref`, or CRD structural schemas) into closures,
 * once per schema node: checking an object then walks only the object, never re-reads the schema.
 */
export class SchemaCompiler {
  private readonly defs = new Map<string, Check>();
  private readonly nodes = [new WeakMap<object, Check>(), new WeakMap<object, Check>()];
  private readonly regexps = new Map<string, RegExp | null>();

  constructor(private readonly definitions: Readonly<Record<string, any>>, private readonly options: CompilerOptions) {}

  /** The check of a named definition (`io.k8s.api.apps.v1.Deployment`); recursion-safe. */
  public definition(name: string): Check {
    let c = this.defs.get(name);
    if (!c) {
      let compiled: Check | undefined;
      c = (v, ctx) => (compiled ??= this.compileNode(this.definitions[name] ?? {}, true, name))(v, ctx);
      this.defs.set(name, c);
    }
    return c;
  }

  /** The check of an inline schema (a CRD's openAPIV3Schema). */
  public schema(node: any, root = true): Check {
    return this.compileNode(node, true, undefined, root);
  }

  private node(node: any, structural: boolean): Check {
    if (node && typeof node.$ref === 'string') return this.definition(node.$ref.replace('#/definitions/', ''));
    const cache = this.nodes[structural ? 1 : 0];
    let c = cache.get(node);
    if (!c) {
      c = this.compileNode(node, structural);
      cache.set(node, c);
    }
    return c;
  }

  private regexp(pattern: string): RegExp | null {
    if (!this.regexps.has(pattern)) {
      let re: RegExp | null = null;
      try { re = new RegExp(pattern, 'u'); } catch { try { re = new RegExp(pattern); } catch { re = null; } } // RE2-only syntax: skipped
      this.regexps.set(pattern, re);
    }
    return this.regexps.get(pattern)!;
  }

  /**
   * @param structural false inside allOf/anyOf/oneOf/not, whose branches constrain values but never prune fields
   * @param defName the definition this node is (for the enum and gated-field tables)
   */
  private compileNode(node: any, structural: boolean, defName?: string, root = false): Check {
    if (!node || typeof node !== 'object') return () => {};
    if (typeof node.$ref === 'string') return this.node(node, structural);
    const steps: Check[] = [];
    const nullable = node.nullable === true;
    const intOrString = node['x-kubernetes-int-or-string'] === true;
    const type: string | undefined = node.type;
    const format: string | undefined = typeof node.format === 'string' ? node.format : undefined;

    // type (a failed type check stops the node: nothing else is meaningful)
    let typeOk: (v: unknown) => boolean = () => true;
    let expected = '';
    if (intOrString) {
      typeOk = (v) => typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));
      expected = 'an integer or a string';
    } else if (format === 'quantity') {
      typeOk = (v) => typeof v === 'string' || typeof v === 'number';
      expected = 'a quantity (string like "500m" or "1Gi", or a number)';
    } else if (type === 'integer') {
      typeOk = (v) => typeof v === 'number' && Number.isInteger(v);
      expected = 'an integer';
    } else if (type === 'number') {
      typeOk = (v) => typeof v === 'number' && Number.isFinite(v);
      expected = 'a number';
    } else if (type === 'string') {
      typeOk = (v) => typeof v === 'string';
      expected = 'a string';
    } else if (type === 'boolean') {
      typeOk = (v) => typeof v === 'boolean';
      expected = 'a boolean (true or false)';
    } else if (type === 'array') {
      typeOk = Array.isArray;
      expected = 'a list';
    } else if (type === 'object') {
      typeOk = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
      expected = 'an object';
    }

    // formats that are cheap to check
    if (format === 'int32') {
      steps.push((v, ctx) => {
        if (typeof v === 'number' && (v < INT32.min || v > INT32.max)) issue(ctx, 'range', `must fit in a 32-bit integer, got ${v}`, `use a value between ${INT32.min} and ${INT32.max}`);
      });
    } else if (format === 'quantity') {
      steps.push((v, ctx) => {
        if (typeof v === 'string' && parseQuantity(v) === undefined) issue(ctx, 'format', `must be a Kubernetes quantity, got ${show(v)}`, 'write e.g. "500m", "2", "128Mi" or "1Gi"');
      });
    } else if (format === 'date-time') {
      steps.push((v, ctx) => {
        if (typeof v === 'string' && !RFC3339.test(v)) issue(ctx, 'format', `must be an RFC 3339 date-time, got ${show(v)}`, 'write e.g. "2026-01-31T12:00:00Z"');
      });
    } else if (format === 'byte') {
      steps.push((v, ctx) => {
        if (typeof v === 'string' && !BASE64.test(v)) issue(ctx, 'format', 'must be base64-encoded', 'encode the value with base64 (or use stringData for Secrets)');
      });
    }

    if (Array.isArray(node.enum)) {
      const allowed: unknown[] = node.enum;
      const keys = new Set(allowed.map((e) => JSON.stringify(e)));
      steps.push((v, ctx) => {
        if (!keys.has(JSON.stringify(v))) enumIssue(ctx, allowed, v);
      });
    }

    // strings
    if (typeof node.pattern === 'string') {
      const re = this.regexp(node.pattern);
      if (re) steps.push((v, ctx) => {
        if (typeof v === 'string' && !re.test(v)) issue(ctx, 'pattern', `must match /${node.pattern}/, got ${show(v)}`, 'change the value to match the pattern');
      });
    }
    if (typeof node.minLength === 'number') {
      const n = node.minLength;
      steps.push((v, ctx) => {
        if (typeof v === 'string' && [...v].length < n) issue(ctx, 'range', `must be at least ${n} characters long, got ${show(v)}`, n === 1 ? 'set a non-empty value' : `use at least ${n} characters`);
      });
    }
    if (typeof node.maxLength === 'number') {
      const n = node.maxLength;
      steps.push((v, ctx) => {
        if (typeof v === 'string' && v.length > n && [...v].length > n) issue(ctx, 'range', `must be at most ${n} characters long, got ${[...v].length} characters`, `shorten it to ${n} characters`);
      });
    }

    // numbers
    if (typeof node.minimum === 'number') {
      const n = node.minimum;
      const excl = node.exclusiveMinimum === true;
      steps.push((v, ctx) => {
        if (typeof v === 'number' && (excl ? v <= n : v < n)) issue(ctx, 'range', `must be ${excl ? 'greater than' : 'at least'} ${n}, got ${v}`, `use a value ${excl ? 'above' : 'of at least'} ${n}`);
      });
    }
    if (typeof node.maximum === 'number') {
      const n = node.maximum;
      const excl = node.exclusiveMaximum === true;
      steps.push((v, ctx) => {
        if (typeof v === 'number' && (excl ? v >= n : v > n)) issue(ctx, 'range', `must be ${excl ? 'less than' : 'at most'} ${n}, got ${v}`, `use a value ${excl ? 'below' : 'of at most'} ${n}`);
      });
    }

    // arrays
    if (typeof node.minItems === 'number') {
      const n = node.minItems;
      steps.push((v, ctx) => {
        if (Array.isArray(v) && v.length < n) issue(ctx, 'range', `must have at least ${n} item${n === 1 ? '' : 's'}, got ${v.length}`, `add ${n - v.length} more, or leave the field out if it is optional`);
      });
    }
    if (typeof node.maxItems === 'number') {
      const n = node.maxItems;
      steps.push((v, ctx) => {
        if (Array.isArray(v) && v.length > n) issue(ctx, 'range', `must have at most ${n} item${n === 1 ? '' : 's'}, got ${v.length}`, `remove ${v.length - n}`);
      });
    }
    if (node.items && typeof node.items === 'object' && !Array.isArray(node.items)) {
      const item = this.node(node.items, structural);
      steps.push((v, ctx) => {
        if (!Array.isArray(v)) return;
        for (let i = 0; i < v.length; i++) {
          ctx.path.push(i);
          item(v[i], ctx);
          ctx.path.pop();
        }
      });
    }
    const listType = node['x-kubernetes-list-type'];
    if (listType === 'map' && Array.isArray(node['x-kubernetes-list-map-keys'])) {
      const keys: string[] = node['x-kubernetes-list-map-keys'];
      steps.push((v, ctx) => {
        if (!Array.isArray(v) || v.length < 2) return;
        const seen = new Map<string, number>();
        v.forEach((item, i) => {
          if (!item || typeof item !== 'object') return;
          const id = keys.map((k) => JSON.stringify((item as any)[k] ?? null)).join('|');
          const first = seen.get(id);
          if (first !== undefined) {
            issue(ctx, 'duplicate', `duplicates item [${first}] in its key ${keys.map((k) => `${k}=${show((item as any)[k])}`).join(', ')}`, `give every item a unique ${keys.join(' + ')}, or merge the two`, i);
          } else {
            seen.set(id, i);
          }
        });
      });
    } else if (listType === 'set' || node.uniqueItems === true) {
      steps.push((v, ctx) => {
        if (!Array.isArray(v) || v.length < 2) return;
        const seen = new Map<string, number>();
        v.forEach((item, i) => {
          const id = JSON.stringify(item);
          const first = seen.get(id);
          if (first !== undefined) issue(ctx, 'duplicate', `duplicates item [${first}], got ${show(item)} twice`, 'list every value once', i);
          else seen.set(id, i);
        });
      });
    }

    // objects
    const props: Record<string, any> | undefined = node.properties && typeof node.properties === 'object' ? node.properties : undefined;
    const additional = node.additionalProperties;
    const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
    const embedded = node['x-kubernetes-embedded-resource'] === true;
    if (Array.isArray(node.required) && node.required.length > 0) {
      const required: string[] = node.required;
      steps.push((v, ctx) => {
        if (!v || typeof v !== 'object' || Array.isArray(v)) return;
        for (const r of required) {
          if ((v as any)[r] === undefined) issue(ctx, 'required', 'required field is missing', `set ${r}`, r);
        }
      });
    }
    if (typeof node.maxProperties === 'number') {
      const n = node.maxProperties;
      steps.push((v, ctx) => {
        if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > n) issue(ctx, 'range', `must have at most ${n} entries, got ${Object.keys(v).length}`, `remove ${Object.keys(v).length - n}`);
      });
    }
    if (typeof node.minProperties === 'number') {
      const n = node.minProperties;
      steps.push((v, ctx) => {
        if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length < n) issue(ctx, 'range', `must have at least ${n} entr${n === 1 ? 'y' : 'ies'}, got ${Object.keys(v).length}`, 'add the missing entries');
      });
    }
    const freeForm = type === 'object' && !props && additional === undefined && this.options.freeFormObjects;
    const isObjectNode = type === 'object' || props !== undefined || additional !== undefined;
    if (isObjectNode && !freeForm) {
      // property checks are compiled on first use: most objects touch a small part of a large schema
      const propChecks: Record<string, Check> = Object.create(null);
      const known = Object.keys(props ?? {});
      const compileProp = (k: string): Check => {
        const key = defName ? `${defName}.${k}` : undefined;
        let c = root && this.options.rootOverrides?.[k] ? this.options.rootOverrides[k] : this.node(props![k], structural);
        const values = key ? this.options.enums?.[key] : undefined;
        if (values) c = withEnum(c, values, props![k].type === 'array');
        const gated = key ? this.options.gatedFields?.get(key) : undefined;
        if (gated) c = (_v, ctx) => issue(ctx, 'gated-field', gated.problem, gated.fix);
        return c;
      };
      for (const k of known) {
        propChecks[k] = (v, ctx) => {
          const c = compileProp(k);
          propChecks[k] = c;
          c(v, ctx);
        };
      }
      if (root && this.options.rootOverrides) {
        for (const [k, c] of Object.entries(this.options.rootOverrides)) if (!propChecks[k]) propChecks[k] = c;
      }
      if (embedded) {
        for (const k of ['apiVersion', 'kind']) if (!propChecks[k]) propChecks[k] = () => {};
        if (!propChecks.metadata) propChecks.metadata = () => {};
      }
      const extra: Check | undefined = additional && typeof additional === 'object' ? this.node(additional, structural) : undefined;
      const allowUnknown = preserve || additional === true || !structural;
      steps.push((v, ctx) => {
        if (!v || typeof v !== 'object' || Array.isArray(v)) return;
        for (const k in v) {
          const val = (v as any)[k];
          if (val === undefined) continue;
          const c = propChecks[k];
          if (c) {
            ctx.path.push(k);
            c(val, ctx);
            ctx.path.pop();
          } else if (extra) {
            ctx.path.push(k);
            extra(val, ctx);
            ctx.path.pop();
          } else if (!allowUnknown) {
            const guess = closest(k, known);
            issue(ctx, 'unknown-field', `unknown field, got ${show(k)}`, guess ? `did you mean ${show(guess)}?` : known.length > 0 ? `remove it (known fields: ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', ...' : ''})` : 'remove it', k);
          }
        }
      });
    }

    // composition: branches constrain the value, they never prune
    if (Array.isArray(node.allOf)) {
      for (const sub of node.allOf) steps.push(this.node(sub, false));
    }
    if (Array.isArray(node.anyOf)) {
      const branches: Check[] = node.anyOf.map((s: any) => this.node(s, false));
      steps.push((v, ctx) => {
        if (!branches.some((b) => passes(b, v, ctx))) issue(ctx, 'composition', `matches none of the allowed shapes (anyOf ${show(node.anyOf)})`, 'set the fields one of the alternatives needs');
      });
    }
    if (Array.isArray(node.oneOf)) {
      const branches: Check[] = node.oneOf.map((s: any) => this.node(s, false));
      steps.push((v, ctx) => {
        const n = branches.filter((b) => passes(b, v, ctx)).length;
        if (n !== 1) issue(ctx, 'composition', `must match exactly one of the alternatives (oneOf ${show(node.oneOf)}), matches ${n}`, n === 0 ? 'set the fields one alternative needs' : 'set only one of the alternatives');
      });
    }
    if (node.not && typeof node.not === 'object') {
      const not = this.node(node.not, false);
      steps.push((v, ctx) => {
        if (passes(not, v, ctx)) issue(ctx, 'composition', `must not match ${show(node.not)}`, 'remove the combination the schema forbids');
      });
    }

    const hasType = expected !== '';
    const n = steps.length;
    return (v, ctx) => {
      if (v === null && nullable) return;
      if (hasType && !typeOk(v)) {
        // the common miss of an int-or-string branch: no message to write when only passing is asked
        if (ctx.probe) return void ctx.issues.push(PROBE_ISSUE);
        issue(ctx, 'type', `must be ${expected}, got ${show(v)}`, typeFix(expected, v));
        return;
      }
      for (let i = 0; i < n; i++) steps[i](v, ctx);
    };
  }
}

function passes(check: Check, v: unknown, ctx: CheckContext): boolean {
  const sub: CheckContext = { path: [...ctx.path], issues: [], probe: true };
  check(v, sub);
  return sub.issues.length === 0;
}

function withEnum(c: Check, values: readonly string[], onItems: boolean): Check {
  const set = new Set(values);
  return (v, ctx) => {
    c(v, ctx);
    if (onItems && Array.isArray(v)) {
      v.forEach((item, i) => {
        if (typeof item === 'string' && !set.has(item)) {
          ctx.path.push(i);
          enumIssue(ctx, values, item);
          ctx.path.pop();
        }
      });
    } else if (typeof v === 'string' && !set.has(v)) {
      enumIssue(ctx, values, v);
    }
  };
}

function enumIssue(ctx: CheckContext, allowed: readonly unknown[], v: unknown): void {
  const same = typeof v === 'string' ? allowed.find((a) => typeof a === 'string' && a.toLowerCase() === v.toLowerCase()) : undefined;
  issue(ctx, 'enum', `must be one of ${allowed.map(show).join(', ')}, got ${show(v)}`, same !== undefined ? `use ${show(same)} (values are case-sensitive)` : `use one of ${allowed.map(show).join(', ')}`);
}

function typeFix(expected: string, v: unknown): string {
  if (typeof v === 'string' && expected === 'an integer' && /^-?\d+$/.test(v)) return `write ${v} without quotes`;
  if (typeof v === 'string' && expected.startsWith('a boolean') && /^(true|false)$/i.test(v)) return `write ${v.toLowerCase()} without quotes`;
  if (typeof v === 'number' && expected === 'a string') return `quote it: "${v}"`;
  return `use ${expected}${typeOf(v) === 'null' ? ', or leave the field out' : ''}`;
}
