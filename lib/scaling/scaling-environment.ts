// Per-environment scaling settings (EnvironmentProps.scaling). Imports nothing from lib/gitops (no module cycle).

/** How workloads may scale in one environment. */
export interface ScalingEnvironmentOptions {
  /**
   * Whether KEDA may scale workloads that serve no synchronous traffic to zero pods.
   * @default - true, except in production environments (`production: true`)
   */
  readonly allowScaleToZero?: boolean;
}
