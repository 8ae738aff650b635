import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { OBSERVABILITY_DEFAULTS as D } from './defaults';
import { burnExpr, recordName, Sli, SLI_WINDOWS } from './sli';
import { checkProps } from '../core';

export interface SloPrometheusRuleProps {
  readonly name: string;
  readonly namespace: string;
  /** @default - none */
  readonly labels?: Record<string, string>;
  /** The measured service (alert label `service`). */
  readonly service: string;
  /** Alert label `team`. */
  readonly team: string;
  /** Alert label `environment`. @default - none */
  readonly environment?: string;
  readonly slis: readonly Sli[];
  /** Fast burns page (`severity: page`); otherwise they open tickets. */
  readonly paging: boolean;
  /** Alerts link `<runbookBaseUrl>/<alert name>`. */
  readonly runbookBaseUrl: string;
}

/**
 * A prometheus-operator PrometheusRule for one service's SLO: recording rules of each SLI's error ratio over the
 * standard windows, and per SLI a fast-burn alert (14.4x over 1h and 5m, or 6x over 6h and 30m) that pages and a
 * slow-burn alert (3x over 1d and 2h, or 1x over 3d and 6h) that opens a ticket: the SRE workbook's
 * multi-window, multi-burn-rate alerts.
 */
export class SloPrometheusRule extends Construct {
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: SloPrometheusRuleProps) {
    super(scope, id);
    checkProps(this, 'SloPrometheusRuleProps', props);
    const a = D.alerts;
    const groups: Record<string, any>[] = [];
    for (const sli of props.slis) {
      const labels = { slo: sli.slo, namespace: props.namespace, service: props.service };
      groups.push({
        name: `${sli.slo}-sli`,
        rules: SLI_WINDOWS.map((w) => ({ record: recordName(w), expr: sli.errorRatio(w), labels })),
      });
      const title = sli.kind === 'availability' ? 'Availability' : 'Latency';
      const alert = (tier: 'fast' | 'slow') => {
        const pairs = a[tier];
        const name = `SLO${title}${tier === 'fast' ? 'Fast' : 'Slow'}Burn`;
        const windows = pairs.map((p) => `${p.factor}x over ${p.long} and ${p.short}`).join(', or ');
        return {
          alert: name,
          expr: burnExpr(sli, props.namespace, pairs),
          for: tier === 'fast' ? a.fastFor : a.slowFor,
          labels: {
            severity: tier === 'fast' && props.paging ? a.pageSeverity : a.ticketSeverity,
            team: props.team,
            service: props.service,
            ...(props.environment ? { environment: props.environment } : {}),
            slo: sli.slo,
          },
          annotations: {
            summary: `${props.namespace}/${props.service}: ${sli.kind} error budget burning ${tier === 'fast' ? 'fast' : 'slowly'}`,
            description: `${props.namespace}/${props.service} promises that ${sli.description} (error budget ${Number((sli.budget * 100).toPrecision(10))}%).`
              + ` The budget burns faster than it may: ${windows} the sustainable rate${tier === 'fast' ? '; at this pace it is gone within days' : ''}.`,
            runbook_url: `${props.runbookBaseUrl}/${name}`,
          },
        };
      };
      groups.push({ name: `${sli.slo}-alerts`, rules: [alert('fast'), alert('slow')] });
    }
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined },
      spec: { groups },
    });
  }
}
