// What the observability extensions of one workload declared (its metrics endpoint, its objectives) and what
// gates a rollout against an SLO, kept on the workload so that checks can relate them in any binding order.
import { IConstruct } from 'constructs';
import { configError } from '../core';
import type { ServiceLevelObjective } from './service-level-objective';

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

interface Signals {
  endpoint?: MetricsEndpoint;
  objective?: { readonly slo: ServiceLevelObjective; readonly prop: string };
  readonly gates: { readonly slo: ServiceLevelObjective; readonly prop: string }[];
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
export function setObjective(workload: IConstruct, slo: ServiceLevelObjective, prop: string): void {
  const s = signalsOf(workload);
  if (s.objective) {
    throw configError(workload, prop, 'declares a second SLO for the workload', slo, 'put success rate and latency in one ServiceLevelObjective');
  }
  s.objective = { slo, prop };
  watch(workload, s);
}

/**
 * Declares that a rollout of `workload` is gated by `slo` (canary analysis, promotion analysis): at synth, the
 * gate must be at least as strict as the SLO the workload's alerts protect. For lib/delivery.
 */
export function declareSloGate(workload: IConstruct, slo: ServiceLevelObjective, prop: string): void {
  const s = signalsOf(workload);
  s.gates.push({ slo, prop });
  watch(workload, s);
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
  if (!e) {
    report(o.prop, 'is an SLO whose metrics are not scraped (the workload declares no metrics endpoint)', o.slo, "add use: [Metrics.scrape({ port: 9090 })] so Prometheus scrapes the workload");
  } else if (o.slo.latency && !e.latencyBucketsMs.includes(o.slo.latency.thresholdMs)) {
    report(`${o.prop}.latency.thresholdMs`, `is not a bucket bound of the request-duration histogram the endpoint declares (${e.latencyBucketsMs.length > 0 ? e.latencyBucketsMs.join(', ') : 'none declared'})`,
      o.slo.latency.thresholdMs, `declare it: Metrics.scrape({ ..., latencyBucketsMs: [..., ${o.slo.latency.thresholdMs}, ...] }), or use one of the declared bounds`);
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
