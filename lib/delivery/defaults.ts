/**
 * The one table of delivery defaults. Strategies resolve against it once, in `bind`; every `@default` in this
 * folder quotes these values.
 */
export const DELIVERY_DEFAULTS = {
  services: {
    /** `<name>-stable`: the Service Argo Rollouts points at the stable ReplicaSet. */
    stableSuffix: '-stable',
    /** `<name>-canary`: the Service Argo Rollouts points at the canary ReplicaSet. */
    canarySuffix: '-canary',
    /** `<name>-preview`: the blue-green Service of the version waiting for promotion. */
    previewSuffix: '-preview',
  },
  rollout: {
    /** Abort (and so roll back) a rollout that makes no progress within progressDeadlineSeconds. */
    progressDeadlineAbort: true,
    /** The Deployment a Rollout references keeps the pod template and runs no pods. */
    deploymentReplicas: 0,
  },
  canary: {
    /** setWeight steps, each followed by a pause. */
    weights: [10, 25, 50] as readonly number[],
    pause: '2m',
    /** Prefer to schedule canary pods away from nodes running stable pods. */
    antiAffinity: true,
    antiAffinityWeight: 100,
    /** Seconds the previous stable pods keep running after promotion (endpoints and caches catch up). */
    scaleDownDelaySeconds: 30,
    /** Seconds the canary pods keep running after an abort. */
    abortScaleDownDelaySeconds: 30,
    mirror: { routeName: 'mirror', percentage: 100, pathPrefix: '/' },
    headerRoute: { routeName: 'test-group' },
  },
  analysis: {
    /** Time between two measurements. */
    interval: '1m',
    /** Measurements of one analysis run (analysis steps, blue-green promotion analysis). */
    count: 5,
    /** Failed measurements tolerated; one more fails the run and aborts the rollout. */
    failureLimit: 1,
    /** rate() range of the queries. */
    window: '2m',
    /** No data (no traffic to measure): neither pass nor fail; the rollout pauses for a human. */
    noData: 'inconclusive',
    /** `<name>-slo`: the AnalysisTemplate of analysis steps and blue-green promotion analysis (counted runs). */
    templateSuffix: '-slo',
    /** `<name>-slo-background`: the AnalysisTemplate of canary background analysis (runs until promotion). */
    backgroundTemplateSuffix: '-slo-background',
  },
  blueGreen: {
    autoPromotionEnabled: true,
    /** Seconds the previous version keeps running after promotion: a fast way back, and time for endpoints to update. */
    scaleDownDelaySeconds: 30,
    antiAffinity: true,
    antiAffinityWeight: 100,
  },
  flagger: {
    /** Canary.spec.provider: the mesh Flagger routes with. */
    provider: 'istio',
    interval: '1m',
    /** Failed checks before Flagger rolls back. */
    threshold: 5,
    stepWeight: 10,
    maxWeight: 50,
    /**
     * The pod label Flagger renames on the primary (`<name>` -> `<name>-primary`): the first of its
     * `-selector-labels` (default `app,name,app.kubernetes.io/name`) found in the Deployment's selector.
     */
    selectorLabel: 'app',
    loadTest: {
      /** flagger-loadtester as installed by its chart into the `test` namespace. */
      url: 'http://flagger-loadtester.test/',
      namespace: 'test',
      timeout: '5s',
      /** `hey` arguments; the canary Service's URL is appended. */
      hey: '-z 1m -q 10 -c 2',
    },
    /** MetricTemplate names: `<name>-success-rate`, `<name>-latency`. */
    successRateSuffix: '-success-rate',
    latencySuffix: '-latency',
  },
} as const;
