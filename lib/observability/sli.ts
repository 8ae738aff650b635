// The SLIs of an objective, as recording rules name them: shared by the PrometheusRule and the dashboard.
import { OBSERVABILITY_DEFAULTS as D } from './defaults';
import type { ServiceLevelObjective } from './service-level-objective';
import type { SloMetrics, SloQueryScope } from './slo-metrics';

/** One objective of an SLO: availability (success rate) or latency (share of requests under a threshold). */
export interface Sli {
  /** `availability` or `latency`. */
  readonly kind: 'availability' | 'latency';
  /** The `slo` label of its series: `<service>-<kind>`. */
  readonly slo: string;
  /** The objective, 0 to 1 (0.999; for latency the percentile). */
  readonly target: number;
  /** The share of requests allowed to miss: 1 - target. */
  readonly budget: number;
  /** Human text: `99.9% of requests succeed`. */
  readonly description: string;
  /** PromQL of the error ratio over `window`. */
  readonly errorRatio: (window: string) => string;
}

/** The name of the recording rule holding an SLI's error ratio over `window` (SRE workbook naming). */
export function recordName(window: string): string {
  return `slo:sli_error:ratio_rate${window}`;
}

/** The series selector of one SLI's recordings. */
export function sliSelector(sli: Sli, namespace: string): string {
  return `{slo="${sli.slo}",namespace="${namespace}"}`;
}

const pct = (x: number) => `${Number((x * 100).toPrecision(10))}%`;

/** The SLIs of `slo` measured by `metrics` on `scope` (its window is replaced per recording). */
export function slisOf(name: string, slo: ServiceLevelObjective, metrics: SloMetrics, scope: Omit<SloQueryScope, 'window'>): Sli[] {
  const out: Sli[] = [];
  if (slo.successRate !== undefined) {
    out.push({
      kind: 'availability',
      slo: `${name}-availability`,
      target: slo.successRate,
      budget: slo.errorBudget!,
      description: `${pct(slo.successRate)} of requests succeed`,
      errorRatio: (window) => metrics.errorRatioQuery({ ...scope, window }),
    });
  }
  const l = slo.latency;
  if (l) {
    out.push({
      kind: 'latency',
      slo: `${name}-latency`,
      target: l.percentile,
      budget: Number((1 - l.percentile).toPrecision(12)),
      description: `${pct(l.percentile)} of requests complete within ${l.thresholdMs} ms`,
      errorRatio: (window) => metrics.slowRatioQuery({ ...scope, window }, l.thresholdMs),
    });
  }
  return out;
}

/** A multi-window burn-rate condition: each pair burns `factor` times the budget over both of its windows. */
export function burnExpr(sli: Sli, namespace: string, pairs: readonly { readonly factor: number; readonly long: string; readonly short: string }[]): string {
  const sel = sliSelector(sli, namespace);
  return pairs.map((p) => `(${recordName(p.long)}${sel} > (${p.factor} * ${sli.budget}) and ${recordName(p.short)}${sel} > (${p.factor} * ${sli.budget}))`).join(' or ');
}

export const SLI_WINDOWS: readonly string[] = D.alerts.windows;
