import { JsonPatch, Lazy } from 'cdk8s';
import {
  Canary, CanarySpecAnalysis, CanarySpecAnalysisMetrics, CanarySpecAnalysisWebhooks, CanarySpecAnalysisWebhooksType,
  CanarySpecAutoscalerRefKind, CanarySpecProvider, CanarySpecTargetRefKind,
} from '../../imports/flagger.app';
import { checkProps, configError } from '../core';
import { ServiceRoutes } from '../traffic/service-routes';
import { declareSloGate, ServiceLevelObjective, SloMetrics } from '../observability';
import type { IDeliveryStrategy } from '../workloads/delivery-strategy';
import type { HardenedService } from '../workloads/hardened-service';
import { WORKLOAD_DEFAULTS as W } from '../workloads/defaults';
import { NetworkPeer } from '../workloads/network-peer';
import { prometheusAddressOf } from './analysis-options';
import { DELIVERY_DEFAULTS as D } from './defaults';
import { assertInt, assertWeights, minutesOrSeconds, parseDuration } from './duration';
import { SloMetricTemplates } from './slo-metric-templates';

/** A load test that flagger-loadtester runs against the canary during analysis (a `rollout` webhook). */
export interface FlaggerLoadTestOptions {
  /**
   * The flagger-loadtester URL.
   * @default 'http://flagger-loadtester.test/'
   */
  readonly url?: string;
  /**
   * The load tester's namespace: the service admits its traffic (NetworkPolicy).
   * @default 'test'
   */
  readonly namespace?: string;
  /**
   * The command the load tester runs.
   * @default - `hey -z 1m -q 10 -c 2 http://<name>-canary.<namespace>:<port>/`
   */
  readonly cmd?: string;
  /**
   * @default '5s'
   */
  readonly timeout?: string | number;
}

/** A Flagger webhook. */
export interface FlaggerWebhook {
  readonly name: string;
  /** When Flagger calls it (`pre-rollout`, `rollout`, `confirm-promotion`, ...). */
  readonly type: CanarySpecAnalysisWebhooksType;
  readonly url: string;
  /** @default - Flagger's default (10s) */
  readonly timeout?: string | number;
  /** @default - none */
  readonly metadata?: Record<string, string>;
}

export interface FlaggerOptions {
  /** The objective the canary is measured against. */
  readonly slo: ServiceLevelObjective;
  /**
   * Where the success rate and latency come from (MetricTemplates).
   * @default SloMetrics.istio()
   */
  readonly metrics?: SloMetrics;
  /**
   * Check with Flagger's built-in `request-success-rate` and `request-duration` (p99) instead of MetricTemplates.
   * Needs an SLO latency percentile of 0.99, if any.
   * @default false
   */
  readonly builtinMetrics?: boolean;
  /**
   * Prometheus base URL (MetricTemplate provider; Canary metricsServer with builtinMetrics).
   * @default - the environment's prometheusAddress
   */
  readonly prometheusAddress?: string;
  /**
   * The mesh or ingress Flagger routes with.
   * @default CanarySpecProvider.ISTIO
   */
  readonly provider?: CanarySpecProvider;
  /**
   * Time between two checks (and the metrics' range): seconds or minutes ('1h' is written as '60m').
   * @default '1m'
   */
  readonly interval?: string | number;
  /**
   * Failed checks before Flagger rolls back.
   * @default 5
   */
  readonly threshold?: number;
  /**
   * Traffic added to the canary per step (canary mode).
   * @default 10
   */
  readonly stepWeight?: number;
  /**
   * Explicit traffic steps instead of stepWeight (canary mode), strictly increasing percentages.
   * @default - stepWeight steps up to maxWeight
   */
  readonly stepWeights?: number[];
  /**
   * Canary traffic at which Flagger promotes (canary mode).
   * @default 50
   */
  readonly maxWeight?: number;
  /**
   * Blue-green mode: run this many checks against the canary (no weighted traffic), then switch all traffic.
   * @default - canary mode
   */
  readonly iterations?: number;
  /**
   * Mirror live traffic to the canary during analysis (Istio).
   * @default false
   */
  readonly mirror?: boolean;
  /**
   * Percentage of traffic mirrored (canary mode, with mirror).
   * @default - all of it (Flagger's default)
   */
  readonly mirrorWeight?: number;
  /**
   * Generate load on the canary with flagger-loadtester during analysis.
   * @default - no load test
   */
  readonly loadTest?: FlaggerLoadTestOptions;
  /**
   * A `confirm-promotion` gate: Flagger promotes only once this URL answers 200.
   * @default - promote automatically
   */
  readonly confirmPromotionUrl?: string;
  /** More webhooks. @default - none */
  readonly webhooks?: FlaggerWebhook[];
  /**
   * Istio Gateways of Canary.spec.service (traffic from outside the mesh).
   * @default - in-mesh callers only
   */
  readonly gateways?: string[];
  /**
   * Hosts of Canary.spec.service. Required when gateways are set.
   * @default - the service's name
   */
  readonly hosts?: string[];
}

const PROP = 'delivery';

/**
 * A Flagger Canary for a HardenedService's Deployment, checked against the service's SLO.
 *
 * Flagger copies the Deployment to `<name>-primary`, which serves traffic, scales the Deployment to zero
 * between releases and generates the Services `<name>`, `<name>-primary` and `<name>-canary`. So:
 * - the service's own Service is removed: Flagger owns the Service named like the Deployment, and a copy in Git
 *   would have Argo CD or Flux fight Flagger over its selector;
 * - the Deployment carries no replica count: Flagger sizes the primary from the autoscaler, which is
 *   therefore required (the Canary's autoscalerRef points at it; Flagger clones it for the primary);
 * - the pods get an `app: <name>` label, also in the Deployment's selector: Flagger renames the first of its
 *   selector labels (`app`, `name`, `app.kubernetes.io/name`) found in the selector to `<name>-primary` on the
 *   primary, and `app` comes first, so `app.kubernetes.io/name` and `instance` stay the same on primary and
 *   canary pods and the PodDisruptionBudget, the NetworkPolicy and other services' peers keep selecting both.
 */
export class FlaggerCanary implements IDeliveryStrategy {
  constructor(public readonly options: FlaggerOptions) {
    checkProps('Delivery.flagger', 'FlaggerOptions', options);
  }

  public bind(service: HardenedService): void {
    const o = this.options ?? ({} as FlaggerOptions);
    if (service.requestedReplicas !== undefined) {
      throw configError(service, 'replicas', 'is fixed while delivery is Flagger (Flagger scales the Deployment to 0 and sizes the primary from the autoscaler)', service.requestedReplicas,
        `remove replicas and set autoscaling: { minReplicas: ${Math.max(service.requestedReplicas, 2)}, maxReplicas: ... } (min = max for a fixed count)`);
    }
    if (!service.scaler) {
      throw configError(service, 'autoscaling', 'is required with Flagger (without an autoscaler the primary runs a single pod)', undefined,
        `set autoscaling: { minReplicas: ${W.replicas}, maxReplicas: ... } (min = max for a fixed count)`);
    }
    if (!o.slo) {
      throw configError(service, `${PROP}.slo`, 'is required by Flagger analysis (the SLO is the metrics source)', o.slo,
        'set slo: ServiceLevelObjective.of({ successRate: 0.999, latency: { percentile: 0.99, thresholdMs: 300 } })');
    }
    o.slo._validate(service, `${PROP}.slo`);
    declareSloGate(service, o.slo, `${PROP}.slo`, o.metrics ?? SloMetrics.istio());
    const provider = o.provider ?? D.flagger.provider as CanarySpecProvider;
    const interval = minutesOrSeconds(parseDuration(service, `${PROP}.interval`, o.interval ?? D.flagger.interval));
    const address = prometheusAddressOf(service, `${PROP}.prometheusAddress`, o.prometheusAddress);

    const analysis: { -readonly [K in keyof CanarySpecAnalysis]: CanarySpecAnalysis[K] } = {
      interval,
      threshold: assertInt(service, `${PROP}.threshold`, o.threshold ?? D.flagger.threshold, 1, 1000, D.flagger.threshold),
    };
    if (o.iterations !== undefined) {
      for (const key of ['stepWeight', 'stepWeights', 'maxWeight'] as const) {
        if (o[key] !== undefined) {
          throw configError(service, `${PROP}.${key}`, 'is set with iterations (blue-green mode shifts no weights)', o[key], `remove ${key}, or remove iterations for canary mode`);
        }
      }
      analysis.iterations = assertInt(service, `${PROP}.iterations`, o.iterations, 1, 1000, 10);
    } else if (o.stepWeights !== undefined) {
      if (o.stepWeight !== undefined || o.maxWeight !== undefined) {
        throw configError(service, `${PROP}.stepWeights`, 'is set together with stepWeight/maxWeight', o.stepWeights, 'use either stepWeights, or stepWeight and maxWeight');
      }
      if (!Array.isArray(o.stepWeights) || o.stepWeights.length === 0) {
        throw configError(service, `${PROP}.stepWeights`, 'must list at least one weight', o.stepWeights, 'use e.g. [10, 25, 50]');
      }
      assertWeights(service, `${PROP}.stepWeights`, o.stepWeights);
      analysis.stepWeights = [...o.stepWeights];
    } else {
      const stepWeight = assertInt(service, `${PROP}.stepWeight`, o.stepWeight ?? D.flagger.stepWeight, 1, 100, D.flagger.stepWeight);
      const maxWeight = assertInt(service, `${PROP}.maxWeight`, o.maxWeight ?? D.flagger.maxWeight, 1, 100, D.flagger.maxWeight);
      if (maxWeight < stepWeight) {
        throw configError(service, `${PROP}.maxWeight`, `must be at least stepWeight (${stepWeight})`, maxWeight, `use e.g. ${Math.max(D.flagger.maxWeight, stepWeight)}`);
      }
      analysis.stepWeight = stepWeight;
      analysis.maxWeight = maxWeight;
    }
    if (o.mirror) {
      if (provider !== CanarySpecProvider.ISTIO) {
        throw configError(service, `${PROP}.mirror`, `needs the istio provider, got provider ${JSON.stringify(provider)}`, o.mirror, 'remove mirror, or use CanarySpecProvider.ISTIO');
      }
      analysis.mirror = true;
    }
    if (o.mirrorWeight !== undefined) {
      if (!o.mirror) {
        throw configError(service, `${PROP}.mirrorWeight`, 'is set without mirror', o.mirrorWeight, 'set mirror: true, or remove mirrorWeight');
      }
      if (o.iterations !== undefined) {
        throw configError(service, `${PROP}.mirrorWeight`, 'only applies in canary mode (blue-green mode mirrors all traffic)', o.mirrorWeight, 'remove mirrorWeight');
      }
      analysis.mirrorWeight = assertInt(service, `${PROP}.mirrorWeight`, o.mirrorWeight, 1, 100, 50);
    }

    let metrics: CanarySpecAnalysisMetrics[];
    if (o.builtinMetrics) {
      const l = o.slo.latency;
      if (l && l.percentile !== 0.99) {
        throw configError(service, `${PROP}.slo.latency.percentile`, "must be 0.99 with builtinMetrics (Flagger's request-duration is the p99)", l.percentile,
          'set builtinMetrics: false to generate MetricTemplates for any percentile');
      }
      if (o.metrics) {
        throw configError(service, `${PROP}.metrics`, 'is set with builtinMetrics (the built-in checks bring their own queries)', o.metrics.name, 'remove metrics, or builtinMetrics');
      }
      metrics = [];
      if (o.slo.successRate !== undefined) {
        metrics.push({ name: 'request-success-rate', thresholdRange: { min: Number((o.slo.successRate * 100).toPrecision(12)) }, interval });
      }
      if (l) metrics.push({ name: 'request-duration', thresholdRange: { max: l.thresholdMs }, interval });
    } else {
      const templates = new SloMetricTemplates(service, 'MetricTemplates', {
        name: service.name,
        namespace: service.namespace,
        labels: service.pod.labels,
        slo: o.slo,
        metrics: o.metrics ?? SloMetrics.istio(),
        prometheusAddress: address,
      });
      metrics = templates.canaryMetrics(interval);
    }
    analysis.metrics = metrics;
    analysis.webhooks = this.webhooks(service);

    const gateways = o.gateways ?? [];
    if (gateways.length > 0 && (o.hosts === undefined || o.hosts.length === 0)) {
      throw configError(service, `${PROP}.hosts`, 'is required when gateways are set (a gateway routes public hostnames)', o.hosts,
        `add the public hostname, e.g. hosts: ['${service.name}.example.com']`);
    }

    // Flagger renames this label on the primary, leaving the recommended labels alike on both versions
    const label = D.flagger.selectorLabel;
    service.deployment.addJsonPatch(
      JsonPatch.add(`/spec/selector/matchLabels/${label}`, service.name),
      JsonPatch.add(`/spec/template/metadata/labels/${label}`, service.name),
    );
    // Flagger generates (and owns) the Service named like the Deployment
    service.node.tryRemoveChild('Service');
    // Flagger generates the route too: an exposure (bound later) hands it its hosts and gateway
    const routes = ServiceRoutes.of(service);
    routes.flaggerProvider = provider;

    new Canary(service, 'Canary', {
      metadata: service.pod.metadata(),
      spec: {
        provider,
        metricsServer: o.builtinMetrics ? address : undefined,
        progressDeadlineSeconds: W.progressDeadlineSeconds,
        targetRef: { apiVersion: 'apps/v1', kind: CanarySpecTargetRefKind.DEPLOYMENT, name: service.name },
        // the HPA, or a KEDA ScaledObject (lib/scaling), which Flagger clones for the primary
        autoscalerRef: service.scaler!.kind === 'ScaledObject'
          ? { apiVersion: 'keda.sh/v1alpha1', kind: CanarySpecAutoscalerRefKind.SCALED_OBJECT, name: service.name }
          : { apiVersion: 'autoscaling/v2', kind: CanarySpecAutoscalerRefKind.HORIZONTAL_POD_AUTOSCALER, name: service.name },
        service: {
          port: service.port,
          portName: service.portName,
          targetPort: service.portName,
          gateways: gateways.length > 0 ? [...gateways, 'mesh'] : undefined,
          hosts: Lazy.any({
            produce: () => {
              const exposed = routes.exposure?.hosts ?? [];
              if (gateways.length > 0) return [...o.hosts!, ...exposed, service.name];
              if (exposed.length > 0) return [...(o.hosts ?? []), ...exposed];
              return o.hosts ? [...o.hosts] : undefined;
            },
          }) as any,
          gatewayRefs: Lazy.any({
            produce: () => (routes.exposure && routes.exposure.gateways.length > 0
              ? routes.exposure.gateways.map((g) => ({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: g.name, namespace: g.namespace, sectionName: g.sectionName }))
              : undefined),
          }) as any,
          // more Service ports than the main one (a metrics port, lib/observability): Flagger's Services get them
          // by port discovery, and the apex and canary Services (primary pods, canary pods) the labels a
          // ServiceMonitor selects, so every pod is scraped once
          ...(service.serviceExposedPorts.length > 1 ? {
            portDiscovery: true,
            apex: { labels: { ...service.pod.selectorLabels } },
            canary: { labels: { ...service.pod.selectorLabels } },
          } : {}),
        },
        analysis,
      },
    });
  }

  private webhooks(service: HardenedService): CanarySpecAnalysisWebhooks[] | undefined {
    const o = this.options;
    const out: CanarySpecAnalysisWebhooks[] = [];
    if (o.loadTest) {
      const t = o.loadTest;
      const url = t.url ?? D.flagger.loadTest.url;
      assertUrl(service, `${PROP}.loadTest.url`, url);
      const namespace = t.namespace ?? D.flagger.loadTest.namespace;
      const target = `http://${service.name}${D.services.canarySuffix}.${service.namespace}:${service.port}/`;
      out.push({
        name: 'load-test',
        type: CanarySpecAnalysisWebhooksType.ROLLOUT,
        url,
        timeout: minutesOrSeconds(parseDuration(service, `${PROP}.loadTest.timeout`, t.timeout ?? D.flagger.loadTest.timeout)),
        metadata: { type: 'cmd', cmd: t.cmd ?? `hey ${D.flagger.loadTest.hey} ${target}` },
      });
      // the load tester calls the canary directly
      service.allowFrom(NetworkPeer.namespace(namespace));
    }
    if (o.confirmPromotionUrl !== undefined) {
      assertUrl(service, `${PROP}.confirmPromotionUrl`, o.confirmPromotionUrl);
      out.push({ name: 'confirm-promotion', type: CanarySpecAnalysisWebhooksType.CONFIRM_HYPHEN_PROMOTION, url: o.confirmPromotionUrl });
    }
    (o.webhooks ?? []).forEach((w, i) => {
      assertUrl(service, `${PROP}.webhooks[${i}].url`, w.url);
      if (out.some((x) => x.name === w.name)) {
        throw configError(service, `${PROP}.webhooks[${i}].name`, 'is used twice', w.name, 'give every webhook its own name');
      }
      out.push({
        name: w.name,
        type: w.type,
        url: w.url,
        timeout: w.timeout === undefined ? undefined : minutesOrSeconds(parseDuration(service, `${PROP}.webhooks[${i}].timeout`, w.timeout)),
        metadata: w.metadata ? { ...w.metadata } : undefined,
      });
    });
    return out.length > 0 ? out : undefined;
  }
}

function assertUrl(service: HardenedService, prop: string, url: unknown): void {
  if (typeof url !== 'string' || !/^https?:\/\/[^\s]+$/.test(url)) {
    throw configError(service, prop, 'must be an http(s) URL', url, "use e.g. 'http://flagger-loadtester.test/'");
  }
}
