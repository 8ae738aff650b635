import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { Kustomization, KustomizationProps, KustomizationSpecSourceRefKind } from '../../imports/kustomize.toolkit.fluxcd.io';
import { GitRepository } from '../../imports/source.toolkit.fluxcd.io';
import { assertDnsLabel, checkProps, configError, parseGoDuration } from '../core';
import { APPLY_PHASES, ApplyPhase, phaseFolderOf } from './apply-order';
import { ClusterProps, targetIdOf, Target } from '../environments/environment';
import { TargetInventory } from './inventory';
import { unitScope as unit } from './layout';
import { platformPathOf } from './tenancy-layout';
import { gitRefOf, RepositoryProps, repositoryPathOf } from './repository';

/** In-cluster API server address: a cluster with this server is the one Flux runs in. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** How the Flux objects in dist/flux/ are generated. */
export interface FluxOptions {
  /**
   * Namespace Flux runs in (the GitRepository and the Kustomizations live there).
   * @default 'flux-system'
   */
  readonly namespace?: string;
  /**
   * Name of the GitRepository; the Kustomizations are named `<name>-<target id>` (`platform-dev`).
   * @default 'platform'
   */
  readonly name?: string;
  /**
   * How often source-controller looks for new commits.
   * @default '1m'
   */
  readonly sourceInterval?: string;
  /**
   * How often kustomize-controller re-applies a target (and so reverts drift).
   * @default '10m'
   */
  readonly interval?: string;
  /**
   * How soon a failed apply is retried.
   * @default '2m'
   */
  readonly retryInterval?: string;
  /**
   * How long an apply may take, health checks included (`wait: true` waits for every applied object).
   * @default '5m'
   */
  readonly timeout?: string;
  /**
   * Secret (in `namespace`) with the Git credentials of a private repository.
   * @default - none: the repository is public
   */
  readonly gitSecretName?: string;
  /**
   * Name of the Secret (in `namespace`) holding the kubeconfig of a cluster that is not the one Flux runs in
   * (any server other than https://kubernetes.default.svc): Flux applies to it remotely ("hub and spoke").
   * @default - `<cluster name>-kubeconfig`
   */
  readonly kubeConfigSecretName?: (cluster: ClusterProps) => string;
  /**
   * Make each environment's Kustomizations depend on those of the environment before it in promotion order
   * (staging on dev, prod on staging). kustomize-controller then applies a commit to prod only after staging
   * became Ready with that same commit: a per-commit promotion gate. Off by default: a real Flux setup keeps
   * environments independent (each on its own cluster, own failure domain), and with the gate a broken dev
   * holds back every prod fix.
   * @default false
   */
  readonly dependsOnPreviousEnvironment?: boolean;
}

export const FLUX_DEFAULTS = {
  namespace: 'flux-system',
  name: 'platform',
  sourceInterval: '1m',
  interval: '10m',
  retryInterval: '2m',
  timeout: '5m',
  dependsOnPreviousEnvironment: false,
} as const;

/** @internal the chart's settings that team Kustomizations share */
export interface FluxTenancySettings {
  readonly namespace: string;
  readonly sourceName: string;
  readonly repository: Required<RepositoryProps>;
  readonly interval: string;
  readonly retryInterval: string;
  readonly timeout: string;
  readonly kubeConfigOf: (target: Target<any, any>) => { secretRef: { name: string } } | undefined;
  readonly nameOf: (target: Target<any, any>) => string;
  readonly objectCount: (path: string) => number;
}

/** The folder below dist/ that holds the Flux objects. */
export const FLUX_FOLDER = 'flux';

export interface FluxChartProps extends FluxOptions {
  readonly targets: readonly Target<any, any>[];
  readonly repository: Required<RepositoryProps>;
  /** What each target renders; only available while GitOpsApp renders. */
  readonly inventory: () => ReadonlyMap<string, TargetInventory>;
}

/**
 * The Flux half of the GitOps wiring, written to dist/flux/ and meant to be applied to the cluster Flux runs
 * in: one GitRepository that fetches only dist/, and one Kustomization per target that renders anything
 * (prune, wait for health, remote clusters through their kubeconfig Secret).
 *
 * There is no separate "platform" Kustomization per environment: a target's namespaces live in the same
 * folder as its workloads, and kustomize-controller applies Namespaces and CRDs before everything else in one
 * Kustomization. `dependsOn` between environments is opt-in (see `dependsOnPreviousEnvironment`).
 */
export class FluxChart extends Chart {
  public readonly gitRepository: GitRepository;
  private readonly kustomizations = new Map<string, Kustomization>();
  /** Apply order: the Kustomizations of a phased target's earlier phases, by target path and phase. */
  private readonly phaseKustomizations = new Map<string, Map<ApplyPhase, ApiObject>>();
  private readonly inventory: () => ReadonlyMap<string, TargetInventory>;

  constructor(scope: Construct, id: string, props: FluxChartProps) {
    super(scope, id);
    checkProps(this, 'FluxChartProps', props);
    this.inventory = props.inventory;
    const namespace = assertDnsLabel(scope, 'flux.namespace', props.namespace ?? FLUX_DEFAULTS.namespace);
    const name = assertDnsLabel(scope, 'flux.name', props.name ?? FLUX_DEFAULTS.name, 40);
    const duration = (prop: keyof FluxOptions, value: string) => {
      const seconds = parseGoDuration(value);
      if (seconds === undefined || seconds <= 0) {
        throw configError(scope, `flux.${prop}`, 'must be a positive Go duration', value, "write it like '30s', '5m' or '1h30m'");
      }
      return value;
    };
    const repository = props.repository;
    const targets = props.targets;

    this.gitRepository = new GitRepository(unit(this, `gitrepository-${name}`), 'Resource', {
      metadata: { name, namespace },
      spec: {
        url: repository.url,
        ref: gitRefOf(repository.revision),
        interval: duration('sourceInterval', props.sourceInterval ?? FLUX_DEFAULTS.sourceInterval),
        ignore: ignoreAllBut(repository.path),
        secretRef: props.gitSecretName ? { name: assertDnsLabel(scope, 'flux.gitSecretName', props.gitSecretName, 253) } : undefined,
      },
    });

    const interval = duration('interval', props.interval ?? FLUX_DEFAULTS.interval);
    const retryInterval = duration('retryInterval', props.retryInterval ?? FLUX_DEFAULTS.retryInterval);
    const timeout = duration('timeout', props.timeout ?? FLUX_DEFAULTS.timeout);
    const secretOf = props.kubeConfigSecretName ?? ((c: ClusterProps) => `${c.name}-kubeconfig`);
    const envOrder = [...new Set(targets.map((t) => t.env.name))];
    const nameOf = (t: Target<any, any>) => `${name}-${targetIdOf(t)}`;

    for (const target of targets) {
      const ksName = nameOf(target);
      const remote = target.cluster.server !== IN_CLUSTER_SERVER;
      const previous = props.dependsOnPreviousEnvironment ? envOrder.slice(0, envOrder.indexOf(target.env.name)) : [];
      const phasesOf = () => this.inventory().get(target.path)?.applyPhases ?? [];
      const ks = new PhasedKustomization(unit(this, `kustomization-${ksName}`), 'Resource', phasesOf, ksName,
        (phase) => `./${repositoryPathOf(repository, phaseFolderOf(target.path, phase))}`, {
        metadata: { name: ksName, namespace },
        spec: {
          // tenancy: `<target>/_platform` when the target declares teams (they get Kustomizations of their own)
          path: Lazy.any({ produce: () => `./${repositoryPathOf(repository, platformPathOf(this, target))}` }),
          sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name },
          prune: true,
          wait: true,
          interval,
          retryInterval,
          timeout,
          kubeConfig: remote ? { secretRef: { name: assertDnsLabel(scope, `flux.kubeConfigSecretName(${target.cluster.name})`, secretOf(target.cluster), 253) } } : undefined,
          dependsOn: previous.length > 0
            ? Lazy.any({ produce: () => this.dependencies(targets, previous, nameOf) })
            : undefined,
        },
      });
      this.kustomizations.set(target.path, ks);

      // apply order: a phased target's earlier phases each get a Kustomization (`<name>-<phase>`), applied and
      // healthy before the next; the target's own Kustomization applies the services last
      const phases = new Map<ApplyPhase, ApiObject>();
      for (const phase of APPLY_PHASES.slice(0, -1)) {
        phases.set(phase, new ApiObject(unit(this, `kustomization-${ksName}-${phase}`), 'Resource', {
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          metadata: { name: `${ksName}-${phase}`, namespace },
          spec: {
            path: `./${repositoryPathOf(repository, phaseFolderOf(target.path, phase))}`,
            sourceRef: { kind: 'GitRepository', name },
            prune: true,
            wait: true,
            // a Job's template is immutable: a changed Job is replaced, never patched
            force: Lazy.any({ produce: () => (this.inventory().get(target.path)?.jobPhases ?? []).includes(phase) || undefined }),
            interval,
            retryInterval,
            timeout,
            kubeConfig: remote ? { secretRef: { name: secretOf(target.cluster) } } : undefined,
            dependsOn: Lazy.any({ produce: () => previousPhase(phasesOf(), phase, ksName) }),
          },
        }));
      }
      this.phaseKustomizations.set(target.path, phases);
    }
    this._tenancy = {
      namespace, sourceName: name, repository, interval, retryInterval, timeout,
      kubeConfigOf: (t) => (t.cluster.server !== IN_CLUSTER_SERVER ? { secretRef: { name: secretOf(t.cluster) } } : undefined),
      nameOf,
      objectCount: (path) => this.objectCount(path),
    };
  }

  /** @internal what lib/gitops/tenancy-projects.ts needs to add the teams' Kustomizations */
  public readonly _tenancy: FluxTenancySettings;

  /** The Kustomization of a target (rendered only when the target renders objects). */
  public kustomizationFor(target: Target<any, any>): Kustomization | undefined {
    return this.kustomizations.get(target.path);
  }

  /**
   * Whether `obj` is written: a target that renders nothing gets no Kustomization (its folder still exists).
   * Deleting a Kustomization with `prune: true` removes what it applied, as pruning would.
   */
  public includes(obj: ApiObject): boolean {
    for (const [path, ks] of this.kustomizations) {
      if (ks === obj) return this.objectCount(path) > 0;
    }
    for (const [path, phases] of this.phaseKustomizations) {
      for (const [phase, ks] of phases) {
        // the last non-empty phase is the target's own Kustomization
        if (ks === obj) return (this.inventory().get(path)?.applyPhases ?? []).slice(0, -1).includes(phase);
      }
    }
    return true;
  }

  private objectCount(path: string): number {
    return this.inventory().get(path)?.objectCount ?? 0;
  }

  /** The Kustomizations of the closest earlier environment that has any; undefined when there is none. */
  private dependencies(targets: readonly Target<any, any>[], previous: string[], nameOf: (t: Target<any, any>) => string) {
    for (let i = previous.length - 1; i >= 0; i--) {
      const deps = targets.filter((t) => t.env.name === previous[i] && this.objectCount(t.path) > 0).map((t) => ({ name: nameOf(t) }));
      if (deps.length > 0) return deps;
    }
    return undefined;
  }
}

/**
 * A .sourceignore that keeps only `path` (gitignore rules: exclude everything at each level, then re-include
 * the next folder down), so source-controller's artifact holds dist/ and nothing else. None for the root.
 */
export function ignoreAllBut(path: string): string | undefined {
  if (!path) return undefined;
  const lines: string[] = [];
  let prefix = '';
  for (const segment of path.split('/')) {
    lines.push(`${prefix}/*`, `!${prefix}/${segment}/`);
    prefix = `${prefix}/${segment}`;
  }
  return `${lines.join('\n')}\n`;
}

/** The Kustomization of the phase before `phase` among a target's non-empty `phases`, as a dependsOn list. */
function previousPhase(phases: readonly ApplyPhase[], phase: ApplyPhase, ksName: string): { name: string }[] | undefined {
  const i = phases.indexOf(phase);
  if (i <= 0) return undefined;
  return [{ name: `${ksName}-${phases[i - 1]}` }];
}

/**
 * A target's Kustomization that, when the target is phased, applies only its services phase
 * (`_phases/<target>/<last phase>`) after the earlier phases (known once the targets rendered, so set on the JSON).
 */
class PhasedKustomization extends Kustomization {
  constructor(scope: Construct, id: string, private readonly phases: () => readonly ApplyPhase[], private readonly ksName: string,
    private readonly pathOf: (phase: ApplyPhase) => string, props: KustomizationProps) {
    super(scope, id, props);
  }

  public toJson(): any {
    const json = super.toJson();
    const phases = this.phases();
    if (phases.length === 0) return json;
    const last = phases[phases.length - 1];
    json.spec.path = this.pathOf(last);
    const before = previousPhase(phases, last, this.ksName);
    if (before) json.spec.dependsOn = [...(json.spec.dependsOn ?? []), ...before];
    json.spec = Object.fromEntries(Object.entries(json.spec).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return json;
  }
}
