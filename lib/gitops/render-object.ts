import { ApiObject, App, ImplicitTokenResolver, JsonPatch, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';

/**
 * `apiObject.toJson()`, faster for the common case. cdk8s resolves every value through `App.of()` (a walk up
 * the tree per value) and then sanitizes the result in a second walk; for a plain `ApiObject` in an app with
 * only the built-in resolvers, this does both in one pass with the same rules and the same result.
 * Anything else (generated classes that override toJson, custom resolvers) takes cdk8s's own path.
 */
export function renderObject(obj: ApiObject, app: App): any {
  if (Object.getPrototypeOf(obj) !== ApiObject.prototype || !hasOnlyBuiltInResolvers(app)) return withSortedKeys(() => obj.toJson());
  try {
    // keys are always sorted: the bytes of dist/ must not depend on the environment (cdk8s reads CDK8S_DISABLE_SORT)
    const json = resolveAndSanitize({ ...(obj as any).props, metadata: obj.metadata.toJson() }, true);
    const patched = JsonPatch.apply(json, ...((obj as any).patches as JsonPatch[]));
    const result: Record<string, unknown> = {};
    for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)]) {
      if (k in patched && !(k in result)) result[k] = patched[k];
    }
    return result;
  } catch (e) {
    throw new Error(`Failed serializing construct at path '${obj.node.path}' with name '${obj.name}': ${e}`);
  }
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

/** The built-in resolvers (Lazy, implicit tokens, number/string unions) then sanitizeValue, in one walk. */
function resolveAndSanitize(value: any, sortKeys: boolean): any {
  for (;;) {
    if (value == null) return undefined;
    if (value instanceof Lazy) {
      value = value.produce();
    } else if (typeof value.resolve === 'function') {
      value = value.resolve();
    } else if (typeof value === 'object' && value.constructor !== Object && (typeof value.value === 'number' || typeof value.value === 'string')) {
      value = { value: value.value };
    } else {
      break;
    }
  }
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((x) => resolveAndSanitize(x, sortKeys));
  if (value.constructor.name !== 'Object') throw new Error(`can't render non-simple object of type '${value.constructor.name}'`);
  const keys = sortKeys ? Object.keys(value).sort() : Object.keys(value);
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = resolveAndSanitize(value[k], sortKeys);
    if (v != null) out[k] = v;
  }
  return out;
}
