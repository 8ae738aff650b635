import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConfigError, configError, show } from '../core';
import { registeredCapabilities, ReservedNamespace, TargetPart } from '../environments/capability';
import { Target, targetIdOf } from '../environments/environment';
import { toYaml } from '../core/serialize';

/** The parts (teams) declared in the target of `scope`, from the capabilities that split targets (tenancy). */
function partsOf(scope: IConstruct): readonly TargetPart[] {
  const out: TargetPart[] = [];
  for (const c of registeredCapabilities()) if (c.layout) out.push(...c.layout.partsOf(scope));
  return out;
}

/** Whether the target of `scope` declares any part (asked per object: no list of the parts is built). */
function hasParts(scope: IConstruct): boolean {
  for (const c of registeredCapabilities()) if (c.layout && c.layout.partsOf(scope).length > 0) return true;
  return false;
}

/** The part whose scope created `scope` (ownership by scope), or undefined: the platform's. */
function ownerOf(scope: IConstruct): TargetPart | undefined {
  for (const c of registeredCapabilities()) {
    const part = c.layout?.ownerOf(scope);
    if (part) return part;
  }
  return undefined;
}

/**
 * Tenancy's part of the dist/ layout (the parts come from the registry: lib/tenancy registers its teams). In a target with no Team nothing changes. In a target with teams:
 * - `<target>/kustomization.yaml` still lists every file (`kubectl kustomize dist/<target>` builds it all);
 * - objects are filed by owner (the scope that created them), never by the namespace they name: the platform's
 *   (everything created outside a Team, and the parts of a Team the platform owns: namespaces, quotas, limit
 *   ranges, default-deny, team RBAC, Flux tenant accounts) move below `<target>/_platform/`, which gets its own
 *   kustomization.yaml, even when they live in a team's namespace;
 * - a team's objects keep their paths (`<target>/<namespace>/<unit>.yaml`), and may only name the team's own
 *   namespaces (see `ownershipProblem`); each team namespace folder gets a
 *   kustomization.yaml of its files, and `<target>/_teams/<team>/kustomization.yaml` gathers the team's
 *   namespace folders: what the team's Argo CD Application or Flux Kustomization syncs.
 */
export const PLATFORM_DIR = '_platform';
export const TEAMS_DIR = '_teams';

/**
 * A part of a target that one Flux Kustomization applies: the whole target, or (when tenancy splits it) one
 * team's namespaces.
 */
export interface ApplyUnit {
  /** Folder below dist/ of the unit (`dev`, `dev/_teams/payments`). */
  readonly folder: string;
  /** The target folder its files are relative to. */
  readonly target: string;
  /** Which of the target's files belong to the unit. */
  readonly includes: (file: string) => boolean;
  /**
   * The namespace folders whose files are the unit's (a team part), when that is what `includes` tests: the
   * files are then looked up by folder instead of testing every file of the target once per team.
   * @default - every file is tested with `includes`
   */
  readonly folders?: readonly string[];
}

/** The teams declared in a target (looked up on the target's chart, a child of the app named by its id). */
export function teamsOfTarget(scope: IConstruct, target: Target<any, any>): readonly TargetPart[] {
  const root = scope.node.root;
  const chart = root.node.tryFindChild(targetIdOf(target));
  return chart ? partsOf(chart) : RELEASED_PARTS.get(root)?.get(targetIdOf(target)) ?? [];
}

/** The parts of the targets a streaming synth released, by app and target id. */
const RELEASED_PARTS = new WeakMap<IConstruct, Map<string, readonly TargetPart[]>>();

/**
 * Keeps the parts (teams) of a target whose chart is about to be released (a streaming synth frees each target
 * once written): the Argo CD and Flux objects, rendered after every target, still name them.
 */
export function rememberTeamsOfTarget(scope: IConstruct, target: Target<any, any>, parts: readonly TargetPart[] = teamsOfTarget(scope, target)): void {
  const root = scope.node.root;
  let released = RELEASED_PARTS.get(root);
  if (!released) RELEASED_PARTS.set(root, (released = new Map()));
  released.set(targetIdOf(target), parts);
}

/** The folder (below dist/) of a target's platform part: the target itself when it has no teams. */
export function platformPathOf(scope: IConstruct, target: Target<any, any>): string {
  return teamsOfTarget(scope, target).length > 0 ? `${target.path}/${PLATFORM_DIR}` : target.path;
}

/** The folder (below dist/) a team's Application or Kustomization syncs. */
export function teamPathOf(target: Target<any, any>, team: string): string {
  return `${target.path}/${TEAMS_DIR}/${team}`;
}

/**
 * The parts of each target that one Flux Kustomization applies, for the apply order: the whole target, or with
 * teams each team's namespaces (the platform part is applied first as a whole, before every team).
 */
export function applyUnitsOf(scope: IConstruct, targets: readonly Target<any, any>[]): ApplyUnit[] {
  return targets.flatMap((target): ApplyUnit[] => {
    const teams = teamsOfTarget(scope, target);
    if (teams.length === 0) return [{ folder: target.path, target: target.path, includes: () => true }];
    return teams.map((team) => ({
      folder: teamPathOf(target, team.name),
      target: target.path,
      includes: (file: string) => team.namespaces.includes(file.split('/')[0]),
      folders: team.namespaces,
    }));
  });
}

/** `_platform/` for platform-owned objects of a target with teams, else ''. Prefixes the object's file path. */
export function tenancyPrefixOf(apiObject: ApiObject): string {
  if (!hasParts(apiObject)) return '';
  return ownerOf(apiObject) ? '' : `${PLATFORM_DIR}/`;
}

/**
 * Why a team's object may not be rendered where it says it lives (an error message naming the construct path,
 * the team, the namespace and the fix), or undefined. A team renders only into its own namespaces: never into
 * another team's, a platform namespace, or cluster scope.
 */
export function ownershipProblem(apiObject: ApiObject, manifest: any): string | undefined {
  const team = ownerOf(apiObject);
  if (!team) return undefined;
  const ns: unknown = manifest?.metadata?.namespace;
  const own = team.namespaces.join(', ');
  const kind = `${manifest?.kind ?? 'object'} ${JSON.stringify(manifest?.metadata?.name ?? '')}`;
  if (typeof ns !== 'string' || ns === '') {
    return configError(apiObject, 'metadata.namespace', `is unset: the ${kind} is cluster-scoped or names no namespace, and was created in the scope of team '${team.name}' (${team.path}), which may only render into its namespaces ${own}`, ns,
      'create cluster-scoped objects in platform scope (outside any Team), or set metadata.namespace to one of the team\'s namespaces').message;
  }
  if (team.namespaces.includes(ns)) return undefined;
  const other = partsOf(apiObject).find((t) => t.namespaces.includes(ns));
  if (other) {
    return configError(apiObject, 'metadata.namespace', `is namespace '${ns}' of team '${other.name}' (${other.path}), but the ${kind} was created in the scope of team '${team.name}' (${team.path}), which may only render into ${own}`, ns,
      `create it inside team '${other.name}' (${other.path}.namespace('${ns}')) if it is theirs, or move it into one of ${own}`).message;
  }
  return configError(apiObject, 'metadata.namespace', `is '${ns}', a namespace no team owns (the platform's), but the ${kind} was created in the scope of team '${team.name}' (${team.path}), which may only render into ${own}`, ns,
    `create it in platform scope (outside any Team) if the platform owns it, or move it into one of ${own}`).message;
}

/**
 * The namespaces of the controllers a target declares (each capability registers its own: the cluster's Gateway,
 * the monitoring namespace...) and the GitOps controllers' own: no part (team) may claim them. Throws naming the
 * Team, the namespace and the fix.
 */
export function checkReservedTeamNamespaces(scope: IConstruct, targets: readonly Target<any, any>[], gitopsNamespaces: readonly ReservedNamespace[]): void {
  for (const target of targets) {
    const reserved = [...gitopsNamespaces, ...registeredCapabilities().flatMap((c) => c.reservedNamespaces?.(target) ?? [])];
    for (const team of teamsOfTarget(scope, target)) {
      for (const r of reserved) {
        const i = team.namespaces.indexOf(r.namespace);
        if (i < 0) continue;
        throw new ConfigError(team.path, `namespaces[${i}]`, `${team.path}: namespaces[${i}] is ${r.what}; a team may not claim a controller's namespace, got ${show(r.namespace)}; `
          + `give team '${team.name}' a namespace of its own (the controller's objects are the platform's)`);
      }
    }
  }
}

/**
 * Adds the kustomization.yaml files of the platform part, the team namespace folders and the team folders of
 * every target with teams; returns the files sorted by path (as layoutFiles does).
 */
export function withTenancyKustomizations<V = string>(scope: IConstruct, targets: readonly Target<any, any>[], files: Map<string, V>): Map<string, V | string> {
  const extra = new Map<string, string>();
  // the files of every `<target>/<dir>/` folder, relative to it, in one pass over the files (a scan of all files
  // per target and folder would be quadratic in a fleet of targets)
  const withTeams = new Set(targets.filter((t) => teamsOfTarget(scope, t).length > 0).map((t) => t.path));
  const byDir = new Map<string, string[]>();
  if (withTeams.size > 0) {
    for (const f of files.keys()) {
      if (f.endsWith('/kustomization.yaml')) continue;
      const parts = f.split('/');
      // a target is `<env>` or `<env>/<cluster>`
      for (const n of [1, 2]) {
        if (parts.length < n + 2 || !withTeams.has(parts.slice(0, n).join('/'))) continue;
        const key = parts.slice(0, n + 1).join('/');
        let list = byDir.get(key);
        if (!list) byDir.set(key, (list = []));
        list.push(parts.slice(n + 1).join('/'));
      }
    }
  }
  for (const target of targets) {
    const teams = teamsOfTarget(scope, target);
    if (teams.length === 0) continue;
    const under = (dir: string) => (byDir.get(`${target.path}/${dir}`) ?? []).filter((f) => !f.includes('/') || dir === PLATFORM_DIR);
    const platform = under(PLATFORM_DIR).sort((a, b) => Number(!a.startsWith('_cluster/')) - Number(!b.startsWith('_cluster/')) || cmp(a, b));
    extra.set(`${target.path}/${PLATFORM_DIR}/kustomization.yaml`, kustomization(platform));
    for (const team of teams) {
      for (const ns of team.namespaces) extra.set(`${target.path}/${ns}/kustomization.yaml`, kustomization(under(ns).sort(cmp)));
      extra.set(`${teamPathOf(target, team.name)}/kustomization.yaml`, kustomization(team.namespaces.map((ns) => `../../${ns}`)));
    }
  }
  if (extra.size === 0) return files;
  return new Map<string, V | string>([...files, ...extra].sort(([a], [b]) => cmp(a, b)));
}

function kustomization(resources: string[]): string {
  return toYaml([{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }]);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
