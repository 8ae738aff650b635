import { show } from '../core';
import { apiGroupOf } from './pod-template';
import { objectsOfKind } from './workloads';
import { defineRule, Manifest, Rule, RuleContext, Violation } from './rule';

/**
 * RBAC privilege escalation: every Role, ClusterRole, RoleBinding and ClusterRoleBinding, raw or generated.
 * Each rule is lifted only by an exemption the platform declares on the one object (`Policy.exempt(role, id,
 * reason)` outside any Team): a team cannot exempt its own roles. A `*` in a rule is `tenancy-rbac-no-wildcards`'
 * finding; these rules read the names a rule spells out (`pods/*` included).
 */

const RBAC = 'rbac.authorization.k8s.io';

/** Built-in ClusterRoles that hold every right of a namespace (admin, edit) or of the cluster (cluster-admin). */
export const BUILT_IN_ADMIN_ROLES: readonly string[] = ['cluster-admin', 'admin', 'edit'];
/** Built-in ClusterRoles that read Secrets. */
const BUILT_IN_SECRET_READERS = ['cluster-admin', 'admin', 'edit'];
/** Subresources that run code in, or open a stream to, a running pod. */
const POD_STREAMS = ['pods/exec', 'pods/attach', 'pods/portforward'];
const ESCALATION_VERBS = ['impersonate', 'escalate', 'bind'];
const AGGREGATE_LABEL = `${RBAC}/aggregate-to-`;

function rbacRule(id: string, title: string, check: (m: Manifest, context: RuleContext) => Violation[]): Rule {
  return defineRule({ id, title, profile: 'tenancy', exemption: 'platform-object', check });
}

const isRole = (m: Manifest) => (m.kind === 'Role' || m.kind === 'ClusterRole') && apiGroupOf(m) === RBAC;
const isBinding = (m: Manifest) => (m.kind === 'RoleBinding' || m.kind === 'ClusterRoleBinding') && apiGroupOf(m) === RBAC;

interface WireRule { readonly apiGroups: string[]; readonly resources: string[]; readonly verbs: string[] }

function rulesOf(m: Manifest): WireRule[] {
  const list: any[] = Array.isArray((m as any).rules) ? (m as any).rules : [];
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return list.map((r) => ({ apiGroups: strings(r?.apiGroups), resources: strings(r?.resources), verbs: strings(r?.verbs) }));
}

/** Whether `listed` (as written in a rule, `pods/*` included, a bare `*` excluded) names `resource`. */
function names(listed: readonly string[], resource: string): boolean {
  const [base] = resource.split('/');
  return listed.some((r) => r === resource || (resource.includes('/') && r === `${base}/*`));
}

const own = (who: string) => `exempt this one object from platform scope with Policy.exempt(object, '${who}', reason) if it really needs it`;

export const escalationVerbs = rbacRule('tenancy-rbac-escalation-verbs', 'Roles grant no impersonate, escalate or bind', (m) => {
  if (!isRole(m)) return [];
  const out: Violation[] = [];
  rulesOf(m).forEach((r, i) => {
    const found = r.verbs.filter((v) => ESCALATION_VERBS.includes(v.toLowerCase()));
    if (found.length > 0) {
      out.push({
        field: `rules[${i}].verbs`,
        message: `grants ${found.join(', ')} on ${show(r.resources)} (act as another user, or grant rights the holder does not have), got verbs ${show(r.verbs)}`,
        fix: `drop ${found.join(', ')}: bind existing roles from platform code instead; ${own('tenancy-rbac-escalation-verbs')}`,
      });
    }
  });
  return out;
});

export const aggregation = rbacRule('tenancy-rbac-aggregation', 'ClusterRoles neither aggregate other roles nor aggregate into built-in ones', (m) => {
  if (!isRole(m)) return [];
  const out: Violation[] = [];
  if (m.kind === 'ClusterRole' && (m as any).aggregationRule !== undefined) {
    out.push({
      field: 'aggregationRule',
      message: `aggregates every ClusterRole that matches its selectors (any later role with those labels widens it), got ${show((m as any).aggregationRule)}`,
      fix: `list the rules explicitly; ${own('tenancy-rbac-aggregation')}`,
    });
  }
  for (const key of Object.keys(m.metadata?.labels ?? {}).sort()) {
    if (!key.startsWith(AGGREGATE_LABEL)) continue;
    out.push({
      field: `metadata.labels[${JSON.stringify(key)}]`,
      message: `adds its rules to the aggregated ClusterRole '${key.slice(AGGREGATE_LABEL.length)}' (every holder of that role gains them, in every namespace), got label ${show(key)}`,
      fix: `remove the label and bind this role where it is needed; ${own('tenancy-rbac-aggregation')}`,
    });
  }
  return out;
});

export const tokenCreate = rbacRule('tenancy-rbac-token-create', 'Roles cannot mint ServiceAccount tokens', (m) => {
  if (!isRole(m)) return [];
  const out: Violation[] = [];
  rulesOf(m).forEach((r, i) => {
    if (!(r.apiGroups.includes('')) || !names(r.resources, 'serviceaccounts/token') || !r.verbs.some((v) => v === 'create')) return;
    out.push({
      field: `rules[${i}].resources`,
      message: `grants create on serviceaccounts/token (a token of any ServiceAccount of the namespace, with all its rights), got ${show(r.resources)} ${show(r.verbs)}`,
      fix: `mount the workload's own projected token instead; ${own('tenancy-rbac-token-create')}`,
    });
  });
  return out;
});

export const podStreams = rbacRule('tenancy-rbac-pod-exec', 'Roles grant no exec, attach or port-forward into pods', (m) => {
  if (!isRole(m)) return [];
  const out: Violation[] = [];
  rulesOf(m).forEach((r, i) => {
    if (!r.apiGroups.includes('') || r.verbs.length === 0) return;
    // any verb counts: exec over WebSocket is authorized as get on older API servers
    const found = POD_STREAMS.filter((res) => names(r.resources, res));
    if (found.length === 0) return;
    out.push({
      field: `rules[${i}].resources`,
      message: `grants ${found.join(', ')} (runs commands in, or opens a stream to, pods and the Secrets they mount), got ${show(r.resources)} ${show(r.verbs)}`,
      fix: `drop ${found.join(', ')}; ${own('tenancy-rbac-pod-exec')}`,
    });
  });
  return out;
});

/** Whether a role (rendered in the folder, or built in) lets its holder read Secrets. */
function readsSecrets(roleName: string, context: RuleContext): boolean {
  if (BUILT_IN_SECRET_READERS.includes(roleName)) return true;
  const role = objectsOfKind(context, RBAC, 'ClusterRole').find((o) => o.metadata?.name === roleName);
  return !!role && rulesOf(role).some((r) => (r.apiGroups.includes('') || r.apiGroups.includes('*'))
    && (r.resources.includes('secrets') || r.resources.includes('*'))
    && r.verbs.some((v) => ['get', 'list', 'watch', '*'].includes(v)));
}

export const secretsClusterWide = rbacRule('tenancy-rbac-secrets-cluster-wide', 'No ClusterRoleBinding grants reading Secrets in every namespace', (m, context) => {
  if (m.kind !== 'ClusterRoleBinding' || apiGroupOf(m) !== RBAC) return [];
  const ref = (m as any).roleRef ?? {};
  if (ref.kind !== 'ClusterRole' || typeof ref.name !== 'string' || !readsSecrets(ref.name, context)) return [];
  return [{
    field: 'roleRef.name',
    message: `binds ClusterRole '${ref.name}', which reads Secrets, cluster-wide (every Secret of every namespace), got ${show(ref)}`,
    fix: `bind the role with a RoleBinding in each namespace that needs it; ${own('tenancy-rbac-secrets-cluster-wide')}`,
  }];
});

export const builtInAdmin = rbacRule('tenancy-rbac-built-in-admin', 'Teams bind no built-in admin role; nobody binds cluster-admin or grants admin/edit cluster-wide', (m, context) => {
  if (!isBinding(m)) return [];
  const ref = (m as any).roleRef ?? {};
  if (ref.kind !== 'ClusterRole' || !BUILT_IN_ADMIN_ROLES.includes(ref.name)) return [];
  const team = context.ownerOf?.(m);
  if (ref.name !== 'cluster-admin' && m.kind === 'RoleBinding' && !team) return [];
  const why = ref.name === 'cluster-admin' ? 'every right on every object of the cluster'
    : m.kind === 'ClusterRoleBinding' ? `every right of '${ref.name}' in every namespace`
      : `every right of '${ref.name}' in the namespace, from team '${team!.name}' (${team!.path}), which holds only its presets`;
  return [{
    field: 'roleRef.name',
    message: `binds built-in ClusterRole '${ref.name}' (${why}), got ${show(ref)}`,
    fix: team ? "use the team's groups (Team groups: admins, developers, viewers) or Access.grant for a workload" : `bind a role with the rights needed; ${own('tenancy-rbac-built-in-admin')}`,
  }];
});

export const systemSubjects = rbacRule('tenancy-rbac-system-subjects', 'Bindings name no Kubernetes system group or user (system:*)', (m) => {
  if (!isBinding(m)) return [];
  const subjects: any[] = Array.isArray((m as any).subjects) ? (m as any).subjects : [];
  const out: Violation[] = [];
  subjects.forEach((s, i) => {
    if ((s?.kind === 'Group' || s?.kind === 'User') && typeof s.name === 'string' && s.name.toLowerCase().startsWith('system:')) {
      out.push({
        field: `subjects[${i}].name`,
        message: `binds the Kubernetes system ${s.kind.toLowerCase()} ${show(s.name)} (${s.name === 'system:authenticated' ? 'every signed-in user' : s.name === 'system:unauthenticated' ? 'anonymous requests' : 'Kubernetes components or whole classes of users'}), got ${show(s)}`,
        fix: `bind the identity provider's groups (Team groups) or a ServiceAccount; ${own('tenancy-rbac-system-subjects')}`,
      });
    }
  });
  return out;
});

export const RBAC_RULES: readonly Rule[] = [escalationVerbs, aggregation, tokenCreate, podStreams, secretsClusterWide, builtInAdmin, systemSubjects];
