import type { ApiObject } from 'cdk8s';
import { apiServerIssues } from '../core/api-server-rules';
import type { RenderedObject } from '../environments/rendered';
import { KubernetesVersion, SCHEMA_DEFAULTS as D } from './defaults';
import { KubernetesSchemas } from './kubernetes-schemas';
import { minorOf } from './kubernetes-version';
import { Schema } from './schema';
import { SchemaError, SchemaFinding } from './schema-error';

/** A manifest, the folder it goes to, and (when rendered by constructs) the ApiObject that made it. */
export interface SchemaSubject {
  readonly manifest: any;
  readonly folder: string;
  readonly apiObject?: ApiObject;
}

/**
 * The Kubernetes version each folder's objects are checked against: the target's, and for folders of no
 * target (dist/argocd, dist/flux: the management cluster) the oldest version any target declares.
 */
export function folderVersions(targets: readonly { readonly path: string; readonly cluster: { readonly kubernetesVersion?: KubernetesVersion } }[]): (folder: string) => KubernetesVersion {
  const byFolder = new Map<string, KubernetesVersion>();
  for (const t of targets) byFolder.set(t.path, t.cluster.kubernetesVersion ?? D.kubernetesVersion);
  const all = [...byFolder.values()];
  const oldest = all.length > 0 ? all.reduce((a, b) => (minorOf(b) < minorOf(a) ? b : a)) : D.kubernetesVersion;
  return (folder) => byFolder.get(folder) ?? oldest;
}

/** Every schema finding of the subjects, in a stable order (folder, namespace, kind, name, field). */
export function schemaFindings(subjects: readonly SchemaSubject[], versionOf: (folder: string) => KubernetesVersion): SchemaFinding[] {
  const out: SchemaFinding[] = [];
  for (const s of subjects) {
    const version = versionOf(s.folder);
    const result = KubernetesSchemas.of(version).check(s.manifest);
    const m = s.manifest ?? {};
    const object = {
      apiVersion: String(m.apiVersion ?? '<no apiVersion>'),
      kind: String(m.kind ?? '<no kind>'),
      name: String(m.metadata?.name ?? '<no name>'),
      ...(m.metadata?.namespace ? { namespace: String(m.metadata.namespace) } : {}),
    };
    const base = { folder: s.folder, version, object, ...(s.apiObject ? { constructPath: s.apiObject.node.path } : {}) };
    if (result.noSchema && !(s.apiObject && Schema.knownFor(s.apiObject, object.apiVersion, object.kind))) {
      out.push({ ...base, field: 'apiVersion', problem: result.noSchema.problem, fix: result.noSchema.fix });
    }
    for (const i of result.issues) out.push({ ...base, field: i.path, problem: i.problem, fix: i.fix });
    // what the API server checks in code (names, label values, int-or-string forms, subjects, keys); a field the
    // schema already rejected is reported once
    const seen = new Set(result.issues.map((i) => i.path));
    for (const i of apiServerIssues(s.manifest)) {
      if (!seen.has(i.path)) out.push({ ...base, field: i.path, problem: i.problem, fix: i.fix });
    }
  }
  return out.sort((a, b) => cmp(a.folder, b.folder) || cmp(a.object.namespace ?? '', b.object.namespace ?? '')
    || cmp(a.object.kind, b.object.kind) || cmp(a.object.name, b.object.name) || cmp(a.field, b.field));
}

/**
 * Validates every rendered object strictly against the schema of its folder's Kubernetes version (built-in
 * kinds) or its vendored CRD (custom resources), and throws a `SchemaError` listing every finding. Called once
 * by `GitOpsApp.render()`, before anything is written.
 */
export function checkSchemas(objects: readonly RenderedObject[], versionOf: (folder: string) => KubernetesVersion): void {
  const findings = schemaFindings(objects, versionOf);
  if (findings.length > 0) throw new SchemaError(findings);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
