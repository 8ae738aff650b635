import { ApiObject, App, ImplicitTokenResolver, JsonPatch, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import { ConfigError, show } from '../core';

/**
 * `apiObject.toJson()`, faster for the common case. cdk8s resolves every value through `App.of()` (a walk up
 * the tree per value) and then sanitizes the result in a second walk; for a plain `ApiObject` in an app with
 * only the built-in resolvers, this does both in one pass with the same rules and the same result.
 * Anything else (generated classes that override toJson, custom resolvers) takes cdk8s's own path.
 */
export function renderObject(obj: ApiObject, app: App): any {
  const patches = (obj as any).patches as JsonPatch[];
  if (Object.getPrototypeOf(obj) !== ApiObject.prototype || !hasOnlyBuiltInResolvers(app)) {
    try {
      return withSortedKeys(() => obj.toJson());
    } catch (e) {
      // cdk8s's sanitizer (which generated CRD classes use) cannot render a map key named like a property of every
      // JavaScript object; say so instead of "non-simple object of type 'undefined'"
      const keys = reservedMetadataKeys(obj);
      if (keys.length > 0) {
        throw new ConfigError(obj.node.path, 'metadata', `${obj.node.path}: ${obj.kind} ${show(obj.name)} cannot be rendered by cdk8s with the label or annotation key(s) ${keys.map((k) => show(k)).join(', ')} (names of JavaScript object properties), got ${keys.length} such key(s); rename them (e.g. 'acme.example/${keys[0]}')`);
      }
      if (patches.length === 0) throw e;
      const list = patches.map((p) => describePatch(operationOf(p))).join(', ');
      throw new ConfigError(obj.node.path, 'patch', `${obj.node.path}: a JSON patch cannot be applied (${causeOf(e)}), got patches ${list}; point each path at an existing field of the rendered object`);
    }
  }
  let json: any;
  try {
    // keys are always sorted: the bytes of dist/ must not depend on the environment (cdk8s reads CDK8S_DISABLE_SORT)
    json = resolveAndSanitize({ ...(obj as any).props, metadata: renderMetadata(obj) }, true);
  } catch (e) {
    throw new Error(`Failed serializing construct at path '${obj.node.path}' with name '${obj.name}': ${e}`);
  }
  // one patch at a time, each checked first (RFC 6902: the parent of `add`, the target of every other op must
  // exist), so a wrong path is reported as such instead of failing deep inside the patch library or doing nothing
  patches.forEach((patch, i) => {
    const op = operationOf(patch);
    const problem = patchProblem(json, op);
    const where = `JSON patch ${i + 1} of ${patches.length} (${describePatch(op)})`;
    if (problem) {
      throw new ConfigError(obj.node.path, 'patch', `${obj.node.path}: ${where} cannot be applied to ${json.kind ?? 'the object'} ${show(json.metadata?.name)}: ${problem}, got path ${show(op.path)}; point it at an existing field of the rendered object (a JSON pointer such as '/spec/template/spec/containers/0/image')`);
    }
    try {
      json = JsonPatch.apply(json, patch);
    } catch (e) {
      throw new ConfigError(obj.node.path, 'patch', `${obj.node.path}: ${where} failed: ${causeOf(e)}, got ${show(op)}; fix the patch`);
    }
  });
  const result: Record<string, unknown> = {};
  for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(json)]) {
    if (k in json && !(k in result)) result[k] = json[k];
  }
  return result;
}

interface PatchOperation {
  readonly op: string;
  readonly path: string;
  readonly from?: string;
  readonly value?: unknown;
}

function operationOf(patch: JsonPatch): PatchOperation {
  return (patch as any)._toJson ? (patch as any)._toJson() : (patch as any).operation;
}

function describePatch(op: PatchOperation): string {
  return op.from !== undefined ? `${op.op} ${op.from} -> ${op.path}` : `${op.op} ${op.path}`;
}

function causeOf(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

/** Why `op` cannot apply to `doc`, or undefined when it can. */
function patchProblem(doc: unknown, op: PatchOperation): string | undefined {
  if (op.from !== undefined && (op.op === 'move' || op.op === 'copy')) {
    const p = pointerProblem(doc, op.from, true);
    if (p) return `from: ${p}`;
  }
  return pointerProblem(doc, op.path, op.op !== 'add' && op.op !== 'move' && op.op !== 'copy');
}

function pointerProblem(doc: unknown, pointer: string, mustExist: boolean): string | undefined {
  if (pointer === '') return undefined;
  if (!pointer.startsWith('/')) return 'a JSON pointer starts with /';
  const segments = pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: any = doc;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const here = `/${pointer.slice(1).split('/').slice(0, i + 1).join('/')}`;
    const last = i === segments.length - 1;
    if (node === null || typeof node !== 'object') return `${here} is inside a ${show(node)}, not an object or list`;
    if (Array.isArray(node)) {
      if (last && !mustExist && seg === '-') return undefined;
      if (!/^(0|[1-9][0-9]*)$/.test(seg)) return `${here} indexes a list with ${show(seg)}`;
      const idx = Number(seg);
      if (idx > node.length || (idx === node.length && (mustExist || !last))) return `${here} is past the end of a list of ${node.length}`;
      if (last) return undefined;
      node = node[idx];
    } else {
      const has = Object.prototype.hasOwnProperty.call(node, seg);
      if (last) return has || !mustExist ? undefined : `${here} does not exist`;
      if (!has) return `${here} does not exist`;
      node = node[seg];
    }
  }
  return undefined;
}

/** Runs cdk8s's own toJson with key sorting on, whatever CDK8S_DISABLE_SORT says. */
function withSortedKeys<T>(fn: () => T): T {
  const saved = process.env.CDK8S_DISABLE_SORT;
  if (saved === undefined) return fn();
  delete process.env.CDK8S_DISABLE_SORT;
  try {
    return fn();
  } finally {
    process.env.CDK8S_DISABLE_SORT = saved;
  }
}

const builtIn = new WeakMap<App, boolean>();

function hasOnlyBuiltInResolvers(app: App): boolean {
  let ok = builtIn.get(app);
  if (ok === undefined) {
    const r = app.resolvers;
    ok = r.length === 3 && r[0] instanceof LazyResolver && r[1] instanceof ImplicitTokenResolver && r[2] instanceof NumberStringUnionResolver;
    builtIn.set(app, ok);
  }
  return ok;
}

/**
 * `obj.metadata.toJson()` with the same rules (empty maps and lists dropped), through the walk below: cdk8s's own
 * sanitizer cannot render a label or annotation whose key names a property of every JavaScript object
 * (`constructor`, `toString`), though Kubernetes accepts it.
 */
function renderMetadata(obj: ApiObject): any {
  const md = obj.metadata as any;
  if (!md || typeof md !== 'object' || !('_additionalAttributes' in md)) return obj.metadata.toJson();
  return resolveAndSanitize({
    ...md._additionalAttributes,
    name: md.name,
    namespace: md.namespace,
    annotations: md.annotations,
    finalizers: md.finalizers,
    ownerReferences: md.ownerReferences,
    labels: md.labels,
  }, true, true);
}

/** Label and annotation keys of `obj` that name properties of every JavaScript object (`constructor`...). */
function reservedMetadataKeys(obj: ApiObject): string[] {
  const md = obj.metadata as any;
  const reserved = new Set(Object.getOwnPropertyNames(Object.prototype));
  return [...Object.keys(md?.labels ?? {}), ...Object.keys(md?.annotations ?? {})].filter((k) => reserved.has(k)).sort();
}

/** A plain data object (a map), as opposed to an instance of some class. */
function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * The built-in resolvers (Lazy, implicit tokens, number/string unions) then sanitizeValue, in one walk. Maps are
 * judged by their prototype, not by a `constructor` property, and every key is copied as data (`__proto__`
 * included), so no key a user may write changes what is rendered.
 */
function resolveAndSanitize(value: any, sortKeys: boolean, filterEmpty = false): any {
  // most values of a manifest are strings, numbers and booleans: nothing to resolve
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return value;
  for (;;) {
    if (value == null) return undefined;
    if (value instanceof Lazy) {
      value = value.produce();
    } else if (typeof value.resolve === 'function') {
      value = value.resolve();
    } else if (typeof value === 'object' && !Array.isArray(value) && !isPlain(value) && (typeof value.value === 'number' || typeof value.value === 'string')) {
      value = { value: value.value };
    } else {
      break;
    }
  }
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    if (filterEmpty && value.length === 0) return undefined;
    return value.map((x) => resolveAndSanitize(x, sortKeys, filterEmpty));
  }
  if (!isPlain(value)) throw new Error(`can't render non-simple object of type '${Object.getPrototypeOf(value)?.constructor?.name ?? 'unknown'}'`);
  const keys = sortKeys ? Object.keys(value).sort() : Object.keys(value);
  const out: Record<string, unknown> = {};
  let kept = 0;
  for (const k of keys) {
    const v = resolveAndSanitize(value[k], sortKeys, filterEmpty);
    if (v == null) continue;
    kept++;
    if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  if (filterEmpty && kept === 0) return undefined;
  return out;
}
