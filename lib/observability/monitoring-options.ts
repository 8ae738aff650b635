// Per-environment monitoring settings (EnvironmentProps.monitoring, added by declaration merging at the end).

/** Where the environment's Prometheus runs and how SLO alerts behave there. */
export interface MonitoringOptions {
  /**
   * Namespace the Prometheus pods run in: metrics ports are opened to it (NetworkPolicy and mesh authorization).
   * @default 'monitoring'
   */
  readonly namespace?: string;
  /**
   * Labels of the Prometheus pods, so only they (not every pod of the monitoring namespace) may scrape.
   * @default { 'app.kubernetes.io/name': 'prometheus' }
   */
  readonly prometheusPodLabels?: Record<string, string>;
  /**
   * Extra labels on ServiceMonitors, PodMonitors and PrometheusRules, for the Prometheus' selectors
   * (kube-prometheus-stack selects `release: <its release>` unless told otherwise).
   * @default - none
   */
  readonly selectorLabels?: Record<string, string>;
  /**
   * Base URL of the runbooks: an alert links `<base>/<alert name>`.
   * @default 'https://runbooks.acme.example/slo'
   */
  readonly runbookBaseUrl?: string;
  /**
   * Whether fast-burn alerts page (`severity: page`); otherwise they open tickets like slow burns.
   * @default - true in production environments, false elsewhere
   */
  readonly paging?: boolean;
  /**
   * Whether SLO'd services get a Grafana dashboard (a ConfigMap labelled `grafana_dashboard: "1"`).
   * @default true
   */
  readonly dashboards?: boolean;
}

// observability settings in the one typed `Environments.define`
declare module '../environments/environment' {
  interface EnvironmentProps<S> {
    /**
     * Observability: the monitoring namespace and Prometheus pod labels, runbooks, paging, dashboards.
     * @default - see MonitoringOptions (lib/observability)
     */
    readonly monitoring?: MonitoringOptions;
  }
  interface Environment<N, S> {
    /** Observability settings as given (lib/observability resolves the defaults). */
    readonly monitoring: MonitoringOptions;
  }
}
