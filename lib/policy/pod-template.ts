import { CRD_POD_PATHS } from './crd-tables.generated';
import { isNamespacedKind } from './kind-scope';
import { Manifest } from './rule';

/**
 * Where each pod-bearing kind keeps its pod template. Kinds are matched with their API group so that a CRD that
 * happens to be called `Deployment` is not mistaken for one.
 */
const POD_TEMPLATE_PATHS: { readonly [kind: string]: { readonly group: string; readonly path: readonly string[] } } = {
  Pod: { group: '', path: [] },
  Deployment: { group: 'apps', path: ['spec', 'template'] },
  ReplicaSet: { group: 'apps', path: ['spec', 'template'] },
  StatefulSet: { group: 'apps', path: ['spec', 'template'] },
  DaemonSet: { group: 'apps', path: ['spec', 'template'] },
  Job: { group: 'batch', path: ['spec', 'template'] },
  CronJob: { group: 'batch', path: ['spec', 'jobTemplate', 'spec', 'template'] },
  Rollout: { group: 'argoproj.io', path: ['spec', 'template'] },
};

/** Controllers that keep pods running (and so need probes, a disruption budget, spread). Jobs finish. */
const LONG_RUNNING = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Rollout']);

/** Kinds with a `spec.replicas` count. */
const REPLICATED = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'Rollout']);

/** `apps` for `apps/v1`, '' for `v1`. */
export function apiGroupOf(manifest: Manifest): string {
  const v = manifest.apiVersion ?? '';
  const i = v.indexOf('/');
  return i < 0 ? '' : v.slice(0, i);
}

/** True for the built-in kinds that create pods (Pod, the apps and batch controllers, Argo Rollouts). */
function isBuiltInPodKind(manifest: Manifest): boolean {
  const entry = POD_TEMPLATE_PATHS[manifest.kind ?? ''];
  return entry !== undefined && entry.group === apiGroupOf(manifest);
}

/**
 * True for objects that carry a pod: the built-in pod kinds, and any custom resource that has a pod template or pod
 * spec at a path its CRD schema declares (KEDA ScaledJob, Argo Experiment, an AnalysisTemplate's job metric...).
 */
export function isPodBearing(manifest: Manifest): boolean {
  return isBuiltInPodKind(manifest) || podTemplatesOf(manifest).length > 0;
}

export function isLongRunning(manifest: Manifest): boolean {
  return isBuiltInPodKind(manifest) && LONG_RUNNING.has(manifest.kind!);
}

export function hasReplicas(manifest: Manifest): boolean {
  return isBuiltInPodKind(manifest) && REPLICATED.has(manifest.kind!);
}

function crdPodPaths(manifest: Manifest) {
  const kind = manifest.kind;
  if (!kind || isBuiltInPodKind(manifest)) return undefined;
  const key = `${apiGroupOf(manifest)}/${kind}`;
  return Object.prototype.hasOwnProperty.call(CRD_POD_PATHS, key) ? CRD_POD_PATHS[key] : undefined;
}

/** The Deployment an Argo Rollout takes its pod template from (`spec.workloadRef`), if it does. */
export function workloadRefOf(manifest: Manifest): { readonly kind: string; readonly name: string } | undefined {
  if (!isBuiltInPodKind(manifest) || manifest.kind !== 'Rollout') return undefined;
  const ref = (manifest as any).spec?.workloadRef;
  if (!ref || typeof ref !== 'object') return undefined;
  return { kind: ref.kind ?? 'Deployment', name: ref.name };
}

/** A pod template found in a manifest, with the JSON paths that findings report. */
export interface PodTemplate {
  /** Pod template metadata (for a Pod: the Pod's own metadata). */
  readonly metadata: any;
  readonly metadataPath: string;
  /** The pod spec. */
  readonly spec: any;
  readonly specPath: string;
}

/**
 * The (first) pod template of a pod-bearing object. Undefined for other kinds and for a Rollout that references a
 * Deployment (`spec.workloadRef`): that Rollout has no template of its own and the Deployment is checked instead.
 */
export function podTemplateOf(manifest: Manifest): PodTemplate | undefined {
  return podTemplatesOf(manifest)[0];
}

/**
 * Every pod template of an object, found by shape: the built-in kinds' template, or each PodTemplateSpec and PodSpec
 * at a path the kind's CRD schema declares (arrays expanded: `spec.templates[1].template`). Empty for objects that
 * carry no pod, and for a Rollout with `spec.workloadRef`.
 */
export function podTemplatesOf(manifest: Manifest): PodTemplate[] {
  // every rule asks for every object: find the pods once per (rendered, unchanging) object
  let found = TEMPLATES.get(manifest);
  if (!found) TEMPLATES.set(manifest, (found = findPodTemplates(manifest)));
  return [...found];
}

const TEMPLATES = new WeakMap<Manifest, readonly PodTemplate[]>();

function findPodTemplates(manifest: Manifest): PodTemplate[] {
  const crd = crdPodPaths(manifest);
  if (crd) {
    const out: PodTemplate[] = [];
    for (const p of crd) collect(manifest, p.path, 0, '', p.shape, out);
    return out;
  }
  if (isBuiltInPodKind(manifest)) {
    const builtIn = builtInTemplateOf(manifest);
    return builtIn ? [builtIn] : [];
  }
  // a kind this project knows (built-in, or a vendored CRD) has its pods at known paths or none; any other kind
  // (a `v1 List`, a CRD not vendored) is searched for the shape of a pod
  if (isNamespacedKind(manifest) !== undefined) return [];
  const out: PodTemplate[] = [];
  scanForPods(manifest, '', 0, out);
  return out;
}

/** A pod spec by shape: a `containers` list with at least one container that names an image. */
function isPodSpecShape(node: any): boolean {
  return node !== null && typeof node === 'object' && Array.isArray(node.containers)
    && node.containers.some((c: any) => c !== null && typeof c === 'object' && typeof c.image === 'string');
}

const SCAN_DEPTH = 24;

function scanForPods(node: any, at: string, depth: number, out: PodTemplate[]): void {
  if (node === null || typeof node !== 'object' || depth > SCAN_DEPTH) return;
  if (Array.isArray(node)) {
    node.forEach((item, i) => scanForPods(item, `${at}[${i}]`, depth + 1, out));
    return;
  }
  const join = (p: string) => (at ? `${at}.${p}` : p);
  if (isPodSpecShape(node.spec)) {
    out.push({ metadata: node.metadata ?? {}, metadataPath: join('metadata'), spec: node.spec, specPath: join('spec') });
    return;
  }
  if (isPodSpecShape(node)) {
    out.push({ metadata: {}, metadataPath: join('metadata'), spec: node, specPath: at });
    return;
  }
  for (const key of Object.keys(node)) {
    scanForPods(node[key], /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? join(key) : `${at}[${JSON.stringify(key)}]`, depth + 1, out);
  }
}

/** Walks `path` from `node`, expanding `*` over array items, and records the pods found at its end. */
function collect(node: any, path: readonly string[], i: number, at: string, shape: 'template' | 'spec', out: PodTemplate[]): void {
  if (node === null || typeof node !== 'object') return;
  if (i === path.length) {
    if (shape === 'template') {
      out.push({ metadata: node.metadata ?? {}, metadataPath: `${at}.metadata`, spec: node.spec ?? {}, specPath: `${at}.spec` });
    } else {
      // a bare pod spec has no metadata of its own
      out.push({ metadata: {}, metadataPath: `${at}.metadata`, spec: node, specPath: at });
    }
    return;
  }
  const key = path[i];
  if (key === '*') {
    if (Array.isArray(node)) node.forEach((item, j) => collect(item, path, i + 1, `${at}[${j}]`, shape, out));
    return;
  }
  if (Array.isArray(node) || !Object.prototype.hasOwnProperty.call(node, key)) return;
  collect(node[key], path, i + 1, at ? `${at}.${key}` : key, shape, out);
}

function builtInTemplateOf(manifest: Manifest): PodTemplate | undefined {
  if (!isBuiltInPodKind(manifest)) return undefined;
  // a workloadRef Rollout runs the Deployment's pods; a template it carries anyway is still judged, never skipped
  if (workloadRefOf(manifest) && !isPodSpecShape((manifest as any).spec?.template?.spec)) return undefined;
  const { path } = POD_TEMPLATE_PATHS[manifest.kind!];
  let node: any = manifest;
  for (const key of path) node = node?.[key];
  const prefix = path.join('.');
  const join = (p: string) => (prefix ? `${prefix}.${p}` : p);
  return {
    metadata: node?.metadata ?? {},
    metadataPath: join('metadata'),
    spec: node?.spec ?? {},
    specPath: join('spec'),
  };
}

export type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';

export const ALL_CONTAINER_LISTS: readonly ContainerList[] = ['containers', 'initContainers', 'ephemeralContainers'];

/** One container of a pod template, with its JSON path. */
export interface ContainerRef {
  readonly container: any;
  readonly list: ContainerList;
  readonly index: number;
  /** `spec.template.spec.containers[0]` */
  readonly path: string;
  /** `container "web"` / `init container "migrate"`: how messages name it. */
  readonly label: string;
}

const LIST_LABEL: Record<ContainerList, string> = {
  containers: 'container',
  initContainers: 'init container',
  ephemeralContainers: 'ephemeral container',
};

/** The containers of a template, list by list, in order. */
export function containersOf(template: PodTemplate, lists: readonly ContainerList[] = ALL_CONTAINER_LISTS): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const list of lists) {
    const items = template.spec?.[list];
    if (!Array.isArray(items)) continue;
    items.forEach((container: any, index: number) => {
      out.push({
        container: container ?? {},
        list,
        index,
        path: `${template.specPath}.${list}[${index}]`,
        label: `${LIST_LABEL[list]} ${JSON.stringify(container?.name ?? `#${index}`)}`,
      });
    });
  }
  return out;
}

/** Whether the pod runs on Windows: PSS relaxes the Linux-only restricted controls for it. */
export function isWindowsPod(template: PodTemplate): boolean {
  return template.spec?.os?.name === 'windows';
}

/** A JSON path segment for a map key that is not an identifier: `labels["app.kubernetes.io/name"]`. */
export function keyPath(base: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}
