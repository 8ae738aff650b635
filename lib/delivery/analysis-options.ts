import { targetOf } from '../environments/environment';
import { configError } from '../core';
import { declareSloGate, ServiceLevelObjective, SloMetrics } from '../observability';
import type { HardenedService } from '../workloads/hardened-service';
import { DELIVERY_DEFAULTS as D } from './defaults';
import { assertInt, parseDuration } from './duration';

/** How an SLO is measured during a rollout. */
export interface AnalysisOptions {
  /**
   * Prometheus base URL the queries go to.
   * @default - the environment's `prometheusAddress` (lib/gitops Environment); required outside a GitOpsApp
   */
  readonly prometheusAddress?: string;
  /**
   * Where the success rate and latency come from.
   * @default SloMetrics.istio()
   */
  readonly metrics?: SloMetrics;
  /**
   * Time between two measurements: '30s', '5m', '1h' or seconds.
   * @default '1m'
   */
  readonly interval?: string | number;
  /**
   * Measurements of one analysis run (analysis steps, blue-green promotion analysis). Background analysis
   * measures until promotion.
   * @default 5
   */
  readonly count?: number;
  /**
   * Failed measurements tolerated; one more fails the run, which aborts the rollout and sends all traffic back
   * to the stable version.
   * @default 1
   */
  readonly failureLimit?: number;
  /**
   * The rate() range of the queries: '30s', '5m', '1h' or seconds.
   * @default '2m'
   */
  readonly window?: string | number;
  /**
   * A measurement without data (no traffic reached the version): `inconclusive` pauses the rollout until a
   * human promotes or aborts it, `pass` counts it as met, `fail` as missed.
   * @default 'inconclusive'
   */
  readonly noData?: 'inconclusive' | 'pass' | 'fail';
}

/** Analysis options resolved against the defaults and the environment. */
export interface ResolvedAnalysis {
  readonly slo: ServiceLevelObjective;
  readonly metrics: SloMetrics;
  readonly prometheusAddress: string;
  readonly interval: string;
  readonly count: number;
  readonly failureLimit: number;
  readonly window: string;
  readonly noData: 'inconclusive' | 'pass' | 'fail';
}

/**
 * Resolves analysis once, or returns undefined when the strategy has none. `wanted` says whether the strategy
 * asked for analysis (steps, background or promotion analysis); analysis needs an SLO (its metrics source).
 */
export function resolveAnalysis(service: HardenedService, prop: string, slo: ServiceLevelObjective | undefined,
  options: AnalysisOptions | undefined, wanted: string | undefined): ResolvedAnalysis | undefined {
  if (!slo) {
    if (wanted) {
      throw configError(service, `${prop}.slo`, `is required by ${wanted} (the SLO is the analysis' metrics source)`, slo,
        'set slo: ServiceLevelObjective.of({ successRate: 0.999, latency: { percentile: 0.99, thresholdMs: 300 } })');
    }
    if (options) {
      throw configError(service, `${prop}.analysis`, 'is set but there is no SLO to analyse (no metrics source)', options,
        'set slo: ServiceLevelObjective.of({...}), or remove analysis');
    }
    return undefined;
  }
  slo._validate(service, `${prop}.slo`);
  declareSloGate(service, slo, `${prop}.slo`);
  const o = options ?? {};
  const address = prometheusAddressOf(service, `${prop}.analysis.prometheusAddress`, o.prometheusAddress);
  const noData = o.noData ?? D.analysis.noData;
  if (!['inconclusive', 'pass', 'fail'].includes(noData)) {
    throw configError(service, `${prop}.analysis.noData`, "must be 'inconclusive', 'pass' or 'fail'", noData, `use '${D.analysis.noData}'`);
  }
  const count = assertInt(service, `${prop}.analysis.count`, o.count ?? D.analysis.count, 1, 1000, D.analysis.count);
  const failureLimit = assertInt(service, `${prop}.analysis.failureLimit`, o.failureLimit ?? D.analysis.failureLimit, 0, 1000, D.analysis.failureLimit);
  if (failureLimit >= count) {
    throw configError(service, `${prop}.analysis.failureLimit`, `must be below count (${count}), or a run could never fail`, failureLimit, `use e.g. ${Math.min(D.analysis.failureLimit, count - 1)}`);
  }
  return {
    slo,
    metrics: o.metrics ?? SloMetrics.istio(),
    prometheusAddress: address,
    interval: parseDuration(service, `${prop}.analysis.interval`, o.interval ?? D.analysis.interval),
    count,
    failureLimit,
    window: parseDuration(service, `${prop}.analysis.window`, o.window ?? D.analysis.window),
    noData,
  };
}

/**
 * The Prometheus base URL analysis queries: `override`, else the environment's `prometheusAddress`. Throws when
 * neither is known or the URL is malformed.
 */
export function prometheusAddressOf(service: HardenedService, prop: string, override: string | undefined): string {
  const address = override ?? targetOf(service)?.env.prometheusAddress;
  if (address === undefined) {
    throw configError(service, prop, 'is unknown (the service is not inside a GitOpsApp environment, whose prometheusAddress is the default)', address,
      "pass the Prometheus URL, e.g. 'http://prometheus-operated.monitoring.svc:9090'");
  }
  if (typeof address !== 'string' || !/^https?:\/\/[^\s]+$/.test(address)) {
    throw configError(service, prop, 'must be an http(s) URL', address, "use e.g. 'http://prometheus-operated.monitoring.svc:9090'");
  }
  return address;
}
