import { KubernetesVersion } from './defaults';
import { BUILT_IN_ENUMS } from './enums';
import { newerVersions } from './kubernetes-version';
import { crdSchemaFile, KubernetesSchemaFile, kubernetesSchemaFile } from './schema-store';
import { Check, CheckContext, SchemaCompiler, SchemaIssue } from './validator';
import { FieldRule, minorNumber, removedApiRule, VERSION_RULES } from './version-rules';

/** Why an object could not be checked at all (no schema), or undefined when it was. */
export interface ManifestCheck {
  readonly issues: SchemaIssue[];
  /** Set when neither the Kubernetes schemas nor the vendored CRDs know the kind. */
  readonly noSchema?: { readonly problem: string; readonly fix: string };
}

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/**
 * The compiled validators of one Kubernetes minor: built-in kinds against its OpenAPI definitions, custom
 * resources against their CRD schema (metadata against this minor's ObjectMeta). Created once per process and
 * minor; every definition is compiled on first use only.
 */
export class KubernetesSchemas {
  private static readonly cache = new Map<string, KubernetesSchemas>();

  /** The validators of `version` (loads and compiles lazily, once per process). */
  public static of(version: KubernetesVersion): KubernetesSchemas {
    let s = KubernetesSchemas.cache.get(version);
    if (!s) KubernetesSchemas.cache.set(version, (s = new KubernetesSchemas(version)));
    return s;
  }

  public readonly file: KubernetesSchemaFile;
  private readonly builtIn: SchemaCompiler;
  private readonly objectMeta: Check;

  private constructor(public readonly version: KubernetesVersion) {
    this.file = kubernetesSchemaFile(version);
    const gated = new Map<string, { problem: string; fix: string }>();
    for (const r of VERSION_RULES) {
      if (r.type !== 'field' || minorNumber(version) >= minorNumber(r.since)) continue;
      gated.set(`${r.definition}.${r.field}`, {
        problem: `${r.label} needs Kubernetes ${r.since} (${r.before}); the cluster declares ${version}`,
        fix: `remove the field, or declare kubernetesVersion: '${r.since}' (or newer) if the cluster runs it`,
      });
    }
    this.builtIn = new SchemaCompiler(this.file.definitions, { freeFormObjects: true, enums: BUILT_IN_ENUMS, gatedFields: gated });
    this.objectMeta = this.builtIn.definition(OBJECT_META);
  }

  /** Whether the kind is a built-in of this minor (`apps/v1`, `Deployment`). */
  public hasBuiltIn(apiVersion: string, kind: string): boolean {
    return this.file.kinds[`${apiVersion}/${kind}`] !== undefined;
  }

  /** Checks one manifest: its API version against the removals, then its fields against the schema. */
  public check(manifest: any): ManifestCheck {
    const apiVersion = manifest?.apiVersion;
    const kind = manifest?.kind;
    const issues: SchemaIssue[] = [];
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || apiVersion === '' || kind === '') {
      return { issues: [{ path: typeof apiVersion !== 'string' || apiVersion === '' ? 'apiVersion' : 'kind', segments: [], problem: `must be set, got apiVersion ${JSON.stringify(apiVersion)} and kind ${JSON.stringify(kind)}`, fix: "set both, e.g. apiVersion: 'apps/v1', kind: 'Deployment'", code: 'required' }] };
    }
    const removed = removedApiRule(apiVersion, kind);
    if (removed && minorNumber(this.version) >= minorNumber(removed.removedIn)) {
      return {
        issues: [{
          path: 'apiVersion', segments: ['apiVersion'], code: 'type',
          problem: `${apiVersion} ${kind} was removed in Kubernetes ${removed.removedIn}; the cluster declares ${this.version}`,
          fix: `use ${removed.replacement}`,
        }],
      };
    }
    const def = this.file.kinds[`${apiVersion}/${kind}`];
    const check = def ? this.builtIn.definition(def) : crdCheck(apiVersion, kind);
    if (!check) return { issues, noSchema: this.noSchema(apiVersion, kind) };
    const ctx: CheckContext = { path: [], issues };
    check(manifest, ctx);
    if (!def && manifest.metadata !== undefined) {
      // a custom resource's metadata is the API server's ObjectMeta, of the target's version
      ctx.path.push('metadata');
      this.objectMeta(manifest.metadata, ctx);
      ctx.path.pop();
    }
    if (def) refineUnknownFields(issues, this.version, `${apiVersion}/${kind}`);
    return { issues };
  }

  private noSchema(apiVersion: string, kind: string): { problem: string; fix: string } {
    const removed = removedApiRule(apiVersion, kind);
    const later = newerVersions(this.version).find((v) => kubernetesSchemaFile(v).kinds[`${apiVersion}/${kind}`] !== undefined);
    const other = Object.keys(this.file.kinds).find((k) => k.endsWith(`/${kind}`) && k !== `${apiVersion}/${kind}`);
    const problem = later
      ? `${apiVersion} ${kind} arrives in Kubernetes ${later}; the cluster declares ${this.version}`
      : `no schema for ${apiVersion} ${kind}: neither a GA built-in of Kubernetes ${this.version} nor a vendored CRD`;
    const fix = removed
      ? `use ${removed.replacement} (${apiVersion} is removed in ${removed.removedIn})`
      : later
        ? `declare kubernetesVersion: '${later}' (or newer) if the cluster runs it, or do not render it here`
        : other
          ? `use ${other.slice(0, other.length - kind.length - 1)}, or Schema.declareKnown(scope, '${apiVersion}', '${kind}', reason)`
          : `vendor its CRD into vendor/crds and run npm run import:schemas, or Schema.declareKnown(scope, '${apiVersion}', '${kind}', reason)`;
    return { problem, fix };
  }
}

// CRD schemas do not depend on the Kubernetes version: compiled once per process, for every version
const crdCompiler = new SchemaCompiler({}, { freeFormObjects: false, rootOverrides: { metadata: () => {}, apiVersion: () => {}, kind: () => {} } });
const crdChecks = new Map<string, Check | null>();

function crdCheck(apiVersion: string, kind: string): Check | undefined {
  const key = `${apiVersion}/${kind}`;
  let c = crdChecks.get(key);
  if (c === undefined) {
    const f = crdSchemaFile(apiVersion, kind);
    c = f ? crdCompiler.schema(f.schema) : null;
    crdChecks.set(key, c);
  }
  return c ?? undefined;
}

/** An unknown field that a newer minor's schema has: say which minor adds it (or, per VERSION_RULES, enables it). */
function refineUnknownFields(issues: SchemaIssue[], version: KubernetesVersion, kindKey: string): void {
  for (let i = 0; i < issues.length; i++) {
    const it = issues[i];
    if (it.code !== 'unknown-field') continue;
    let owner: string | undefined;
    const since = newerVersions(version).find((v) => {
      const f = kubernetesSchemaFile(v);
      const def = f.kinds[kindKey];
      owner = def === undefined ? undefined : fieldOwner(f.definitions, def, it.segments);
      return owner !== undefined;
    });
    if (!since) continue;
    const last = it.segments[it.segments.length - 1];
    const rule = VERSION_RULES.find((r): r is FieldRule => r.type === 'field' && r.definition === owner && r.field === last);
    const needs = rule && minorNumber(rule.since) > minorNumber(since) ? rule.since : since;
    issues[i] = {
      ...it,
      code: 'gated-field',
      problem: `field arrives in Kubernetes ${since}${needs !== since ? ` and works by default from ${needs} (${rule!.before})` : ''}; the cluster declares ${version}`,
      fix: `remove it, or declare kubernetesVersion: '${needs}' (or newer) if the cluster runs it`,
    };
  }
}

/**
 * The definition that holds the last field of a path (following `$ref`, `items` and `additionalProperties`),
 * or undefined when the path does not exist in the schema.
 */
export function fieldOwner(definitions: Readonly<Record<string, any>>, rootDef: string, segments: readonly (string | number)[]): string | undefined {
  let owner = rootDef;
  let cur = definitions[rootDef];
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    while (cur && typeof cur.$ref === 'string') {
      owner = cur.$ref.replace('#/definitions/', '');
      cur = definitions[owner];
    }
    if (!cur) return undefined;
    if (typeof s === 'number') {
      cur = cur.items;
    } else if (cur.properties && cur.properties[s]) {
      if (i === segments.length - 1) return owner;
      cur = cur.properties[s];
    } else if (cur.additionalProperties && typeof cur.additionalProperties === 'object') {
      cur = cur.additionalProperties;
    } else {
      return undefined;
    }
  }
  return cur === undefined ? undefined : owner;
}
