import { ApiObject, App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ConfigError, markUnit, namespaceOf, show, unitRefOf } from '../core';
import { registeredCapabilities } from '../environments/capability';
import type { RenderedObject } from '../environments/rendered';
import { renderObject } from './render-object';
import { toYaml } from '../core/serialize';
import type { FileContent } from './dist-writer';
import { ownershipProblem, tenancyPrefixOf } from './tenancy-layout';

const FOLDER = Symbol.for('typed-manifests.folder');

/** Sends every API object below `scope` to `folder` (relative to dist/). */
export function setOutputFolder(scope: IConstruct, folder: string): void {
  Object.defineProperty(scope, FOLDER, { value: folder, enumerable: false });
}

/** A new construct below `scope` whose API objects all go to one file, `<namespace>/<name>.yaml`. */
export function unitScope(scope: IConstruct, name: string): Construct {
  const c = new Construct(scope, name);
  markUnit(c, name);
  return c;
}

export function outputFolderOf(scope: IConstruct): string | undefined {
  for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
    const f = (c as any)[FOLDER];
    if (f !== undefined) return f;
  }
  return undefined;
}

// one rendered object: the synth pipeline's vocabulary, shared with the capabilities' stages (lib/environments)
export type { RenderedObject } from '../environments/rendered';

/** Folder for cluster-scoped objects: a leading underscore can never collide with a namespace name. */
export const CLUSTER_SCOPED_DIR = '_cluster';

/** Which parts of a tree `renderTree` visits. */
export interface RenderTreeOptions {
  /**
   * Subtrees to leave out entirely (neither validated nor rendered); GitOpsApp renders its Argo CD and Flux
   * charts after the environment targets, because their content depends on what the targets rendered.
   * @default - none
   */
  readonly exclude?: readonly IConstruct[];
  /**
   * Objects to render; the others are validated but not rendered (their Lazy values are never resolved).
   * @default - all
   */
  readonly include?: (obj: ApiObject) => boolean;
  /**
   * Drop each object's unresolved manifest once rendered (it cannot be rendered again): for a target synth releases
   * after writing.
   * @default false
   */
  readonly dropSource?: boolean;
}

/**
 * Walks the tree once: runs every construct's validations, then renders each API object exactly once
 * (linear in the size of the tree, unlike `App.synth()` which re-resolves the whole app per chart).
 *
 * Throws when two objects of one output folder share group, kind, namespace and name (kustomize would reject
 * the folder, and the API server would only keep one of them).
 */
export function renderTree(root: IConstruct, options: RenderTreeOptions = {}): RenderedObject[] {
  const errors: string[] = [];
  const objects: ApiObject[] = [];
  const excluded = new Set<IConstruct>(options.exclude ?? []);
  const stack: IConstruct[] = [root];
  while (stack.length > 0) {
    const c = stack.pop()!;
    if (excluded.has(c)) continue;
    for (const e of c.node.validate()) errors.push(`${c.node.path}: ${e}`);
    if (c instanceof ApiObject && (!options.include || options.include(c))) objects.push(c);
    const children = c.node.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  if (errors.length > 0) {
    throw new ConfigError(root.node.path, 'validation', `validation failed:\n  ${errors.join('\n  ')}`);
  }

  const app = objects.length > 0 ? App.of(objects[0]) : undefined;
  const identities = new Map<string, string>();
  const ownership: string[] = [];
  const rendered = objects.map((apiObject) => {
    const folder = outputFolderOf(apiObject);
    if (folder === undefined) {
      throw new ConfigError(apiObject.node.path, 'scope', `${apiObject.node.path}: object is not under an environment target, got chart '${Chart.of(apiObject).node.path}'; create it inside app.forEachTarget(...) or a GitOpsApp chart`);
    }
    const manifest = renderObject(apiObject, app!);
    // a streaming synth renders each object once and releases the tree after writing: the unresolved copy of the
    // manifest the object holds (cdk8s ApiObject's props) is not needed while its target is checked and written
    if (options.dropSource) (apiObject as any).props = undefined;
    inheritNamespace(apiObject, manifest);
    // two objects with one identity are the real problem even when they would also share a file: report it first
    const id = `${folder}|${objectKey(manifest)}`;
    const same = identities.get(id);
    if (same !== undefined) {
      const ns = manifest.metadata?.namespace;
      throw new ConfigError(apiObject.node.path, 'metadata.name', `${apiObject.node.path}: metadata.name of this ${manifest.kind}${ns ? ` in namespace ${ns}` : ''} is already used by the ${manifest.kind} of ${same} in dist/${folder}, got ${show(manifest.metadata?.name)}; give one of them another name (object names must be unique per kind and namespace)`);
    }
    identities.set(id, apiObject.node.path);
    const ns: string | undefined = manifest.metadata?.namespace;
    const { name: unit, ownerPath: owner } = unitRefOf(apiObject);
    // ownership by scope: a team's object is filed into the team's part only if it names one of its namespaces
    const problem = ownershipProblem(apiObject, manifest);
    if (problem) ownership.push(problem);
    return { apiObject, manifest, folder, file: `${tenancyPrefixOf(apiObject)}${ns ?? CLUSTER_SCOPED_DIR}/${unit}.yaml`, owner };
  });
  if (ownership.length > 0) {
    throw new ConfigError(root.node.path, 'ownership', ownership.length === 1 ? ownership[0]
      : `${ownership.length} objects are rendered outside their team's namespaces:\n  ${ownership.join('\n  ')}`);
  }
  const owners = new Map<string, string>();
  return rendered.map(({ apiObject, manifest, folder, file, owner }) => {
    const key = `${folder}/${file}`;
    const prev = owners.get(key);
    if (prev !== undefined && prev !== owner) {
      throw new ConfigError(apiObject.node.path, 'name', `${apiObject.node.path}: two constructs write dist/${key}, got '${prev}' and '${owner}'; give one of them another name`);
    }
    owners.set(key, owner);
    return { apiObject, manifest, folder, file };
  });
}

/**
 * A namespaced object that stock cdk8s-plus or generated (imports/) constructs left without a namespace, inside
 * one of the library's namespace scopes (PlatformNamespace), lives in that namespace, as the library's own do.
 */
function inheritNamespace(apiObject: ApiObject, manifest: any): void {
  if (!manifest.metadata || manifest.metadata.namespace !== undefined) return;
  const ns = namespaceOf(apiObject);
  // which kinds live in a namespace is a capability's knowledge (policy: built-in kinds and the vendored CRDs)
  if (ns !== undefined && registeredCapabilities().some((c) => c.isNamespaced?.(manifest) === true)) manifest.metadata = { ...manifest.metadata, namespace: ns };
}

/** The API group of an apiVersion (`apps/v1` -> `apps`, `v1` -> ``). */
export function apiGroupOf(apiVersion: string | undefined): string {
  const s = apiVersion ?? '';
  const i = s.lastIndexOf('/');
  return i < 0 ? '' : s.slice(0, i);
}

/**
 * What identifies an object on a cluster: group, kind, namespace and name (the version does not: `v1` and
 * `v2` of one kind address the same object).
 */
export function objectKey(manifest: any): string {
  return [apiGroupOf(manifest?.apiVersion), manifest?.kind ?? '', manifest?.metadata?.namespace ?? '', manifest?.metadata?.name ?? ''].join('|');
}

// Apply order inside a file, so a reader sees prerequisites first; unknown kinds sort by name after these.
const KIND_ORDER = [
  'CustomResourceDefinition', 'Namespace', 'ResourceQuota', 'LimitRange', 'PriorityClass', 'ClusterRole', 'ClusterRoleBinding',
  'NetworkPolicy', 'ServiceAccount', 'Role', 'RoleBinding', 'ConfigMap', 'Secret', 'PersistentVolumeClaim',
  'Service', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Rollout',
  'HorizontalPodAutoscaler', 'PodDisruptionBudget',
];
const rank = (kind: string) => {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
};

export function compareManifests(a: any, b: any): number {
  return rank(a.kind) - rank(b.kind)
    || cmp(a.kind, b.kind)
    || cmp(a.metadata?.namespace ?? '', b.metadata?.namespace ?? '')
    || cmp(a.metadata?.name ?? '', b.metadata?.name ?? '');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The files of dist/, keyed by path relative to dist/, in sorted order. Every folder gets a kustomization.yaml
 * listing its files (cluster-scoped first) so `kubectl kustomize dist/<folder>` builds it unchanged.
 *
 * @param folders folders that get a kustomization.yaml even when no object is rendered into them (every
 * environment target: its folder exists, with an empty resource list, so a path that Flux or a user points
 * at never disappears)
 */
export function layoutFiles(objects: readonly Pick<RenderedObject, 'folder' | 'file' | 'manifest'>[], folders: Iterable<string> = []): Map<string, string> {
  return serializeFiles(layoutDeferred(objects, folders));
}

/**
 * `layoutFiles` with each object file's serialization deferred until the writer reaches it (same order, same
 * bytes): the serialized dist/ (about 1.8 KB per object) is then never alive at once beside the construct tree
 * and the rendered manifests.
 */
export function layoutDeferred(objects: readonly Pick<RenderedObject, 'folder' | 'file' | 'manifest'>[], folders: Iterable<string> = []): Map<string, FileContent> {
  const byFolder = new Map<string, Map<string, any[]>>();
  for (const f of folders) {
    if (!byFolder.has(f)) byFolder.set(f, new Map());
  }
  for (const o of objects) {
    let files = byFolder.get(o.folder);
    if (!files) byFolder.set(o.folder, (files = new Map()));
    let docs = files.get(o.file);
    if (!docs) files.set(o.file, (docs = []));
    docs.push(o.manifest);
  }
  const out = new Map<string, FileContent>();
  for (const folder of [...byFolder.keys()].sort()) {
    const files = byFolder.get(folder)!;
    const names = [...files.keys()].sort(compareFiles);
    for (const name of names) {
      const docs = files.get(name)!;
      out.set(`${folder}/${name}`, () => toYaml(docs.sort(compareManifests)));
    }
    out.set(`${folder}/kustomization.yaml`, toYaml([kustomization(names)]));
  }
  return new Map([...out.entries()].sort(([a], [b]) => cmp(a, b)));
}

/** Every deferred file serialized, in the same order. */
export function serializeFiles(files: ReadonlyMap<string, FileContent>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, content] of files) out.set(name, typeof content === 'string' ? content : content());
  return out;
}

function compareFiles(a: string, b: string): number {
  const ca = a.startsWith(`${CLUSTER_SCOPED_DIR}/`) ? 0 : 1;
  const cb = b.startsWith(`${CLUSTER_SCOPED_DIR}/`) ? 0 : 1;
  return ca - cb || cmp(a, b);
}

function kustomization(resources: string[]) {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources,
  };
}
