import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { assertDnsSubdomain, checkProps, configError } from '../core';
import { Policy } from '../policy/policy';
import type { IWorkload, IWorkloadExtension } from '../workloads/workload';
import { PolicyRuleSpec, TENANCY_DEFAULTS as D } from './defaults';
import { wireRule } from './team';

/** What a workload may do with the Kubernetes API. Explicit: no `*` anywhere. */
export interface GrantOptions {
  /** Resources, plural and lowercase (`configmaps`, `leases`, `pods/log`). */
  readonly resources: readonly string[];
  /** Verbs from get, list, watch, create, update, patch, delete, deletecollection. */
  readonly verbs: readonly string[];
  /** API groups of the resources (`''` is the core group). @default [''] */
  readonly apiGroups?: readonly string[];
  /** Only these objects (`get`/`update`/`patch`/`delete` on named objects; list and watch ignore names). @default - any object of the resources */
  readonly resourceNames?: readonly string[];
}

const ROLES = new WeakMap<IWorkload, PolicyRuleSpec[]>();

/**
 * API access for a workload: `use: [Access.grant({ resources: ['leases'], verbs: ['get', 'update'], apiGroups: ['coordination.k8s.io'] })]`.
 *
 * The first grant gives the workload a Role (named after it) bound to its ServiceAccount, and only then mounts
 * the service account token (the hygiene rule against mounted tokens is exempted for it, with the grant as the
 * reason); later grants add rules to the same Role.
 */
export class Access implements IWorkloadExtension {
  /** Grants exactly these verbs on these resources in the workload's namespace. */
  public static grant(options: GrantOptions): Access {
    checkProps('Access.grant', 'GrantOptions', options);
    return new Access(options);
  }

  private constructor(private readonly options: GrantOptions) {}

  public bind(workload: IWorkload): void {
    const o = this.options;
    const rule: PolicyRuleSpec = {
      apiGroups: check(workload, 'apiGroups', o.apiGroups ?? [''], (g) => g === '' || /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(g), "'' (core) or 'apps'"),
      resources: check(workload, 'resources', o.resources, (r) => /^[a-z][a-z0-9]*(\/[a-z]+)?$/.test(r), "'configmaps' or 'pods/log'"),
      verbs: check(workload, 'verbs', o.verbs, (v) => (D.grantVerbs as readonly string[]).includes(v), D.grantVerbs.join(', ')),
      ...(o.resourceNames ? { resourceNames: o.resourceNames.map((n, i) => assertDnsSubdomain(workload, `grant.resourceNames[${i}]`, n)) } : {}),
    };
    let rules = ROLES.get(workload);
    if (!rules) {
      rules = [];
      ROLES.set(workload, rules);
      const list = rules;
      const meta = workload.pod.metadata();
      new ApiObject(workload as unknown as Construct, 'AccessRole', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: meta,
        rules: Lazy.any({ produce: () => list.map(wireRule) }),
      });
      new ApiObject(workload as unknown as Construct, 'AccessRoleBinding', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: workload.pod.metadata(),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: meta.name },
        subjects: [{ kind: 'ServiceAccount', name: workload.pod.serviceAccountName, namespace: workload.namespace }],
      });
      workload.pod.mountServiceAccountToken();
      Policy.exempt(workload, 'hygiene-automount-service-account-token', `calls the Kubernetes API with the grants of Role ${workload.namespace}/${meta.name}`);
    }
    rules.push(rule);
  }
}

function check(scope: IWorkload, prop: string, values: readonly string[] | undefined, ok: (v: string) => boolean, example: string): string[] {
  if (!Array.isArray(values) || values.length === 0) {
    throw configError(scope, `grant.${prop}`, 'must list at least one entry', values, `list them explicitly, e.g. ${example}`);
  }
  values.forEach((v, i) => {
    if (v === '*' || (typeof v === 'string' && v.includes('*'))) {
      throw configError(scope, `grant.${prop}[${i}]`, 'is a wildcard (least privilege: grant exactly what the workload calls)', v, `list them explicitly, e.g. ${example}`);
    }
    if (typeof v !== 'string' || !ok(v)) throw configError(scope, `grant.${prop}[${i}]`, 'is not valid', v, `use e.g. ${example}`);
  });
  return [...values];
}
