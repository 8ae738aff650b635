import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { registeredCapabilities, TargetPart } from '../environments/capability';
import { Target, targetIdOf } from '../environments/environment';
import { toYaml } from '../core/serialize';

/** The parts (teams) declared in the target of `scope`, from the capabilities that split targets (tenancy). */
function partsOf(scope: IConstruct): readonly TargetPart[] {
  const out: TargetPart[] = [];
  for (const c of registeredCapabilities()) if (c.layout) out.push(...c.layout.partsOf(scope));
  return out;
}

/** Whether an object in a part's namespace belongs to the platform part all the same (quotas, team RBAC). */
function sharedObject(scope: IConstruct): boolean {
  return registeredCapabilities().some((c) => c.layout?.sharedObject(scope));
}

/**
 * Tenancy's part of the dist/ layout (the parts come from the registry: lib/tenancy registers its teams). In a target with no Team nothing changes. In a target with teams:
 * - `<target>/kustomization.yaml` still lists every file (`kubectl kustomize dist/<target>` builds it all);
 * - the platform's objects (cluster-scoped ones, namespaces, quotas, limit ranges, default-deny, team RBAC,
 *   Flux tenant accounts, and everything in namespaces no team owns) move below `<target>/_platform/`, which
 *   gets its own kustomization.yaml;
 * - team objects keep their paths (`<target>/<namespace>/<unit>.yaml`); each team namespace folder gets a
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
}

/** The teams declared in a target (looked up on the target's chart, a child of the app named by its id). */
export function teamsOfTarget(scope: IConstruct, target: Target<any, any>): readonly TargetPart[] {
  const chart = scope.node.root.node.tryFindChild(targetIdOf(target));
  return chart ? partsOf(chart) : [];
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
    }));
  });
}

/** `_platform/` for platform objects of a target with teams, else ''. Prefixes the object's file path. */
export function tenancyPrefixOf(apiObject: ApiObject, namespace: string | undefined): string {
  const teams = partsOf(apiObject);
  if (teams.length === 0) return '';
  if (namespace !== undefined && !sharedObject(apiObject) && teams.some((t) => t.namespaces.includes(namespace))) return '';
  return `${PLATFORM_DIR}/`;
}

/**
 * Adds the kustomization.yaml files of the platform part, the team namespace folders and the team folders of
 * every target with teams; returns the files sorted by path (as layoutFiles does).
 */
export function withTenancyKustomizations(scope: IConstruct, targets: readonly Target<any, any>[], files: Map<string, string>): Map<string, string> {
  const extra = new Map<string, string>();
  for (const target of targets) {
    const teams = teamsOfTarget(scope, target);
    if (teams.length === 0) continue;
    const under = (dir: string) => [...files.keys()]
      .filter((f) => f.startsWith(`${target.path}/${dir}/`) && !f.endsWith('/kustomization.yaml'))
      .map((f) => f.slice(target.path.length + dir.length + 2))
      .filter((f) => !f.includes('/') || dir === PLATFORM_DIR);
    const platform = under(PLATFORM_DIR).sort((a, b) => Number(!a.startsWith('_cluster/')) - Number(!b.startsWith('_cluster/')) || cmp(a, b));
    extra.set(`${target.path}/${PLATFORM_DIR}/kustomization.yaml`, kustomization(platform));
    for (const team of teams) {
      for (const ns of team.namespaces) extra.set(`${target.path}/${ns}/kustomization.yaml`, kustomization(under(ns).sort(cmp)));
      extra.set(`${teamPathOf(target, team.name)}/kustomization.yaml`, kustomization(team.namespaces.map((ns) => `../../${ns}`)));
    }
  }
  if (extra.size === 0) return files;
  return new Map([...files, ...extra].sort(([a], [b]) => cmp(a, b)));
}

function kustomization(resources: string[]): string {
  return toYaml([{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }]);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
