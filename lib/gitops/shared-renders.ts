import type { TargetPart } from '../environments/capability';
import { ClusterProps, DECLARED_CLUSTER, Target } from '../environments/environment';
import type { TargetApplyOrder } from './apply-order';
import { RenderedObject } from './layout';

/**
 * Fleets: clusters of one environment with the same settings (Kubernetes version, storage, gateway, node pools...)
 * but their own API server usually receive the same objects. A streaming synth then builds, renders and checks
 * one representative per group of such clusters and gives the others its objects (their own folder, their own
 * retained config generations, checks against their own previous dist/ and serialization).
 *
 * Sharing is proven per synth, never assumed: the first member is rendered in full, then the second in full
 * while every read of its cluster's `name` and `server` is recorded. Only when the second read neither and
 * rendered exactly the first's objects do the remaining members share; otherwise each is rendered on its own.
 * Groups of fewer than three clusters, and clusters whose API server another target also deploys to, are
 * always rendered on their own.
 */
export class SharedRenders {
  private readonly groups = new Map<string, Group>();
  private readonly groupOf = new Map<Target<any, any>, Group>();

  /**
   * The targets to synthesize, members of a sharing group with their cluster wrapped so that reads of its
   * identity can be recorded (the wrapper reads through to the declared cluster).
   */
  public static prepare<T extends Target<any, any>>(targets: readonly T[]): { targets: T[]; shared: SharedRenders } {
    const shared = new SharedRenders();
    const servers = new Map<string, number>();
    for (const t of targets) servers.set(t.cluster.server, (servers.get(t.cluster.server) ?? 0) + 1);
    const byKey = new Map<string, T[]>();
    for (const t of targets) {
      if (servers.get(t.cluster.server)! > 1) continue;
      const key = settingsKey(t);
      if (key === undefined) continue;
      byKey.set(key, [...(byKey.get(key) ?? []), t]);
    }
    const out = targets.map((t) => t);
    for (const [key, members] of byKey) {
      if (members.length < 3) continue;
      const group: Group = { key, state: 'first', reads: new Set(), tracking: false, members: [] };
      shared.groups.set(key, group);
      for (const m of members) {
        const tracked = { ...m, cluster: trackIdentity(m.cluster, group) } as T;
        out[out.indexOf(m)] = tracked;
        group.members.push(tracked);
        shared.groupOf.set(tracked, group);
      }
    }
    return { targets: out, shared };
  }

  /** Runs `fn` recording reads of the cluster identity of `target`'s group, when it is the member proving sharing. */
  public tracking<R>(target: Target<any, any>, fn: () => R): R {
    const group = this.groupOf.get(target);
    if (!group || group.state !== 'proving') return fn();
    group.tracking = true;
    try {
      return fn();
    } finally {
      group.tracking = false;
    }
  }

  /** What `target` takes from its group's representative instead of being built, or undefined: build it. */
  public sharedFor(target: Target<any, any>): Representative | undefined {
    const group = this.groupOf.get(target);
    if (!group) return undefined;
    if (group.state === 'first') return undefined;
    if (group.state === 'proving') return undefined;
    return group.state === 'shared' ? group.first : undefined;
  }

  /** After each member: the representative is dropped once its group's last member is written. */
  public finished(target: Target<any, any>): void {
    const group = this.groupOf.get(target);
    if (group && group.members[group.members.length - 1] === target) group.first = undefined;
  }

  /**
   * Records what a member rendered in full: the first becomes the representative; the second proves (or
   * disproves) that the group's objects do not depend on which cluster they are for.
   */
  public rendered(target: Target<any, any>, result: Representative): void {
    const group = this.groupOf.get(target);
    if (!group) return;
    if (group.state === 'first') {
      group.first = result;
      group.state = 'proving';
    } else if (group.state === 'proving') {
      const same = group.reads.size === 0 && sameObjects(group.first!, result);
      group.state = same ? 'shared' : 'off';
      if (!same) group.first = undefined;
    }
  }

  /** Targets rendered from a representative so far (the bench reports it). */
  public get sharedCount(): number {
    let n = 0;
    for (const g of this.groups.values()) if (g.state === 'shared') n += g.members.length - 2;
    return n;
  }
}

/** A group's representative: what a member renders, relative to its own folder. */
export interface Representative {
  readonly path: string;
  readonly objects: readonly RenderedObject[];
  /** Its apply order (files relative to the target), if phased. */
  readonly order?: TargetApplyOrder;
  readonly parts: readonly TargetPart[];
}

interface Group {
  readonly key: string;
  state: 'first' | 'proving' | 'shared' | 'off';
  first?: Representative;
  readonly reads: Set<string>;
  tracking: boolean;
  readonly members: Target<any, any>[];
}

/** The environment and the cluster's settings but its identity (name, server), or undefined when not comparable. */
function settingsKey(target: Target<any, any>): string | undefined {
  const { name: _name, server: _server, ...settings } = target.cluster as ClusterProps & Record<string, unknown>;
  try {
    return JSON.stringify([target.env.name, settings]);
  } catch {
    return undefined; // cyclic settings: never shared
  }
}

function trackIdentity(cluster: ClusterProps, group: Group): ClusterProps {
  return new Proxy(cluster, {
    get(obj, prop, receiver) {
      if (prop === DECLARED_CLUSTER) return obj;
      if (group.tracking && (prop === 'name' || prop === 'server')) group.reads.add(prop);
      return Reflect.get(obj, prop, receiver);
    },
  });
}

/** The same objects in the same files, in the same order. */
function sameObjects(a: Representative, b: Representative): boolean {
  if (a.objects.length !== b.objects.length) return false;
  for (let i = 0; i < a.objects.length; i++) {
    const x = a.objects[i];
    const y = b.objects[i];
    if (x.file !== y.file || JSON.stringify(x.manifest) !== JSON.stringify(y.manifest)) return false;
  }
  return JSON.stringify(a.order ?? null) === JSON.stringify(b.order ?? null)
    && JSON.stringify(a.parts.map((p) => [p.name, p.namespaces, p.fluxServiceAccount])) === JSON.stringify(b.parts.map((p) => [p.name, p.namespaces, p.fluxServiceAccount]));
}
