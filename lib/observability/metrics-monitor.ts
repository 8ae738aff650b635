import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkProps } from '../core';

export interface MetricsMonitorProps {
  /** ServiceMonitor (scrapes through the Service) or PodMonitor (scrapes the pods: workers, jobs). */
  readonly kind: 'ServiceMonitor' | 'PodMonitor';
  readonly name: string;
  readonly namespace: string;
  /** @default - none */
  readonly labels?: Record<string, string>;
  /** Labels of the Services or pods to scrape. */
  readonly selector: Record<string, string>;
  /** Named port (of the Service, or of the pods). */
  readonly portName: string;
  readonly path: string;
  readonly interval: string;
}

/** A prometheus-operator ServiceMonitor or PodMonitor for one workload's metrics endpoint. */
export class MetricsMonitor extends Construct {
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: MetricsMonitorProps) {
    super(scope, id);
    checkProps(this, 'MetricsMonitorProps', props);
    const endpoint = { port: props.portName, path: props.path, interval: props.interval };
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: props.kind,
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        selector: { matchLabels: { ...props.selector } },
        namespaceSelector: { matchNames: [props.namespace] },
        ...(props.kind === 'ServiceMonitor' ? { endpoints: [endpoint] } : { podMetricsEndpoints: [endpoint] }),
      },
    });
  }
}
