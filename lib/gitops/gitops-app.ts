import { App, Chart } from 'cdk8s';
import { ConfigError } from '../core';
import { checkPolicy } from '../policy/check';
import { writeTree, WriteFile } from './dist-writer';
import { Environment, Environments, setTarget, Target } from './environment';
import { layoutFiles, renderTree, RenderedObject, setOutputFolder } from './layout';

/** The Git repository that holds dist/ and that Argo CD and Flux sync from. */
export interface RepositoryProps {
  /** Clone URL (`https://github.com/acme/platform-gitops.git`). */
  readonly url: string;
  /**
   * Branch, tag or commit the controllers follow.
   * @default 'main'
   */
  readonly revision?: string;
  /**
   * Path of dist/ inside the repository.
   * @default 'dist'
   */
  readonly path?: string;
}

export interface GitOpsAppProps<N extends string, S> {
  /** The environments every service is rendered for. */
  readonly environments: Environments<N, S>;
  /**
   * Where Argo CD and Flux read dist/ from.
   * @default - { url: 'https://example.invalid/platform.git' }: set it before deploying
   */
  readonly repository?: RepositoryProps;
  /**
   * Output folder.
   * @default - $CDK8S_OUTDIR (set by `cdk8s synth`), else 'dist'
   */
  readonly outdir?: string;
}

/**
 * A cdk8s App that renders one chart per environment target into a GitOps-ready dist/.
 *
 * `synth()` walks the tree once, validates (construct validations and policy) before writing anything,
 * and replaces dist/ atomically: on any failure the previous dist/ is left as it was.
 */
export class GitOpsApp<N extends string = string, S = {}> extends App {
  public readonly environments: Environments<N, S>;
  public readonly targets: readonly Target<N, S>[];
  public readonly repository: Required<RepositoryProps>;
  private readonly charts_ = new Map<string, Chart>();

  constructor(props: GitOpsAppProps<N, S>) {
    super({ outdir: props.outdir });
    this.environments = props.environments;
    this.repository = {
      url: props.repository?.url ?? 'https://example.invalid/platform.git',
      revision: props.repository?.revision ?? 'main',
      path: (props.repository?.path ?? 'dist').replace(/\/+$/, ''),
    };
    const targets: Target<N, S>[] = [];
    for (const env of this.environments.all) {
      for (const cluster of env.clusters) {
        targets.push({ env, cluster, path: env.multiCluster ? `${env.name}/${cluster.name}` : env.name });
      }
    }
    this.targets = targets;
  }

  /**
   * Builds the same description once per environment target. `scope` is that target's chart; construct
   * paths (and so error messages) start with the environment (or, for multi-cluster environments, the cluster).
   */
  public forEachTarget(build: (scope: Chart, target: Target<N, S>) => void): void {
    for (const target of this.targets) build(this.chartFor(target), target);
  }

  /** The chart of one environment target (created on first use). */
  public chartFor(target: Target<N, S>): Chart {
    let chart = this.charts_.get(target.path);
    if (!chart) {
      const id = target.env.multiCluster ? target.cluster.name : target.env.name;
      if (this.node.tryFindChild(id)) {
        throw new ConfigError(this.node.path, 'environments', `<app>: target id '${id}' is used twice, got cluster '${target.cluster.name}' of environment '${target.env.name}'; rename the cluster or environment`);
      }
      chart = new Chart(this, id);
      setTarget(chart, target);
      setOutputFolder(chart, target.path);
      this.charts_.set(target.path, chart);
    }
    return chart;
  }

  /** The targets of one environment. */
  public targetsOf(env: Environment<N, S>): Target<N, S>[] {
    return this.targets.filter((t) => t.env.name === env.name);
  }

  /** Validates and renders every object once, without writing. Throws on any construct or policy error. */
  public render(): RenderedObject[] {
    const objects = renderTree(this);
    checkPolicy(objects);
    return objects;
  }

  /** The files dist/ will hold, keyed by path relative to it. */
  public synthFiles(): Map<string, string> {
    return layoutFiles(this.render());
  }

  /** Renders and replaces dist/; writes nothing unless everything validated. */
  public synth(): void {
    this.synthTo(this.outdir);
  }

  /** @internal tests inject a failing writer to prove the previous dist/ survives */
  public synthTo(outdir: string, writeFile?: WriteFile): void {
    writeTree(outdir, this.synthFiles(), writeFile);
  }
}
