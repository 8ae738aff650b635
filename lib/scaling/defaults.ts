/**
 * The one table of scaling defaults. `@default` docs in this folder quote these values.
 */
export const SCALING_DEFAULTS = {
  hpa: {
    /** Two pods: one can be drained or lost without an outage. */
    minReplicas: 2,
    /** Target average CPU utilisation (percent of the request) when no metric is given. */
    cpuUtilization: 70,
    /** Scale up at once (double, or +4 pods, per minute); scale down slowly (half per minute after 5 quiet minutes). */
    behavior: {
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }, { type: 'Pods', value: 4, periodSeconds: 60 }],
      },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
      },
    },
    /**
     * Per-pod requests per second as the Prometheus adapter serves it on the custom metrics API (a rule that
     * turns `http_requests_total` into `http_requests_per_second`).
     */
    requestsPerSecondMetric: 'http_requests_per_second',
  },
  keda: {
    /** Floor without scale to zero. */
    minReplicas: 1,
    /** Seconds between two checks of the triggers. */
    pollingInterval: 30,
    /** Seconds after the last active trigger before scaling to zero. */
    cooldownPeriod: 300,
    /** Time zone of cron triggers. */
    timeZone: 'Etc/UTC',
    /** Prometheus trigger: idle at or below this value. */
    activationThreshold: 0,
    /** Kafka trigger: consumer lag per pod (KEDA's own default). */
    kafkaLagThreshold: 10,
    /** RabbitMQ trigger: scale on the queue length, read over AMQP. */
    rabbitMqMode: 'QueueLength',
    rabbitMqProtocol: 'amqp',
  },
  scaledJob: {
    maxReplicas: 10,
    pollingInterval: 30,
    successfulJobsHistoryLimit: 5,
    failedJobsHistoryLimit: 5,
    backoffLimit: 2,
    activeDeadlineSeconds: 3600,
  },
  environment: {
    /** Whether workloads may scale to zero: everywhere but in production environments. */
    allowScaleToZeroOutsideProduction: true,
    allowScaleToZeroInProduction: false,
  },
} as const;
