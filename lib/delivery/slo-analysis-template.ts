import { Construct } from 'constructs';
import {
  AnalysisTemplate, AnalysisTemplateSpecMetrics, AnalysisTemplateSpecMetricsCount, AnalysisTemplateSpecMetricsFailureLimit,
} from '../../imports/argo-rollouts-argoproj.io';
import { SloQueryScope } from '../observability';
import { assertDnsLabel, assertLabels, checkProps } from '../core';
import { ResolvedAnalysis } from './analysis-options';

export interface SloAnalysisTemplateProps {
  readonly name: string;
  readonly namespace: string;
  /** @default - none */
  readonly labels?: Record<string, string>;
  /** The SLO, metrics source, Prometheus address and limits. */
  readonly analysis: ResolvedAnalysis;
  /**
   * Stop after `analysis.count` measurements. Otherwise the run measures until the rollout ends (background).
   * @default true
   */
  readonly counted?: boolean;
  /**
   * The template takes a `revision` argument and only measures requests served by pods of that
   * `app.kubernetes.io/version` (for splits that cannot tell the versions apart by Service).
   * @default false
   */
  readonly byRevision?: boolean;
}

/**
 * An Argo Rollouts AnalysisTemplate derived from a service-level objective: one Prometheus metric per objective
 * (`success-rate`, `latency`), each failing when the measured value misses the objective.
 *
 * Arguments: `service`, the Service whose callers' requests are measured (the canary or the preview Service),
 * and with `byRevision` also `revision`. Queries are wrapped in `scalar()`, so no traffic reads as NaN: it
 * neither meets nor misses the objective unless `noData` says otherwise.
 */
export class SloAnalysisTemplate extends Construct {
  /** The argument that names the measured Service. */
  public static readonly SERVICE_ARG = 'service';
  /** The argument that names the measured revision (with `byRevision`). */
  public static readonly REVISION_ARG = 'revision';

  public readonly analysisTemplate: AnalysisTemplate;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: SloAnalysisTemplateProps) {
    super(scope, id);
    checkProps(this, 'SloAnalysisTemplateProps', props);
    this.name = assertDnsLabel(this, 'name', props.name, 253);
    assertLabels(this, 'labels', props.labels);
    const a = props.analysis;
    const target: SloQueryScope = {
      selector: 'service',
      name: `{{args.${SloAnalysisTemplate.SERVICE_ARG}}}`,
      namespace: props.namespace,
      window: a.window,
      revision: props.byRevision ? `{{args.${SloAnalysisTemplate.REVISION_ARG}}}` : undefined,
    };
    const counted = props.counted ?? true;
    const common = {
      interval: a.interval,
      count: counted ? AnalysisTemplateSpecMetricsCount.fromNumber(a.count) : undefined,
      failureLimit: AnalysisTemplateSpecMetricsFailureLimit.fromNumber(a.failureLimit),
    };
    const prometheus = (query: string) => ({ prometheus: { address: a.prometheusAddress, query: `scalar(${query})` } });

    const metrics: AnalysisTemplateSpecMetrics[] = [];
    if (a.slo.successRate !== undefined) {
      metrics.push({
        name: 'success-rate',
        ...common,
        ...conditions(a.noData, `result >= ${a.slo.successRate}`, `result < ${a.slo.successRate}`),
        provider: prometheus(a.metrics.successRateQuery(target)),
      });
    }
    if (a.slo.latency !== undefined) {
      const l = a.slo.latency;
      metrics.push({
        name: 'latency',
        ...common,
        ...conditions(a.noData, `result <= ${l.thresholdMs}`, `result > ${l.thresholdMs}`),
        provider: prometheus(a.metrics.latencyQuery(target, l.percentile)),
      });
    }

    this.analysisTemplate = new AnalysisTemplate(this, 'AnalysisTemplate', {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        args: [
          { name: SloAnalysisTemplate.SERVICE_ARG },
          ...(props.byRevision ? [{ name: SloAnalysisTemplate.REVISION_ARG }] : []),
        ],
        metrics,
      },
    });
  }
}

/** Success and failure conditions; NaN (no data) satisfies neither unless `noData` decides. */
function conditions(noData: ResolvedAnalysis['noData'], met: string, missed: string): { successCondition: string; failureCondition: string } {
  switch (noData) {
    case 'pass': return { successCondition: `isNaN(result) || ${met}`, failureCondition: missed };
    case 'fail': return { successCondition: met, failureCondition: `isNaN(result) || ${missed}` };
    default: return { successCondition: met, failureCondition: missed };
  }
}
