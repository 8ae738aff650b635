/**
 * The one table of observability defaults. `@default` docs in this folder quote these values.
 */
export const OBSERVABILITY_DEFAULTS = {
  slo: {
    /** Compliance window of an objective: what burn-rate alerts measure the error budget over. */
    window: '30d',
  },
  istio: {
    /** Request counter of Istio's standard metrics. */
    requests: 'istio_requests_total',
    /** Request duration histogram (milliseconds) of Istio's standard metrics. */
    durationBuckets: 'istio_request_duration_milliseconds_bucket',
    /** Responses that count against the success rate. */
    errorCodes: '5.*',
    /**
     * Bucket bounds (milliseconds) of Istio's request-duration histogram: Envoy's default histogram bounds, which
     * Istio's stats use unless the mesh config overrides them. A latency SLO measured on the mesh needs one.
     */
    durationBucketsMs: [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000],
  },
  http: {
    /** Request counter of Prometheus client libraries. */
    requests: 'http_requests_total',
    /** Request duration histogram of Prometheus client libraries. */
    durationBuckets: 'http_request_duration_seconds_bucket',
    unit: 'seconds',
    codeLabel: 'code',
  },
  metrics: {
    /** Container and Service port name of a metrics endpoint. */
    portName: 'metrics',
    path: '/metrics',
    /** Scrape interval. */
    interval: '30s',
  },
  monitoring: {
    /** Namespace the Prometheus pods run in. */
    namespace: 'monitoring',
    /** Labels of the Prometheus pods (prometheus-operator sets this one). */
    prometheusPodLabels: { 'app.kubernetes.io/name': 'prometheus' },
    runbookBaseUrl: 'https://runbooks.acme.example/slo',
    dashboards: true,
  },
  alerts: {
    /** The SLI windows recording rules keep (the SRE workbook's). */
    windows: ['5m', '30m', '1h', '2h', '6h', '1d', '3d'],
    /**
     * Multi-window, multi-burn-rate pairs (SRE workbook, for a 30-day budget): burn factor, long and short window.
     * Fast burns page (2% of the budget in 1 h, 5% in 6 h), slow burns open a ticket (10% in 1 d, 10% in 3 d).
     */
    fast: [{ factor: 14.4, long: '1h', short: '5m' }, { factor: 6, long: '6h', short: '30m' }],
    slow: [{ factor: 3, long: '1d', short: '2h' }, { factor: 1, long: '3d', short: '6h' }],
    /** How long a burn must last before the alert fires. */
    fastFor: '2m',
    slowFor: '15m',
    /** Severity of fast burns where paging is on (production), of slow burns and fast burns elsewhere. */
    pageSeverity: 'page',
    ticketSeverity: 'ticket',
  },
} as const;
