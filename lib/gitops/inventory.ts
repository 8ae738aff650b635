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
  /** The phases that apply a run-before Job (Flux replaces a changed Job: `force`). */
  readonly jobPhases: readonly ApplyPhase[];
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
  const servers = new SharedServers(targets);
  const result = new Map<string, TargetInventory>();
  for (const target of targets) {
    servers.add(target, byFolder.get(target.path)!);
    result.set(target.path, targetInventory(target, byFolder.get(target.path)!, applyOrder));
  }
  return result;
}

/**
 * The check that no two targets deploy the same object to the same API server, fed one target at a time (synth
 * renders and releases targets one by one). Only targets sharing a server with another are remembered: a fleet of
 * clusters with a server each keeps nothing.
 */
export class SharedServers {
  private readonly shared: Set<string>;
  private readonly owners = new Map<string, { target: Target<any, any>; path: string }>();

  constructor(targets: readonly Target<any, any>[]) {
    const count = new Map<string, number>();
    for (const t of targets) count.set(t.cluster.server, (count.get(t.cluster.server) ?? 0) + 1);
    this.shared = new Set([...count].filter(([, n]) => n > 1).map(([server]) => server));
  }

  /** Throws naming both constructs when `target` renders an object another target already deploys to its server. */
  public add(target: Target<any, any>, objects: readonly RenderedObject[]): void {
    if (!this.shared.has(target.cluster.server)) return;
    for (const o of objects) {
      const key = `${target.cluster.server}|${objectKey(o.manifest)}`;
      const prev = this.owners.get(key);
      if (prev) {
        const what = `${o.manifest.kind} ${o.manifest.metadata?.namespace ? `${o.manifest.metadata.namespace}/` : ''}${o.manifest.metadata?.name}`;
        throw new ConfigError(o.apiObject.node.path, 'metadata.name',
          `${o.apiObject.node.path}: ${what} is also rendered by ${prev.path} for target '${prev.target.path}', and both targets deploy to ${target.cluster.server}, got the same object twice; `
          + 'give the objects environment-specific names or namespaces (e.g. with env.pick), or deploy the targets to different clusters');
      }
      this.owners.set(key, { target, path: o.apiObject.node.path });
    }
  }
}

/** What one target renders (`objects`: the target's own), with its apply phases from `applyOrder`. */
export function targetInventory(target: Target<any, any>, objs: readonly RenderedObject[], applyOrder: ReadonlyMap<string, TargetApplyOrder> = new Map()): TargetInventory {
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
  return {
    path: target.path,
    objectCount: objs.length,
    namespaces: [...namespaces].sort(),
    clusterKinds: [...kinds.values()].sort((a, b) => cmp(a.group, b.group) || cmp(a.kind, b.kind)),
    kinds: [...allKinds.values()].sort((a, b) => cmp(a.group, b.group) || cmp(a.kind, b.kind)),
    applyPhases: (applyOrder.get(target.path)?.phases ?? []).map((p) => p.phase),
    jobPhases: (applyOrder.get(target.path)?.phases ?? []).filter((p) => p.runBeforeJobs).map((p) => p.phase),
    scaled: [...scaled.values()].sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || cmp(a.group, b.group) || cmp(a.kind, b.kind)),
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
