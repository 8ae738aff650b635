import { Lazy } from 'cdk8s';
import { AppProject } from '../../imports/argo-cd-argoproj.io';
import { ApiObject } from 'cdk8s';
import { configError } from '../core';
import { PHASES_FOLDER, UnitApplyOrder } from './apply-order';
import { ArgoCdChart, InventoryAwareApplication } from './argo-cd-chart';
import { targetIdOf, Target } from '../environments/environment';
import { FluxChart } from './flux-chart';
import { unitScope as unit } from './layout';
import { argoRevisionOf, repositoryPathOf } from './repository';
import { teamPathOf, teamsOfTarget } from './tenancy-layout';

const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
const DONE = Symbol.for('typed-manifests.tenancy.gitops-added');

/**
 * The GitOps guard rails of the teams, added to the Argo CD and Flux charts once the targets are built (called
 * by GitOpsApp.render, before those charts render; idempotent). Nothing is added when no target has a Team.
 *
 * Argo CD: one AppProject per team, whose destinations are only the team's namespaces on the clusters of the
 * targets that declare it, with no cluster-scoped kind (empty `clusterResourceWhitelist`) and no quota or
 * limit range of its own (`namespaceResourceBlacklist`); one Application per team and target syncing
 * `<target>/_teams/<team>` in that project. The platform project and Applications keep everything else.
 *
 * Flux: one Kustomization per team and target syncing `<target>/_teams/<team>`, impersonating the team's
 * ServiceAccount (`serviceAccountName`, bound only in the team's namespaces by the Team), with
 * `targetNamespace` when the team has one namespace there, after the target's platform Kustomization (`dependsOn`).
 */
export function addTenancyGitOps(targets: readonly Target<any, any>[], argoCd?: ArgoCdChart, flux?: FluxChart,
  applyOrder: ReadonlyMap<string, UnitApplyOrder> = new Map()): void {
  if (argoCd && !(argoCd as any)[DONE]) {
    Object.defineProperty(argoCd, DONE, { value: true });
    addArgoCd(argoCd, targets);
  }
  if (flux && !(flux as any)[DONE]) {
    Object.defineProperty(flux, DONE, { value: true });
    addFlux(flux, targets, applyOrder);
  }
}

/** Every team of the app with the targets that declare it, in first-declaration order. */
function teamsByName(scope: ArgoCdChart | FluxChart, targets: readonly Target<any, any>[]) {
  const out = new Map<string, { target: Target<any, any>; namespaces: readonly string[]; fluxServiceAccount: string }[]>();
  for (const target of targets) {
    for (const team of teamsOfTarget(scope, target)) {
      if (!out.has(team.name)) out.set(team.name, []);
      out.get(team.name)!.push({ target, namespaces: team.namespaces, fluxServiceAccount: team.fluxServiceAccount });
    }
  }
  return out;
}

function addArgoCd(chart: ArgoCdChart, targets: readonly Target<any, any>[]): void {
  const s = chart._tenancy;
  for (const [team, where] of teamsByName(chart, targets)) {
    if (team === s.projectName) {
      throw configError(chart, 'team', `has the name of the platform's Argo CD project '${s.projectName}'`, team, 'rename the team or set argoCd.project');
    }
    const destinations = where.flatMap((w) => w.namespaces.map((namespace) => ({ server: w.target.cluster.server, namespace })))
      .filter((d, i, all) => all.findIndex((o) => o.server === d.server && o.namespace === d.namespace) === i)
      .sort((a, b) => cmp(a.server, b.server) || cmp(a.namespace, b.namespace));
    new AppProject(unit(chart, `appproject-${team}`), 'Resource', {
      metadata: { name: team, namespace: s.namespace, annotations: { [SYNC_WAVE]: '-1' } },
      spec: {
        description: `Team ${team}: only its namespaces, no cluster-scoped objects (generated; edit the code, not this file)`,
        sourceRepos: [s.repository.url],
        destinations,
        clusterResourceWhitelist: [],
        // the namespace's quota and limit range are the platform's
        namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }, { group: '', kind: 'LimitRange' }],
      },
    });
    for (const { target, namespaces } of where) {
      const name = `${team}-${targetIdOf(target)}`;
      new InventoryAwareApplication(unit(chart, `application-${name}`), 'Resource', () => s.inventoryOf(target), {
        metadata: {
          name,
          namespace: s.namespace,
          annotations: { [SYNC_WAVE]: String(s.envOrder.indexOf(target.env.name)) },
          finalizers: s.finalizers,
        },
        spec: {
          project: team,
          source: {
            repoUrl: s.repository.url,
            targetRevision: argoRevisionOf(s.repository.revision),
            path: repositoryPathOf(s.repository, teamPathOf(target, team)),
          },
          destination: { server: target.cluster.server, namespace: namespaces[0] },
          syncPolicy: { automated: { ...s.automated }, syncOptions: [...s.syncOptions], retry: { ...s.retry, backoff: { ...s.retry.backoff } } },
        },
      });
    }
  }
}

function addFlux(chart: FluxChart, targets: readonly Target<any, any>[], applyOrder: ReadonlyMap<string, UnitApplyOrder>): void {
  const s = chart._tenancy;
  for (const [team, where] of teamsByName(chart, targets)) {
    for (const { target, namespaces, fluxServiceAccount } of where) {
      const name = `${team}-${targetIdOf(target)}`;
      const teamPath = teamPathOf(target, team);
      // apply order: a team part holding a StatefulSet or a run-before Job is applied phase by phase, each
      // phase's Kustomization impersonating the tenant like the team's own, which applies the last phase
      const phases = (applyOrder.get(teamPath)?.phases ?? []).map((p) => p.phase);
      const platform = () => (s.objectCount(target.path) > 0 ? [{ name: s.nameOf(target) }] : undefined);
      // one Kustomization per phase, the team's own (`name`) applying the last: each after the previous one
      const steps = phases.length > 0 ? phases : [undefined];
      steps.forEach((phase, i) => {
        const last = i === steps.length - 1;
        const ksName = last ? name : `${name}-${phase}`;
        new ApiObject(unit(chart, `kustomization-${ksName}`), 'Resource', {
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          metadata: { name: ksName, namespace: s.namespace },
          spec: {
            path: `./${repositoryPathOf(s.repository, phase ? `${teamPath}/${PHASES_FOLDER}/${phase}` : teamPath)}`,
            sourceRef: { kind: 'GitRepository', name: s.sourceName },
            prune: true,
            wait: true,
            // a Job's template is immutable: a changed Job is replaced, never patched
            force: phase === 'run-before' ? true : undefined,
            interval: s.interval,
            retryInterval: s.retryInterval,
            timeout: s.timeout,
            kubeConfig: s.kubeConfigOf(target),
            serviceAccountName: fluxServiceAccount,
            targetNamespace: namespaces.length === 1 ? namespaces[0] : undefined,
            // the namespaces, quotas and the tenant's RoleBindings come first (or the team's previous phase)
            dependsOn: i === 0 ? Lazy.any({ produce: platform }) : [{ name: `${name}-${steps[i - 1]}` }],
          },
        });
      });
    }
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
