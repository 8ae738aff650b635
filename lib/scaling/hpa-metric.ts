import { IConstruct } from 'constructs';
import { assertInt, assertLabels, assertQuantity, checkProps, configError } from '../core';
import { SCALING_DEFAULTS as D } from './defaults';

/** A value a metric is held at: a number or a quantity string (`'100'`, `'500m'`, `'1Gi'`). */
export type MetricValue = number | string;

export interface PodsMetricOptions {
  /** Metric name on the custom metrics API (the Prometheus adapter's name for it). */
  readonly metric: string;
  /** Target average over the pods. */
  readonly averageValue: MetricValue;
  /** @default - none */
  readonly selector?: Record<string, string>;
}

export interface ObjectMetricOptions {
  readonly metric: string;
  /** The object the metric describes (an Ingress, a Service). */
  readonly describedObject: { readonly apiVersion: string; readonly kind: string; readonly name: string };
  /** Target value of the object's metric (set this or averageValue). @default - averageValue */
  readonly value?: MetricValue;
  /** Target value divided by the pod count. @default - value */
  readonly averageValue?: MetricValue;
  /** @default - none */
  readonly selector?: Record<string, string>;
}

export interface ExternalMetricOptions {
  /** Metric name on the external metrics API (a queue length from outside the cluster). */
  readonly metric: string;
  /** @default - none */
  readonly selector?: Record<string, string>;
  /** Target value (set this or averageValue). @default - averageValue */
  readonly value?: MetricValue;
  /** Target value divided by the pod count. @default - value */
  readonly averageValue?: MetricValue;
}

export interface ResourceMetricOptions {
  /** Percent of the request. @default 70 for CPU */
  readonly averageUtilization?: number;
  /** An absolute average (`'400Mi'`), instead of a utilisation. @default - averageUtilization */
  readonly averageValue?: string;
}

type Render = (scope: IConstruct, prop: string) => Record<string, any>;

/** One metric an HPA v2 scales on: CPU, memory, per-pod, per-object or external. */
export class HpaMetric {
  /** Average CPU utilisation, percent of the request. */
  public static cpu(averageUtilization: number = D.hpa.cpuUtilization): HpaMetric {
    return HpaMetric.resource('cpu', { averageUtilization });
  }

  /** Average memory: a utilisation of the request or an absolute value. */
  public static memory(options: ResourceMetricOptions): HpaMetric {
    checkProps('HpaMetric.memory', 'ResourceMetricOptions', options);
    return HpaMetric.resource('memory', options);
  }

  /** A per-pod custom metric (requests per second per pod). */
  public static pods(options: PodsMetricOptions): HpaMetric {
    checkProps('HpaMetric.pods', 'PodsMetricOptions', options);
    return new HpaMetric('pods', (scope, prop) => ({
      type: 'Pods',
      pods: { metric: metricId(scope, prop, options.metric, options.selector), target: { type: 'AverageValue', averageValue: quantity(scope, `${prop}.averageValue`, options.averageValue) } },
    }));
  }

  /**
   * Requests per second per pod, from the Prometheus adapter.
   * @param perPod target requests per second each pod serves
   * @param metric @default 'http_requests_per_second'
   */
  public static requestsPerSecond(perPod: MetricValue, metric: string = D.hpa.requestsPerSecondMetric): HpaMetric {
    return HpaMetric.pods({ metric, averageValue: perPod });
  }

  /** A metric of another object (requests per second on an Ingress). */
  public static object(options: ObjectMetricOptions): HpaMetric {
    checkProps('HpaMetric.object', 'ObjectMetricOptions', options);
    return new HpaMetric('object', (scope, prop) => ({
      type: 'Object',
      object: {
        metric: metricId(scope, prop, options.metric, options.selector),
        describedObject: { ...options.describedObject },
        target: valueTarget(scope, prop, options.value, options.averageValue),
      },
    }));
  }

  /** A metric from outside the cluster (a cloud queue's length). */
  public static external(options: ExternalMetricOptions): HpaMetric {
    checkProps('HpaMetric.external', 'ExternalMetricOptions', options);
    return new HpaMetric('external', (scope, prop) => ({
      type: 'External',
      external: { metric: metricId(scope, prop, options.metric, options.selector), target: valueTarget(scope, prop, options.value, options.averageValue) },
    }));
  }

  private static resource(name: 'cpu' | 'memory', options: ResourceMetricOptions): HpaMetric {
    checkProps('HpaMetric.resource', 'ResourceMetricOptions', options);
    return new HpaMetric(name, (scope, prop) => {
      if (options.averageValue !== undefined && options.averageUtilization !== undefined) {
        throw configError(scope, prop, 'sets both averageUtilization and averageValue', options, 'set one of them');
      }
      if (options.averageValue !== undefined) {
        return { type: 'Resource', resource: { name, target: { type: 'AverageValue', averageValue: quantity(scope, `${prop}.averageValue`, options.averageValue) } } };
      }
      if (options.averageUtilization === undefined) {
        throw configError(scope, prop, 'needs a target', options, 'set averageUtilization (percent of the request) or averageValue');
      }
      const u = assertInt(scope, `${prop}.averageUtilization`, options.averageUtilization, 1, 1000, D.hpa.cpuUtilization);
      return { type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization: u } } };
    });
  }

  private constructor(
    /** `cpu`, `memory`, `pods`, `object` or `external`. */
    public readonly type: string,
    private readonly render: Render,
  ) {}

  /** @internal The `spec.metrics[]` entry; throws config errors naming `prop`. */
  public _render(scope: IConstruct, prop: string): Record<string, any> {
    return this.render(scope, prop);
  }
}

function metricId(scope: IConstruct, prop: string, name: string, selector?: Record<string, string>) {
  if (typeof name !== 'string' || !/^[a-zA-Z_:][a-zA-Z0-9_:.\-/]*$/.test(name)) {
    throw configError(scope, `${prop}.metric`, 'must be a metric name', name, "use e.g. 'http_requests_per_second'");
  }
  if (selector) assertLabels(scope, `${prop}.selector`, selector);
  return { name, ...(selector ? { selector: { matchLabels: { ...selector } } } : {}) };
}

function quantity(scope: IConstruct, prop: string, v: MetricValue): string {
  if (typeof v === 'number') {
    if (!(Number.isFinite(v) && v > 0)) throw configError(scope, prop, 'must be a positive number', v, 'use e.g. 100');
    return String(v);
  }
  assertQuantity(scope, prop, v, '100');
  return v;
}

function valueTarget(scope: IConstruct, prop: string, value?: MetricValue, averageValue?: MetricValue) {
  if ((value === undefined) === (averageValue === undefined)) {
    throw configError(scope, prop, 'needs exactly one of value and averageValue', { value, averageValue }, 'set value (the total) or averageValue (per pod)');
  }
  return value !== undefined
    ? { type: 'Value', value: quantity(scope, `${prop}.value`, value) }
    : { type: 'AverageValue', averageValue: quantity(scope, `${prop}.averageValue`, averageValue!) };
}
