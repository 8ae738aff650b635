import { Construct } from 'constructs';
import { CanarySpecAnalysisMetrics, MetricTemplate, MetricTemplateSpecProviderType } from '../../imports/flagger.app';
import { ServiceLevelObjective, SloMetrics, SloQueryScope } from '../observability';
import { assertLabels, checkProps } from '../core';
import { DELIVERY_DEFAULTS as D } from './defaults';

export interface SloMetricTemplatesProps {
  /** The service's name: templates are `<name>-success-rate` and `<name>-latency`. */
  readonly name: string;
  readonly namespace: string;
  /** @default - none */
  readonly labels?: Record<string, string>;
  readonly slo: ServiceLevelObjective;
  readonly metrics: SloMetrics;
  readonly prometheusAddress: string;
}

/**
 * Flagger MetricTemplates derived from a service-level objective: the canary workload's success rate (0 to 1)
 * and its latency in milliseconds at the objective's percentile, queried with Flagger's `{{ target }}`,
 * `{{ namespace }}` and `{{ interval }}` placeholders.
 */
export class SloMetricTemplates extends Construct {
  public readonly successRate?: MetricTemplate;
  public readonly latency?: MetricTemplate;
  private readonly props: SloMetricTemplatesProps;

  constructor(scope: Construct, id: string, props: SloMetricTemplatesProps) {
    super(scope, id);
    checkProps(this, 'SloMetricTemplatesProps', props);
    this.props = props;
    assertLabels(this, 'labels', props.labels);
    const target: SloQueryScope = { selector: 'workload', name: '{{ target }}', namespace: '{{ namespace }}', window: '{{ interval }}' };
    const template = (cid: string, suffix: string, query: string) => new MetricTemplate(this, cid, {
      metadata: { name: `${props.name}${suffix}`, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined },
      spec: { provider: { type: MetricTemplateSpecProviderType.PROMETHEUS, address: props.prometheusAddress }, query },
    });
    if (props.slo.successRate !== undefined) {
      this.successRate = template('SuccessRate', D.flagger.successRateSuffix, props.metrics.successRateQuery(target));
    }
    if (props.slo.latency !== undefined) {
      this.latency = template('Latency', D.flagger.latencySuffix, props.metrics.latencyQuery(target, props.slo.latency.percentile));
    }
  }

  /** The Canary's `analysis.metrics` entries that check these templates against the objective. */
  public canaryMetrics(interval: string): CanarySpecAnalysisMetrics[] {
    const { slo, name, namespace } = this.props;
    const out: CanarySpecAnalysisMetrics[] = [];
    if (this.successRate) {
      out.push({ name: 'success-rate', templateRef: { name: `${name}${D.flagger.successRateSuffix}`, namespace }, thresholdRange: { min: slo.successRate }, interval });
    }
    if (this.latency) {
      out.push({ name: 'latency', templateRef: { name: `${name}${D.flagger.latencySuffix}`, namespace }, thresholdRange: { max: slo.latency!.thresholdMs }, interval });
    }
    return out;
  }
}
