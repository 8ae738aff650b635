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
  // --- stateful workloads and one-off jobs ---
  statefulSet: {
    /** One instance unless the software replicates (more copies of a non-replicating store add nothing). */
    replicas: 1,
    /** Start and stop pods one at a time, in order (what most replicated stores expect). */
    podManagementPolicy: 'OrderedReady',
    /** Update every pod (a higher partition stages an upgrade: only ordinals >= partition update). */
    partition: 0,
    /**
     * Claims survive both a scale-down and the StatefulSet's deletion (a GitOps prune, a cascade-deleted
     * Application): data goes away only when someone deletes the claims on purpose.
     */
    pvcRetention: { whenScaled: 'Retain', whenDeleted: 'Retain' },
    /** One pod at a time may be drained; `quorum: true` keeps a majority instead. */
    disruptionBudget: { maxUnavailable: 1 },
    /** Probes: TCP on the main port (stores rarely serve HTTP /healthz). */
    probe: 'tcp',
    component: 'database',
    /** The Service for stable pod identities (`<pod>.<name>-headless`); it lists pods before they are ready so peers can find each other while they bootstrap. */
    headlessSuffix: '-headless',
  },
  job: {
    backoffLimit: 2,
    /** A run is stopped after 10 minutes (a migration that runs longer holds back the rollout behind it). */
    activeDeadlineSeconds: 600,
    /**
     * No TTL: a GitOps controller would re-create a Job deleted by its TTL and run it again. A Job is named
     * after its spec and replaced (and the old one pruned) when the spec changes.
     */
    ttlSecondsAfterFinished: undefined,
  },
} as const;
