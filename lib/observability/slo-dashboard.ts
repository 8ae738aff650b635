import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { createHash } from 'crypto';
import { OBSERVABILITY_DEFAULTS as D } from './defaults';
import { recordName, Sli, sliSelector } from './sli';
import { checkProps } from '../core';

export interface SloDashboardProps {
  /** ConfigMap name. */
  readonly name: string;
  readonly namespace: string;
  /** @default - none */
  readonly labels?: Record<string, string>;
  /** The measured service (dashboard title and uid). */
  readonly service: string;
  readonly slis: readonly Sli[];
  /** The SLO's compliance window (error budget remaining is measured over it). */
  readonly window: string;
}

/**
 * A Grafana dashboard for one service's SLO, in a ConfigMap labelled `grafana_dashboard: "1"` for Grafana's
 * dashboard sidecar: per SLI the SLI itself, the error budget remaining over the compliance window, and the
 * burn rate over the alert windows. The JSON is deterministic (fixed uid, ids and layout).
 */
export class SloDashboard extends Construct {
  /** The label Grafana's sidecar looks for. */
  public static readonly SIDECAR_LABEL = 'grafana_dashboard';

  public readonly resource: ApiObject;
  /** The dashboard JSON as written into the ConfigMap. */
  public readonly json: string;

  constructor(scope: Construct, id: string, props: SloDashboardProps) {
    super(scope, id);
    checkProps(this, 'SloDashboardProps', props);
    const ds = { type: 'prometheus', uid: '${datasource}' };
    const panels: Record<string, any>[] = [];
    let y = 0;
    for (const sli of props.slis) {
      const sel = sliSelector(sli, props.namespace);
      const base = panels.length;
      panels.push({ id: base + 1, type: 'row', title: `${sli.kind}: ${sli.description}`, gridPos: { h: 1, w: 24, x: 0, y }, collapsed: false, panels: [] });
      y += 1;
      panels.push({
        id: base + 2, type: 'timeseries', title: 'SLI (5m)', datasource: ds, gridPos: { h: 8, w: 10, x: 0, y },
        fieldConfig: { defaults: { unit: 'percentunit', min: 0, max: 1 }, overrides: [] },
        targets: [
          { refId: 'A', datasource: ds, expr: `1 - ${recordName('5m')}${sel}`, legendFormat: 'SLI' },
          { refId: 'B', datasource: ds, expr: `vector(${sli.target})`, legendFormat: 'objective' },
        ],
      });
      panels.push({
        id: base + 3, type: 'stat', title: `Error budget remaining (${props.window})`, datasource: ds, gridPos: { h: 8, w: 4, x: 10, y },
        fieldConfig: { defaults: { unit: 'percentunit', thresholds: { mode: 'absolute', steps: [{ color: 'red', value: null }, { color: 'orange', value: 0.25 }, { color: 'green', value: 0.5 }] } }, overrides: [] },
        targets: [{ refId: 'A', datasource: ds, expr: `1 - (avg_over_time(${recordName('1h')}${sel}[${props.window}]) / ${sli.budget})`, legendFormat: 'remaining' }],
      });
      panels.push({
        id: base + 4, type: 'timeseries', title: 'Burn rate', datasource: ds, gridPos: { h: 8, w: 10, x: 14, y },
        fieldConfig: { defaults: { unit: 'none', min: 0 }, overrides: [] },
        targets: [...D.alerts.fast, ...D.alerts.slow].map((p, i) => ({
          refId: String.fromCharCode(65 + i), datasource: ds, expr: `${recordName(p.long)}${sel} / ${sli.budget}`, legendFormat: `${p.long} (alert above ${p.factor}x)`,
        })),
      });
      y += 8;
    }
    const uidBase = `slo-${props.namespace}-${props.service}`;
    const dashboard = {
      title: `SLO: ${props.namespace}/${props.service}`,
      uid: uidBase.length <= 40 ? uidBase : `slo-${createHash('sha256').update(uidBase).digest('hex').slice(0, 36)}`,
      tags: ['slo', props.namespace],
      editable: false,
      schemaVersion: 39,
      time: { from: 'now-7d', to: 'now' },
      refresh: '1m',
      templating: { list: [{ name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', hide: 0 }] },
      panels,
    };
    this.json = `${JSON.stringify(dashboard, null, 2)}\n`;
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { ...props.labels, [SloDashboard.SIDECAR_LABEL]: '1' },
      },
      data: { [`${props.namespace}-${props.service}-slo.json`]: this.json },
    });
  }
}
