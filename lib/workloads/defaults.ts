/**
 * The one table of workload defaults. Constructors resolve against it once; every `@default` in the props
 * quotes these values. Change a default here and every workload (and its docs) follows.
 */
export const WORKLOAD_DEFAULTS = {
  /** Two replicas: one can be drained or lost without an outage. */
  replicas: 2,
  resources: {
    cpuRequest: '100m',
    memoryRequest: '128Mi',
    /** Memory is limited (an OOM kill beats a noisy neighbour); CPU is not (limits cause throttling). */
    memoryLimit: '256Mi',
  },
  security: {
    runAsUser: 10001,
    runAsGroup: 10001,
    fsGroup: 10001,
    readOnlyRootFilesystem: true,
  },
  /** Size of the writable emptyDir mounted at /tmp (the root filesystem is read-only). */
  tmpSizeLimit: '64Mi',
  probes: {
    path: '/healthz',
    readiness: { periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3, successThreshold: 1 },
    liveness: { periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3, successThreshold: 1 },
    startup: { periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 30, successThreshold: 1 },
  },
  /** Workers have no Service; their probes hit this port. */
  workerHealthPort: 8080,
  /** preStop sleep: endpoints controllers and load balancers stop sending traffic before the process is told to stop. */
  drainSeconds: 5,
  /** Time the process gets after SIGTERM to finish in-flight work, on top of the drain. */
  shutdownSeconds: 25,
  portName: 'http',
  revisionHistoryLimit: 5,
  progressDeadlineSeconds: 600,
  /** Roll out one new pod at a time and never go below the desired count. */
  rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 },
  disruptionBudget: { maxUnavailable: 1 },
  autoscaling: { cpuUtilization: 70 },
  managedBy: 'cdk8s',
  cronJob: {
    timeZone: 'Etc/UTC',
    concurrencyPolicy: 'Forbid',
    startingDeadlineSeconds: 300,
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 3,
    backoffLimit: 2,
    activeDeadlineSeconds: 3600,
    ttlSecondsAfterFinished: 86400,
  },
} as const;
