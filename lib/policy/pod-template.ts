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
  ScaledJob: { group: 'keda.sh', path: ['spec', 'jobTargetRef', 'template'] },
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

/** True for the kinds that create pods (Pod, the apps and batch controllers, Argo Rollouts). */
export function isPodBearing(manifest: Manifest): boolean {
  const entry = POD_TEMPLATE_PATHS[manifest.kind ?? ''];
  return entry !== undefined && entry.group === apiGroupOf(manifest);
}

export function isLongRunning(manifest: Manifest): boolean {
  return isPodBearing(manifest) && LONG_RUNNING.has(manifest.kind!);
}

export function hasReplicas(manifest: Manifest): boolean {
  return isPodBearing(manifest) && REPLICATED.has(manifest.kind!);
}

/** The Deployment an Argo Rollout takes its pod template from (`spec.workloadRef`), if it does. */
export function workloadRefOf(manifest: Manifest): { readonly kind: string; readonly name: string } | undefined {
  if (!isPodBearing(manifest) || manifest.kind !== 'Rollout') return undefined;
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
 * The pod template of a pod-bearing object. Undefined for other kinds and for a Rollout that references a
 * Deployment (`spec.workloadRef`): that Rollout has no template of its own and the Deployment is checked instead.
 */
export function podTemplateOf(manifest: Manifest): PodTemplate | undefined {
  if (!isPodBearing(manifest) || workloadRefOf(manifest)) return undefined;
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
