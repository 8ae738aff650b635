import { ConfigError } from '../core';
import type { ApplyPhase, TargetApplyOrder } from './apply-order';
import { Target } from '../environments/environment';
import { apiGroupOf, objectKey, RenderedObject } from './layout';

/** A cluster-scoped kind, as Argo CD's AppProject lists it. */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/** What one environment target renders, known after its objects are rendered. */
export interface TargetInventory {
  /** Folder below dist/ (`dev`, `prod/prod-eu-1`). */
  readonly path: string;
  /** How many objects the folder holds. */
  readonly objectCount: number;
  /** Namespaces the target writes into or creates, sorted. */
  readonly namespaces: readonly string[];
  /** Group and kind of every cluster-scoped (namespace-less) object, sorted. */
  readonly clusterKinds: readonly GroupKind[];
  /** Group and kind of every object, sorted. */
  readonly kinds: readonly GroupKind[];
  /** The non-empty apply phases of a phased target (see apply-order.ts), in order; empty when unphased. */
  readonly applyPhases: readonly ApplyPhase[];
  /** Workloads an HPA or KEDA ScaledObject scales (their `spec.replicas` belongs to it), sorted. */
  readonly scaled: readonly ScaledWorkload[];
}

/** The target of an autoscaler's `scaleTargetRef`. */
export interface ScaledWorkload extends GroupKind {
  readonly namespace: string;
  readonly name: string;
}

/**
 * Summarizes the rendered objects per target folder (every target gets an entry, empty ones too) and checks
 * that no two targets deploy the same object to the same API server: they would overwrite each other on every
 * sync (Argo CD reports a shared resource, Flux flips the object back and forth).
 */
export function buildInventory(targets: readonly Target<any, any>[], objects: readonly RenderedObject[],
  applyOrder: ReadonlyMap<string, TargetApplyOrder> = new Map()): Map<string, TargetInventory> {
  const byFolder = new Map<string, RenderedObject[]>();
  for (const t of targets) byFolder.set(t.path, []);
  for (const o of objects) byFolder.get(o.folder)?.push(o);

  const owners = new Map<string, { target: Target<any, any>; path: string }>();
  for (const target of targets) {
    for (const o of byFolder.get(target.path)!) {
      const key = `${target.cluster.server}|${objectKey(o.manifest)}`;
      const prev = owners.get(key);
      if (prev) {
        const what = `${o.manifest.kind} ${o.manifest.metadata?.namespace ? `${o.manifest.metadata.namespace}/` : ''}${o.manifest.metadata?.name}`;
        throw new ConfigError(o.apiObject.node.path, 'metadata.name',
          `${o.apiObject.node.path}: ${what} is also rendered by ${prev.path} for target '${prev.target.path}', and both targets deploy to ${target.cluster.server}, got the same object twice; `
          + 'give the objects environment-specific names or namespaces (e.g. with env.pick), or deploy the targets to different clusters');
      }
      owners.set(key, { target, path: o.apiObject.node.path });
    }
  }

  const result = new Map<string, TargetInventory>();
  for (const target of targets) {
    const objs = byFolder.get(target.path)!;
    const namespaces = new Set<string>();
    const kinds = new Map<string, GroupKind>();
    const allKinds = new Map<string, GroupKind>();
    const scaled = new Map<string, ScaledWorkload>();
    for (const o of objs) {
      const m = o.manifest;
      const ref = m.spec?.scaleTargetRef;
      if (ref?.name && ((m.kind === 'HorizontalPodAutoscaler' && apiGroupOf(m.apiVersion) === 'autoscaling') || (m.kind === 'ScaledObject' && apiGroupOf(m.apiVersion) === 'keda.sh'))) {
        const w = { group: apiGroupOf(ref.apiVersion ?? 'apps/v1'), kind: String(ref.kind ?? 'Deployment'), namespace: String(m.metadata?.namespace ?? ''), name: String(ref.name) };
        scaled.set(`${w.group}|${w.kind}|${w.namespace}|${w.name}`, w);
      }
      const group = apiGroupOf(m.apiVersion);
      allKinds.set(`${group}|${m.kind}`, { group, kind: String(m.kind) });
      const ns: string | undefined = m.metadata?.namespace;
      if (ns) {
        namespaces.add(ns);
      } else {
        const gk = { group: apiGroupOf(m.apiVersion), kind: String(m.kind) };
        kinds.set(`${gk.group}|${gk.kind}`, gk);
        if (m.kind === 'Namespace' && gk.group === '' && m.metadata?.name) namespaces.add(m.metadata.name);
      }
    }
    result.set(target.path, {
      path: target.path,
      objectCount: objs.length,
      namespaces: [...namespaces].sort(),
      clusterKinds: [...kinds.values()].sort((a, b) => cmp(a.group, b.group) || cmp(a.kind, b.kind)),
      kinds: [...allKinds.values()].sort((a, b) => cmp(a.group, b.group) || cmp(a.kind, b.kind)),
      applyPhases: (applyOrder.get(target.path)?.phases ?? []).map((p) => p.phase),
      scaled: [...scaled.values()].sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || cmp(a.group, b.group) || cmp(a.kind, b.kind)),
    });
  }
  return result;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
