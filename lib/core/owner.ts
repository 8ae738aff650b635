import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * Ownership by scope (DESIGN idea 14): every object belongs to the team whose construct scope created it, or to
 * the platform. Tenancy writes these facts (a Team marks its subtree, and the parts of it the platform owns);
 * the layout, the policy engine and the GitOps objects read them. They live in core so that none of those
 * folders has to import another to agree on who owns an object.
 */

/** What a Team declared in one target. */
export interface TeamRecord {
  readonly name: string;
  /** The team's namespaces in this target, in declaration order. */
  readonly namespaces: readonly string[];
  /** Every identity-provider group of the team (admins, developers, viewers). */
  readonly groups: readonly string[];
  /** Name of the ServiceAccount Flux impersonates for the team. */
  readonly fluxServiceAccount: string;
  /** Path of the Team construct (for error messages). */
  readonly path: string;
}

const TEAMS = Symbol.for('typed-manifests.tenancy.teams');
const PLATFORM_OWNED = Symbol.for('typed-manifests.tenancy.platform-owned');
const TEAM_SCOPE = Symbol.for('typed-manifests.tenancy.team-scope');

function chartOf(scope: IConstruct): Chart | undefined {
  for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
    if (Chart.isChart(c)) return c;
  }
  return undefined;
}

/** The teams declared in the chart (environment target) of `scope`, in declaration order. */
export function teamsOf(scope: IConstruct): readonly TeamRecord[] {
  const chart = chartOf(scope);
  return chart ? ((chart as any)[TEAMS] as TeamRecord[] | undefined) ?? [] : [];
}

/** Records a team on its chart; returns the team that already claimed one of its namespaces, if any. */
export function registerTeam(scope: IConstruct, team: TeamRecord): { readonly namespace: string; readonly team: TeamRecord } | undefined {
  const chart = chartOf(scope);
  if (!chart) return undefined;
  let list: TeamRecord[] | undefined = (chart as any)[TEAMS];
  if (!list) {
    list = [];
    Object.defineProperty(chart, TEAMS, { value: list, enumerable: false });
  }
  for (const other of list) {
    const ns = team.namespaces.find((n) => other.namespaces.includes(n));
    if (ns !== undefined) return { namespace: ns, team: other };
  }
  list.push(team);
  return undefined;
}

/** Marks `scope` as a team's: every object created below it belongs to the team (set by Team on itself). */
export function markTeamScope(scope: IConstruct, team: string): void {
  Object.defineProperty(scope, TEAM_SCOPE, { value: team, enumerable: false });
}

/**
 * Marks a subtree of a team as the platform's (the team's Namespace, quota, limit range, default-deny, team RBAC,
 * Flux tenant account): library code only; a team's own objects never are.
 */
export function markPlatformOwned(scope: IConstruct): void {
  Object.defineProperty(scope, PLATFORM_OWNED, { value: true, enumerable: false });
}

/**
 * The team that owns `scope` (the closest marked ancestor decides), or undefined when the platform owns it.
 */
export function teamOwnerOf(scope: IConstruct): TeamRecord | undefined {
  for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
    if ((c as any)[PLATFORM_OWNED]) return undefined;
    const team: string | undefined = (c as any)[TEAM_SCOPE];
    if (team !== undefined) return teamsOf(c).find((t) => t.name === team);
  }
  return undefined;
}

/** Whether the platform owns `scope` (no team scope above it, or a platform-owned part of a team). */
export function isPlatformOwned(scope: IConstruct): boolean {
  return teamOwnerOf(scope) === undefined;
}
