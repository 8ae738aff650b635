import * as fs from 'fs';
import * as v8 from 'v8';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkProps, combineErrors, ConfigError, configError, isFindingsError, runFinalizers } from '../core';
import { assertEssentialCapabilities, Capability, registeredCapabilities, SynthContext } from '../environments/capability';
import { LaidOutObject, PreviousTree, previousTreeIn } from '../environments/rendered';
import { annotateSyncWaves, computeApplyOrder, phaseKustomizations, unitApplyOrders, UnitApplyOrder } from './apply-order';
import { ARGO_CD_FOLDER, ArgoCdChart, ArgoCdOptions } from './argo-cd-chart';
import { assertSameApp, currentAppId, DIST_MARKER, markerText } from './dist-marker';
import { FileContent, recoverInterruptedSwap, writeTree, WriteFile, WriterOps } from './dist-writer';
import { Environment, Environments, setTarget, Target, targetIdOf, withPickScope } from '../environments/environment';
import { FLUX_FOLDER, FluxChart, FluxOptions } from './flux-chart';
import { SharedServers, TargetInventory, targetInventory } from './inventory';
import { layoutDeferred, outputFolderOf, renderTree, RenderedObject, setOutputFolder } from './layout';
import { readTree } from './manifest-diff';
import { checkReferences, GitOpsReference, referencesOf } from './references';
import { applyUnitsOf, checkReservedTeamNamespaces, rememberTeamsOfTarget, teamsOfTarget, withTenancyKustomizations } from './tenancy-layout';
import { Representative, SharedRenders } from './shared-renders';
import { addTenancyGitOps } from './tenancy-projects';
import { RepositoryProps, resolveRepository } from './repository';
import { TargetChart } from './target-chart';

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
  /**
   * The Argo CD AppProject and Applications written to dist/argocd/, or `false` for none.
   * @default - {} (see ArgoCdOptions for each default)
   */
  readonly argoCd?: ArgoCdOptions | false;
  /**
   * The Flux GitRepository and Kustomizations written to dist/flux/, or `false` for none.
   * @default - {} (see FluxOptions for each default)
   */
  readonly flux?: FluxOptions | false;
  /**
   * Build each target only when synth reaches it, and release its constructs once its files are written, so that
   * one target's tree is alive at a time (fleets: thousands of services on many clusters). `forEachTarget` then
   * records the description and runs it at synth, target after target; code outside it cannot reach a target's
   * constructs, and `render()`/`synthFiles()` build every target at once.
   * @default false
   */
  readonly streaming?: boolean;
}

/**
 * A cdk8s App that renders one chart per environment target into a GitOps-ready dist/.
 *
 * `synth()` walks the tree once, validates (construct validations and policy) before writing anything,
 * and replaces dist/ atomically: on any failure the previous dist/ is left as it was.
 *
 * dist/ holds `<target>/` per environment target (every target gets its folder and kustomization.yaml, even
 * when it renders nothing), `argocd/` (AppProject, Applications) and `flux/` (GitRepository, Kustomizations).
 * The Argo CD and Flux objects are rendered after the targets, from what the targets rendered.
 */
export class GitOpsApp<N extends string = string, S = {}> extends App {
  public readonly environments: Environments<N, S>;
  public readonly targets: readonly Target<N, S>[];
  public readonly repository: Required<RepositoryProps>;
  /** The chart of dist/argocd/, unless `argoCd: false`. */
  public readonly argoCd?: ArgoCdChart;
  /** The chart of dist/flux/, unless `flux: false`. */
  public readonly flux?: FluxChart;
  private readonly charts_ = new Map<string, Chart>();
  private inventory_?: Map<string, TargetInventory>;
  private applyOrder_ = new Map<string, UnitApplyOrder>();
  /** Construct paths of the rendered objects by name (`cdk8s synth` construct metadata), kept while writing. */
  private constructPaths_?: Map<string, string>;
  private readonly streaming_: boolean;
  private readonly shared_?: SharedRenders;
  private readonly builders_: ((scope: Chart, target: any) => void)[] = [];
  /** Streaming: the targets whose description has run (their chart may exist earlier: `chartFor`). */
  private readonly built_ = new Set<string>();
  /** @internal bench: called after each step of the synth pipeline with its name */
  public _onStep?: (step: SynthStep) => void;

  constructor(props: GitOpsAppProps<N, S>) {
    // under `cdk8s synth` the CLI's output folder is a scratch copy (cdk8s.yaml `output:`); dist/ sits beside it
    const scratch = cdk8sScratchFolder();
    super({ outdir: props.outdir ?? (scratch ? path.join(path.dirname(scratch), DEFAULT_OUTDIR) : undefined) });
    checkProps(this, 'GitOpsAppProps', props);
    this.environments = props.environments;
    this.streaming_ = props.streaming ?? false;
    this.repository = resolveRepository(this, props.repository);
    const targets: Target<N, S>[] = [];
    for (const env of this.environments.all) {
      for (const cluster of env.clusters) {
        const target = { env, cluster, path: env.multiCluster ? `${env.name}/${cluster.name}` : env.name };
        const top = target.path.split('/')[0];
        if (top === ARGO_CD_FOLDER || top === FLUX_FOLDER) {
          throw configError(this, 'environments', `must not use the folder names '${ARGO_CD_FOLDER}' and '${FLUX_FOLDER}' (they hold the Argo CD and Flux objects)`, env.name, 'rename the environment');
        }
        targets.push(target);
      }
    }
    // fleets: clusters of one environment with the same settings share one rendering when it proves the same
    const prepared = this.streaming_ ? SharedRenders.prepare(targets) : undefined;
    this.targets = prepared?.targets ?? targets;
    this.shared_ = prepared?.shared;

    const inventory = () => {
      if (!this.inventory_) throw new ConfigError(this.node.path, 'render', '<app>: the Argo CD and Flux objects depend on what the targets render; render them with app.render(), app.synthFiles() or app.synth()');
      return this.inventory_;
    };
    if (props.argoCd !== false) {
      this.argoCd = new ArgoCdChart(this, ARGO_CD_FOLDER, { ...props.argoCd, targets, repository: this.repository, inventory });
      setOutputFolder(this.argoCd, ARGO_CD_FOLDER);
    }
    if (props.flux !== false) {
      this.flux = new FluxChart(this, FLUX_FOLDER, { ...props.flux, targets, repository: this.repository, inventory });
      setOutputFolder(this.flux, FLUX_FOLDER);
    }
  }

  /**
   * Builds the same description once per environment target. `scope` is that target's chart; construct
   * paths (and so error messages) start with the environment (or, for multi-cluster environments, the cluster).
   */
  public forEachTarget(build: (scope: Chart, target: Target<N, S>) => void): void {
    // streaming: built when synth reaches the target (see GitOpsAppProps.streaming)
    if (this.streaming_) {
      this.builders_.push(build);
      return;
    }
    for (const target of this.targets) this.runBuilder(build, target);
    // objects derived from a whole target (mesh authorization from the complete connection graph)
    runFinalizers(this);
  }

  private runBuilder(build: (scope: Chart, target: Target<N, S>) => void, target: Target<N, S>): void {
    const chart = this.chartFor(target);
    try {
      withPickScope(target.env, chart, () => build(chart, target));
    } catch (e) {
      throw duplicateIdError(e, chart, target) ?? e;
    }
  }

  /** The target's chart, built first when the app streams and it is not built yet. */
  private builtChart(target: Target<N, S>): Chart {
    if (this.streaming_ && !this.built_.has(target.path)) {
      this.built_.add(target.path);
      this.tracking(target, () => {
        for (const build of this.builders_) this.runBuilder(build, target);
      });
    }
    const chart = this.chartFor(target);
    runFinalizers(this);
    return chart;
  }

  /** @internal how many targets the last synth gave a representative's rendering (fleets; bench and tests) */
  public get _sharedTargets(): number {
    return this.shared_?.sharedCount ?? 0;
  }

  private tracking<R>(target: Target<N, S>, fn: () => R): R {
    return this.shared_ ? this.shared_.tracking(target, fn) : fn();
  }

  /** Streaming: frees a written target's constructs (capabilities keep what their later checks need first). */
  private releaseTarget(target: Target<N, S>): void {
    const chart = this.charts_.get(target.path);
    if (!chart) return;
    for (const c of registeredCapabilities()) c.release?.(chart, target);
    rememberTeamsOfTarget(this, target);
    this.node.tryRemoveChild(chart.node.id);
    this.charts_.delete(target.path);
    this.built_.delete(target.path);
  }

  /** The chart of one environment target (created on first use). */
  public chartFor(target: Target<N, S>): Chart {
    let chart = this.charts_.get(target.path);
    if (!chart) {
      const id = targetIdOf(target);
      if (this.node.tryFindChild(id)) {
        throw new ConfigError(this.node.path, 'environments', `<app>: target id '${id}' is used twice, got cluster '${target.cluster.name}' of environment '${target.env.name}'; rename the cluster or environment`);
      }
      chart = new TargetChart(this, id);
      setTarget(chart, target);
      setOutputFolder(chart, target.path);
      this.charts_.set(target.path, chart);
      // what capabilities render once per target (storage: the cluster's declared StorageClasses)
      for (const c of registeredCapabilities()) c.setupTarget?.(chart, target);
    }
    return chart;
  }

  /** The targets of one environment. */
  public targetsOf(env: Environment<N, S>): Target<N, S>[] {
    return this.targets.filter((t) => t.env.name === env.name);
  }

  /**
   * Validates and renders every object once, without writing: first the environment targets, then the Argo CD
   * and Flux objects from what the targets rendered. Throws on any construct, schema or policy error, and when two
   * targets deploy the same object to the same cluster.
   */
  public render(): RenderedObject[] {
    const objects: RenderedObject[] = [];
    for (const _ of this.pipeline({ keep: objects, release: false })) { /* the files are not needed */ }
    return objects;
  }

  /**
   * The files dist/ will hold, keyed by path relative to it. Every folder an Argo CD Application or Flux
   * Kustomization of this repository points at is checked to be among them.
   *
   * @param previous the dist/ being replaced: what capabilities retain is carried over from it (lib/config: config
   * generations a rollback may still mount). @default - none (a first synth)
   */
  public synthFiles(previous?: PreviousTree): Map<string, string> {
    const files = new Map<string, string>();
    for (const [name, content] of this.pipeline({ previous, release: false })) files.set(name, typeof content === 'string' ? content : content());
    return new Map([...files].sort(([a], [b]) => cmp(a, b)));
  }

  /**
   * The synth pipeline, one target at a time: build (streaming), render, apply order, inventory, checks, retained
   * objects, layout and the checks before writing, then its files; once every target is done, the Argo CD and
   * Flux objects from the targets' inventories, last the reference check. Files are yielded as soon as their
   * target passed its checks, each serialized when the writer reaches it (see layoutDeferred); a failure
   * anywhere aborts the writer, which then keeps the previous dist/.
   */
  private *pipeline(options: PipelineOptions): Generator<[string, FileContent]> {
    // an app that skipped the registrations would write unchecked YAML: refuse before rendering
    assertEssentialCapabilities(this.node.path);
    const step = (name: SynthStep) => this._onStep?.(name);
    const capabilities = registeredCapabilities();
    const context = this.synthContext();
    const gitops = [this.argoCd, this.flux].filter((c): c is ArgoCdChart | FluxChart => c !== undefined);
    const reserved = [
      ...(this.argoCd ? [{ namespace: this.argoCd._tenancy.namespace, what: "Argo CD's namespace (argoCd.namespace)" }] : []),
      ...(this.flux ? [{ namespace: this.flux._tenancy.namespace, what: "Flux's namespace (flux.namespace)" }] : []),
    ];
    const inventory = new Map<string, TargetInventory>();
    const servers = new SharedServers(this.targets);
    const written = new Map<string, true>();
    this.applyOrder_ = new Map();
    this.constructPaths_ = new Map();
    const yieldFiles = function* (files: Iterable<[string, FileContent]>): Generator<[string, FileContent]> {
      for (const [name, content] of files) {
        written.set(name, true);
        yield [name, content];
      }
    };

    // the checks capabilities register, in registration order; errors listing findings are collected per target
    const failures: { rank: number; error: Error }[] = [];
    const check = (objects: readonly RenderedObject[]): boolean => {
      for (const [rank, c] of capabilities.entries()) {
        try {
          c.check?.(objects, context);
        } catch (e) {
          if (!isFindingsError(e)) throw e;
          failures.push({ rank, error: e });
          return false;
        } finally {
          step(c.name === 'schema' ? 'schema' : c.name === 'policy' ? 'policy' : 'checks');
        }
      }
      return true;
    };

    // what lives outside the targets and the GitOps charts (a Promotion) is validated once, and renders nothing
    runFinalizers(this);
    renderTree(this, { exclude: [...gitops, ...this.charts_.values()] as IConstruct[] });
    // each target in a generator of its own: a suspended generator's frame keeps its locals, and this one's
    // would keep the previous target's objects (and through them its tree) alive while the next is built
    const pass = function* (app: GitOpsApp<N, S>, target: Target<N, S>): Generator<[string, FileContent]> {
      const shared = app.shared_?.sharedFor(target);
      if (shared) {
        yield* app.sharedPass(target, shared, step, () => failures.length === 0, inventory, options, capabilities, context, yieldFiles);
        return;
      }
      const chart = app.builtChart(target);
      step('build');
      checkReservedTeamNamespaces(app, [target], reserved);
      const releasing = options.release !== false && app.streaming_;
      const objects = app.tracking(target, () => renderTree(chart, { dropSource: releasing }));
      // one apply order per target, for both controllers: Argo CD sync waves here, Flux phases from the inventory
      const targetOrder = computeApplyOrder(objects, [target.path]);
      annotateSyncWaves(objects, targetOrder);
      // Flux applies a target (or, with teams, each team's part) in phases
      const unitOrders = unitApplyOrders(targetOrder, applyUnitsOf(app, [target]));
      for (const [unit, order] of unitOrders) app.applyOrder_.set(unit, order);
      servers.add(target, objects);
      inventory.set(target.path, targetInventory(target, objects, unitOrders));
      step('render');
      // what rendering a large target left behind (apply-order edges, indexes) goes before the checks add theirs
      if (releasing) collectGarbage();
      // after a target failed its checks the others are still checked (one error lists them all), not written
      if (app.tracking(target, () => check(objects)) && failures.length === 0) yield* app.files(objects, [target], options, capabilities, context, step, yieldFiles, phaseKustomizations(unitOrders));
      app.shared_?.rendered(target, { path: target.path, objects, order: targetOrder.get(target.path), parts: teamsOfTarget(app, target) });
      app.shared_?.finished(target);
      if (releasing) app.releaseTarget(target);
    };
    for (const target of this.targets) {
      yield* pass(this, target);
      // collected here, once the pass (and its frame holding the target's objects) is over
      if (options.release !== false && this.streaming_) collectGarbage();
    }
    // the checks that relate targets (the promotion ledger), once all are rendered
    for (const c of capabilities) c.afterTargets?.(context);

    this.inventory_ = inventory;
    addTenancyGitOps(this.targets, this.argoCd, this.flux, this.applyOrder_);
    const gitopsObjects: RenderedObject[] = [];
    try {
      for (const chart of gitops) gitopsObjects.push(...renderTree(chart, { include: (o) => chart.includes(o) }));
    } finally {
      this.inventory_ = undefined;
    }
    step('render');
    // every folder an Application or Kustomization of this repository points at is written (kustomization.yaml)
    const references = this.referencesOf(gitopsObjects);
    if (check(gitopsObjects) && failures.length === 0) yield* this.files(gitopsObjects, [], options, capabilities, context, step, yieldFiles, new Map(), gitops.map((c) => outputFolderOf(c) ?? c.node.id));
    if (failures.length > 0) {
      // the first check's errors (schema before policy: a misspelled field is the cause, policy findings symptoms)
      const first = Math.min(...failures.map((f) => f.rank));
      throw combineErrors(failures.filter((f) => f.rank === first).map((f) => f.error));
    }
    checkReferences(written, references);
    step('references');
  }

  /**
   * A fleet member that takes its group's representative's objects (see SharedRenders): not built, rendered or
   * checked again; its own folder, apply order, inventory, retained objects, checks before writing and files.
   */
  private *sharedPass(target: Target<N, S>, shared: Representative, step: (name: SynthStep) => void, writing: () => boolean,
    inventory: Map<string, TargetInventory>, options: PipelineOptions, capabilities: readonly Capability[], context: SynthContext,
    yieldFiles: (files: Iterable<[string, FileContent]>) => Generator<[string, FileContent]>): Generator<[string, FileContent]> {
    step('build');
    const objects = shared.objects.map((o) => ({ ...o, folder: target.path }));
    rememberTeamsOfTarget(this, target, shared.parts);
    const unitOrders = unitApplyOrders(shared.order ? new Map([[target.path, shared.order]]) : new Map(), applyUnitsOf(this, [target]));
    for (const [unit, order] of unitOrders) this.applyOrder_.set(unit, order);
    inventory.set(target.path, targetInventory(target, objects, unitOrders));
    step('render');
    if (writing()) yield* this.files(objects, [target], options, capabilities, context, step, yieldFiles, phaseKustomizations(unitOrders));
    this.shared_?.finished(target);
  }

  /** The files of one checked batch of objects (a target's, or the Argo CD and Flux ones), after the checks before writing. */
  private *files(objects: RenderedObject[], targets: readonly Target<N, S>[], options: PipelineOptions, capabilities: readonly Capability[], context: SynthContext,
    step: (name: SynthStep) => void, yieldFiles: (files: Iterable<[string, FileContent]>) => Generator<[string, FileContent]>,
    phases: ReadonlyMap<string, string>, gitopsFolders: readonly string[] = []): Generator<[string, FileContent]> {
    options.keep?.push(...objects);
    // what capabilities carry over from the previous dist/ (config: generations rollback-able ReplicaSets mount)
    const retained: LaidOutObject[] = capabilities.flatMap((c) => c.retain?.(objects, options.previous) ?? []);
    const folders = targets.length > 0 ? targets.map((t) => t.path) : gitopsFolders;
    const layout = withTenancyKustomizations(this, targets, layoutDeferred([...objects, ...retained], targets.map((t) => t.path)));
    const files = phases.size === 0 ? layout : new Map<string, FileContent>([...layout, ...phases].sort(([a], [b]) => cmp(a, b)));
    step('layout');
    // checks against the previous dist/ (storage: a claim template never shrinks; promotion: frozen stages)
    if (options.outdir !== undefined) for (const c of capabilities) c.beforeWrite?.(objects, options.outdir, { ...context, folders });
    if (process.env.CDK8S_RECORD_CONSTRUCT_METADATA === 'true') {
      for (const o of objects) {
        const name = o.manifest?.metadata?.name;
        if (typeof name === 'string' && !this.constructPaths_!.has(name)) this.constructPaths_!.set(name, o.apiObject.node.path);
      }
    }
    step('checks');
    yield* yieldFiles(files);
    // the writer has serialized and written them
    step('write');
  }

  /** The dist/ folders that the rendered Argo CD Applications and Flux Kustomizations point at. */
  public referencesOf(objects: readonly RenderedObject[]): GitOpsReference[] {
    return referencesOf(objects, this.repository);
  }

  /**
   * Renders and replaces dist/; writes nothing unless everything validated.
   *
   * Under `cdk8s synth --stdout` (see `isCdk8sStdoutMode`) it writes one file instead, `manifests.yaml`: every
   * object as one multi-document stream (each file of dist/ introduced by a `# <file>` comment, no
   * kustomization.yaml), which the CLI prints.
   */
  public synth(): void {
    if (isCdk8sStdoutMode(this.outdir)) {
      fs.mkdirSync(this.outdir, { recursive: true });
      fs.writeFileSync(path.join(this.outdir, STDOUT_FILE), toStream(this.synthFiles()));
      return;
    }
    const problem = cdk8sOutputProblem(this.outdir);
    if (problem) throw configError(this, 'outdir', problem.problem, this.outdir, problem.fix);
    this.synthTo(this.outdir);
    const scratch = cdk8sScratchFolder();
    if (scratch) mirrorForCdk8s(scratch, readTree(this.outdir), this.constructPaths_ ?? new Map());
    // notes of the capabilities (schema: the fallbacks chosen for older clusters), once per synth, on stderr (stdout
    // stays free for YAML); not under jest, where every test app would repeat them
    const context = this.synthContext();
    const notes = registeredCapabilities().map((c) => c.notes?.(context) ?? '').join('');
    if (notes && process.env.JEST_WORKER_ID === undefined) process.stderr.write(notes);
  }

  /** What the registered synth stages know about this app. */
  private synthContext(): SynthContext {
    return { targets: this.targets, root: this };
  }

  /** @internal tests inject a failing writer to prove the previous dist/ survives */
  public synthTo(outdir: string, writeFile?: WriteFile | Partial<WriterOps>): void {
    // a synth killed mid-swap is repaired first, even if this one fails before writing
    recoverInterruptedSwap(outdir);
    // dist/ names the app that rendered it: another app (a README example run without outdir) must not replace it
    const appId = currentAppId();
    assertSameApp(this, outdir, appId);
    // the writer pulls the files target by target: a streaming app holds one target's constructs at a time
    const app = this;
    const files = function* (): Generator<[string, FileContent]> {
      yield* app.pipeline({ previous: previousTreeIn(outdir), outdir });
      yield [DIST_MARKER, markerText(appId)];
    };
    writeTree(outdir, files(), writeFile);
  }
}

/** The output folder when neither `outdir` nor the cdk8s CLI names one. */
const DEFAULT_OUTDIR = 'dist';

/**
 * The name of the scratch folder cdk8s.yaml gives the CLI (`output: .cdk8s.out`). `cdk8s synth` deletes its
 * output folder before the app runs; pointed at this scratch folder instead of dist/, it deletes nothing that
 * matters, and the app writes dist/ beside it through the writer (last good tree kept on failure, config
 * generations retained), then copies the manifests into the scratch folder for the CLI and its validation plugins.
 */
export const CDK8S_SCRATCH = '.cdk8s.out';

/** The CLI's output folder when it is the scratch folder, else undefined. */
export function cdk8sScratchFolder(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = env.CDK8S_OUTDIR;
  return dir && path.basename(path.resolve(dir)) === CDK8S_SCRATCH ? path.resolve(dir) : undefined;
}

/**
 * Why the app refuses to write `outdir` under `cdk8s synth --output <dir>` (other than the scratch folder and
 * --stdout): the CLI deleted that folder before the app started, so the last good tree and the config generations
 * a rollback still mounts are gone, and a failing synth would leave nothing. Undefined when not under the CLI.
 */
export function cdk8sOutputProblem(outdir: string, env: NodeJS.ProcessEnv = process.env, cli: string[] | undefined = cliArguments()): { problem: string; fix: string } | undefined {
  const dir = env.CDK8S_OUTDIR;
  if (!dir || cdk8sScratchFolder(env) || path.resolve(dir) !== path.resolve(outdir)) return undefined;
  if (!cli || !cli.includes('synth')) return undefined;
  return {
    problem: 'was deleted by `cdk8s synth` before the app ran (the CLI removes its output folder), so the last good tree and the config generations a rollback still needs are gone',
    fix: `run \`npx cdk8s synth\` without --output (cdk8s.yaml sends the CLI to the scratch folder ${CDK8S_SCRATCH} and the app writes dist/ itself), or \`npm run synth\`; restore the folder with git checkout`,
  };
}

/** Copies what was written into the CLI's scratch folder (plus construct metadata when the CLI asked for it). */
function mirrorForCdk8s(scratch: string, files: ReadonlyMap<string, string>, constructPaths: ReadonlyMap<string, string>): void {
  fs.rmSync(scratch, { recursive: true, force: true });
  for (const [rel, text] of files) {
    fs.mkdirSync(path.dirname(path.join(scratch, rel)), { recursive: true });
    fs.writeFileSync(path.join(scratch, rel), text);
  }
  // the app ran the same schema and policy checks, with the exemptions declared in code (which the plugin, reading
  // plain manifests, cannot see): tell the validation plugin (lib/validation) not to judge them again
  fs.writeFileSync(path.join(scratch, '.checked-by-synth'), 'schema and policy checked by GitOpsApp.synth, exemptions applied\n');
  if (process.env.CDK8S_RECORD_CONSTRUCT_METADATA === 'true') {
    // the CLI's format: resource name -> construct path (validation reports name the construct)
    const resources = [...constructPaths].map(([name, p]) => [name, { path: p }]);
    fs.writeFileSync(path.join(scratch, 'construct-metadata.json'), JSON.stringify({ version: '1.0.0', resources: Object.fromEntries(resources) }));
  }
}

/** The one file written under `cdk8s synth --stdout`. */
export const STDOUT_FILE = 'manifests.yaml';

/** The files of dist/ as one multi-document YAML stream, without the kustomization.yaml files. */
export function toStream(files: ReadonlyMap<string, string>): string {
  return [...files].filter(([name]) => !/(^|\/)kustomization\.yaml$/.test(name)).map(([name, text]) => `# ${name}\n${text}`).join('---\n');
}

/**
 * Whether the app runs under `cdk8s synth --stdout`. The CLI gives the app no flag for it: it sets
 * CDK8S_OUTDIR to a fresh `<tmpdir>/cdk8s-XXXXXX` folder (and prints every .yaml file found there, in no fixed
 * order, with nothing between files). Where /proc shows the CLI's arguments, `--stdout`/`-p` must be among them.
 */
export function isCdk8sStdoutMode(outdir: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const dir = env.CDK8S_OUTDIR;
  if (!dir || path.resolve(outdir) !== path.resolve(dir)) return false;
  if (!/^cdk8s-[A-Za-z0-9]{6}$/.test(path.basename(dir)) || realDir(path.dirname(path.resolve(dir))) !== realDir(os.tmpdir())) return false;
  const cli = cliArguments();
  return cli === undefined || cli.some((a) => a === '--stdout' || a === '-p' || a === '--stdout=true');
}

function realDir(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}

/** The arguments of the nearest ancestor process running `synth` (Linux /proc), or undefined. */
function cliArguments(): string[] | undefined {
  let pid = process.ppid;
  for (let depth = 0; depth < 4 && pid > 1; depth++) {
    try {
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (args.includes('synth')) return args;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * constructs' "There is already a Construct with name 'x' in Y [z]" as a message that names the environment
 * target, the parent's path and the fix (undefined for any other error).
 */
function duplicateIdError(e: unknown, chart: Chart, target: Target<any, any>): ConfigError | undefined {
  const m = e instanceof Error ? /^There is already a Construct with name '(.*)' in (\S+)(?: \[(.*)\])?$/.exec(e.message) : null;
  if (!m) return undefined;
  const [, id, typeName, parentId] = m;
  const parent = chart.node.findAll().find((c) => c.node.id === (parentId ?? '') && c.constructor.name === typeName && c.node.tryFindChild(id)) ?? chart;
  const existing = parent.node.tryFindChild(id);
  return configError(parent, 'construct id', `'${id}' is used twice in ${parent.node.path} (environment ${target.env.name}, target dist/${target.path}), first used by a construct of type ${existing?.constructor.name ?? 'Construct'}`, id,
    'give each construct an id unique among its siblings (the id is the second constructor argument), e.g. \'' + id + '-2\' or a name that says what differs');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The steps of the synth pipeline, as the bench times them (each target passes through all of them). */
export type SynthStep = 'build' | 'render' | 'schema' | 'policy' | 'checks' | 'layout' | 'write' | 'references';

interface PipelineOptions {
  /** The dist/ being replaced (retained config generations). @default - none */
  readonly previous?: PreviousTree;
  /** Where the files go: the checks against the previous dist/ run. @default - not written: they do not */
  readonly outdir?: string;
  /** Collects every rendered object. @default - none kept */
  readonly keep?: RenderedObject[];
  /** Release each streamed target once its files are yielded. @default true */
  readonly release?: boolean;
}

/** Heap in use above which a collection between steps is worth its cost. */
const COLLECT_ABOVE_BYTES = 256 * 2 ** 20;

/**
 * A streaming synth holds one target at a time: when the process exposes the collector (scripts/run.js does, so
 * do `node --expose-gc` runs) and the heap is large, it collects between targets (the released one goes before
 * the next is built) and after rendering one (its scratch goes before the checks add theirs), so that peak memory
 * is about one target's live objects, not that plus garbage V8 has not collected yet. Small heaps (a fleet of
 * small clusters) skip it: a full collection each time would cost more than it frees.
 */
function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === 'function' && v8.getHeapStatistics().used_heap_size > COLLECT_ABOVE_BYTES) gc();
}
