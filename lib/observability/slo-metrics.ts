import { OBSERVABILITY_DEFAULTS as D } from './defaults';
import { checkProps } from '../core';

/**
 * Whose requests a query measures. Values may be template placeholders that the consumer fills in at run time
 * (`{{args.service}}` in an Argo Rollouts AnalysisTemplate, `{{ target }}` in a Flagger MetricTemplate).
 */
export interface SloQueryScope {
  /**
   * `service`: requests sent to a Kubernetes Service, as its callers see them (a canary or preview Service).
   * `workload`: requests received by the pods of a Deployment.
   */
  readonly selector: 'service' | 'workload';
  /** The Service or Deployment name. */
  readonly name: string;
  readonly namespace: string;
  /** The rate() range, a Prometheus duration (`2m`) or a placeholder. */
  readonly window: string;
  /**
   * Only requests served by pods of this revision (their `app.kubernetes.io/version`).
   * @default - every revision
   */
  readonly revision?: string;
}

/** The queries an SLO needs from a metric source. */
export interface CustomSloMetricsOptions {
  /** Names the source in generated objects and errors (`linkerd`). */
  readonly name: string;
  /** PromQL for the fraction of successful requests, 0 to 1 (canary analysis). */
  readonly successRate: (scope: SloQueryScope) => string;
  /** PromQL for the request latency in milliseconds at `percentile` (0.99) (canary analysis). */
  readonly latency: (scope: SloQueryScope, percentile: number) => string;
  /**
   * PromQL for the fraction of requests that fail, 0 to 1 (SLI recording rules and burn-rate alerts).
   * @default - 1 - successRate
   */
  readonly errorRatio?: (scope: SloQueryScope) => string;
  /**
   * PromQL for the fraction of requests slower than `thresholdMs`, 0 to 1, from histogram buckets (latency SLI
   * recording rules and burn-rate alerts).
   * @default - none: latency alerts need it
   */
  readonly slowRatio?: (scope: SloQueryScope, thresholdMs: number) => string;
  /**
   * Who produces the series: `mesh` (the proxies; no application scrape needed, the workload must be in the
   * mesh), `application` (the workload's own metrics endpoint, `Metrics.scrape`, must exist).
   * @default - not said: synth checks neither
   */
  readonly measuredOn?: 'mesh' | 'application';
  /**
   * Bucket bounds (milliseconds) of the duration histogram `slowRatio` reads, when the source fixes them (a
   * mesh); a latency SLO's threshold must be one of them.
   * @default - not fixed by the source (an application endpoint declares its own)
   */
  readonly durationBucketsMs?: readonly number[];
}

/** Options of `SloMetrics.istio()`. */
export interface IstioSloMetricsOptions {
  /**
   * The request-duration histogram's bucket bounds, when the mesh config overrides Istio's defaults.
   * @default - Istio's defaults (0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000 ms and above)
   */
  readonly durationBucketsMs?: number[];
}

/** A request counter and a duration histogram: everything the four SLO queries are derived from. */
interface HistogramSource {
  readonly name: string;
  readonly requests: string;
  readonly buckets: string;
  /** Milliseconds per unit of the histogram's `le` (1 for milliseconds, 1000 for seconds). */
  readonly msPerUnit: number;
  /** Matchers of failed and of successful requests. */
  readonly failed: string;
  readonly succeeded: string;
  readonly selector: (s: SloQueryScope) => string;
}

/** The one definition of the SLIs: canary analysis and alerts take their PromQL from here. */
function fromHistogram(src: HistogramSource): CustomSloMetricsOptions {
  const rate = (metric: string, s: SloQueryScope, extra?: string) => `sum(rate(${metric}{${src.selector(s)}${extra ? `,${extra}` : ''}}[${s.window}]))`;
  const scale = src.msPerUnit === 1 ? '' : ` * ${src.msPerUnit}`;
  return {
    name: src.name,
    successRate: (s) => `${rate(src.requests, s, src.succeeded)} / ${rate(src.requests, s)}`,
    latency: (s, p) => `histogram_quantile(${p}, sum by (le) (rate(${src.buckets}{${src.selector(s)}}[${s.window}])))${scale}`,
    errorRatio: (s) => `${rate(src.requests, s, src.failed)} / ${rate(src.requests, s)}`,
    slowRatio: (s, thresholdMs) => `1 - (${rate(src.buckets, s, `le="${bucketLabel(thresholdMs / src.msPerUnit)}"`)} / ${rate(src.buckets, s, 'le="+Inf"')})`,
  };
}

/** How Prometheus clients and Envoy print a bucket bound (`300`, `0.3`). */
export function bucketLabel(bound: number): string {
  return String(Number(bound.toPrecision(12)));
}

/** Options of `SloMetrics.http()`: the application's own metrics, Prometheus client conventions. */
export interface HttpSloMetricsOptions {
  /** @default 'http_requests_total' */
  readonly requests?: string;
  /** @default 'http_request_duration_seconds_bucket' */
  readonly durationBuckets?: string;
  /** Unit of the histogram. @default 'seconds' */
  readonly unit?: 'seconds' | 'milliseconds';
  /** Label holding the status code. @default 'code' */
  readonly codeLabel?: string;
}

/**
 * Where the numbers of a service-level objective come from: PromQL for a success rate and a latency percentile.
 * Istio's standard metrics by default; any other source through `SloMetrics.custom(...)`.
 */
export class SloMetrics {
  /**
   * Istio's standard metrics (`istio_requests_total`, `istio_request_duration_milliseconds_bucket`).
   * Services are measured as their callers' sidecars report them (`reporter="source"`: that is the only view
   * in which a request routed to a canary Service is labelled with that Service), workloads as their own
   * sidecars do (`reporter="destination"`).
   */
  public static istio(options: IstioSloMetricsOptions = {}): SloMetrics {
    checkProps('SloMetrics.istio', 'IstioSloMetricsOptions', options);
    const selector = (s: SloQueryScope) => {
      const base = s.selector === 'service'
        ? `reporter="source",destination_service_name="${s.name}",destination_service_namespace="${s.namespace}"`
        : `reporter="destination",destination_workload="${s.name}",destination_workload_namespace="${s.namespace}"`;
      return s.revision === undefined ? base : `${base},destination_canonical_revision="${s.revision}"`;
    };
    return new SloMetrics({
      ...fromHistogram({
        name: 'istio',
        requests: D.istio.requests,
        buckets: D.istio.durationBuckets,
        msPerUnit: 1,
        failed: `response_code=~"${D.istio.errorCodes}"`,
        succeeded: `response_code!~"${D.istio.errorCodes}"`,
        selector,
      }),
      measuredOn: 'mesh',
      durationBucketsMs: [...(options.durationBucketsMs ?? D.istio.durationBucketsMs)],
    }, [D.istio.requests, D.istio.durationBuckets]);
  }

  /**
   * The application's own metrics as a Prometheus client library exports them (`http_requests_total{code}`,
   * `http_request_duration_seconds_bucket{le}`), scraped through the workload's monitor (`Metrics.scrape`), which
   * labels them with `namespace` and `service` (ServiceMonitor) or `pod` (PodMonitor). Revisions are not told
   * apart: for canary analysis by revision keep `SloMetrics.istio()`.
   */
  public static http(options: HttpSloMetricsOptions = {}): SloMetrics {
    checkProps('SloMetrics.http', 'HttpSloMetricsOptions', options);
    const code = options.codeLabel ?? D.http.codeLabel;
    const requests = options.requests ?? D.http.requests;
    const buckets = options.durationBuckets ?? D.http.durationBuckets;
    return new SloMetrics({ ...fromHistogram({
      name: 'http',
      requests,
      buckets,
      msPerUnit: (options.unit ?? D.http.unit) === 'seconds' ? 1000 : 1,
      failed: `${code}=~"5.."`,
      succeeded: `${code}!~"5.."`,
      selector: (s) => (s.selector === 'service'
        ? `namespace="${s.namespace}",service="${s.name}"`
        : `namespace="${s.namespace}",pod=~"${s.name}-[a-z0-9]+-[a-z0-9]+"`),
    }), measuredOn: 'application' }, [requests, buckets]);
  }

  /** Your own queries (another mesh, an ingress controller, application metrics). */
  public static custom(options: CustomSloMetricsOptions): SloMetrics {
    checkProps('SloMetrics.custom', 'CustomSloMetricsOptions', options);
    return new SloMetrics(options);
  }

  public readonly name: string;
  /** Who produces the series (`mesh`, `application`), or undefined when the source does not say. */
  public readonly measuredOn?: 'mesh' | 'application';
  /** The metric names the queries read (for the built-in sources; empty for custom ones). */
  public readonly metricNames: readonly string[];
  /** The duration histogram's bucket bounds (ms) when the source fixes them. */
  public readonly durationBucketsMs?: readonly number[];
  private readonly options: CustomSloMetricsOptions;

  private constructor(options: CustomSloMetricsOptions, metricNames: readonly string[] = []) {
    this.name = options.name;
    this.options = options;
    this.measuredOn = options.measuredOn;
    this.metricNames = [...metricNames];
    this.durationBucketsMs = options.durationBucketsMs ? [...options.durationBucketsMs] : undefined;
  }

  /** PromQL for the fraction (0 to 1) of `scope`'s requests that succeed. */
  public successRateQuery(scope: SloQueryScope): string {
    return this.options.successRate(scope);
  }

  /** PromQL for `scope`'s request latency in milliseconds at `percentile`. */
  public latencyQuery(scope: SloQueryScope, percentile: number): string {
    return this.options.latency(scope, percentile);
  }

  /** PromQL for the fraction (0 to 1) of `scope`'s requests that fail: the availability SLI's error ratio. */
  public errorRatioQuery(scope: SloQueryScope): string {
    return this.options.errorRatio ? this.options.errorRatio(scope) : `1 - (${this.options.successRate(scope)})`;
  }

  /** Whether the source can tell the share of requests slower than a threshold (latency alerts need it). */
  public get hasSlowRatio(): boolean {
    return this.options.slowRatio !== undefined;
  }

  /** PromQL for the fraction (0 to 1) of `scope`'s requests slower than `thresholdMs`: the latency SLI's error ratio. */
  public slowRatioQuery(scope: SloQueryScope, thresholdMs: number): string {
    if (!this.options.slowRatio) throw new Error(`SloMetrics ${this.name} has no slowRatio query`);
    return this.options.slowRatio(scope, thresholdMs);
  }
}
