import * as fs from 'fs';
import * as YAML from 'yaml';
import { show } from '../core';
import { parseTimestamp } from './clock';
import { PROMOTION_DEFAULTS as D } from './defaults';

/** A verification: when, and the free-text reference that proves it (a CI run, a canary analysis run). */
export interface Verification {
  /** ISO 8601, UTC. */
  readonly at: string;
  readonly evidence: string;
}

/** A stage skipped on purpose: why, and until when the skip may stand. */
export interface HotfixExemption {
  readonly reason: string;
  /** ISO 8601: after this, synth fails until the skipped stage has verified the release. */
  readonly expires: string;
  /** The stage that did not verify the release. */
  readonly skips: string;
}

/** A change recorded inside a freeze window, with the reason. */
export interface EmergencyOverride {
  readonly reason: string;
  /** The freeze window it overrode. */
  readonly window: string;
}

/** What one stage runs of one workload, since when, and what let it in. */
export interface LedgerEntry {
  /** Stage name: an environment, or `<env>/<ring>`. */
  readonly stage: string;
  /** `namespace/name` of the workload. */
  readonly workload: string;
  /** The image reference (tag and, where known, digest). */
  readonly image: string;
  /** Names of the config generations (content-named ConfigMaps) the stage renders for the workload. */
  readonly config: readonly string[];
  /** ISO 8601: when the stage started running this image. */
  readonly since: string;
  /** The upstream stage's verification that admitted the image (every stage but the first, unless a hotfix). */
  readonly upstream?: Verification;
  /** This stage's own verification of the image (what lets the next stage take it). */
  readonly verified?: Verification;
  readonly hotfix?: HotfixExemption;
  readonly emergency?: EmergencyOverride;
  /**
   * Earlier images this stage verified, kept while the next stage still runs them: the record that lets the next
   * stage's entry be checked after this stage moved on.
   */
  readonly verifiedEarlier?: readonly (Verification & { readonly image: string })[];
}

/** A problem with the ledger's text: where (`stages.staging."storefront/api".since`), what, the value and the fix. */
export class LedgerProblem {
  constructor(public readonly at: string, public readonly problem: string, public readonly value: unknown, public readonly fix: string) {}

  /** `promotion.yaml: stages.dev.x must ..., got ...; fix` */
  public message(file: string): string {
    return `${file}: ${this.at} ${this.problem}${this.value === undefined ? '' : `, got ${show(this.value)}`}; ${this.fix}`;
  }
}

const ENTRY_FIELDS = ['image', 'config', 'since', 'upstream', 'verified', 'verifiedEarlier', 'hotfix', 'emergency'];
const IMAGE = /^[a-zA-Z0-9][a-zA-Z0-9._\-/:@]*$/;
const KEY = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\/[a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/;

/** `stages.staging."storefront/api"` */
export function entryPath(stage: string, workload?: string, field?: string): string {
  const part = (k: string) => (/^[a-z0-9][a-z0-9/-]*$/.test(k) ? k : JSON.stringify(k));
  return ['stages', part(stage), ...(workload !== undefined ? [part(workload)] : []), ...(field ? [field] : [])].join('.');
}

/**
 * The promotion ledger: a committed, human-readable YAML file that records, per stage and workload, which
 * release runs there, since when, and which verification let it in. `npm run promote` rewrites it; the text is
 * a function of the entries (same entries, same bytes).
 */
export class PromotionLedger {
  /** Reads the ledger file; a missing file is an empty ledger (nothing promoted yet). */
  public static read(file: string = D.ledgerFile): PromotionLedger {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new PromotionLedger(file, [], []);
      throw e;
    }
    return PromotionLedger.parse(text, file);
  }

  /**
   * Parses ledger text. Problems (malformed YAML, duplicate or malformed entries) are kept in `problems`, not
   * thrown: the promotion check reports them with the rest, naming the file and the entry.
   */
  public static parse(text: string, file: string = D.ledgerFile): PromotionLedger {
    const problems: LedgerProblem[] = [];
    const entries: LedgerEntry[] = [];
    const doc = YAML.parseDocument(text, { version: '1.2', uniqueKeys: true, prettyErrors: false });
    for (const e of doc.errors) {
      const line = lineOf(text, e.pos?.[0]);
      if (e.code === 'DUPLICATE_KEY') {
        problems.push(new LedgerProblem(`line ${line}`, 'repeats a key (a duplicate stage, workload or field)', keyAt(text, e.pos?.[0]), 'keep one entry per stage and workload'));
      } else {
        problems.push(new LedgerProblem(`line ${line}`, `is not valid YAML (${e.message.split('\n')[0]})`, lineText(text, line), `fix the line, or restore the file from git and run ${D.command} <stage>`));
      }
    }
    if (problems.length > 0) return new PromotionLedger(file, [], problems);
    const root = doc.toJS({ maxAliasCount: 0 }) ?? {};
    if (!isMap(root) || Object.keys(root).some((k) => k !== 'stages') || (root.stages !== undefined && root.stages !== null && !isMap(root.stages))) {
      problems.push(new LedgerProblem('the top level', 'must be a map with one key, stages (stage -> workload -> entry)', isMap(root) ? Object.keys(root) : root, 'write it like `stages: { dev: { storefront/api: { image: ..., since: ... } } }`'));
      return new PromotionLedger(file, [], problems);
    }
    const stages = (root.stages ?? {}) as Record<string, unknown>;
    for (const stage of Object.keys(stages)) {
      const workloads = stages[stage];
      if (!KEY.test(stage)) problems.push(new LedgerProblem(entryPath(stage), 'is not a stage name (an environment, or <env>/<ring>)', stage, 'use a name from `npm run promote -- --status`'));
      if (workloads === null) continue;
      if (!isMap(workloads)) {
        problems.push(new LedgerProblem(entryPath(stage), 'must map workloads (namespace/name) to entries', workloads, 'write `storefront/api: { image: ..., since: ... }` below it'));
        continue;
      }
      for (const workload of Object.keys(workloads)) {
        const at = (field?: string) => entryPath(stage, workload, field);
        const raw = workloads[workload];
        if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(workload)) {
          problems.push(new LedgerProblem(at(), 'is not a workload key namespace/name', workload, 'write it like storefront/api'));
          continue;
        }
        if (!isMap(raw)) {
          problems.push(new LedgerProblem(at(), 'must be an entry with image and since', raw, 'write `{ image: ghcr.io/acme/api:1.2.3, since: "2026-12-06T08:00:00Z" }`'));
          continue;
        }
        const before = problems.length;
        for (const k of Object.keys(raw)) {
          if (!ENTRY_FIELDS.includes(k)) problems.push(new LedgerProblem(at(k), 'is not an entry field', k, `use ${ENTRY_FIELDS.join(', ')}`));
        }
        if (typeof raw.image !== 'string' || !IMAGE.test(raw.image)) problems.push(new LedgerProblem(at('image'), 'must be an image reference', raw.image, 'write it like ghcr.io/acme/api:1.2.3 (or with @sha256:<digest>)'));
        const config = raw.config ?? [];
        if (!Array.isArray(config) || config.some((c) => typeof c !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(c))) {
          problems.push(new LedgerProblem(at('config'), 'must list config generation names (ConfigMap names)', raw.config, 'write it like [api-config-1a2b3c4d], or leave it out'));
        }
        timestamp(problems, at('since'), raw.since);
        for (const f of ['upstream', 'verified'] as const) {
          const v = raw[f];
          if (v === undefined) continue;
          if (!isMap(v) || Object.keys(v).some((k) => k !== 'at' && k !== 'evidence')) {
            problems.push(new LedgerProblem(at(f), 'must be { at, evidence }', v, 'write `{ at: "2026-12-06T08:00:00Z", evidence: "CI run 4512" }`'));
            continue;
          }
          timestamp(problems, at(`${f}.at`), v.at);
          text1(problems, at(`${f}.evidence`), v.evidence, 'name what verified it: a CI run, an analysis run');
        }
        const earlier = raw.verifiedEarlier ?? [];
        if (!Array.isArray(earlier)) {
          problems.push(new LedgerProblem(at('verifiedEarlier'), 'must be a list of { image, at, evidence }', earlier, 'leave it as npm run promote wrote it'));
        } else {
          earlier.forEach((v, i) => {
            if (!isMap(v) || Object.keys(v).some((k) => !['image', 'at', 'evidence'].includes(k)) || typeof v.image !== 'string' || !IMAGE.test(v.image)) {
              problems.push(new LedgerProblem(at(`verifiedEarlier[${i}]`), 'must be { image, at, evidence }', v, 'leave it as npm run promote wrote it'));
              return;
            }
            timestamp(problems, at(`verifiedEarlier[${i}].at`), v.at);
            text1(problems, at(`verifiedEarlier[${i}].evidence`), v.evidence, 'name what verified it');
          });
        }
        if (raw.hotfix !== undefined) {
          const h = raw.hotfix;
          if (!isMap(h) || Object.keys(h).some((k) => !['reason', 'expires', 'skips'].includes(k))) {
            problems.push(new LedgerProblem(at('hotfix'), 'must be { reason, expires, skips }', h, 'write `{ reason: "CVE-2026-1234", expires: "2026-12-10T00:00:00Z", skips: staging }`'));
          } else {
            text1(problems, at('hotfix.reason'), h.reason, 'say why the stage is skipped');
            timestamp(problems, at('hotfix.expires'), h.expires);
            if (typeof h.skips !== 'string' || !KEY.test(h.skips)) problems.push(new LedgerProblem(at('hotfix.skips'), 'must name the skipped stage', h.skips, 'write the stage name, e.g. staging'));
          }
        }
        if (raw.emergency !== undefined) {
          const x = raw.emergency;
          if (!isMap(x) || Object.keys(x).some((k) => !['reason', 'window'].includes(k))) {
            problems.push(new LedgerProblem(at('emergency'), 'must be { reason, window }', x, 'write `{ reason: "...", window: year-end }`'));
          } else {
            text1(problems, at('emergency.reason'), x.reason, 'say why the change cannot wait for the window to close');
            if (typeof x.window !== 'string' || x.window === '') problems.push(new LedgerProblem(at('emergency.window'), 'must name the freeze window', x.window, 'write the window name, e.g. year-end'));
          }
        }
        if (problems.length > before) continue;
        entries.push({
          stage, workload, image: raw.image, config: [...config], since: raw.since,
          ...(raw.upstream ? { upstream: { at: raw.upstream.at, evidence: raw.upstream.evidence } } : {}),
          ...(raw.verified ? { verified: { at: raw.verified.at, evidence: raw.verified.evidence } } : {}),
          ...(raw.hotfix ? { hotfix: { reason: raw.hotfix.reason, expires: raw.hotfix.expires, skips: raw.hotfix.skips } } : {}),
          ...(raw.emergency ? { emergency: { reason: raw.emergency.reason, window: raw.emergency.window } } : {}),
          ...(earlier.length > 0 ? { verifiedEarlier: earlier.map((v: any) => ({ image: v.image, at: v.at, evidence: v.evidence })) } : {}),
        });
      }
    }
    return new PromotionLedger(file, entries, problems);
  }

  /** A ledger of the given entries (for generated platforms and tests). */
  public static of(entries: readonly LedgerEntry[], file: string = D.ledgerFile): PromotionLedger {
    return new PromotionLedger(file, [...entries], []);
  }

  /** The file the ledger was read from (named in every error). */
  public readonly file: string;
  public readonly entries: readonly LedgerEntry[];
  /** What is wrong with the text (empty for a well-formed ledger). */
  public readonly problems: readonly LedgerProblem[];
  private readonly index: ReadonlyMap<string, LedgerEntry>;

  private constructor(file: string, entries: LedgerEntry[], problems: LedgerProblem[]) {
    this.file = file;
    this.entries = entries;
    this.problems = problems;
    this.index = new Map(entries.map((e) => [`${e.stage}|${e.workload}`, e]));
  }

  /** The entry of one stage and workload. */
  public entry(stage: string, workload: string): LedgerEntry | undefined {
    return this.index.get(`${stage}|${workload}`);
  }

  /** A ledger with `entries` replacing those of the same stage and workload (`undefined` image removes). */
  public with(changes: readonly LedgerEntry[], removed: readonly { stage: string; workload: string }[] = []): PromotionLedger {
    const map = new Map(this.index);
    for (const r of removed) map.delete(`${r.stage}|${r.workload}`);
    for (const e of changes) map.set(`${e.stage}|${e.workload}`, e);
    return new PromotionLedger(this.file, [...map.values()], []);
  }

  /**
   * The ledger as text: stages in `stageOrder` (others after, by name), workloads by name, fields in a fixed
   * order; every free-text value double-quoted (JSON escapes are YAML escapes), so markup and line breaks stay data.
   */
  public toYaml(stageOrder: readonly string[] = []): string {
    const byStage = new Map<string, LedgerEntry[]>();
    for (const e of this.entries) byStage.set(e.stage, [...(byStage.get(e.stage) ?? []), e]);
    const rank = (s: string) => (stageOrder.includes(s) ? stageOrder.indexOf(s) : stageOrder.length);
    const stages = [...byStage.keys()].sort((a, b) => rank(a) - rank(b) || cmp(a, b));
    const q = (s: string) => JSON.stringify(s);
    // stage and workload keys are plain when no YAML reader can misread them
    const k = (s: string) => (/^[a-z][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)?$/.test(s) ? s : q(s));
    const out = [
      '# The promotion ledger: which release of each workload every stage runs, since when, and what verified it.',
      '# Written by `npm run promote -- <stage> --evidence "..."`; review it like code. Stages in promotion order.',
    ];
    if (stages.length === 0) return `${out.join('\n')}\nstages: {}\n`;
    out.push('stages:');
    for (const stage of stages) {
      out.push(`  ${k(stage)}:`);
      for (const e of byStage.get(stage)!.sort((a, b) => cmp(a.workload, b.workload))) {
        out.push(`    ${k(e.workload)}:`);
        out.push(`      image: ${q(e.image)}`);
        if (e.config.length > 0) out.push(`      config: [${e.config.map(q).join(', ')}]`);
        out.push(`      since: ${q(e.since)}`);
        if (e.upstream) out.push(`      upstream: { at: ${q(e.upstream.at)}, evidence: ${q(e.upstream.evidence)} }`);
        if (e.verified) out.push(`      verified: { at: ${q(e.verified.at)}, evidence: ${q(e.verified.evidence)} }`);
        if (e.verifiedEarlier && e.verifiedEarlier.length > 0) {
          out.push('      verifiedEarlier:');
          for (const v of e.verifiedEarlier) out.push(`        - { image: ${q(v.image)}, at: ${q(v.at)}, evidence: ${q(v.evidence)} }`);
        }
        if (e.hotfix) out.push(`      hotfix: { reason: ${q(e.hotfix.reason)}, expires: ${q(e.hotfix.expires)}, skips: ${q(e.hotfix.skips)} }`);
        if (e.emergency) out.push(`      emergency: { reason: ${q(e.emergency.reason)}, window: ${q(e.emergency.window)} }`);
      }
    }
    return `${out.join('\n')}\n`;
  }
}

function isMap(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function timestamp(problems: LedgerProblem[], at: string, v: unknown): void {
  if (!parseTimestamp(v)) problems.push(new LedgerProblem(at, 'must be an ISO 8601 timestamp with a zone', v, 'write it like "2026-12-06T08:00:00Z"'));
}

function text1(problems: LedgerProblem[], at: string, v: unknown, fix: string): void {
  if (typeof v !== 'string' || v.trim() === '') problems.push(new LedgerProblem(at, 'must be a non-empty text', v, fix));
}

function lineOf(text: string, pos: number | undefined): number {
  return pos === undefined ? 1 : text.slice(0, pos).split('\n').length;
}

function lineText(text: string, line: number): string {
  return (text.split('\n')[line - 1] ?? '').trim();
}

function keyAt(text: string, pos: number | undefined): string {
  return pos === undefined ? '' : (/^[^:\n]*/.exec(text.slice(pos))?.[0] ?? '').trim();
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
