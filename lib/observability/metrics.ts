import { addFinalizer, assertAbsolutePath, assertPort, assertPortName, checkProps, configError, parsePrometheusDuration } from '../core';
import { HardenedService } from '../workloads/hardened-service';
import { NetworkPeer } from '../workloads/network-peer';
import type { IWorkload, IWorkloadExtension } from '../workloads/workload';
import { OBSERVABILITY_DEFAULTS as D } from './defaults';
import { MetricsMonitor } from './metrics-monitor';
import { monitoringOf } from './monitoring';
import { ServiceLevelObjective } from './service-level-objective';
import { addSloGate, metricsEndpointOf, objectiveOf, optOutOfSloAlerts, setMetricsEndpoint, setObjective, sloAlertsOptOutOf, sloGatesOf } from './signals';
import { slisOf } from './sli';
import { SloDashboard } from './slo-dashboard';
import { SloMetrics } from './slo-metrics';
import { SloPrometheusRule } from './slo-prometheus-rule';

/** A workload's metrics endpoint (`Metrics.scrape(...)`). */
export interface ScrapeOptions {
  /**
   * A port number (added to the pods, and to the Service of a HardenedService, unless they already have it) or
   * the name of a port the workload already exposes.
   */
  readonly port: number | string;
  /** Name of the port when it is added. @default 'metrics' */
  readonly portName?: string;
  /** @default '/metrics' */
  readonly path?: string;
  /** Scrape interval, a Prometheus duration. @default '30s' */
  readonly interval?: string;
  /**
   * Upper bounds, in milliseconds, of the buckets of the request-duration histogram the endpoint exports. A latency
   * SLO's threshold must be one of them (the share of requests under it is read from that bucket).
   * @default - none (no latency SLO possible)
   */
  readonly latencyBucketsMs?: number[];
}

/** Alerts and a dashboard from an SLO (`Metrics.slo(...)`). */
export interface SloAlertOptions {
  /**
   * Where the SLIs come from; pass the same source as the canary analysis so both measure one definition.
   * @default SloMetrics.istio()
   */
  readonly metrics?: SloMetrics;
  /** Alert label `team`. @default - the workload's `app.kubernetes.io/part-of` label (its namespace by default) */
  readonly team?: string;
  /** A Grafana dashboard. @default - the environment's `monitoring.dashboards` (true by default) */
  readonly dashboard?: boolean;
  /** Alert label `environment` (outside a GitOpsApp, say). @default - the environment's name */
  readonly environment?: string;
  /** Whether fast burns page. @default - the environment's `monitoring.paging` (true in production) */
  readonly paging?: boolean;
}

/**
 * Monitoring attached to a workload with `use`: `Metrics.scrape(...)` declares the metrics endpoint (a
 * ServiceMonitor for services, a PodMonitor for workers and jobs; the port opened to the environment's Prometheus
 * only), `Metrics.slo(...)` derives recording rules, burn-rate alerts and a dashboard from a ServiceLevelObjective.
 */
export class Metrics {
  public static scrape(options: ScrapeOptions): IWorkloadExtension {
    checkProps('Metrics.scrape', 'ScrapeOptions', options);
    return { bind: (workload) => bindScrape(workload, options) };
  }

  public static slo(slo: ServiceLevelObjective, options: SloAlertOptions = {}): IWorkloadExtension {
    checkProps('Metrics.slo', 'SloAlertOptions', options);
    return { bind: (workload) => bindSlo(workload, slo, options) };
  }

  /**
   * No recording rules or burn-rate alerts for the SLO that gates the workload's rollouts (which otherwise get
   * them, like `Metrics.slo`): say why (`'alerts come from the edge proxy'`).
   */
  public static withoutSloAlerts(reason: string): IWorkloadExtension {
    return {
      bind: (workload) => {
        if (typeof reason !== 'string' || !reason.trim()) {
          throw configError(workload, 'use: Metrics.withoutSloAlerts', 'must say why the SLO has no alerts', reason, "write the reason, e.g. Metrics.withoutSloAlerts('alerted on by the edge team')");
        }
        optOutOfSloAlerts(workload, reason);
      },
    };
  }

  private constructor() {}
}

function bindScrape(w: IWorkload, o: ScrapeOptions): void {
  const prop = 'metrics';
  const existing = metricsEndpointOf(w);
  if (existing) {
    throw configError(w, 'use: Metrics.scrape', 'declares a second metrics endpoint', o.port, `scrape one endpoint per workload (port ${existing.port} is already scraped)`);
  }
  const path = assertAbsolutePath(w, `${prop}.path`, o.path ?? D.metrics.path);
  const interval = o.interval ?? D.metrics.interval;
  if (!((parsePrometheusDuration(interval) ?? 0) > 0)) {
    throw configError(w, `${prop}.interval`, 'must be a Prometheus duration', interval, "use e.g. '30s' or '1m'");
  }
  const buckets = [...(o.latencyBucketsMs ?? [])];
  buckets.forEach((b, i) => {
    if (!(typeof b === 'number' && Number.isFinite(b) && b > 0) || (i > 0 && b <= buckets[i - 1])) {
      throw configError(w, `${prop}.latencyBucketsMs`, 'must be increasing positive milliseconds', o.latencyBucketsMs, 'use e.g. [50, 100, 300, 1000]');
    }
  });

  let port: { readonly name: string; readonly port: number };
  if (typeof o.port === 'string') {
    const found = w.pod.ports.find((p) => p.name === o.port);
    if (!found) {
      throw configError(w, `${prop}.port`, 'is not a port the workload exposes', o.port,
        `use one of ${w.pod.ports.map((p) => `'${p.name}'`).join(', ') || 'its ports'}, or give a port number to add`);
    }
    port = found;
  } else {
    assertPort(w, `${prop}.port`, o.port);
    const found = w.pod.ports.find((p) => p.port === o.port);
    if (found) port = found;
    else {
      port = { name: assertPortName(w, `${prop}.portName`, o.portName ?? D.metrics.portName), port: o.port };
      w.pod.addPort({ ...port, prop: `${prop}.port` });
    }
  }
  const isService = w instanceof HardenedService;
  if (isService && !w.serviceExposedPorts.some((p) => p.name === port.name)) w.addServicePort(port);

  const monitoring = monitoringOf(w);
  // the one edge monitoring adds to the connection graph: NetworkPolicy and mesh authorization follow it
  w.pod.addIngress({ peer: NetworkPeer.namespace(monitoring.namespace, monitoring.prometheusPodLabels), ports: [port.port], outsideMesh: true });
  const kind = isService ? 'ServiceMonitor' : 'PodMonitor';
  setMetricsEndpoint(w, { kind, portName: port.name, port: port.port, path, interval, latencyBucketsMs: buckets });
  new MetricsMonitor(w, kind, {
    kind,
    name: w.name,
    namespace: w.namespace,
    labels: { ...w.pod.labels, ...monitoring.selectorLabels },
    selector: w.pod.selectorLabels,
    portName: port.name,
    path,
    interval,
  });
}

/**
 * Declares that a rollout of `workload` is gated by `slo`, measured by `metrics` (canary analysis, promotion
 * analysis; for lib/delivery). At synth the gate must be at least as strict as the SLO the workload's alerts
 * protect; a workload whose only SLO is a gate gets its recording rules and burn-rate alerts from it (once the
 * tree is built), unless it opted out with `Metrics.withoutSloAlerts(reason)`.
 */
export function declareSloGate(workload: IWorkload, slo: ServiceLevelObjective, prop: string, metrics?: SloMetrics): void {
  const first = sloGatesOf(workload).length === 0;
  addSloGate(workload, { slo, prop, metrics });
  if (!first) return;
  addFinalizer(workload, () => {
    if (objectiveOf(workload) || sloAlertsOptOutOf(workload) !== undefined) return;
    const gate = sloGatesOf(workload)[0];
    bindSlo(workload, gate.slo, { metrics: gate.metrics }, gate.prop);
  });
}

function bindSlo(w: IWorkload, slo: ServiceLevelObjective, o: SloAlertOptions, prop = 'slo'): void {
  slo._validate(w, prop);
  const metrics = o.metrics ?? SloMetrics.istio();
  if (slo.latency && !metrics.hasSlowRatio) {
    throw configError(w, `${prop}.latency`, `cannot be alerted on: metrics source ${metrics.name} has no slowRatio query`, slo.latency,
      'give SloMetrics.custom(...) a slowRatio, or use SloMetrics.istio() / SloMetrics.http()');
  }
  setObjective(w, slo, prop, metrics);
  const monitoring = monitoringOf(w);
  const isService = w instanceof HardenedService;
  const slis = slisOf(w.name, slo, metrics, { selector: isService ? 'service' : 'workload', name: w.name, namespace: w.namespace });
  new SloPrometheusRule(w, 'PrometheusRule', {
    name: `${w.name}-slo`,
    namespace: w.namespace,
    labels: { ...w.pod.labels, ...monitoring.selectorLabels },
    service: w.name,
    team: o.team ?? w.pod.labels['app.kubernetes.io/part-of'],
    environment: o.environment ?? monitoring.environment,
    slis,
    paging: o.paging ?? monitoring.paging,
    runbookBaseUrl: monitoring.runbookBaseUrl,
  });
  if (o.dashboard ?? monitoring.dashboards) {
    new SloDashboard(w, 'Dashboard', { name: `${w.name}-slo-dashboard`, namespace: w.namespace, labels: w.pod.labels, service: w.name, slis, window: slo.window });
  }
}
