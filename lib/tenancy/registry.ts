import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/** What a Team declared in one target: read by the policy-free parts (dist/ layout, Argo CD and Flux objects). */
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

/** Marks a subtree as the platform's even when it lives in a team namespace (quotas, limit ranges, team RBAC). */
export function markPlatformOwned(scope: IConstruct): void {
  Object.defineProperty(scope, PLATFORM_OWNED, { value: true, enumerable: false });
}

/** Whether `scope` or an ancestor is marked platform-owned. */
export function isPlatformOwned(scope: IConstruct): boolean {
  for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
    if ((c as any)[PLATFORM_OWNED]) return true;
  }
  return false;
}
