import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import * as YAML from 'yaml';
import { Construct, IConstruct } from 'constructs';
import { CONFIG_GENERATION_LABEL, CONFIG_SET_LABEL } from '../config/defaults';
import { addSyncWindows, checkProps, ConfigError, configError, isDnsLabel, parseGoDuration, show } from '../core';
import type { Environments } from '../environments/environment';
import type { RenderedObject } from '../environments/rendered';
import { targetOf } from '../environments/environment';
import { addImageResolver, ImageRequest } from '../workloads/image';
import { ChangeCalendar } from './change-calendar';
import { formatSpan, formatTimestamp, promotionNow } from './clock';
import { PROMOTION_DEFAULTS as D } from './defaults';
import { OpenWindow } from './freeze-window';
import { entryPath, LedgerEntry, LedgerProblem, PromotionLedger, Verification } from './promotion-ledger';

/** A ring: some clusters of an environment that take a release together, before the next ring. */
export interface RingProps {
  /**
   * Ring name, the part after `/` in the stage name (`prod/1`).
   * @default - its position, from 1
   */
  readonly name?: string;
  /** Names of the environment's clusters in this ring (every cluster in exactly one ring). */
  readonly clusters: readonly string[];
}

export interface PromotionProps<N extends string = string> {
  /** The platform's environments. */
  readonly environments: Environments<N, any>;
  /**
   * The promotion chain: every environment once, first to last.
   * @default - the environments in declared order (dev, staging, prod)
   */
  readonly chain?: readonly N[];
  /**
   * Rings per environment, in order: `{ prod: [{ clusters: ['prod-eu-west-1'] }, { clusters: ['prod-us-east-1'] }] }`
   * gives the stages `prod/1` and `prod/2`.
   * @default - none: each environment is one stage
   */
  readonly rings?: { readonly [K in N]?: readonly RingProps[] };
  /**
   * Minimum soak time per stage (Go duration): how long before a stage takes a release its upstream must have
   * verified it (`{ 'prod/1': '4h', 'prod/2': '24h' }`).
   * @default - '0s' for every stage
   */
  readonly soak?: { readonly [stage: string]: string };
  /**
   * Freeze windows per environment.
   * @default - no freeze windows
   */
  readonly calendar?: ChangeCalendar;
  /**
   * The ledger: a file (relative to the working directory) or a ledger built in code.
   * @default 'promotion.yaml'
   */
  readonly ledger?: string | PromotionLedger;
  /**
   * What "now" is for the checks.
   * @default - $TYPED_MANIFESTS_NOW (ISO 8601), else the wall clock
   */
  readonly now?: Date;
}

/** One stage of the chain: an environment, or a ring of it. */
export interface Stage {
  /** `staging`, `prod/1`. */
  readonly name: string;
  readonly env: string;
  readonly ring?: string;
  /** Position in the chain, from 0. */
  readonly index: number;
  /** The stage before it, undefined for the first. */
  readonly upstream?: string;
  readonly clusters: readonly string[];
  /** API server URLs of its clusters. */
  readonly servers: readonly string[];
  /** Target folders below dist/. */
  readonly folders: readonly string[];
  readonly soakSeconds: number;
}

/** Where one workload stands in one stage. */
export interface WorkloadStatus {
  /** `namespace/name`. */
  readonly workload: string;
  /** The image the stage renders. */
  readonly runs: string;
  /** The config generations the stage renders. */
  readonly config: readonly string[];
  readonly entry?: LedgerEntry;
  /** The upstream's release, when the stage does not run it yet. */
  readonly candidate?: string;
  /** What the candidate waits for; undefined when `npm run promote -- <stage>` would take it now. */
  readonly waitingOn?: string;
}

/** Where one stage stands. */
export interface StageStatus {
  readonly stage: Stage;
  readonly workloads: readonly WorkloadStatus[];
  /** The freeze window open now, if any. */
  readonly frozen?: OpenWindow;
}

/** Options of `Promotion.promote`. */
export interface PromoteOptions {
  /**
   * What verified the upstream stage's release (a CI run, an analysis run); recorded with the time.
   * @default - the upstream's recorded verification
   */
  readonly evidence?: string;
  /**
   * Skip the upstream: take the release the code declares, with this reason, until `expires`.
   * @default - no hotfix
   */
  readonly hotfix?: { readonly reason: string; readonly expires: Date };
  /**
   * Change the stage inside a freeze window, with this reason.
   * @default - a frozen stage refuses changes
   */
  readonly emergency?: string;
}

/** What `Promotion.promote` did. */
export interface PromoteResult {
  readonly ledger: PromotionLedger;
  /** One line per workload that moved or waits. */
  readonly lines: readonly string[];
  /** Whether the ledger changed. */
  readonly changed: boolean;
}

interface Rendered {
  readonly stage: Stage;
  readonly workload: string;
  readonly declared: string;
  /** The workload's scopes in targets not yet released. */
  scopes: IConstruct[];
  /** Config generations of the scopes of released targets. */
  readonly configs: Set<string>;
}

const PROMOTION = Symbol.for('typed-manifests.promotion');

/**
 * Promotion as part of synth: stages (environments, or rings of their clusters) form a chain, and a committed
 * ledger says which release of each workload every stage runs and which upstream verification let it in. Each
 * workload's image is resolved per target from the ledger when the workload binds, so every controller deploys
 * one stage at a time with nothing controller-side; the checks run before anything is written.
 *
 * The first stage runs what the code declares; every later stage runs what the ledger records, which must be a
 * release its upstream verified (long enough ago, with a soak time), or a hotfix with a reason and an expiry.
 */
export class Promotion<N extends string = string> extends Construct {
  /** The promotion declared in `scope`'s tree, if any. */
  public static of(scope: IConstruct): Promotion<any> | undefined {
    return (scope.node.root as any)[PROMOTION];
  }

  public readonly stages: readonly Stage[];
  public readonly calendar: ChangeCalendar;
  public readonly ledger: PromotionLedger;
  public readonly now: Date;
  private readonly rendered = new Map<string, Rendered>();

  constructor(scope: Construct, id: string, props: PromotionProps<N>) {
    super(scope, id);
    checkProps(this, 'PromotionProps', props);
    if ((scope.node.root as any)[PROMOTION]) {
      throw configError(this, 'scope', 'is the second Promotion of this app', id, 'declare one Promotion per app');
    }
    Object.defineProperty(scope.node.root, PROMOTION, { value: this, enumerable: false });
    this.now = props.now ?? promotionNow();
    const envs = props.environments;
    const names = envs.names as string[];
    const chain = [...(props.chain ?? names)] as string[];
    chain.forEach((env, i) => {
      if (!names.includes(env)) throw configError(this, `chain[${i}]`, 'names no environment', env, `use ${names.join(', ')}`);
      if (chain.indexOf(env) !== i) throw configError(this, `chain[${i}]`, 'repeats an environment', env, 'list every environment once');
    });
    const missing = names.filter((n) => !chain.includes(n));
    if (missing.length > 0) throw configError(this, 'chain', `leaves out environment(s) ${missing.join(', ')}`, chain, 'list every environment once, first stage first');
    const rings = (props.rings ?? {}) as Record<string, readonly RingProps[] | undefined>;
    for (const env of Object.keys(rings)) {
      if (!names.includes(env)) throw configError(this, `rings.${env}`, 'names no environment', env, `use ${names.join(', ')}`);
    }

    const stages: Stage[] = [];
    for (const envName of chain) {
      const env = envs.get(envName as N);
      const folderOf = (cluster: string) => (env.multiCluster ? `${env.name}/${cluster}` : env.name);
      const serverOf = (cluster: string) => env.clusters.find((c) => c.name === cluster)!.server;
      const envRings = rings[envName];
      const add = (name: string, clusters: string[], ring?: string) => stages.push({
        name, env: envName, ring, index: stages.length, upstream: stages[stages.length - 1]?.name, clusters,
        servers: [...new Set(clusters.map(serverOf))], folders: clusters.map(folderOf), soakSeconds: 0,
      });
      if (envRings === undefined) {
        add(envName, env.clusters.map((c) => c.name));
        continue;
      }
      if (!Array.isArray(envRings) || envRings.length === 0) throw configError(this, `rings.${envName}`, 'must list at least one ring', envRings, `write [{ clusters: ['${env.clusters[0].name}'] }, ...] or leave the environment out`);
      const seen = new Map<string, string>();
      envRings.forEach((ring, i) => {
        const at = `rings.${envName}[${i}]`;
        const ringName = ring?.name ?? String(i + 1);
        if (!isDnsLabel(ringName, 20)) throw configError(this, `${at}.name`, 'must be a DNS label of at most 20 characters', ringName, "use e.g. 'eu' or leave it out (the ring's number)");
        if (stages.some((s) => s.name === `${envName}/${ringName}`)) throw configError(this, `${at}.name`, 'is used by another ring', ringName, 'give every ring its own name');
        if (!Array.isArray(ring?.clusters) || ring.clusters.length === 0) throw configError(this, `${at}.clusters`, 'must name at least one cluster', ring?.clusters, `use the names of ${envName}'s clusters: ${env.clusters.map((c) => c.name).join(', ')}`);
        ring.clusters.forEach((cluster: string, j: number) => {
          if (!env.clusters.some((c) => c.name === cluster)) {
            throw configError(this, `${at}.clusters[${j}]`, `names no cluster of environment ${envName}`, cluster, `use one of ${env.clusters.map((c) => c.name).join(', ')}`);
          }
          const other = seen.get(cluster);
          if (other !== undefined) throw configError(this, `${at}.clusters[${j}]`, `is already in ring ${other}`, cluster, 'put every cluster in exactly one ring');
          seen.set(cluster, ringName);
        });
        add(`${envName}/${ringName}`, [...ring.clusters], ringName);
      });
      const left = env.clusters.filter((c) => !seen.has(c.name)).map((c) => c.name);
      if (left.length > 0) throw configError(this, `rings.${envName}`, `leaves cluster(s) ${left.join(', ')} in no ring`, envRings.map((r) => r.clusters), 'put every cluster of the environment in exactly one ring');
    }
    for (const stage of Object.keys(props.soak ?? {})) {
      const s = stages.find((x) => x.name === stage);
      if (!s) throw configError(this, `soak.${stage}`, 'names no stage', stage, `use one of ${stages.map((x) => x.name).join(', ')}`);
      const seconds = parseGoDuration(props.soak![stage]);
      if (seconds === undefined || seconds < 0) throw configError(this, `soak.${stage}`, 'must be a Go duration', props.soak![stage], "write it like '4h' or '30m'");
      if (s.index === 0 && seconds > 0) throw configError(this, `soak.${stage}`, 'is set on the first stage, which has no upstream to soak after', props.soak![stage], 'set it on a later stage');
      (s as { soakSeconds: number }).soakSeconds = seconds;
    }
    this.stages = stages;

    this.calendar = props.calendar ?? ChangeCalendar.none();
    if (!(this.calendar instanceof ChangeCalendar)) throw configError(this, 'calendar', 'must be a ChangeCalendar', props.calendar, 'use ChangeCalendar.of({ prod: [FreezeWindow.yearly({...})] })');
    this.calendar.validate(this, chain);
    // the calendar compiled for Argo CD: a deny window per freeze, on the environment's clusters
    addSyncWindows(this, chain.flatMap((env) => this.calendar.windowsOf(env).map((w) => ({
      kind: 'deny' as const, schedule: w.schedule, duration: w.duration, timeZone: w.timeZone, manualSync: D.manualSyncInFreeze,
      clusters: envs.get(env as N).clusters.map((c) => c.server), description: `freeze ${w.name} (${env}): ${w.description}`,
    }))));

    this.ledger = typeof props.ledger === 'object' && props.ledger instanceof PromotionLedger ? props.ledger : PromotionLedger.read(props.ledger ?? D.ledgerFile);
    addImageResolver(this, (request) => this.resolve(request));
  }

  /** The stage a cluster belongs to. */
  public stageOfCluster(cluster: string): Stage | undefined {
    return this.stages.find((s) => s.clusters.includes(cluster));
  }

  /** A stage by name. */
  public stage(name: string): Stage | undefined {
    return this.stages.find((s) => s.name === name);
  }

  /** Where every stage stands now: what each workload runs, its candidate and what that waits for. */
  public status(ledger: PromotionLedger = this.ledger): StageStatus[] {
    return this.stages.map((stage) => {
      const upstream = stage.upstream ? this.stage(stage.upstream) : undefined;
      const frozen = this.calendar.frozen(stage.env, this.now);
      const workloads = this.workloadsOf(stage).map((r): WorkloadStatus => {
        const entry = ledger.entry(stage.name, r.workload);
        const runs = this.running(stage, r, ledger);
        const config = this.configOf(r);
        if (!upstream) {
          const recorded = entry?.image === runs;
          return { workload: r.workload, runs, config, entry, ...(recorded ? {} : { candidate: runs, waitingOn: `not in the ledger yet: ${D.command} ${stage.name}` }) };
        }
        const u = this.rendered.get(key(upstream.name, r.workload));
        const uRuns = u ? this.running(upstream, u, ledger) : undefined;
        if (uRuns === undefined || uRuns === runs) return { workload: r.workload, runs, config, entry };
        const uEntry = ledger.entry(upstream.name, r.workload);
        const verified = uEntry?.image === uRuns ? uEntry.verified : undefined;
        let waitingOn: string | undefined;
        if (!verified) waitingOn = `verification in ${upstream.name}`;
        else {
          const left = stage.soakSeconds - (this.now.getTime() - Date.parse(verified.at)) / 1000;
          if (left > 0) waitingOn = `soak ${formatSpan(left)} left`;
          else if (frozen) waitingOn = `frozen by ${frozen.window.name} until ${formatTimestamp(frozen.closes)}`;
        }
        return { workload: r.workload, runs, config, entry, candidate: uRuns, ...(waitingOn ? { waitingOn } : {}) };
      });
      return { stage, workloads, ...(frozen ? { frozen } : {}) };
    });
  }

  /**
   * One line per stage, in promotion order: the stage, what it runs, what it waits for (candidates grouped by
   * what holds them), hotfixes and an open freeze window.
   */
  public statusLines(): string[] {
    const status = this.status();
    const width = Math.max(...this.stages.map((s) => s.name.length));
    return status.map(({ stage, workloads, frozen }) => {
      const label = (w: WorkloadStatus, image: string) => `${shortName(w.workload, workloads)} ${releaseVersion(image)}`;
      const runs = workloads.map((w) => label(w, w.runs)).join(', ');
      const groups = new Map<string, string[]>();
      for (const w of workloads.filter((x) => x.candidate !== undefined)) {
        const why = w.waitingOn ?? `ready: ${D.command} ${stage.name}`;
        groups.set(why, [...(groups.get(why) ?? []), label(w, w.candidate!)]);
      }
      const waits = [...groups].map(([why, list]) => `${list.join(', ')} (${why})`);
      const hotfixes = workloads.filter((w) => w.entry?.hotfix).map((w) => `HOTFIX ${label(w, w.runs)} skips ${w.entry!.hotfix!.skips} until ${w.entry!.hotfix!.expires}`);
      const emergencies = workloads.filter((w) => w.entry?.emergency).map((w) => `EMERGENCY ${label(w, w.runs)} in ${w.entry!.emergency!.window}`);
      const tail = [
        waits.length > 0 ? `waits for ${waits.join('; ')}` : 'waits for nothing',
        ...hotfixes, ...emergencies,
        ...(frozen ? [`frozen by ${frozen.window.name} until ${formatTimestamp(frozen.closes)}`] : []),
      ];
      return `${stage.name.padEnd(width)}  runs ${runs || 'nothing'} | ${tail.join(' | ')}`;
    });
  }

  /**
   * Where code and ledger disagree (for CI): the first stage renders a release the ledger does not record, or a
   * stage renders config generations other than the recorded ones; plus every problem synth would report.
   */
  public disagreements(): string[] {
    const out = this.problemsOf(this.ledger);
    for (const stage of this.stages) {
      for (const r of this.workloadsOf(stage)) {
        const entry = this.ledger.entry(stage.name, r.workload);
        if (!entry) continue; // reported by the synth checks for later stages; the first stage:
        const at = entryPath(stage.name, r.workload);
        if (stage.index === 0 && entry.image !== r.declared) {
          out.push(`${this.ledger.file}: ${at}.image records ${entry.image}, but the code declares ${r.declared}; record it with ${D.command} ${stage.name}`);
        }
        const config = this.configOf(r);
        if (!sameList(entry.config, config)) {
          out.push(`${this.ledger.file}: ${at}.config records ${show(entry.config)}, but ${stage.name} renders ${show(config)}; record it with ${D.command} ${stage.name}`);
        }
      }
      if (stage.index === 0) {
        for (const r of this.workloadsOf(stage).filter((x) => !this.ledger.entry(stage.name, x.workload))) {
          out.push(`${this.ledger.file}: ${entryPath(stage.name, r.workload)} is missing: ${stage.name} runs ${r.declared} from the code; record it with ${D.command} ${stage.name}`);
        }
      }
    }
    return out;
  }

  /**
   * Advances one stage: records that its upstream verified the upstream's release (with `evidence`), and moves
   * the stage to it when the soak time has passed and no freeze window is open (or an emergency is given). For the
   * first stage, records the release the code declares (verified, with `evidence`). Returns the rewritten ledger;
   * throws when the result would not pass the synth checks.
   */
  public promote(stageName: string, options: PromoteOptions = {}): PromoteResult {
    const stage = this.stage(stageName);
    if (!stage) throw new ConfigError(this.node.path, 'stage', `${this.node.path}: stage ${show(stageName)} is not in the chain; use one of ${this.stages.map((s) => s.name).join(', ')}`);
    if (options.evidence !== undefined && options.evidence.trim() === '') throw new ConfigError(this.node.path, 'evidence', `${this.node.path}: --evidence must say what verified the release, got ""; e.g. --evidence "CI run 4512"`);
    if (options.hotfix && stage.index === 0) throw new ConfigError(this.node.path, 'hotfix', `${this.node.path}: --hotfix skips an upstream stage, and ${stage.name} is the first stage; promote ${stage.name} without it`);
    if (options.hotfix && !(options.hotfix.expires.getTime() > this.now.getTime())) {
      throw new ConfigError(this.node.path, 'expires', `${this.node.path}: the hotfix expiry must be after now (${formatTimestamp(this.now)}), got ${formatTimestamp(options.hotfix.expires)}; give a date in the next days`);
    }
    const now = formatTimestamp(this.now);
    const frozen = this.calendar.frozen(stage.env, this.now);
    const upstream = stage.upstream ? this.stage(stage.upstream)! : undefined;
    const changes: LedgerEntry[] = [];
    const lines: string[] = [];
    const blocked: string[] = [];
    let refused = false;
    const change = (next: LedgerEntry, what: string) => {
      let e = carry(this.ledger.entry(next.stage, next.workload), next);
      if (frozen) {
        if (!options.emergency) {
          refused = true;
          blocked.push(`${stage.name} is frozen by window ${frozen.window.name} (${frozen.window.description}) until ${formatTimestamp(frozen.closes)}; ${what} must wait, or record an emergency with --emergency "<reason>"`);
          return;
        }
        e = { ...e, emergency: { reason: options.emergency, window: frozen.window.name } };
      }
      changes.push(e);
      lines.push(`${stage.name}: ${what}`);
    };
    const removed = this.ledger.entries.filter((e) => e.stage === stage.name && !this.rendered.has(key(stage.name, e.workload)));
    for (const e of removed) lines.push(`${stage.name}: ${e.workload} is no longer rendered; its entry is removed`);

    for (const r of this.workloadsOf(stage)) {
      const cur = this.ledger.entry(stage.name, r.workload);
      const config = [...this.configOf(r)];
      const name = r.workload;
      if (!upstream) {
        if (cur?.image === r.declared) {
          const verified = !cur.verified && options.evidence ? { at: now, evidence: options.evidence } : cur.verified;
          if (!sameList(cur.config, config) || verified !== cur.verified) {
            change(strip({ ...cur, config, verified }), `${name} ${releaseVersion(r.declared)}${verified !== cur.verified ? ' verified' : ''}${!sameList(cur.config, config) ? ', config recorded' : ''}`);
          }
          continue;
        }
        change(strip({ stage: stage.name, workload: name, image: r.declared, config, since: now, verified: options.evidence ? { at: now, evidence: options.evidence } : undefined }),
          `${name} ${cur ? releaseVersion(cur.image) : '(new)'} -> ${releaseVersion(r.declared)} (from the code)`);
        continue;
      }
      if (options.hotfix) {
        if (cur?.image === r.declared) continue;
        change(strip({ stage: stage.name, workload: name, image: r.declared, config, since: now,
          hotfix: { reason: options.hotfix.reason, expires: formatTimestamp(options.hotfix.expires), skips: upstream.name } }),
        `${name} ${cur ? releaseVersion(cur.image) : '(new)'} -> ${releaseVersion(r.declared)} (HOTFIX skipping ${upstream.name} until ${formatTimestamp(options.hotfix.expires)})`);
        continue;
      }
      const u = this.rendered.get(key(upstream.name, name));
      if (!u) {
        blocked.push(`${stage.name}: ${name} is not rendered in ${upstream.name}, so nothing can verify it there; declare it in ${upstream.name} too`);
        continue;
      }
      const uRuns = this.running(upstream, u, this.ledger);
      const uEntry = this.ledger.entry(upstream.name, name);
      let verification: Verification | undefined;
      let take = uRuns;
      if (uEntry?.image === uRuns && uEntry.verified) verification = uEntry.verified;
      else if (options.evidence && (uRuns !== cur?.image || cur?.hotfix)) {
        verification = { at: now, evidence: options.evidence };
        const base = uEntry?.image === uRuns ? uEntry : carry(uEntry, { stage: upstream.name, workload: name, image: uRuns, config: [...this.configOf(u)], since: now });
        changes.push(strip({ ...base, verified: verification }));
        lines.push(`${upstream.name}: ${name} ${releaseVersion(uRuns)} verified (${options.evidence})`);
      } else if (uEntry?.verified && uEntry.image !== cur?.image && upstream.index > 0) {
        verification = uEntry.verified;
        take = uEntry.image;
      }
      // a hotfix is closed like any promotion of the same image: upstream verified, soaked, outside a freeze
      const closesHotfix = take === cur?.image && cur.hotfix !== undefined && verification !== undefined;
      if (take === cur?.image && !closesHotfix) {
        if (!sameList(cur.config, config)) change({ ...cur, config }, `${name} config recorded`);
        continue;
      }
      if (!verification) {
        blocked.push(`${stage.name}: ${name} ${releaseVersion(uRuns)} waits for verification in ${upstream.name}; record what verified it with ${D.command} ${stage.name} --evidence "<CI run or analysis>"`);
        continue;
      }
      const left = stage.soakSeconds - (this.now.getTime() - Date.parse(verification.at)) / 1000;
      if (left > 0) {
        lines.push(`${stage.name}: ${name} ${releaseVersion(take)} soaks ${formatSpan(left)} more (soak ${formatSpan(stage.soakSeconds)} after ${upstream.name} verified it at ${verification.at}); run this again then`);
        continue;
      }
      change(strip({ stage: stage.name, workload: name, image: take, config, since: now, upstream: verification }), closesHotfix
        ? `${name} ${releaseVersion(take)}: ${upstream.name} verified it (${verification.evidence}), the hotfix is closed`
        : `${name} ${cur ? releaseVersion(cur.image) : '(new)'} -> ${releaseVersion(take)} (${upstream.name} verified: ${verification.evidence})`);
    }
    // a freeze refuses the whole promotion (nothing is half-recorded); otherwise what moved is written
    if (refused || (blocked.length > 0 && changes.length === 0 && removed.length === 0)) {
      throw new ConfigError(this.node.path, 'promote', blocked.join('\n'));
    }
    const ledger = this.pruned(this.ledger.with(changes, removed));
    // only what this rewrite introduces (the rest of the ledger may still be on its way)
    const before = new Set(this.problemsOf(this.ledger));
    const problems = this.problemsOf(ledger).filter((p) => !before.has(p));
    if (problems.length > 0) throw new ConfigError(this.node.path, 'promote', `the rewritten ledger would not pass synth:\n  ${problems.join('\n  ')}`);
    return { ledger, lines: [...lines, ...blocked], changed: changes.length + removed.length > 0 };
  }

  /**
   * The synth check (registered as the promotion capability's stage, lib/promotion/capability.ts): throws, before
   * anything is written, unless the ledger admits every release the app renders.
   */
  public verify(): void {
    const problems = this.problemsOf(this.ledger);
    if (problems.length === 0) return;
    throw new ConfigError(this.node.path, 'ledger',
      `${this.node.path}: the promotion ledger ${this.ledger.file} does not admit what the code renders (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`);
  }

  /**
   * The freeze check before writing (the promotion capability's `beforeWrite`): a stage frozen now must render
   * what its folders of the previous dist/ in `outdir` hold, object for object, unless the ledger records an
   * emergency in that stage since the window opened. Throws naming the window, the folder, the objects and the fix.
   */
  public checkFrozen(objects: readonly RenderedObject[], outdir: string, folders?: readonly string[]): void {
    const written = folders ? new Set(folders) : undefined;
    for (const stage of this.stages) {
      const open = this.calendar.frozen(stage.env, this.now);
      if (!open) continue;
      if (this.ledger.entries.some((e) => e.stage === stage.name && e.emergency && Date.parse(e.since) >= open.opened.getTime())) continue;
      for (const folder of stage.folders) {
        if (written && !written.has(folder)) continue; // written in another batch, checked there
        const previous = previousObjects(path.join(outdir, folder));
        if (previous.size === 0) continue; // a first synth: nothing deployed to compare with
        const next = new Map(objects.filter((o) => o.folder === folder).map((o) => [identity(o.manifest), canonical(o.manifest)]));
        const changed = [...new Set([...previous.keys(), ...next.keys()])].filter((k) => previous.get(k) !== next.get(k)).sort();
        if (changed.length === 0) continue;
        const list = changed.slice(0, 3).map((k) => `${k} ${!previous.has(k) ? 'added' : !next.has(k) ? 'removed' : 'changed'}`).join(', ');
        throw new ConfigError(this.node.path, 'calendar',
          `${this.node.path}: ${stage.name} is frozen by window ${open.window.name} (${open.window.description}) until ${formatTimestamp(open.closes)}, got a change to dist/${folder}: ${list}${changed.length > 3 ? ` and ${changed.length - 3} more` : ''}; `
          + `keep the code as it was until then, or record an emergency: ${D.command} ${stage.name} --emergency "<reason>"`);
      }
    }
  }

  /** Drops the earlier verifications no next stage runs any more. */
  private pruned(ledger: PromotionLedger): PromotionLedger {
    const changes: LedgerEntry[] = [];
    for (const e of ledger.entries) {
      if (!e.verifiedEarlier) continue;
      const next = this.stages.find((s) => s.upstream === e.stage);
      const runs = next ? ledger.entry(next.name, e.workload)?.image : undefined;
      const keep = e.verifiedEarlier.filter((v) => v.image === runs && v.image !== e.image);
      if (keep.length !== e.verifiedEarlier.length) changes.push(strip({ ...e, verifiedEarlier: keep.length > 0 ? keep : undefined }));
    }
    return changes.length > 0 ? ledger.with(changes) : ledger;
  }

  /** The ledger as text, stages in promotion order. */
  public ledgerText(ledger: PromotionLedger = this.ledger): string {
    return ledger.toYaml(this.stages.map((s) => s.name));
  }

  /** Every problem synth reports for `ledger` against what the app renders (empty when it passes). */
  public problemsOf(ledger: PromotionLedger): string[] {
    const out = ledger.problems.map((p) => p.message(ledger.file));
    if (out.length > 0) return out;
    const file = ledger.file;
    const problem = (at: string, what: string, value: unknown, fix: string) => out.push(new LedgerProblem(at, what, value, fix).message(file));
    const now = this.now.getTime();
    const unknownStages = new Set<string>();
    for (const e of ledger.entries) {
      const stage = this.stage(e.stage);
      const at = (field?: string) => entryPath(e.stage, e.workload, field);
      if (!stage) {
        if (!unknownStages.has(e.stage)) problem(entryPath(e.stage), 'names no stage', e.stage, `use one of ${this.stages.map((s) => s.name).join(', ')}, or remove the stage`);
        unknownStages.add(e.stage);
        continue;
      }
      if (!this.rendered.has(key(stage.name, e.workload))) {
        problem(at(), `names no workload rendered in ${stage.name}`, e.workload, `remove the entry (${D.command} ${stage.name} drops it), or check namespace/name`);
        continue;
      }
      const since = Date.parse(e.since);
      if (since > now) problem(at('since'), `is in the future (now is ${formatTimestamp(this.now)})`, e.since, 'record only what has happened');
      if (e.verified) {
        const v = Date.parse(e.verified.at);
        if (v > now) problem(at('verified.at'), `is in the future (now is ${formatTimestamp(this.now)})`, e.verified.at, 'record a verification once it has happened');
        else if (v < since) problem(at('verified.at'), `is before the stage ran the release (since ${e.since})`, e.verified.at, 'a stage verifies what it runs: record the verification again');
      }
      const open = this.calendar.frozen(stage.env, new Date(since));
      if (open && !e.emergency) {
        problem(at('since'), `falls in freeze window ${open.window.name} of ${stage.env} (${formatTimestamp(open.opened)} to ${formatTimestamp(open.closes)})`, e.since,
          `revert the entry, or record an emergency: ${D.command} ${stage.name} --emergency "<reason>"`);
      }
      if (e.emergency && !this.calendar.windowsOf(stage.env).some((w) => w.name === e.emergency!.window)) {
        problem(at('emergency.window'), `names no freeze window of ${stage.env}`, e.emergency.window, `use one of ${this.calendar.windowsOf(stage.env).map((w) => w.name).join(', ') || '(none declared)'}`);
      }
      if (stage.index === 0) {
        if (e.upstream || e.hotfix) problem(at(e.upstream ? 'upstream' : 'hotfix'), `is set on the first stage, which runs what the code declares`, e.upstream ?? e.hotfix, 'remove it');
        continue;
      }
      const upstream = this.stage(stage.upstream!)!;
      if (e.hotfix) {
        const skipped = this.stage(e.hotfix.skips);
        if (!skipped || skipped.index >= stage.index) problem(at('hotfix.skips'), `must name a stage before ${stage.name}`, e.hotfix.skips, `write ${upstream.name}`);
        if (Date.parse(e.hotfix.expires) <= now) {
          problem(at('hotfix.expires'), `has passed (now is ${formatTimestamp(this.now)}): the hotfix ${e.image} skipped ${e.hotfix.skips}`, e.hotfix.expires,
            `${upstream.name} must verify ${e.image}: ${D.command} ${stage.name} --evidence "<what verified it in ${upstream.name}>" closes the hotfix`);
        }
        continue;
      }
      if (!e.upstream) {
        problem(at(), `runs ${e.image}, which ${upstream.name} never verified (no upstream verification, no hotfix)`, e.workload,
          `${upstream.name} must verify it first: ${D.command} ${stage.name} --evidence "<what verified it in ${upstream.name}>", or a hotfix: --hotfix "<reason>" --expires <date>`);
        continue;
      }
      const verifiedAt = Date.parse(e.upstream.at);
      if (verifiedAt > now) {
        problem(at('upstream.at'), `is in the future (now is ${formatTimestamp(this.now)})`, e.upstream.at, 'record a verification once it has happened');
        continue;
      }
      if (verifiedAt > since) problem(at('upstream.at'), `is after the stage took the release (since ${e.since})`, e.upstream.at, `a stage takes only what ${upstream.name} verified before`);
      else if ((since - verifiedAt) / 1000 < stage.soakSeconds) {
        problem(at('since'), `is ${formatSpan((since - verifiedAt) / 1000)} after ${upstream.name} verified the release, before the soak time of ${formatSpan(stage.soakSeconds)} elapsed`, e.since,
          `wait until ${formatTimestamp(new Date(verifiedAt + stage.soakSeconds * 1000))} and run ${D.command} ${stage.name}`);
      }
      const u = ledger.entry(upstream.name, e.workload);
      if (!u) {
        problem(at(), `runs ${e.image}, but ${upstream.name} has no record of this workload`, e.workload, `${upstream.name} must run and verify it first: ${D.command} ${upstream.name}`);
        continue;
      }
      // the upstream's own record must hold this verification: its current one, or one it keeps for this stage
      const recorded = (u.image === e.image && u.verified?.at === e.upstream!.at) || (u.verifiedEarlier ?? []).some((v) => v.image === e.image && v.at === e.upstream!.at);
      if (!recorded) {
        problem(at('upstream'), `claims ${upstream.name} verified ${e.image} at ${e.upstream.at}, but ${upstream.name}'s entry records no such verification (it runs ${u.image}${u.verified ? `, verified at ${u.verified.at}` : ', not verified'})`, e.upstream,
          `${upstream.name} must verify ${e.image}: revert this entry and promote again`);
      }
    }
    // every workload of a later stage needs a release recorded; a frozen first stage takes no code change
    for (const stage of this.stages) {
      for (const r of this.workloadsOf(stage)) {
        const e = ledger.entry(stage.name, r.workload);
        if (stage.index > 0 && !e) {
          const upstream = this.stage(stage.upstream!)!;
          const u = this.rendered.get(key(upstream.name, r.workload));
          const uRuns = u ? this.running(upstream, u, ledger) : r.declared;
          problem(entryPath(stage.name, r.workload), `is missing: ${stage.name} runs ${r.workload}, and no release of it was verified in ${upstream.name}`, undefined,
            `${upstream.name} must verify ${uRuns} first, then ${D.command} ${stage.name} --evidence "<what verified it in ${upstream.name}>" records it`);
        }
        if (stage.index === 0 && e?.image !== r.declared) {
          const open = this.calendar.frozen(stage.env, this.now);
          if (open) {
            problem(entryPath(stage.name, r.workload), `changes to ${r.declared} while ${stage.env} is frozen by window ${open.window.name} (until ${formatTimestamp(open.closes)})`, e?.image,
              `keep ${e?.image ?? 'the recorded release'} in code until then, or record an emergency: ${D.command} ${stage.name} --emergency "<reason>"`);
          }
        }
      }
    }
    return out;
  }

  private resolve(request: ImageRequest): string {
    const target = targetOf(request.scope);
    const stage = target ? this.stageOfCluster(target.cluster.name) : undefined;
    if (!stage) return request.image;
    const workload = `${request.namespace}/${request.name}`;
    const k = key(stage.name, workload);
    const r = this.rendered.get(k);
    if (r) r.scopes.push(request.scope);
    else this.rendered.set(k, { stage, workload, declared: request.image, scopes: [request.scope], configs: new Set() });
    return stage.index === 0 ? request.image : this.ledger.entry(stage.name, workload)?.image ?? request.image;
  }

  private workloadsOf(stage: Stage): Rendered[] {
    return [...this.rendered.values()].filter((r) => r.stage === stage).sort((a, b) => (a.workload < b.workload ? -1 : a.workload > b.workload ? 1 : 0));
  }

  private running(stage: Stage, r: Rendered, ledger: PromotionLedger): string {
    return stage.index === 0 ? r.declared : ledger.entry(stage.name, r.workload)?.image ?? r.declared;
  }

  /** Names of the config generations rendered below the workload (in every cluster of the stage). */
  private configOf(r: Rendered): string[] {
    const out = new Set<string>(r.configs);
    for (const scope of r.scopes) configNamesBelow(scope, out);
    return [...out].sort();
  }

  /**
   * Synth releases a target's constructs once its files are written (the promotion capability's `release`):
   * what the ledger check needs of the workloads below `scope` is kept, the constructs are not.
   */
  public release(scope: IConstruct): void {
    const prefix = `${scope.node.path}/`;
    for (const r of this.rendered.values()) {
      const below = r.scopes.filter((s) => s.node.path.startsWith(prefix));
      if (below.length === 0) continue;
      for (const s of below) configNamesBelow(s, r.configs);
      r.scopes = r.scopes.filter((s) => !below.includes(s));
    }
  }
}

/** Every object of the YAML files below `dir` (a target folder of the previous dist/) but retained config generations. */
function previousObjects(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name) && e.name !== 'kustomization.yaml') {
        for (const doc of YAML.parseAllDocuments(fs.readFileSync(p, 'utf8'), { version: '1.1' })) {
          const m = doc.toJS({ maxAliasCount: -1 });
          if (!m || typeof m !== 'object' || m.metadata?.labels?.[CONFIG_GENERATION_LABEL] === 'retained') continue;
          out.set(identity(m), canonical(m));
        }
      }
    }
  };
  walk(dir);
  return out;
}

function identity(m: any): string {
  return `${m?.kind}/${m?.metadata?.namespace ? `${m.metadata.namespace}/` : ''}${m?.metadata?.name}`;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().filter((k) => (v as any)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical((v as any)[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

function key(stage: string, workload: string): string {
  return `${stage}|${workload}`;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** `next` replacing `cur`: when the image changes, cur's verification is kept as an earlier one (the next stage may run it). */
function carry(cur: LedgerEntry | undefined, next: LedgerEntry): LedgerEntry {
  if (!cur) return next;
  const earlier = [...(cur.verifiedEarlier ?? [])];
  if (cur.image !== next.image && cur.verified) earlier.push({ image: cur.image, at: cur.verified.at, evidence: cur.verified.evidence });
  return strip({ ...next, verifiedEarlier: earlier.length > 0 ? earlier : undefined });
}

/** Drops undefined fields (an entry's optional parts). */
function strip(e: LedgerEntry): LedgerEntry {
  return Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as unknown as LedgerEntry;
}

/** The version part of an image reference: its tag, else the first 12 hex digits of its digest. */
export function releaseVersion(image: string): string {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) return name.slice(colon + 1);
  return at >= 0 ? image.slice(at + 1, at + 20) : image;
}

/** A workload's name without its namespace, unless two workloads of the list share it. */
function shortName(workload: string, all: readonly { workload: string }[]): string {
  const name = workload.slice(workload.indexOf('/') + 1);
  return all.filter((w) => w.workload.endsWith(`/${name}`)).length > 1 ? workload : name;
}

/** Adds the names of the config generations (content-named ConfigMaps of a set) below `scope` to `out`. */
function configNamesBelow(scope: IConstruct, out: Set<string>): void {
  for (const c of scope.node.findAll()) {
    if (c instanceof ApiObject && c.kind === 'ConfigMap' && c.metadata.getLabel(CONFIG_SET_LABEL) !== undefined) out.add(c.name);
  }
}
