import { OBSERVABILITY_DEFAULTS as D } from './defaults';

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

/** The two queries an SLO needs from a metric source. */
export interface CustomSloMetricsOptions {
  /** Names the source in generated objects and errors (`linkerd`). */
  readonly name: string;
  /** PromQL for the fraction of successful requests, 0 to 1. */
  readonly successRate: (scope: SloQueryScope) => string;
  /** PromQL for the request latency in milliseconds at `percentile` (0.99). */
  readonly latency: (scope: SloQueryScope, percentile: number) => string;
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
  public static istio(): SloMetrics {
    const selector = (s: SloQueryScope) => {
      const base = s.selector === 'service'
        ? `reporter="source",destination_service_name="${s.name}",destination_service_namespace="${s.namespace}"`
        : `reporter="destination",destination_workload="${s.name}",destination_workload_namespace="${s.namespace}"`;
      return s.revision === undefined ? base : `${base},destination_canonical_revision="${s.revision}"`;
    };
    return new SloMetrics({
      name: 'istio',
      successRate: (s) => `sum(rate(${D.istio.requests}{${selector(s)},response_code!~"${D.istio.errorCodes}"}[${s.window}]))`
        + ` / sum(rate(${D.istio.requests}{${selector(s)}}[${s.window}]))`,
      latency: (s, p) => `histogram_quantile(${p}, sum by (le) (rate(${D.istio.durationBuckets}{${selector(s)}}[${s.window}])))`,
    });
  }

  /** Your own queries (another mesh, an ingress controller, application metrics). */
  public static custom(options: CustomSloMetricsOptions): SloMetrics {
    return new SloMetrics(options);
  }

  public readonly name: string;
  private readonly options: CustomSloMetricsOptions;

  private constructor(options: CustomSloMetricsOptions) {
    this.name = options.name;
    this.options = options;
  }

  /** PromQL for the fraction (0 to 1) of `scope`'s requests that succeed. */
  public successRateQuery(scope: SloQueryScope): string {
    return this.options.successRate(scope);
  }

  /** PromQL for `scope`'s request latency in milliseconds at `percentile`. */
  public latencyQuery(scope: SloQueryScope, percentile: number): string {
    return this.options.latency(scope, percentile);
  }
}
