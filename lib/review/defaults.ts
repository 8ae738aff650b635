/**
 * The one table of review defaults: how serious each risk is, and the assumptions behind duration estimates.
 * Every `@default` of the review options quotes these values.
 */
export const REVIEW_DEFAULTS = {
  /**
   * Risk levels. `high` risks fail `npm run review -- --check` unless acknowledged in code with a reason
   * (`Review.acknowledge(scope, kind, reason)`); `medium` ones are listed for the reviewer.
   */
  riskLevels: {
    'delete-and-recreate': 'high',
    'immutable-field': 'high',
    'selector-change': 'high',
    'pvc-template-change': 'high',
    'data-loss': 'high',
    'rbac-widening': 'high',
    'policy-exemption': 'high',
    /** A workload's release (version or config generation) changes in more than one promotion stage at once. */
    'multi-stage-release': 'high',
    /** A stage runs a release by exemption: a hotfix that skipped a stage, or a change inside a freeze window. */
    'promotion-exemption': 'high',
    'authorization-allow-all': 'high',
    'mtls-disabled': 'high',
    'network-open': 'high',
    'rbac-aggregation': 'high',
    'rbac-escalation': 'high',
    'exposure-widening': 'medium',
    'network-widening': 'medium',
    'secret-source-change': 'medium',
  },
  /** Argo Rollouts' default scaleDownDelaySeconds for blue-green (seconds). */
  blueGreenScaleDownDelaySeconds: 30,
  /** Argo Rollouts analysis: a metric without `count` runs until the step ends; a step analysis without count runs once. */
  analysisDefaultCount: 1,
  /** Flagger's default analysis interval when none is rendered. */
  flaggerInterval: '1m',
  /** Readiness estimate per rolling-update batch when the pod has no readiness probe timing (seconds). */
  rollingBatchSeconds: 10,
  /** Width of the rendered rollout timelines (pixels). */
  svg: { stepWidth: 92, height: 190, marginLeft: 44, marginTop: 28, chartHeight: 110 },
  /** Where `npm run review` writes report.md and report.html. */
  outDir: 'review',
  /** Changed fields listed per object in the report's details (the rest are counted). */
  fieldsShown: 6,
} as const;
