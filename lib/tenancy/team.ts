import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { assertDnsLabel, checkProps, configError, markUnit } from '../core';
import { LimitRangeOptions, PlatformNamespace, QuotaOptions } from '../platform';
import { Policy } from '../policy/policy';
import { PolicyRuleSpec, TENANCY_DEFAULTS as D } from './defaults';
import { markPlatformOwned, markTeamScope, registerTeam } from './registry';

/** The team's identity-provider groups, by role. Each group is written `oidc:<name>`. */
export interface TeamGroups {
  /** Bound to the `admin` preset (edit + Secrets, exec, read RBAC). @default - none */
  readonly admins?: readonly string[];
  /** Bound to the `edit` preset (deploy, scale, restart, promote). @default - none */
  readonly developers?: readonly string[];
  /** Bound to the `view` preset (read everything but Secrets). @default - none */
  readonly viewers?: readonly string[];
}

/** One namespace of a team, when it needs more than a name. */
export interface TeamNamespaceOptions {
  readonly name: string;
  /** @default - the team's `quota` */
  readonly quota?: QuotaOptions;
  /** @default - the team's `limitRange` */
  readonly limitRange?: LimitRangeOptions;
}

export interface TeamProps {
  /** @default - the construct id */
  readonly name?: string;
  /** The team's groups; at least one group in all. */
  readonly groups: TeamGroups;
  /**
   * The team's namespaces in this environment (use `env.pick` when they differ). A namespace belongs to one team.
   */
  readonly namespaces: readonly (string | TeamNamespaceOptions)[];
  /**
   * The ResourceQuota of every team namespace (size it with `env.pick`). The workloads' maximum footprint must
   * fit it (policy rule `tenancy-quota-fits`).
   * @default - TENANCY_DEFAULTS.quota: requests 4 CPU / 8Gi, memory limits 16Gi, storage 50Gi, 40 pods, 10 claims, 20 Services, 50 ConfigMaps, 50 Secrets
   */
  readonly quota?: QuotaOptions;
  /** @default - the workload defaults (requests 100m / 128Mi, memory limit 256Mi) */
  readonly limitRange?: LimitRangeOptions;
  /**
   * Prefix every group must carry (the API server's `--oidc-groups-prefix`).
   * @default 'oidc:'
   */
  readonly groupPrefix?: string;
  /**
   * Namespace of the Flux Kustomizations: the tenant ServiceAccount Flux impersonates lives there.
   * @default 'flux-system'
   */
  readonly fluxNamespace?: string;
}

type Role = keyof typeof D.presets;
const ROLE_OF: Record<keyof TeamGroups, Role> = { admins: 'admin', developers: 'edit', viewers: 'view' };

/**
 * A team: its namespaces in one environment target (each a PlatformNamespace with Pod Security labels,
 * default-deny, a LimitRange and a ResourceQuota), its groups bound to the view/edit/admin presets in every
 * namespace, and the ServiceAccount Flux impersonates to apply the team's objects.
 *
 * Create workloads inside `team.namespace('name')`. GitOps: with a Team in a target, dist/ splits into the
 * platform's part (`<target>/_platform/`) and one folder per team (`<target>/_teams/<team>/`), each with its own
 * Argo CD AppProject/Application or Flux Kustomization.
 */
export class Team extends Construct {
  public readonly name: string;
  /** Every group of the team. */
  public readonly groups: readonly string[];
  public readonly namespaces: ReadonlyMap<string, PlatformNamespace>;
  /** The ServiceAccount Flux impersonates for this team. */
  public readonly fluxServiceAccount: ApiObject;

  constructor(scope: Construct, id: string, props: TeamProps) {
    super(scope, id);
    checkProps(this, 'TeamProps', props);
    this.name = assertDnsLabel(this, 'name', props.name ?? id, 40);
    if ((D.reservedTeamNames as readonly string[]).includes(this.name)) {
      throw configError(this, 'name', `is reserved (Argo CD's '${this.name}' AppProject lets every Application deploy anywhere; a team of that name would replace it)`, this.name,
        `name the team after the people who own it, e.g. '${this.name}-team'`);
    }
    // everything created below the Team belongs to the team (its namespace guard rails and RBAC are marked the platform's)
    markTeamScope(this, this.name);
    const prefix = props.groupPrefix ?? D.groupPrefix;
    if (typeof prefix === 'string' && prefix.toLowerCase().startsWith(D.systemGroupPrefix)) {
      throw configError(this, 'groupPrefix', `starts with '${D.systemGroupPrefix}', the prefix of Kubernetes' own groups (system:authenticated is every user, system:masters is cluster-admin)`, prefix,
        "use the API server's --oidc-groups-prefix, e.g. 'oidc:'");
    }
    const byRole = new Map<Role, string[]>();
    for (const key of ['admins', 'developers', 'viewers'] as const) {
      const list = props.groups?.[key] ?? [];
      list.forEach((g, i) => assertGroup(this, `groups.${key}[${i}]`, g, prefix));
      if (list.length > 0) byRole.set(ROLE_OF[key], [...list]);
    }
    this.groups = [...new Set([...byRole.values()].flat())].sort();
    if (this.groups.length === 0) {
      throw configError(this, 'groups', 'names no group', props.groups, `give the team at least one group, e.g. { admins: ['${prefix}${this.name}-admins'] }`);
    }
    const specs = (props.namespaces ?? []).map((n) => (typeof n === 'string' ? { name: n } : n));
    if (specs.length === 0) throw configError(this, 'namespaces', 'lists no namespace', props.namespaces, `give the team one, e.g. ['${this.name}']`);
    specs.forEach((s, i) => assertDnsLabel(this, `namespaces[${i}]`, s.name));
    const fluxNamespaceName = props.fluxNamespace ?? D.flux.namespace;
    specs.forEach((s, i) => {
      const why = reservedNamespaceReason(s.name, fluxNamespaceName);
      if (why) {
        throw configError(this, `namespaces[${i}]`, `is reserved: ${why}; a team may not claim it`, s.name,
          `give the team a namespace of its own, e.g. '${this.name}'; platform objects in '${s.name}' are created outside any Team`);
      }
    });
    const dup = specs.find((s, i) => specs.findIndex((o) => o.name === s.name) !== i);
    if (dup) throw configError(this, 'namespaces', 'lists a namespace twice', dup.name, 'list each namespace once');

    const fluxNamespace = assertDnsLabel(this, 'fluxNamespace', props.fluxNamespace ?? D.flux.namespace);
    const fluxSa = `${D.flux.serviceAccountPrefix}${this.name}`;
    const clash = registerTeam(this, { name: this.name, namespaces: specs.map((s) => s.name), groups: this.groups, fluxServiceAccount: fluxSa, path: this.node.path });
    if (clash) {
      throw configError(this, 'namespaces', `claims namespace '${clash.namespace}', which team '${clash.team.name}' (${clash.team.path}) already owns`, clash.namespace,
        'give every namespace to one team; move the workloads into a namespace of their own team');
    }

    const namespaces = new Map<string, PlatformNamespace>();
    for (const s of specs) {
      const ns = new PlatformNamespace(this, s.name, {
        team: this.name,
        quota: s.quota ?? props.quota ?? D.quota,
        limitRange: s.limitRange ?? props.limitRange,
      });
      ns.namespace.metadata.addAnnotation(D.groupsAnnotation, this.groups.join(','));
      // the namespace, its quota, limit range and default-deny are the platform's, not the team's
      markPlatformOwned(ns.namespace.node.scope!);
      markPlatformOwned(ns.limitRange.node.scope!);
      this.renderAccess(ns, byRole, { namespace: fluxNamespace, name: fluxSa });
      namespaces.set(s.name, ns);
    }
    this.namespaces = namespaces;

    const flux = new Construct(this, 'FluxTenant');
    markUnit(flux, `flux-tenant-${this.name}`);
    markPlatformOwned(flux);
    this.fluxServiceAccount = new ApiObject(flux, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: fluxSa, namespace: fluxNamespace, labels: { 'app.kubernetes.io/managed-by': 'cdk8s', team: this.name } },
      automountServiceAccountToken: false,
    });
  }

  /** One of the team's namespaces (create workloads inside it). */
  public namespace(name: string): PlatformNamespace {
    const ns = this.namespaces.get(name);
    if (!ns) throw configError(this, 'namespace', `is not a namespace of team '${this.name}'`, name, `use one of ${[...this.namespaces.keys()].join(', ')}`);
    return ns;
  }

  private renderAccess(ns: PlatformNamespace, byRole: Map<Role, string[]>, flux: { namespace: string; name: string }): void {
    const access = new Construct(ns, 'TeamAccess');
    markUnit(access, 'team-access');
    markPlatformOwned(access);
    const meta = (name: string) => ({ name, namespace: ns.name, labels: { 'app.kubernetes.io/managed-by': 'cdk8s', team: this.name } });
    for (const role of ['view', 'edit', 'admin'] as const) {
      const groups = byRole.get(role);
      if (!groups) continue;
      const roleName = D.roleNames[role];
      const preset = new ApiObject(access, `Role-${role}`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: meta(roleName),
        rules: D.presets[role].map(wireRule),
      });
      // the presets' own relaxations, declared on the one Role by the platform (TeamAccess is platform-owned)
      const streams = D.presets[role].flatMap((r) => r.resources.filter((x) => x === 'pods/exec' || x === 'pods/portforward'));
      if (streams.length > 0) {
        Policy.exempt(preset, 'tenancy-rbac-pod-exec', `team preset '${role}' of team ${this.name}: ${streams.join(' and ')} in the team's own namespace ${ns.name}, for its ${role === 'admin' ? 'admins to debug' : 'developers to reach'} their pods`);
      }
      new ApiObject(access, `RoleBinding-${role}`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: meta(`${this.name}-${role}`),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
        subjects: groups.map((name) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name })),
      });
    }
    new ApiObject(access, 'RoleBinding-flux', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(`${this.name}-flux`),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: D.flux.clusterRole },
      subjects: [{ kind: 'ServiceAccount', name: flux.name, namespace: flux.namespace }],
    });
  }
}

/** An RBAC rule in wire format. */
export function wireRule(r: PolicyRuleSpec): Record<string, unknown> {
  return {
    apiGroups: [...r.apiGroups],
    resources: [...r.resources],
    ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}),
    verbs: [...r.verbs],
  };
}

/** Throws unless `group` is `<prefix><name>` with a name of the documented pattern. */
export function assertGroup(scope: Construct, prop: string, group: string, prefix: string = D.groupPrefix): string {
  if (typeof group === 'string' && group.toLowerCase().startsWith(D.systemGroupPrefix)) {
    throw configError(scope, prop, `is a Kubernetes system group (binding it grants the team's roles to ${group.toLowerCase() === 'system:authenticated' ? 'every signed-in user' : 'Kubernetes components or every user'})`, group,
      `bind the identity provider's group instead, e.g. '${prefix}team-admins'`);
  }
  const ok = typeof group === 'string' && group.startsWith(prefix) && D.groupName.test(group.slice(prefix.length));
  if (!ok) {
    throw configError(scope, prop, `is not an identity-provider group of the form '${prefix}<name>' (letters, digits, '.', '_', '-', '@', '/')`, group,
      `write it like '${prefix}${typeof group === 'string' ? group.replace(/^[^:]*:/, '').replace(/[^A-Za-z0-9._@/-]+/g, '-').replace(/^-+|-+$/g, '') || 'team-admins' : 'team-admins'}'`);
  }
  return group;
}

/**
 * Why a team may not claim `namespace`, or undefined when it may: the control plane's namespaces, `default`, and
 * the GitOps controllers' (the environment's own controller namespaces are checked when the GitOps objects are
 * built, see lib/gitops/tenancy-projects.ts).
 */
export function reservedNamespaceReason(namespace: string, fluxNamespace: string = D.flux.namespace): string | undefined {
  if (D.reservedNamespaces.prefixes.some((p) => namespace.startsWith(p))) return `namespaces starting with ${D.reservedNamespaces.prefixes.map((p) => `'${p}'`).join(', ')} belong to the Kubernetes control plane`;
  const named = (D.reservedNamespaces.names as readonly { readonly name: string; readonly why: string }[]).find((r) => r.name === namespace);
  if (named) return named.why;
  if (namespace === fluxNamespace) return 'it is the namespace of Flux and of the tenants\' ServiceAccounts (fluxNamespace)';
  return undefined;
}
