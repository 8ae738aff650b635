// What the observability extensions of one workload declared (its metrics endpoint, its objectives) and what
// gates a rollout against an SLO, kept on the workload so that checks can relate them in any binding order.
import { IConstruct } from 'constructs';
import { configError } from '../core';
import type { ServiceLevelObjective } from './service-level-objective';
import type { SloMetrics } from './slo-metrics';

/** A workload's metrics endpoint as `Metrics.scrape` resolved it. */
export interface MetricsEndpoint {
  readonly kind: 'ServiceMonitor' | 'PodMonitor';
  readonly portName: string;
  readonly port: number;
  readonly path: string;
  readonly interval: string;
  /** Bucket bounds of the request-duration histogram, milliseconds; empty when not declared. */
  readonly latencyBucketsMs: readonly number[];
}

/** An SLO that gates a rollout, with the metrics its analysis reads. */
export interface SloGate {
  readonly slo: ServiceLevelObjective;
  readonly prop: string;
  readonly metrics?: SloMetrics;
}

interface Signals {
  endpoint?: MetricsEndpoint;
  objective?: { readonly slo: ServiceLevelObjective; readonly prop: string; readonly metrics?: SloMetrics };
  readonly gates: SloGate[];
  /** Why the workload's SLO has no alerts (`Metrics.withoutSloAlerts`). */
  alertsOptOut?: string;
  checked: boolean;
}

const KEY = Symbol.for('typed-manifests.observability.signals');

function signalsOf(workload: IConstruct): Signals {
  let s = (workload as any)[KEY] as Signals | undefined;
  if (!s) {
    s = { gates: [], checked: false };
    Object.defineProperty(workload, KEY, { value: s, enumerable: false });
  }
  return s;
}

/** The workload's metrics endpoint, if `Metrics.scrape` declared one. */
export function metricsEndpointOf(workload: IConstruct): MetricsEndpoint | undefined {
  return signalsOf(workload).endpoint;
}

/** @internal Records the metrics endpoint (one per workload). */
export function setMetricsEndpoint(workload: IConstruct, endpoint: MetricsEndpoint): void {
  const s = signalsOf(workload);
  if (s.endpoint) {
    throw configError(workload, 'use: Metrics.scrape', 'declares a second metrics endpoint', endpoint.port, `scrape one endpoint per workload (port ${s.endpoint.port} is already scraped)`);
  }
  s.endpoint = endpoint;
}

/** @internal Records the objective alerts protect (one per workload) and checks it at synth. */
export function setObjective(workload: IConstruct, slo: ServiceLevelObjective, prop: string, metrics?: SloMetrics): void {
  const s = signalsOf(workload);
  if (s.objective) {
    throw configError(workload, prop, 'declares a second SLO for the workload', slo, 'put success rate and latency in one ServiceLevelObjective');
  }
  if (s.alertsOptOut !== undefined) {
    throw configError(workload, prop, `alerts on an SLO although the workload opted out of SLO alerts (${JSON.stringify(s.alertsOptOut)})`, slo, 'drop Metrics.withoutSloAlerts(...) or Metrics.slo(...)');
  }
  s.objective = { slo, prop, metrics };
  watch(workload, s);
}

/** The objective the workload's alerts protect, if any. */
export function objectiveOf(workload: IConstruct): ServiceLevelObjective | undefined {
  return signalsOf(workload).objective?.slo;
}

/** @internal Records that a rollout of `workload` is gated by an SLO (see `declareSloGate`). */
export function addSloGate(workload: IConstruct, gate: SloGate): void {
  const s = signalsOf(workload);
  s.gates.push(gate);
  watch(workload, s);
}

/** The SLO gates declared on `workload`, in declaration order. */
export function sloGatesOf(workload: IConstruct): readonly SloGate[] {
  return signalsOf(workload).gates;
}

/** @internal Records why the workload's SLO gets no alerts. */
export function optOutOfSloAlerts(workload: IConstruct, reason: string): void {
  const s = signalsOf(workload);
  if (s.objective) {
    throw configError(workload, 'use: Metrics.withoutSloAlerts', `opts out of SLO alerts although ${s.objective.prop} alerts on an SLO`, reason, 'drop one of the two');
  }
  s.alertsOptOut = reason;
}

/** Why the workload's SLO has no alerts, if it opted out. */
export function sloAlertsOptOutOf(workload: IConstruct): string | undefined {
  return signalsOf(workload).alertsOptOut;
}

function watch(workload: IConstruct, s: Signals): void {
  if (s.checked) return;
  s.checked = true;
  workload.node.addValidation({ validate: () => problems(workload, s) });
}

/** Messages without the construct path (the validation walk prefixes it). */
function problems(workload: IConstruct, s: Signals): string[] {
  const out: string[] = [];
  const report = (prop: string, problem: string, value: unknown, fix: string) => {
    const e = configError(workload, prop, problem, value, fix);
    out.push(e.message.slice(e.constructPath.length + 2));
  };
  const o = s.objective;
  if (!o) return out;
  const e = s.endpoint;
  const source = o.metrics?.measuredOn;
  const threshold = o.slo.latency?.thresholdMs;
  if (source === 'mesh') {
    // the proxies produce the series: no application endpoint, but a pod the mesh enrols, with the mesh's buckets
    const enrolment = (workload as any).pod?.meshEnrolment as { dataplane: string } | undefined;
    const names = o.metrics!.metricNames.join(', ') || o.metrics!.name;
    if (!enrolment) {
      report(`${o.prop}.metrics`, `reads the mesh's metrics (${names}), but no mesh enrols the workload`, o.metrics!.name,
        "turn the mesh on for the environment (mesh: { istio: true }), or measure the application: Metrics.slo(slo, { metrics: SloMetrics.http() }) with Metrics.scrape(...)");
    } else if (enrolment.dataplane === 'ambient') {
      report(`${o.prop}.metrics`, `reads the mesh's request metrics (${names}), which ambient's ztunnel does not produce (only a waypoint does; this library renders none)`, o.metrics!.name,
        "measure the application: Metrics.slo(slo, { metrics: SloMetrics.http() }) with Metrics.scrape(...), or use dataplane: 'sidecar'");
    }
    const buckets = o.metrics!.durationBucketsMs ?? [];
    if (threshold !== undefined && !buckets.includes(threshold)) {
      report(`${o.prop}.latency.thresholdMs`, `is not a bucket bound of the mesh's request-duration histogram (${buckets.join(', ')} ms)`, threshold,
        `use one of its bounds (e.g. ${nearest(buckets, threshold)}), or SloMetrics.istio({ durationBucketsMs }) if the mesh config overrides them`);
    }
  } else if (source === 'application' || (source === undefined && o.metrics === undefined)) {
    if (!e) {
      report(o.prop, `is an SLO whose metrics${o.metrics ? ` (${o.metrics.metricNames.join(', ')})` : ''} are not scraped (the workload declares no metrics endpoint)`, o.slo,
        "add use: [Metrics.scrape({ port: 9090 })] so Prometheus scrapes the workload, or measure on the mesh: SloMetrics.istio()");
    } else if (threshold !== undefined && !e.latencyBucketsMs.includes(threshold)) {
      report(`${o.prop}.latency.thresholdMs`, `is not a bucket bound of the request-duration histogram the endpoint declares (${e.latencyBucketsMs.length > 0 ? e.latencyBucketsMs.join(', ') : 'none declared'})`,
        threshold, `declare it: Metrics.scrape({ ..., latencyBucketsMs: [..., ${threshold}, ...] }), or use one of the declared bounds`);
    }
  }
  for (const g of s.gates) {
    const why = looserThan(g.slo, o.slo);
    if (why) report(g.prop, `is a canary gate looser than the SLO its alerts protect (${why})`, describe(g.slo), `gate on at least ${describe(o.slo)}`);
  }
  return out;
}

/** Why `gate` lets through what `slo` counts as a miss, or undefined when it is at least as strict. */
function looserThan(gate: ServiceLevelObjective, slo: ServiceLevelObjective): string | undefined {
  if (slo.successRate !== undefined && (gate.successRate === undefined || gate.successRate < slo.successRate)) {
    return `success rate ${gate.successRate ?? 'unchecked'} below ${slo.successRate}`;
  }
  const l = slo.latency;
  if (l) {
    const g = gate.latency;
    if (!g) return 'latency unchecked';
    if (g.percentile < l.percentile) return `latency percentile ${g.percentile} below ${l.percentile}`;
    if (g.thresholdMs > l.thresholdMs) return `latency threshold ${g.thresholdMs} ms above ${l.thresholdMs} ms`;
  }
  return undefined;
}

function describe(slo: ServiceLevelObjective): string {
  const parts: string[] = [];
  if (slo.successRate !== undefined) parts.push(`successRate ${slo.successRate}`);
  if (slo.latency) parts.push(`p${Number((slo.latency.percentile * 100).toPrecision(6))} <= ${slo.latency.thresholdMs} ms`);
  return parts.join(', ');
}

/** The bound of `buckets` closest to `value`. */
function nearest(buckets: readonly number[], value: number): number {
  return [...buckets].sort((a, b) => Math.abs(a - value) - Math.abs(b - value) || a - b)[0] ?? value;
}
