import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { Application, ApplicationProps, AppProject, AppProjectSpecSyncWindows } from '../../imports/argo-cd-argoproj.io';
import { assertDnsLabel, checkProps, configError, INT64_SAFE_MAX, syncWindowsOf } from '../core';
import { targetIdOf, Target } from '../environments/environment';
import { GroupKind, TargetInventory } from './inventory';
import { unitScope as unit } from './layout';
import { platformPathOf } from './tenancy-layout';
import { argoRevisionOf, RepositoryProps, repositoryPathOf } from './repository';

/** How the Argo CD objects in dist/argocd/ are generated. */
export interface ArgoCdOptions {
  /**
   * Namespace Argo CD runs in (the AppProject and the Applications live there).
   * @default 'argocd'
   */
  readonly namespace?: string;
  /**
   * Name of the AppProject; the Applications are named `<project>-<target id>` (`platform-dev`,
   * `platform-prod-eu-1`).
   * @default 'platform'
   */
  readonly project?: string;
  /**
   * Whether an automated sync deletes objects that are no longer in dist/.
   * @default true
   */
  readonly prune?: boolean;
  /**
   * Whether Argo CD reverts changes made in the cluster by hand.
   * @default true
   */
  readonly selfHeal?: boolean;
  /**
   * Whether deleting an Application (a target removed from the code) also deletes what it deployed
   * (the `resources-finalizer.argocd.argoproj.io` finalizer). Without it the objects are left orphaned.
   * @default true
   */
  readonly cascadeDelete?: boolean;
  /**
   * Whether Argo CD applies with server-side apply (field ownership, no size limit of the last-applied
   * annotation; needs Argo CD 2.5 or later).
   * @default true
   */
  readonly serverSideApply?: boolean;
  /**
   * How many times a failed sync is retried (backoff 10s, doubling, at most 5m apart).
   * @default 5
   */
  readonly retryLimit?: number;
  /**
   * Renders `argocd-cm`'s health check for argoproj.io/Application (the one Argo CD's documentation gives; built
   * in before 1.8), so that syncing dist/argocd/ as an app of apps waits for each wave of Applications to be
   * healthy: the platform's Application of a target before its teams', an environment before the next. The
   * ConfigMap holds only that key: sync dist/argocd/ with server-side apply (the default here) so the rest of
   * argocd-cm stays as your installation set it. Set false when your installation manages argocd-cm itself.
   * @default true
   */
  readonly applicationHealthCheck?: boolean;
}

export const ARGO_CD_DEFAULTS = {
  namespace: 'argocd',
  project: 'platform',
  prune: true,
  selfHeal: true,
  cascadeDelete: true,
  serverSideApply: true,
  retryLimit: 5,
  applicationHealthCheck: true,
} as const;

/** The argocd-cm key of the health check Argo CD runs on argoproj.io/Application objects. */
export const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';

/** An Application's health is the health it reports (Progressing until it reports one). */
export const APPLICATION_HEALTH_LUA = [
  'hs = { status = "Progressing", message = "" }',
  'if obj.status ~= nil and obj.status.health ~= nil then',
  '  hs.status = obj.status.health.status',
  '  if obj.status.health.message ~= nil then hs.message = obj.status.health.message end',
  'end',
  'return hs',
  '',
].join('\n');

/**
 * The sync wave of a target's Application: environments in promotion order, and inside one target the
 * platform's Application (namespaces, quotas, RBAC the teams' objects need) one wave before its teams'.
 */
export function applicationWaveOf(envIndex: number, part: 'platform' | 'team'): number {
  return 2 * envIndex + (part === 'team' ? 1 : 0);
}

/** @internal the chart's settings that team Applications share */
export interface ArgoCdTenancySettings {
  readonly namespace: string;
  readonly projectName: string;
  readonly repository: Required<RepositoryProps>;
  readonly envOrder: readonly string[];
  readonly syncOptions: readonly string[];
  readonly finalizers?: string[];
  readonly automated: { readonly prune: boolean; readonly selfHeal: boolean };
  readonly retry: { readonly limit: number; readonly backoff: { readonly duration: string; readonly factor: number; readonly maxDuration: string } };
  readonly inventoryOf: (target: Target<any, any>) => TargetInventory;
}

/** The folder below dist/ that holds the Argo CD objects. */
export const ARGO_CD_FOLDER = 'argocd';

const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

export interface ArgoCdChartProps extends ArgoCdOptions {
  readonly targets: readonly Target<any, any>[];
  readonly repository: Required<RepositoryProps>;
  /** What each target renders; only available while GitOpsApp renders (values are resolved then). */
  readonly inventory: () => ReadonlyMap<string, TargetInventory>;
}

/**
 * The Argo CD half of the GitOps wiring, written to dist/argocd/: one AppProject that allows exactly this
 * repository, the targets' clusters and the namespaces and cluster-scoped kinds they render, and one
 * Application per target that renders anything.
 *
 * Why Applications and not an ApplicationSet: every Application is a plain object in dist/, so a review and
 * `npm run diff` show exactly what each environment's sync settings become; and nothing depends on the
 * ApplicationSet controller's template rendering. A list generator would only save a few lines of YAML per target.
 *
 * Sync waves order objects when dist/argocd/ itself is synced by an Argo CD Application ("app of apps"): the
 * argocd-cm health check (wave -2), the AppProjects (wave -1), then per environment in promotion order the
 * platform's Application of each target (wave 2i) before its teams' (wave 2i+1). Argo CD waits for a wave to be
 * healthy before the next only with the argoproj.io/Application health check in argocd-cm (removed from the
 * defaults in Argo CD 1.8), which is why it is rendered here (`applicationHealthCheck`).
 * What each environment runs is decided in the rendered tree (the promotion ledger, lib/promotion), not by the waves.
 */
export class ArgoCdChart extends Chart {
  public readonly project: AppProject;
  private readonly applications = new Map<string, Application>();
  private readonly inventory: () => ReadonlyMap<string, TargetInventory>;

  constructor(scope: Construct, id: string, props: ArgoCdChartProps) {
    super(scope, id);
    checkProps(this, 'ArgoCdChartProps', props);
    this.inventory = props.inventory;
    const namespace = assertDnsLabel(scope, 'argoCd.namespace', props.namespace ?? ARGO_CD_DEFAULTS.namespace);
    const projectName = assertDnsLabel(scope, 'argoCd.project', props.project ?? ARGO_CD_DEFAULTS.project, 40);
    const retryLimit = props.retryLimit ?? ARGO_CD_DEFAULTS.retryLimit;
    if (!Number.isInteger(retryLimit) || retryLimit < 0 || retryLimit > INT64_SAFE_MAX) {
      throw configError(scope, 'argoCd.retryLimit', 'must be a whole number of retries, 0 or more', retryLimit, 'use e.g. 5');
    }
    const repository = props.repository;
    const targets = props.targets;
    const envOrder = [...new Set(targets.map((t) => t.env.name))];

    const projectUnit = unit(this, `appproject-${projectName}`);
    this.project = new AppProject(projectUnit, 'Resource', {
      metadata: { name: projectName, namespace, annotations: { [SYNC_WAVE]: '-1' } },
      spec: {
        description: `Rendered manifests of environments ${envOrder.join(', ')} (generated; edit the code, not this file)`,
        sourceRepos: [repository.url],
        destinations: Lazy.any({ produce: () => this.destinations(targets) }),
        clusterResourceWhitelist: Lazy.any({ produce: () => this.clusterKinds() }),
        syncWindows: Lazy.any({ produce: () => projectSyncWindows(this, targets.map((t) => t.cluster.server)) }),
      },
    });

    const syncOptions = [
      // namespaces are rendered objects (with their Pod Security labels); never create bare ones
      'CreateNamespace=false',
      // two Applications must not fight over one object
      'FailOnSharedResource=true',
      // delete what left dist/ only after everything else is applied and healthy
      'PruneLast=true',
      ...(props.serverSideApply ?? ARGO_CD_DEFAULTS.serverSideApply ? ['ServerSideApply=true'] : []),
    ];
    for (const target of targets) {
      const name = `${projectName}-${targetIdOf(target)}`;
      const app = new InventoryAwareApplication(unit(this, `application-${name}`), 'Resource', () => this.inventoryOf(target), {
        metadata: {
          name,
          namespace,
          annotations: { [SYNC_WAVE]: String(applicationWaveOf(envOrder.indexOf(target.env.name), 'platform')) },
          finalizers: props.cascadeDelete ?? ARGO_CD_DEFAULTS.cascadeDelete ? ['resources-finalizer.argocd.argoproj.io'] : undefined,
        },
        spec: {
          project: projectName,
          source: {
            repoUrl: repository.url,
            targetRevision: argoRevisionOf(repository.revision),
            // tenancy: `<target>/_platform` when the target declares teams (they get Applications of their own)
            path: Lazy.any({ produce: () => repositoryPathOf(repository, platformPathOf(this, target)) }),
          },
          destination: {
            server: target.cluster.server,
            // every rendered object names its namespace; Argo CD still needs a destination namespace that the
            // project permits (an empty one is rejected), so use the target's first namespace
            namespace: Lazy.any({ produce: () => this.inventoryOf(target).namespaces[0] }),
          },
          syncPolicy: {
            automated: { prune: props.prune ?? ARGO_CD_DEFAULTS.prune, selfHeal: props.selfHeal ?? ARGO_CD_DEFAULTS.selfHeal },
            syncOptions,
            retry: { limit: retryLimit, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
          },
        },
      });
      this.applications.set(target.path, app);
    }
    if (props.applicationHealthCheck ?? ARGO_CD_DEFAULTS.applicationHealthCheck) {
      new ApiObject(unit(this, 'configmap-argocd-cm'), 'Resource', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'argocd-cm',
          namespace,
          labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' },
          // before the project and the Applications: their waves mean something once this check exists
          annotations: { [SYNC_WAVE]: '-2' },
        },
        data: { [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA },
      });
    }
    this._tenancy = {
      namespace, projectName, repository, envOrder, syncOptions,
      finalizers: props.cascadeDelete ?? ARGO_CD_DEFAULTS.cascadeDelete ? ['resources-finalizer.argocd.argoproj.io'] : undefined,
      automated: { prune: props.prune ?? ARGO_CD_DEFAULTS.prune, selfHeal: props.selfHeal ?? ARGO_CD_DEFAULTS.selfHeal },
      retry: { limit: retryLimit, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
      inventoryOf: (target) => this.inventoryOf(target),
    };
  }

  /** @internal what lib/gitops/tenancy-projects.ts needs to add the teams' AppProjects and Applications */
  public readonly _tenancy: ArgoCdTenancySettings;

  /** The Application of a target (rendered only when the target renders objects). */
  public applicationFor(target: Target<any, any>): Application | undefined {
    return this.applications.get(target.path);
  }

  /**
   * Whether `obj` is written: a target that renders nothing gets no Application (its folder still exists).
   * Removing the last object of a target therefore removes its Application, and with `cascadeDelete` what it
   * had deployed, the same result a prune would have.
   */
  public includes(obj: ApiObject): boolean {
    for (const [path, app] of this.applications) {
      if (app === obj) return (this.inventory().get(path)?.objectCount ?? 0) > 0;
    }
    return true;
  }

  private inventoryOf(target: Target<any, any>): TargetInventory {
    const inv = this.inventory().get(target.path);
    if (!inv) throw new Error(`${this.node.path}: no inventory for target ${target.path}`);
    return inv;
  }

  private destinations(targets: readonly Target<any, any>[]) {
    const seen = new Set<string>();
    const out: { server: string; namespace: string }[] = [];
    for (const t of targets) {
      for (const namespace of this.inventoryOf(t).namespaces) {
        const key = `${t.cluster.server}|${namespace}`;
        if (!seen.has(key)) {
          seen.add(key);
          out.push({ server: t.cluster.server, namespace });
        }
      }
    }
    return out.sort((a, b) => cmp(a.server, b.server) || cmp(a.namespace, b.namespace));
  }

  private clusterKinds() {
    const seen = new Map<string, { group: string; kind: string }>();
    for (const inv of this.inventory().values()) {
      for (const gk of inv.clusterKinds) seen.set(`${gk.group}|${gk.kind}`, { group: gk.group, kind: gk.kind });
    }
    return [...seen.values()].sort((a, b) => cmp(a.group, b.group) || cmp(a.kind, b.kind));
  }
}

/**
 * The sync windows declared in the app (change calendars) that apply to any of `servers`, restricted to those
 * clusters, as AppProject `spec.syncWindows`; undefined when none applies.
 */
export function projectSyncWindows(scope: Construct, servers: readonly string[]): AppProjectSpecSyncWindows[] | undefined {
  const out = syncWindowsOf(scope).map((w) => ({ w, clusters: w.clusters.filter((c) => servers.includes(c)) })).filter((x) => x.clusters.length > 0)
    .map(({ w, clusters }) => ({
      kind: w.kind, schedule: w.schedule, duration: w.duration, timeZone: w.timeZone, clusters: [...new Set(clusters)].sort(cmp),
      manualSync: w.manualSync, description: w.description,
    }));
  return out.length > 0 ? out : undefined;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Objects whose fields Argo Rollouts rewrites at runtime: Service selectors (stable/canary/active/preview),
 * VirtualService and HTTPRoute weights, DestinationRule subset labels. Git must not fight the controller over them.
 */
const ROLLOUTS_MANAGED: readonly GroupKind[] = [
  { group: '', kind: 'Service' },
  { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' },
  { group: 'networking.istio.io', kind: 'DestinationRule' },
  { group: 'networking.istio.io', kind: 'VirtualService' },
];

/**
 * An Application whose diffing settings follow what its target renders (known only after the targets render,
 * and the generated class drops Lazy values inside arrays, so they are added to the rendered JSON).
 */
export class InventoryAwareApplication extends Application {
  constructor(scope: Construct, id: string, private readonly inventory: () => TargetInventory, props: ApplicationProps) {
    super(scope, id, props);
  }

  public toJson(): any {
    const json = super.toJson();
    const kinds = this.inventory().kinds;
    const has = (gk: GroupKind) => kinds.some((k) => k.group === gk.group && k.kind === gk.kind);
    const ignore: Record<string, unknown>[] = [];
    if (has({ group: 'argoproj.io', kind: 'Rollout' })) {
      // the fields the rollouts-controller owns (server-side apply managedFields) are not drift
      ignore.push(...ROLLOUTS_MANAGED.filter(has).map((gk) => ({ ...gk, managedFieldsManagers: ['rollouts-controller'] })));
    }
    // the replica count of an autoscaled workload belongs to its autoscaler (lib/scaling): Git carries none, and
    // what the autoscaler set is not drift; named, so a Deployment handed to a Rollout still gets its 0
    const scaled = this.inventory().scaled;
    ignore.push(...scaled.map((w) => ({ group: w.group, kind: w.kind, name: w.name, namespace: w.namespace, jsonPointers: ['/spec/replicas'] })));
    if (ignore.length > 0) {
      json.spec.ignoreDifferences = ignore;
      json.spec.syncPolicy.syncOptions = [...json.spec.syncPolicy.syncOptions, 'RespectIgnoreDifferences=true'];
      json.spec = Object.fromEntries(Object.entries(json.spec).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return json;
  }
}
