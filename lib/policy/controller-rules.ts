import { show, TeamRecord } from '../core';
import { apiGroupOf } from './pod-template';
import { defineRule, Manifest, Rule, Violation } from './rule';

/**
 * GitOps controllers a team renders itself: they must act with the team's rights and only on its namespaces.
 * Flux applies a Kustomization or HelmRelease with its own cluster-wide account unless `serviceAccountName`
 * names one to impersonate (or the controller runs with `--default-service-account`); a `kubeConfig` bypasses
 * impersonation; a source in another namespace is refused only under `--no-cross-namespace-refs`. Argo CD
 * checks an Application against its project's destinations and kinds. These rules hold the rendered objects to
 * that lockdown whatever flags the controllers run with. Only team-owned objects are checked; an exemption must
 * be the platform's, on the one object (the platform may also render the object itself, outside the Team).
 */

function controllerRule(id: string, title: string, check: (m: Manifest, team: TeamRecord) => Violation[]): Rule {
  return defineRule({
    id, title, profile: 'tenancy', exemption: 'platform-object',
    check: (m, context) => {
      const team = context.ownerOf?.(m);
      return team ? check(m, team) : [];
    },
  });
}

const FLUX_KINDS: Record<string, string> = { 'kustomize.toolkit.fluxcd.io': 'Kustomization', 'helm.toolkit.fluxcd.io': 'HelmRelease' };

export const fluxTenant = controllerRule('tenancy-flux-tenant', "A team's Flux Kustomizations and HelmReleases impersonate its tenant account and stay in its namespaces", (m, team) => {
  const group = apiGroupOf(m);
  if (FLUX_KINDS[group] === undefined || FLUX_KINDS[group] !== m.kind) return [];
  const spec: any = (m as any).spec ?? {};
  const ns = m.metadata?.namespace;
  const own = team.namespaces.join(', ');
  const out: Violation[] = [];
  if (spec.serviceAccountName !== team.fluxServiceAccount) {
    out.push({
      field: 'spec.serviceAccountName',
      message: `must be team '${team.name}''s tenant account '${team.fluxServiceAccount}' (otherwise Flux applies with its own cluster-wide account), got ${show(spec.serviceAccountName)}`,
      fix: `set serviceAccountName: '${team.fluxServiceAccount}' (Flux looks it up in the object's namespace ${show(ns)})`,
    });
  }
  if (spec.kubeConfig !== undefined) {
    out.push({ field: 'spec.kubeConfig', message: `applies with the credentials of a kubeconfig Secret instead of the tenant account, got ${show(spec.kubeConfig)}`, fix: 'remove kubeConfig; remote clusters are the platform\'s' });
  }
  const inTeam = (field: string, value: unknown) => {
    if (value === undefined || (typeof value === 'string' && team.namespaces.includes(value))) return;
    out.push({ field, message: `is outside team '${team.name}''s namespaces ${own}, got ${show(value)}`, fix: `use one of ${own}` });
  };
  inTeam('spec.targetNamespace', spec.targetNamespace);
  if (m.kind === 'HelmRelease') inTeam('spec.storageNamespace', spec.storageNamespace);
  const sameNamespace = (field: string, value: unknown) => {
    if (value === undefined || value === ns) return;
    out.push({ field, message: `refers to namespace ${show(value)} from an object in ${show(ns)} (a cross-namespace reference, refused by Flux's --no-cross-namespace-refs)`, fix: `render the source (or dependency) in ${show(ns)} and drop the namespace` });
  };
  sameNamespace('spec.sourceRef.namespace', spec.sourceRef?.namespace);
  sameNamespace('spec.chart.spec.sourceRef.namespace', spec.chart?.spec?.sourceRef?.namespace);
  sameNamespace('spec.chartRef.namespace', spec.chartRef?.namespace);
  (Array.isArray(spec.dependsOn) ? spec.dependsOn : []).forEach((d: any, i: number) => sameNamespace(`spec.dependsOn[${i}].namespace`, d?.namespace));
  return out;
});

export const argoProject = controllerRule('tenancy-argo-project', "A team's Argo CD Applications use the team's project and deploy into its namespaces", (m, team) => {
  if (apiGroupOf(m) !== 'argoproj.io' || (m.kind !== 'Application' && m.kind !== 'ApplicationSet')) return [];
  const spec: any = m.kind === 'ApplicationSet' ? (m as any).spec?.template?.spec ?? {} : (m as any).spec ?? {};
  const at = m.kind === 'ApplicationSet' ? 'spec.template.spec' : 'spec';
  const out: Violation[] = [];
  if (spec.project !== team.name) {
    out.push({
      field: `${at}.project`,
      message: `must be team '${team.name}''s AppProject (which allows only its namespaces and no cluster-scoped kinds), got ${show(spec.project)}`,
      fix: `set project: '${team.name}'`,
    });
  }
  const dest = spec.destination?.namespace;
  if (dest !== undefined && !team.namespaces.includes(dest)) {
    out.push({ field: `${at}.destination.namespace`, message: `is outside team '${team.name}''s namespaces ${team.namespaces.join(', ')}, got ${show(dest)}`, fix: `use one of ${team.namespaces.join(', ')}` });
  }
  return out;
});

/** Kinds of a team namespace that are the platform's: the team's AppProject blacklists them, its Flux account cannot write them. */
const PLATFORM_KINDS = ['ResourceQuota', 'LimitRange'];

export const platformKinds = controllerRule('tenancy-team-platform-kinds', 'Teams render no ResourceQuota or LimitRange (their namespace guard rails are the platform\'s)', (m, team) => {
  if (apiGroupOf(m) !== '' || !PLATFORM_KINDS.includes(m.kind ?? '')) return [];
  return [{
    field: 'kind',
    message: `is the platform's guard rail of team '${team.name}''s namespace (Argo CD's team project refuses it, the team's Flux account cannot write it), got ${show(m.kind)}`,
    fix: `size it with the Team's quota or limitRange props (${team.path})`,
  }];
});

export const CONTROLLER_RULES: readonly Rule[] = [fluxTenant, argoProject, platformKinds];
