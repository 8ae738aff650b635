import { IConstruct } from 'constructs';
import { checkProps, configError } from '../core';
import { OBSERVABILITY_DEFAULTS as D } from './defaults';

/** "`percentile` of requests complete within `thresholdMs`". */
export interface LatencyObjective {
  /** The fraction of requests the threshold holds for, between 0 and 1 exclusive: 0.99 is p99. */
  readonly percentile: number;
  /** Milliseconds. */
  readonly thresholdMs: number;
}

export interface ServiceLevelObjectiveOptions {
  /**
   * The fraction of requests that succeed (are not answered with a 5xx), between 0 and 1 exclusive: 0.999.
   * @default - no success-rate objective
   */
  readonly successRate?: number;
  /**
   * How fast requests complete.
   * @default - no latency objective
   */
  readonly latency?: LatencyObjective;
  /**
   * The compliance window the error budget is measured over (burn-rate alerts), a Prometheus duration.
   * @default '30d'
   */
  readonly window?: string;
}

const WINDOW = /^[1-9][0-9]*(m|h|d|w)$/;

/**
 * What a service promises its callers: a success rate and a latency at a percentile. A plain value, shared by
 * everything derived from the promise: canary analysis (lib/delivery) and burn-rate alerts.
 *
 * @example ServiceLevelObjective.of({ successRate: 0.999, latency: { percentile: 0.99, thresholdMs: 300 } })
 */
export class ServiceLevelObjective {
  /** An objective with a success rate, a latency, or both. Checked where it is used (errors name that construct). */
  public static of(options: ServiceLevelObjectiveOptions): ServiceLevelObjective {
    checkProps('ServiceLevelObjective.of', 'ServiceLevelObjectiveOptions', options);
    return new ServiceLevelObjective(options);
  }

  public readonly successRate?: number;
  public readonly latency?: LatencyObjective;
  public readonly window: string;

  private constructor(options: ServiceLevelObjectiveOptions) {
    this.successRate = options.successRate;
    this.latency = options.latency ? { ...options.latency } : undefined;
    this.window = options.window ?? D.slo.window;
  }

  /** The share of requests allowed to fail (1 - successRate), or undefined without a success-rate objective. */
  public get errorBudget(): number | undefined {
    return this.successRate === undefined ? undefined : Number((1 - this.successRate).toPrecision(12));
  }

  /**
   * @internal Throws a config error naming `scope` and `prop` when the objective is malformed.
   */
  public _validate(scope: IConstruct, prop: string): void {
    if (this.successRate === undefined && this.latency === undefined) {
      throw configError(scope, prop, 'declares no objective', {}, 'set successRate (e.g. 0.999), latency (e.g. { percentile: 0.99, thresholdMs: 300 }) or both');
    }
    const s = this.successRate;
    if (s !== undefined && !(typeof s === 'number' && s > 0 && s < 1)) {
      throw configError(scope, `${prop}.successRate`, 'must be a fraction between 0 and 1 (exclusive)', s, 'write 99.9% as 0.999');
    }
    const l = this.latency;
    if (l !== undefined) {
      if (!(typeof l.percentile === 'number' && l.percentile > 0 && l.percentile < 1)) {
        throw configError(scope, `${prop}.latency.percentile`, 'must be a fraction between 0 and 1 (exclusive)', l.percentile, 'write p99 as 0.99');
      }
      if (l.thresholdMs === undefined) {
        throw configError(scope, `${prop}.latency.thresholdMs`, `is required with latency.percentile (${l.percentile} of requests within what?)`, l.thresholdMs, 'add thresholdMs, e.g. { percentile: 0.99, thresholdMs: 300 }');
      }
      if (!(typeof l.thresholdMs === 'number' && Number.isFinite(l.thresholdMs) && l.thresholdMs > 0)) {
        throw configError(scope, `${prop}.latency.thresholdMs`, 'must be a positive number of milliseconds', l.thresholdMs, 'use e.g. 300');
      }
    }
    if (!WINDOW.test(this.window)) {
      throw configError(scope, `${prop}.window`, 'must be a Prometheus duration in minutes, hours, days or weeks', this.window, `use e.g. '${D.slo.window}'`);
    }
  }
}
