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
  },
} as const;
