import { REVIEW_DEFAULTS as D } from './defaults';

/** A manifest parsed from dist/. */
export type ReviewManifest = Record<string, any>;
type Manifest = ReviewManifest;

/** One phase of a rollout, in order. */
export interface RolloutPhase {
  readonly kind: 'weight' | 'pause' | 'analysis' | 'header-route' | 'mirror' | 'scale' | 'preview' | 'promote' | 'batch' | 'done';
  /** Share of traffic (percent) on the new version after this phase. */
  readonly weight: number;
  /** What the phase does, for people (`pause 10m`, `analysis: success-rate ≥ 0.999, latency ≤ 300`). */
  readonly label: string;
  /** How long the phase takes at least (seconds); undefined when it waits for a person. */
  readonly seconds?: number;
  /** Waits for a manual promotion. */
  readonly manual?: boolean;
  /** For analysis gates: the metrics and their pass conditions. */
  readonly measures?: readonly string[];
}

/** How one workload's new version reaches users in one target. */
export interface RolloutPlan {
  readonly strategy: 'canary' | 'blue-green' | 'flagger' | 'rolling-update' | 'statefulset';
  /** The workload (`Deployment storefront/api`). */
  readonly workload: string;
  readonly phases: readonly RolloutPhase[];
  /** Analysis that runs in the background during the whole rollout. */
  readonly background?: readonly string[];
  /** The least time it takes, when nothing fails and nobody waits (seconds). */
  readonly minSeconds: number;
  /** True when a person must promote it. */
  readonly manual: boolean;
  readonly notes: readonly string[];
}

/** Objects of one target and namespace, by `kind/name`, to resolve references (templates, scalers). */
export interface PlanContext {
  readonly find: (kind: string, name: string) => Manifest | undefined;
  /** Autoscalers (HPA, ScaledObject) of one workload `kind/name`. */
  readonly scalersOf: (kind: string, name: string) => Manifest[];
  /** The Rollout (workloadRef) or Flagger Canary (targetRef) that delivers a Deployment. */
  readonly deliveryOf: (deploymentName: string) => Manifest | undefined;
}

/** Seconds of an Argo/Flagger/Go duration (`90s`, `10m`, `1h30m`), or undefined. */
export function durationToSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  if (/^[0-9]+$/.test(value)) return Number(value);
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
  let total = 0;
  let matched = '';
  for (const m of value.matchAll(/([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)/g)) {
    total += Number(m[1]) * units[m[2]];
    matched += m[0];
  }
  return matched === value && matched.length > 0 ? total : undefined;
}

/** Flagger's built-in metrics: request-success-rate is a percentage, request-duration milliseconds (Flagger docs). */
const FLAGGER_BUILTIN_UNITS: Record<string, string> = { 'request-success-rate': '%', 'request-duration': 'ms' };

/**
 * The unit of a PromQL query's result, from the Prometheus naming convention of the metric it reads
 * (`*_milliseconds_*`, `*_seconds_*`, `*_bytes*`), or `ratio` for a quotient of two rates; '' when unknown.
 */
export function unitOfQuery(query: string): string {
  if (/_milliseconds(_|\b)/.test(query)) return 'ms';
  if (/_seconds(_|\b)/.test(query)) return 's';
  if (/_bytes(_|\b)/.test(query)) return 'bytes';
  if (/\)\s*\/\s*(scalar\()?\s*sum\(/.test(query)) return 'ratio';
  return '';
}

/** `300 ms`, `99.9%`; a ratio also as the percentage people read (`0.999 (99.9%)`). */
export function withUnit(value: number, unit: string): string {
  if (unit === '') return String(value);
  if (unit === '%') return `${value}%`;
  if (unit === 'ratio') return `${value} (${Number((value * 100).toPrecision(6))}%)`;
  return `${value} ${unit}`;
}

/** `1h 5m`, `10m`, `45s`. */
export function formatDuration(seconds: number): string {
  if (seconds <= 0) return '0s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return [h ? `${h}h` : '', m ? `${m}m` : '', s ? `${s}s` : ''].filter(Boolean).join(' ');
}

/** The rollout plan of a pod-bearing object whose template changed, in the context of its target. */
export function planOf(workload: Manifest, ctx: PlanContext): RolloutPlan | undefined {
  const kind = workload.kind;
  const name = workload.metadata?.name ?? '';
  const ns = workload.metadata?.namespace;
  const label = `${kind} ${ns ? `${ns}/` : ''}${name}`;
  if (kind === 'Deployment') {
    const delivery = ctx.deliveryOf(name);
    // named as rendered: an Argo Rollout runs the pods (the Deployment only lends its template); Flagger drives the Deployment
    if (delivery?.kind === 'Rollout') return rolloutPlan(delivery, `Rollout ${ns ? `${ns}/` : ''}${delivery.metadata?.name ?? name}`, ctx);
    if (delivery?.kind === 'Canary') return flaggerPlan(delivery, `${label} (Flagger Canary)`, ctx);
    return rollingPlan(workload, label, ctx);
  }
  if (kind === 'Rollout') return rolloutPlan(workload, label, ctx);
  if (kind === 'StatefulSet') return statefulPlan(workload, label);
  return undefined;
}

function rolloutPlan(rollout: Manifest, label: string, ctx: PlanContext): RolloutPlan {
  const strategy = rollout.spec?.strategy ?? {};
  if (strategy.blueGreen) return blueGreenPlan(strategy.blueGreen, label, ctx);
  const canary = strategy.canary ?? {};
  const phases: RolloutPhase[] = [];
  let weight = 0;
  const notes: string[] = [];
  for (const step of canary.steps ?? []) {
    if (step.setWeight !== undefined) {
      weight = Number(step.setWeight);
      phases.push({ kind: 'weight', weight, label: `${weight}% of traffic`, seconds: 0 });
    } else if (step.pause !== undefined) {
      const seconds = durationToSeconds(step.pause?.duration);
      phases.push(seconds === undefined
        ? { kind: 'pause', weight, label: 'pause until promoted', manual: true }
        : { kind: 'pause', weight, label: `pause ${formatDuration(seconds)}`, seconds });
    } else if (step.analysis) {
      const gate = analysisGate(step.analysis.templates ?? [], ctx);
      phases.push({ kind: 'analysis', weight, label: `analysis: ${gate.names.join(', ') || 'templates'}`, seconds: gate.seconds, measures: gate.measures });
    } else if (step.setHeaderRoute) {
      const m = (step.setHeaderRoute.match ?? []).map((x: any) => `${x.headerName}: ${x.headerValue?.exact ?? x.headerValue?.prefix ?? x.headerValue?.regex ?? '*'}`);
      phases.push({ kind: 'header-route', weight, label: m.length > 0 ? `header route ${m.join(', ')}` : `remove header route ${step.setHeaderRoute.name}`, seconds: 0 });
    } else if (step.setMirrorRoute) {
      const r = step.setMirrorRoute;
      const methods = (r.match ?? []).map((x: any) => x.method?.exact).filter(Boolean);
      phases.push({ kind: 'mirror', weight, label: r.match ? `mirror ${r.percentage ?? 100}%${methods.length ? ` of ${methods.join('/')}` : ''}` : `stop mirror ${r.name}`, seconds: 0 });
    } else if (step.setCanaryScale) {
      const s = step.setCanaryScale;
      const what = s.replicas !== undefined ? `${s.replicas} pods` : s.weight !== undefined ? `${s.weight}% of pods` : 'pods follow traffic';
      phases.push({ kind: 'scale', weight, label: `canary scale ${what}`, seconds: 0 });
    } else {
      notes.push(`unknown step ${Object.keys(step).join(', ')}`);
    }
  }
  phases.push({ kind: 'done', weight: 100, label: 'promoted: 100%', seconds: 0 });
  const background = canary.analysis ? analysisGate(canary.analysis.templates ?? [], ctx).measures : undefined;
  return finish('canary', label, phases, notes, background);
}

function blueGreenPlan(bg: Manifest, label: string, ctx: PlanContext): RolloutPlan {
  const phases: RolloutPhase[] = [];
  const notes: string[] = [];
  phases.push({ kind: 'preview', weight: 0, label: `preview on ${bg.previewService ?? 'preview service'}${bg.previewReplicaCount !== undefined ? ` (${bg.previewReplicaCount} pods)` : ''}`, seconds: 0 });
  if (bg.prePromotionAnalysis) {
    const gate = analysisGate(bg.prePromotionAnalysis.templates ?? [], ctx);
    phases.push({ kind: 'analysis', weight: 0, label: 'pre-promotion analysis', seconds: gate.seconds, measures: gate.measures });
  }
  if (bg.autoPromotionEnabled === false) {
    phases.push({ kind: 'pause', weight: 0, label: 'wait for manual promotion', manual: true });
  } else if (bg.autoPromotionSeconds !== undefined) {
    phases.push({ kind: 'pause', weight: 0, label: `auto-promote after ${formatDuration(Number(bg.autoPromotionSeconds))}`, seconds: Number(bg.autoPromotionSeconds) });
  }
  phases.push({ kind: 'promote', weight: 100, label: `switch ${bg.activeService ?? 'active service'} to the new version`, seconds: 0 });
  if (bg.postPromotionAnalysis) {
    const gate = analysisGate(bg.postPromotionAnalysis.templates ?? [], ctx);
    phases.push({ kind: 'analysis', weight: 100, label: 'post-promotion analysis', seconds: gate.seconds, measures: gate.measures });
  }
  const delay = Number(bg.scaleDownDelaySeconds ?? D.blueGreenScaleDownDelaySeconds);
  phases.push({ kind: 'done', weight: 100, label: `old version scaled down after ${formatDuration(delay)}`, seconds: delay });
  return finish('blue-green', label, phases, notes);
}

function flaggerPlan(canary: Manifest, label: string, ctx: PlanContext): RolloutPlan {
  const a = canary.spec?.analysis ?? {};
  const interval = durationToSeconds(a.interval ?? D.flaggerInterval) ?? 60;
  const notes: string[] = [];
  let weights: number[] = Array.isArray(a.stepWeights) ? a.stepWeights.map(Number) : [];
  if (weights.length === 0 && a.stepWeight) {
    const max = Number(a.maxWeight ?? 50);
    for (let w = Number(a.stepWeight); w <= max; w += Number(a.stepWeight)) weights.push(w);
  }
  const measures = (a.metrics ?? []).map((m: any) => {
    const r = m.thresholdRange ?? {};
    const template = m.templateRef?.name ? ctx.find('MetricTemplate', m.templateRef.name) : undefined;
    const unit = template ? unitOfQuery(String(template.spec?.query ?? '')) : FLAGGER_BUILTIN_UNITS[m.name] ?? '';
    const cond = [r.min !== undefined ? `≥ ${withUnit(r.min, unit)}` : '', r.max !== undefined ? `≤ ${withUnit(r.max, unit)}` : ''].filter(Boolean).join(' and ');
    return `${m.name}${cond ? ` ${cond}` : ''}${m.templateRef ? ` (${m.templateRef.name})` : ''}`;
  });
  const phases: RolloutPhase[] = [];
  if (a.iterations) {
    phases.push({ kind: 'header-route', weight: 0, label: `A/B: ${a.iterations} checks on matched requests`, seconds: interval * Number(a.iterations), measures });
    weights = [];
  }
  if (a.mirror) phases.push({ kind: 'mirror', weight: 0, label: `mirror traffic${a.mirrorWeight ? ` ${a.mirrorWeight}%` : ''}`, seconds: 0 });
  for (const w of weights) {
    phases.push({ kind: 'weight', weight: w, label: `${w}% of traffic`, seconds: 0 });
    phases.push({ kind: 'analysis', weight: w, label: `checks every ${formatDuration(interval)}`, seconds: interval, measures });
  }
  const hooks = (a.webhooks ?? []).filter((h: any) => h.type === 'confirm-promotion' || h.type === 'confirm-rollout');
  if (hooks.length > 0) phases.push({ kind: 'pause', weight: weights[weights.length - 1] ?? 0, label: `confirmation: ${hooks.map((h: any) => h.name).join(', ')}`, manual: true });
  phases.push({ kind: 'promote', weight: 100, label: 'primary promoted', seconds: interval });
  phases.push({ kind: 'done', weight: 100, label: 'canary scaled to zero', seconds: 0 });
  if (a.threshold) notes.push(`rolls back after ${a.threshold} failed checks`);
  return finish('flagger', label, phases, notes);
}

function rollingPlan(deployment: Manifest, label: string, ctx: PlanContext): RolloutPlan {
  const replicas = replicaRange(deployment, ctx);
  const ru = deployment.spec?.strategy?.rollingUpdate ?? {};
  const n = replicas.max;
  const surge = Math.max(resolvePercent(ru.maxSurge ?? '25%', n, true), 0);
  const unavailable = Math.max(resolvePercent(ru.maxUnavailable ?? '25%', n, false), 0);
  const perBatch = Math.max(surge + unavailable, 1);
  const batches = Math.ceil(n / perBatch);
  const probe = deployment.spec?.template?.spec?.containers?.[0]?.readinessProbe;
  const batchSeconds = probe ? Number(probe.initialDelaySeconds ?? 0) + Number(probe.periodSeconds ?? 10) * Number(probe.successThreshold ?? 1) : D.rollingBatchSeconds;
  const phases: RolloutPhase[] = [];
  for (let i = 1; i <= batches; i++) {
    const weight = Math.round((Math.min(i * perBatch, n) / n) * 100);
    phases.push({ kind: 'batch', weight, label: `batch ${i}/${batches}: ${Math.min(i * perBatch, n)} of ${n} pods new`, seconds: batchSeconds });
  }
  phases.push({ kind: 'done', weight: 100, label: 'all pods replaced', seconds: 0 });
  const rangeText = replicas.min === replicas.max ? `${n}` : `${replicas.min}-${replicas.max}`;
  return finish('rolling-update', label, phases, [`${rangeText} pods, maxSurge ${ru.maxSurge ?? '25%'}, maxUnavailable ${ru.maxUnavailable ?? '25%'}`]);
}

function statefulPlan(sts: Manifest, label: string): RolloutPlan {
  const n = Number(sts.spec?.replicas ?? 1);
  const partition = Number(sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0);
  const phases: RolloutPhase[] = [];
  for (let i = n - 1; i >= partition; i--) {
    phases.push({ kind: 'batch', weight: Math.round(((n - i) / (n - partition || 1)) * 100), label: `pod ${i} replaced`, seconds: D.rollingBatchSeconds });
  }
  phases.push({ kind: 'done', weight: 100, label: partition > 0 ? `pods below ${partition} keep the old version (partition)` : 'all pods replaced', seconds: 0 });
  return finish('statefulset', label, phases, [`${n} pods, one at a time from the highest ordinal`]);
}

function finish(strategy: RolloutPlan['strategy'], workload: string, phases: RolloutPhase[], notes: string[], background?: readonly string[]): RolloutPlan {
  const minSeconds = phases.reduce((s, p) => s + (p.seconds ?? 0), 0);
  return { strategy, workload, phases, minSeconds, manual: phases.some((p) => p.manual), notes, ...(background && background.length > 0 ? { background } : {}) };
}

/** The metrics of analysis templates and how long one run takes (interval x count, the longest metric). */
function analysisGate(templates: readonly any[], ctx: PlanContext): { measures: string[]; names: string[]; seconds: number } {
  const measures: string[] = [];
  const names: string[] = [];
  let seconds = 0;
  for (const t of templates) {
    const name = t.templateName ?? t.clusterTemplateName;
    const tpl = name ? ctx.find(t.clusterScope || t.clusterTemplateName ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate', name) : undefined;
    if (!tpl) {
      measures.push(`${name ?? 'template'} (not rendered here)`);
      continue;
    }
    for (const m of tpl.spec?.metrics ?? []) {
      names.push(m.name);
      const unit = unitOfQuery(String(m.provider?.prometheus?.query ?? ''));
      const condition = m.successCondition ? String(m.successCondition).replace(/^result(\[0\])?\s*/, '') : '';
      measures.push(`${m.name}${condition ? `: ${unit ? condition.replace(/(-?[0-9][0-9.e+-]*)\s*$/, (n) => withUnit(Number(n), unit)) : condition}` : ''}`);
      const interval = durationToSeconds(m.interval) ?? 0;
      seconds = Math.max(seconds, interval * Number(m.count ?? D.analysisDefaultCount));
    }
  }
  return { measures, names, seconds };
}

/** The pods a workload runs: fixed replicas, or its autoscaler's range. */
export function replicaRange(workload: Manifest, ctx: PlanContext): { min: number; max: number } {
  const scalers = ctx.scalersOf(workload.kind, workload.metadata?.name ?? '');
  if (scalers.length > 0) {
    const s = scalers[0].spec ?? {};
    const min = Number(s.minReplicas ?? s.minReplicaCount ?? 1);
    const max = Number(s.maxReplicas ?? s.maxReplicaCount ?? min);
    return { min, max };
  }
  const n = workload.spec?.replicas;
  const r = typeof n === 'number' ? n : 1;
  return { min: r, max: r };
}

function resolvePercent(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^([0-9]+)%$/.exec(String(value));
  if (!m) return Number(value) || 0;
  const exact = (Number(m[1]) / 100) * total;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}
