import { parseQuantity, show } from '../core';
import { namespaceFootprint } from './footprint';
import { apiGroupOf, podTemplateOf } from './pod-template';
import { defineRule, Manifest, Rule, RuleContext, Violation } from './rule';
import { namespaceOf, objectNamed, objectsOfKind } from './workloads';

/**
 * Tenancy: rules that relate a team's objects to each other and to the platform's (quotas, RBAC, priority
 * classes, node pools). They run on rendered objects, so raw ApiObjects are held to them too.
 */

/** Annotation on a team Namespace listing its groups (written by Team). */
export const TEAM_GROUPS_ANNOTATION = 'tenancy.typed-manifests.io/groups';
const SYSTEM_PRIORITY_CLASSES = ['system-cluster-critical', 'system-node-critical'];
const RBAC = 'rbac.authorization.k8s.io';

function tenancyRule(id: string, title: string, check: (m: Manifest, context: RuleContext) => Violation[], exemption?: 'platform-object'): Rule {
  return defineRule({ id, title, profile: 'tenancy', check, ...(exemption ? { exemption } : {}) });
}

const GI = 2 ** 30;
const MI = 2 ** 20;

function trim(n: number, digits: number): string {
  return String(Number(n.toFixed(digits)));
}

/** A quota amount as people write it: cores for CPU, Gi/Mi for bytes, a count otherwise. */
export function formatAmount(key: string, value: number): string {
  if (/(^|\.)cpu$/.test(key)) return `${trim(Math.ceil(value * 1000 - 1e-6) / 1000, 3)} cores`;
  if (/(memory|storage)$/.test(key)) return value >= GI ? `${trim(Math.ceil((value / GI) * 100 - 1e-6) / 100, 2)}Gi` : `${Math.ceil(value / MI - 1e-6)}Mi`;
  return String(Math.ceil(value - 1e-9));
}

const OBJECT_COUNT = /^(count\/.+|pods|services|services\.loadbalancers|services\.nodeports|configmaps|secrets|persistentvolumeclaims|replicationcontrollers|resourcequotas)$/;

export const quotaFits = tenancyRule('tenancy-quota-fits', "A namespace's ResourceQuota holds its workloads at their maximum footprint", (m, context) => {
  if (m.kind !== 'ResourceQuota' || apiGroupOf(m) !== '') return [];
  const spec = (m as any).spec ?? {};
  // scoped quotas count a subset of pods (by priority class, QoS...): not modelled
  if ((spec.scopes ?? []).length > 0 || spec.scopeSelector) return [];
  const fp = namespaceFootprint(context, namespaceOf(m));
  const out: Violation[] = [];
  for (const [key, raw] of Object.entries(spec.hard ?? {})) {
    const quota = parseQuantity(String(raw));
    if (quota === undefined) continue;
    const known = fp.totals.has(key);
    if (!known && !OBJECT_COUNT.test(key)) continue; // extended resources and the like
    const need = known ? fp.totals.get(key) : 0;
    const field = `spec.hard[${JSON.stringify(key)}]`;
    if (need === undefined) {
      const culprits = fp.workloads.filter((w) => w.unbounded || (key in w.perPod && w.perPod[key] === undefined));
      out.push({
        field,
        message: `${key} has no upper bound: ${culprits.map((w) => `${w.ref} (${w.unbounded ?? `a container sets no ${key.replace('limits.', '')} limit`})`).join(', ')}, quota ${raw}`,
        fix: key.startsWith('limits.') ? `set resources.${key.replace('limits.', '')} limits on every container, or a default in the namespace's LimitRange` : 'use concurrencyPolicy Forbid or Replace',
      });
      continue;
    }
    if (need <= quota * (1 + 1e-9)) continue;
    const short = need - quota;
    const per = (w: (typeof fp.workloads)[number]) => (key === 'pods' ? w.pods : key === 'requests.storage' ? w.storage : key === 'persistentvolumeclaims' ? w.claims : (w.perPod[key] ?? 0) * w.pods);
    const top = [...fp.workloads].filter((w) => per(w) > 0).sort((a, b) => per(b) - per(a)).slice(0, 4);
    out.push({
      field,
      message: `${key} needs ${formatAmount(key, need)} at the workloads' maximum footprint, quota ${show(raw)}: short by ${formatAmount(key, short)}`
        + (top.length > 0 ? ` (${top.map((w) => `${w.ref}: ${w.formula} pods = ${formatAmount(key, per(w))}`).join('; ')})` : ''),
      fix: `raise the quota by ${formatAmount(key, short)} (to at least ${formatAmount(key, need)}) or lower the replicas, autoscaler maximum${key === 'pods' ? '' : ' or resources'} of ${top.map((w) => w.ref).join(', ') || 'the workloads'}`,
    });
  }
  return out;
});

export const noWildcards = tenancyRule('tenancy-rbac-no-wildcards', 'Roles and ClusterRoles list explicit API groups, resources and verbs (no *)', (m) => {
  if ((m.kind !== 'Role' && m.kind !== 'ClusterRole') || apiGroupOf(m) !== RBAC) return [];
  const out: Violation[] = [];
  ((m as any).rules ?? []).forEach((r: any, i: number) => {
    for (const field of ['apiGroups', 'resources', 'verbs', 'nonResourceURLs', 'resourceNames']) {
      const values: unknown[] = Array.isArray(r?.[field]) ? r[field] : [];
      const wild = values.filter((v) => typeof v === 'string' && v.includes('*'));
      if (wild.length > 0) {
        out.push({
          field: `rules[${i}].${field}`,
          message: `rule grants a wildcard, got ${field} ${show(values)}`,
          fix: `list the ${field} the subject needs explicitly (least privilege), or exempt this one object from platform scope with Policy.exempt(object, 'tenancy-rbac-no-wildcards', reason)`,
        });
      }
    }
  });
  return out;
}, 'platform-object');

export const bindingSubjects = tenancyRule('tenancy-rolebinding-subjects', 'RoleBindings name declared team groups or rendered ServiceAccounts', (m, context) => {
  if ((m.kind !== 'RoleBinding' && m.kind !== 'ClusterRoleBinding') || apiGroupOf(m) !== RBAC) return [];
  const ns = namespaceOf(m);
  const namespaces = objectsOfKind(context, '', 'Namespace').filter((o) => namespaceOf(o) === '');
  const groupsOf = (o: Manifest) => (o.metadata?.annotations?.[TEAM_GROUPS_ANNOTATION] ?? '').split(',').filter((g) => g !== '');
  const declared = new Set(m.kind === 'RoleBinding'
    ? namespaces.filter((o) => o.metadata?.name === ns).flatMap(groupsOf)
    : namespaces.flatMap(groupsOf));
  const managed = new Set(namespaces.map((o) => o.metadata?.name));
  const out: Violation[] = [];
  const subjects: any[] = Array.isArray((m as any).subjects) ? (m as any).subjects : [];
  subjects.forEach((s, i) => {
    const field = `subjects[${i}]`;
    if (s?.kind === 'Group') {
      if (!declared.has(s.name)) {
        out.push({
          field: `${field}.name`,
          message: `binds group ${show(s.name)}, which no team ${m.kind === 'RoleBinding' ? `owning namespace ${show(ns)} ` : ''}declares, got declared ${show([...declared].sort())}`,
          fix: 'add the group to the groups of the Team that owns the namespace, or bind one of its groups',
        });
      }
    } else if (s?.kind === 'ServiceAccount') {
      const saNs = s.namespace ?? ns;
      // only namespaces this folder manages are known; add-ons installed elsewhere keep their own accounts
      // looked up, not scanned: a namespace may hold a binding and an account per workload
      if (managed.has(saNs) && objectNamed(context, saNs, 'ServiceAccount', s.name) === undefined) {
        out.push({ field: `${field}.name`, message: `binds ServiceAccount ${saNs}/${s.name}, which is not rendered, got ${show(s)}`, fix: 'bind the ServiceAccount of a rendered workload (or render it)' });
      }
    } else {
      out.push({ field: `${field}.kind`, message: `binds a ${s?.kind ?? 'subject'} directly, got ${show(s)}`, fix: "bind the identity provider's groups (Team groups) or a ServiceAccount, never single users" });
    }
  });
  return out;
});

export const priorityClassDeclared = tenancyRule('tenancy-priority-class-declared', 'Pods name only PriorityClasses rendered in their target', (m, context) => {
  const t = podTemplateOf(m);
  const name = t?.spec?.priorityClassName;
  if (!t || name === undefined || SYSTEM_PRIORITY_CLASSES.includes(name)) return [];
  const declared = objectsOfKind(context, 'scheduling.k8s.io', 'PriorityClass').filter((o) => namespaceOf(o) === '').map((o) => o.metadata?.name as string);
  if (declared.includes(name)) return [];
  return [{
    field: `${t.specPath}.priorityClassName`,
    message: `pod names PriorityClass ${show(name)}, which the target does not declare, got declared ${show(declared.sort())}`,
    fix: 'declare the class in the platform\'s PriorityClasses, or use one of the declared ones',
  }];
});

export const nodePoolPlacement = tenancyRule('tenancy-node-pool-placement', 'Pods on a tainted node pool tolerate its taints and select the pool', (m, context) => {
  const pools = context.cluster?.nodePools ?? [];
  if (pools.length === 0) return [];
  const t = podTemplateOf(m);
  if (!t) return [];
  const selector: Record<string, string> = t.spec?.nodeSelector ?? {};
  const terms: any[] = t.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const tolerations: any[] = t.spec?.tolerations ?? [];
  const out: Violation[] = [];
  for (const pool of pools) {
    const taints = (pool.taints ?? []).filter((x) => x.effect !== 'PreferNoSchedule');
    if (taints.length === 0) continue;
    const labels = Object.entries(pool.labels);
    const selects = labels.every(([k, v]) => selector[k] === v)
      || (terms.length > 0 && terms.every((term) => labels.every(([k, v]) => (term?.matchExpressions ?? []).some((e: any) => e.key === k && e.operator === 'In' && e.values?.length === 1 && e.values[0] === v))));
    const tolerates = (x: { key: string; value?: string; effect: string }) => tolerations.some((tol) => (tol.operator === 'Exists' && (tol.key === undefined || tol.key === x.key) || (tol.key === x.key && (tol.operator ?? 'Equal') === 'Equal' && tol.value === x.value))
      && (tol.effect === undefined || tol.effect === x.effect));
    const missing = taints.filter((x) => !tolerates(x));
    if (selects && missing.length > 0) {
      out.push({
        field: `${t.specPath}.tolerations`,
        message: `pod selects node pool ${show(pool.name)} of cluster ${show(context.cluster!.name)} but does not tolerate its taints ${missing.map((x) => `${x.key}${x.value !== undefined ? `=${x.value}` : ''}:${x.effect}`).join(', ')}, got tolerations ${show(tolerations)}`,
        fix: `ask for the pool with use: [NodePool.of('${pool.name}')] (it adds the tolerations), or tolerate the taints`,
      });
    } else if (!selects && missing.length === 0) {
      out.push({
        field: `${t.specPath}.nodeSelector`,
        message: `pod tolerates the taints of node pool ${show(pool.name)} of cluster ${show(context.cluster!.name)} but does not select the pool, got nodeSelector ${show(selector)}`,
        fix: `ask for the pool with use: [NodePool.of('${pool.name}')] (it adds the node selector), or drop the tolerations`,
      });
    }
  }
  return out;
});

export const TENANCY_RULES: readonly Rule[] = [quotaFits, noWildcards, bindingSubjects, priorityClassDeclared, nodePoolPlacement];
