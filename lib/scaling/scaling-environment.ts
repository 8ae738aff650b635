// Per-environment scaling settings (EnvironmentProps.scaling, added by declaration merging at the end).

/** How workloads may scale in one environment. */
export interface ScalingEnvironmentOptions {
  /**
   * Whether KEDA may scale workloads that serve no synchronous traffic to zero pods.
   * @default - true, except in production environments (`production: true`)
   */
  readonly allowScaleToZero?: boolean;
}

// scaling settings in the one typed `Environments.define`
declare module '../environments/environment' {
  interface EnvironmentProps<S> {
    /**
     * Scaling: whether workloads may scale to zero here.
     * @default - see ScalingEnvironmentOptions (lib/scaling)
     */
    readonly scaling?: ScalingEnvironmentOptions;
  }
  interface Environment<N, S> {
    /** Scaling settings as given (lib/scaling resolves the defaults). */
    readonly scaling: ScalingEnvironmentOptions;
  }
}
