import * as path from 'path';
import { IConstruct } from 'constructs';
import { checkProps, ConfigError, isDnsLabel, isHostname, isLabelValue, show } from '../core';
import { KubernetesVersion, kubernetesVersionProblem } from './kubernetes-version';

// The environment model imports only lib/core. A capability adds its own settings next to its code by declaration
// merging into ClusterProps / EnvironmentProps / Environment (`declare module '../environments/environment'`),
// and registers their defaults and checks with `registerCapability` (lib/environments/capability.ts).

/** Where one environment runs. */
export interface ClusterProps {
  /** Cluster name: a DNS-1123 label, used in folder and object names (`prod-eu-west-1`). */
  readonly name: string;
  /** API server URL, as Argo CD knows the cluster (`https://kubernetes.default.svc` for the local one). */
  readonly server: string;
  /**
   * Region or zone label, free text, for humans and for per-cluster values.
   * @default - none
   */
  readonly region?: string;
  // --- schema (Kubernetes versions) ---
  /**
   * Kubernetes minor version the cluster runs (`'1.29'`): rendering picks fields it serves (with documented
   * fallbacks, listed by synth) and every object is validated against that version's schema.
   * @default '1.36' (the newest supported minor, `SCHEMA_DEFAULTS.kubernetesVersion` in lib/schema/defaults.ts)
   */
  readonly kubernetesVersion?: KubernetesVersion;

  // capabilities add their cluster settings here by declaration merging (storageClasses, nodePools, gateway...)
}

/** The per-environment description, everything that differs between dev, staging and prod. */
export interface EnvironmentProps<S = {}> {
  /** One or more clusters the environment is deployed to. */
  readonly clusters: ClusterProps[];
  /**
   * Whether this environment serves real users: production environments get stricter defaults where a library
   * default depends on it (documented on the prop that does).
   * @default false
   */
  readonly production?: boolean;
  /**
   * Base DNS domain of the environment's public hostnames (`staging.example.com`).
   * @default - none; services that need a hostname must be given one
   */
  readonly domain?: string;
  /**
   * Prometheus base URL the environment's analysis and alerts query.
   * @default 'http://prometheus-operated.monitoring.svc:9090'
   */
  readonly prometheusAddress?: string;
  /**
   * Free-form typed settings of your own (feature flags, sizes): `env.settings.x`.
   * @default - none
   */
  readonly settings?: S;
  // capabilities add their environment settings here by declaration merging (mesh, secretStores, monitoring...)
}

export const DEFAULT_PROMETHEUS_ADDRESS = 'http://prometheus-operated.monitoring.svc:9090';

/**
 * What a capability adds to the environment model at run time (its types it adds by declaration merging): the
 * defaults of its Environment fields and the checks of its cluster settings. Registered with the capability
 * (`registerCapability`, lib/environments/capability.ts).
 */
export interface EnvironmentSettings {
  /**
   * Environment fields this capability declares, each resolved from the prop as given (`{ secretStores: (v) => ({ ...v }) }`).
   * @default - none (fields are the props as given)
   */
  readonly environmentDefaults?: { readonly [field: string]: (given: any) => unknown };
  /**
   * The first problem of one cluster's settings of this capability, checked by `Environments.define` before any
   * construct exists: `{ prop: 'nodePools', problem: 'nodePools[0].name must be ..., got ...; use ...' }`.
   * @default - no check
   */
  readonly clusterProblem?: (cluster: ClusterProps) => { readonly prop: string; readonly problem: string } | undefined;
}

const environmentSettings: EnvironmentSettings[] = [];

/** @internal registerCapability adds a capability's settings here (in registration order). */
export function addEnvironmentSettings(settings: EnvironmentSettings): void {
  if (!environmentSettings.includes(settings)) environmentSettings.push(settings);
}

/** One environment of a fixed set named `N`. `pick` needs a value for every name in `N`. */
export class Environment<N extends string = string, S = {}> {
  public readonly name: N;
  public readonly clusters: readonly ClusterProps[];
  public readonly production: boolean;
  public readonly domain?: string;
  public readonly prometheusAddress: string;
  public readonly settings: S;
  // capabilities declare their settings' fields here by declaration merging; the values are the props as given,
  // or the capability's registered default

  constructor(name: N, props: EnvironmentProps<S>) {
    // a misspelled setting (`clusterz`, `prodution`) would otherwise be dropped silently; `settings` is yours
    checkProps(`environments.${name}`, 'EnvironmentProps', props);
    this.name = name;
    this.clusters = [...props.clusters];
    this.production = props.production ?? false;
    this.domain = props.domain;
    this.prometheusAddress = props.prometheusAddress ?? DEFAULT_PROMETHEUS_ADDRESS;
    this.settings = (props.settings ?? {}) as S;
    const own = new Set(Object.keys(this));
    for (const [key, value] of Object.entries(props)) {
      if (!own.has(key) && key !== 'clusters' && key !== 'settings') (this as any)[key] = value;
    }
    for (const s of environmentSettings) {
      for (const [key, resolve] of Object.entries(s.environmentDefaults ?? {})) (this as any)[key] = resolve((props as any)[key]);
    }
  }

  /**
   * The value for this environment. Every environment must be listed: forgetting one is a type error.
   *
   * @example env.pick({ dev: 1, staging: 2, prod: 6 })
   */
  public pick<T>(values: { readonly [K in N]: T }): T {
    if (values === null || typeof values !== 'object' || !Object.prototype.hasOwnProperty.call(values, this.name)) {
      // only reachable from untyped callers (JavaScript, `as any`, the bundled runner which does not type-check)
      const scope = pickScopes.get(this);
      const path = scope ? scope.node.path || '<app>' : `environment ${this.name}`;
      const at = callerLocation();
      const got = values !== null && typeof values === 'object' ? `keys ${show(Object.keys(values))}` : show(values);
      throw new ConfigError(path, 'pick', `${path}: env.pick has no value for environment '${this.name}'${at ? ` (called at ${at})` : ''}, got ${got}; add a '${this.name}' entry`);
    }
    return values[this.name];
  }

  /** True when this is one of the named environments. */
  public is(...names: N[]): boolean {
    return names.includes(this.name);
  }

  /** Whether the environment runs on more than one cluster (and so gets one dist/ folder per cluster). */
  public get multiCluster(): boolean {
    return this.clusters.length > 1;
  }
}

// the chart being built for an environment (GitOpsApp.forEachTarget), so a failing pick can name it
const pickScopes = new WeakMap<Environment<any, any>, IConstruct>();

/** Runs `fn` with `scope` as the place `env.pick` errors name (GitOpsApp.forEachTarget sets the target's chart). */
export function withPickScope<T>(env: Environment<any, any>, scope: IConstruct, fn: () => T): T {
  const previous = pickScopes.get(env);
  pickScopes.set(env, scope);
  try {
    return fn();
  } finally {
    if (previous) pickScopes.set(env, previous);
    else pickScopes.delete(env);
  }
}

/** `file:line:col` of the code that called pick (the first stack frame outside this file), relative to cwd. */
function callerLocation(): string | undefined {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  for (const frame of frames) {
    if (/[\\/]environment\.[jt]s:|\bEnvironment\.pick\b|callerLocation|node:internal/.test(frame)) continue;
    const m = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/.exec(frame);
    if (!m) continue;
    const file = m[1].replace(/^file:\/\//, '');
    const rel = path.relative(process.cwd(), file);
    return `${rel.startsWith('..') ? file : rel}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

/** The environments of a platform, in the order they are promoted through (dev, staging, prod). */
export class Environments<N extends string = string, S = {}> {
  /**
   * Declares the environments. Keys are environment names (DNS-1123 labels), values their description.
   *
   * @example Environments.define({ dev: { clusters: [...] }, staging: {...}, prod: {...} })
   */
  public static define<N extends string, S = {}>(defs: { readonly [K in N]: EnvironmentProps<S> }): Environments<N, S> {
    return new Environments<N, S>(defs);
  }

  public readonly all: readonly Environment<N, S>[];

  private constructor(defs: { readonly [K in N]: EnvironmentProps<S> }) {
    const names = Object.keys(defs) as N[];
    if (names.length === 0) {
      throw new ConfigError('environments', 'environments', 'environments: at least one environment is required, got {}; define e.g. { dev: { clusters: [...] } }');
    }
    const seenClusters = new Map<string, string>();
    this.all = names.map((name) => {
      const props = defs[name];
      const where = `environments.${name}`;
      if (!isDnsLabel(name, 40)) {
        throw new ConfigError(where, 'name', `${where}: environment name must be a DNS-1123 label of at most 40 characters, got ${show(name)}; use e.g. 'prod'`);
      }
      if (!props.clusters || props.clusters.length === 0) {
        throw new ConfigError(where, 'clusters', `${where}: clusters must list at least one cluster, got ${show(props.clusters)}; add { name: '${name}', server: 'https://...' }`);
      }
      for (const [i, c] of props.clusters.entries()) {
        if (!isDnsLabel(c.name, 40)) {
          throw new ConfigError(where, `clusters[${i}].name`, `${where}: clusters[${i}].name must be a DNS-1123 label of at most 40 characters, got ${show(c.name)}; use e.g. '${name}-eu-1'`);
        }
        if (!/^https?:\/\/[^\s]+$/.test(c.server ?? '')) {
          throw new ConfigError(where, `clusters[${i}].server`, `${where}: clusters[${i}].server must be the API server URL, got ${show(c.server)}; use e.g. 'https://kubernetes.default.svc'`);
        }
        const versionProblem = c.kubernetesVersion === undefined ? undefined : kubernetesVersionProblem(c.kubernetesVersion);
        if (versionProblem) {
          throw new ConfigError(where, `clusters[${i}].kubernetesVersion`, `${where}: clusters[${i}].kubernetesVersion ${versionProblem}`);
        }
        for (const settings of environmentSettings) {
          const problem = settings.clusterProblem?.(c);
          if (problem) throw new ConfigError(where, `clusters[${i}].${problem.prop}`, `${where}: clusters[${i}].${problem.problem}`);
        }
        // the region ends up in labels and node selectors
        if (c.region !== undefined && (!isLabelValue(c.region) || c.region === '')) {
          throw new ConfigError(where, `clusters[${i}].region`, `${where}: clusters[${i}].region must be a label value (at most 63 letters, digits, '-', '_', '.'), got ${show(c.region)}; use e.g. 'eu-west-1'`);
        }
        const other = seenClusters.get(c.name);
        if (other) {
          throw new ConfigError(where, `clusters[${i}].name`, `${where}: clusters[${i}].name is already used by environment ${other}, got ${show(c.name)}; give every cluster a unique name`);
        }
        seenClusters.set(c.name, name);
      }
      if (props.domain !== undefined && !isHostname(props.domain)) {
        throw new ConfigError(where, 'domain', `${where}: domain must be a DNS host name, got ${show(props.domain)}; use e.g. 'shop.acme.example'`);
      }
      return new Environment<N, S>(name, props);
    });
  }

  public get names(): N[] {
    return this.all.map((e) => e.name);
  }

  public get(name: N): Environment<N, S> {
    const env = this.all.find((e) => e.name === name);
    if (!env) throw new ConfigError('environments', 'name', `environments: no environment named ${show(name)}; known: ${this.names.join(', ')}`);
    return env;
  }
}

/** An environment and one of its clusters: the unit that gets a folder in dist/. */
export interface Target<N extends string = string, S = {}> {
  readonly env: Environment<N, S>;
  readonly cluster: ClusterProps;
  /** Folder of this target below dist/: `<env>` or, for multi-cluster environments, `<env>/<cluster>`. */
  readonly path: string;
}

const TARGET = Symbol.for('typed-manifests.target');

/** Attaches a target to a scope (done by GitOpsApp for each target's chart). */
export function setTarget(scope: IConstruct, target: Target<any, any>): void {
  Object.defineProperty(scope, TARGET, { value: target, enumerable: false });
}

/** The target a construct is rendered for, or undefined when it is not under a GitOpsApp target. */
export function targetOf<N extends string = string, S = {}>(scope: IConstruct): Target<N, S> | undefined {
  for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
    const t = (c as any)[TARGET];
    if (t) return t as Target<N, S>;
  }
  return undefined;
}

/**
 * The id of a target: its environment name, or for multi-cluster environments its cluster name. It names the
 * target's chart (and so starts construct paths) and the Argo CD Application / Flux Kustomization of it.
 */
export function targetIdOf(target: Target<any, any>): string {
  return target.env.multiCluster ? clusterNameOf(target.cluster) : target.env.name;
}

/** What a wrapped cluster (see clusterNameOf) returns for this key: the cluster as declared. */
export const DECLARED_CLUSTER = Symbol.for('typed-manifests.declared-cluster');

/**
 * A cluster's name for construct ids, paths and messages. Synth may hand constructs a wrapped cluster that
 * records reads of its name (fleets share one rendering between clusters whose objects do not depend on it, see
 * gitops SharedRenders); a name read only to say where something is does not make the objects depend on it.
 */
export function clusterNameOf(cluster: ClusterProps): string {
  return ((cluster as any)[DECLARED_CLUSTER] ?? cluster).name;
}
