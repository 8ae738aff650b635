import { RolloutSpecStrategyBlueGreen } from '../../imports/argo-rollouts-argoproj.io';
import { checkProps, configError } from '../core';
import { ServiceLevelObjective } from '../observability';
import type { IDeliveryStrategy } from '../workloads/delivery-strategy';
import type { HardenedService } from '../workloads/hardened-service';
import { AnalysisOptions, resolveAnalysis } from './analysis-options';
import { DELIVERY_DEFAULTS as D } from './defaults';
import { assertInt } from './duration';
import { createRollout, createRolloutService, RolloutAnalysis } from './rollout-parts';

export interface ArgoBlueGreenOptions {
  /**
   * The objective the new version is measured against (the metrics source of promotion analysis).
   * @default - no analysis
   */
  readonly slo?: ServiceLevelObjective;
  /** @default - see AnalysisOptions */
  readonly analysis?: AnalysisOptions;
  /**
   * Measure the preview (through the preview Service) before it takes the active Service's traffic; a failed
   * run aborts the rollout and the active version keeps serving.
   * @default true when slo is set
   */
  readonly prePromotionAnalysis?: boolean;
  /**
   * Measure the new version after promotion, while the previous one still runs (scaleDownDelaySeconds); a failed
   * run switches the active Service back.
   * @default false
   */
  readonly postPromotionAnalysis?: boolean;
  /**
   * Promote once the preview is ready (and pre-promotion analysis passed). false waits for a human
   * (`kubectl argo rollouts promote`).
   * @default true
   */
  readonly autoPromotionEnabled?: boolean;
  /**
   * Promote automatically this many seconds after the preview is ready.
   * @default - as soon as the preview is ready and analysis passed
   */
  readonly autoPromotionSeconds?: number;
  /**
   * Seconds the previous version keeps running after promotion: a fast way back, and time for every endpoint
   * and cache to switch.
   * @default 30
   */
  readonly scaleDownDelaySeconds?: number;
  /**
   * Pods of the preview until promotion (the full count is started at promotion).
   * @default - the full replica count
   */
  readonly previewReplicaCount?: number;
  /**
   * Port of the preview Service, for testers and pre-promotion traffic.
   * @default - the service's port
   */
  readonly previewPort?: number;
  /**
   * Prefer nodes without active pods for preview pods.
   * @default true
   */
  readonly antiAffinity?: boolean;
}

const PROP = 'delivery';

/**
 * An Argo Rollouts blue-green deployment of a HardenedService: a Rollout that takes the hardened pod template
 * from the Deployment (workloadRef); the service's own Service is the active one, `<name>-preview` reaches the
 * new version before promotion; promotion analysis is derived from the service's SLO.
 */
export class ArgoBlueGreen implements IDeliveryStrategy {
  constructor(public readonly options: ArgoBlueGreenOptions = {}) {
    checkProps('Delivery.blueGreen', 'ArgoBlueGreenOptions', options);
  }

  public bind(service: HardenedService): void {
    const o = this.options;
    const previewService = `${service.name}${D.services.previewSuffix}`;
    if (o.previewPort !== undefined) {
      if (typeof o.previewPort !== 'number' || !Number.isInteger(o.previewPort) || o.previewPort < 1 || o.previewPort > 65535) {
        throw configError(service, `${PROP}.previewPort`, 'must be the port (1-65535) the preview Service exposes', o.previewPort,
          `leave it out to use the service's port (${service.port}), or use e.g. ${service.port}`);
      }
    }
    const previewPort = o.previewPort ?? service.port;

    const autoPromotionEnabled = o.autoPromotionEnabled ?? D.blueGreen.autoPromotionEnabled;
    if (o.autoPromotionSeconds !== undefined) {
      if (!autoPromotionEnabled) {
        throw configError(service, `${PROP}.autoPromotionSeconds`, 'is set while autoPromotionEnabled is false (it would never apply)', o.autoPromotionSeconds,
          'remove autoPromotionSeconds, or enable auto promotion');
      }
      assertInt(service, `${PROP}.autoPromotionSeconds`, o.autoPromotionSeconds, 1, 86400, 600);
    }
    if (o.previewReplicaCount !== undefined) {
      const max = service.replicas ?? Number.MAX_SAFE_INTEGER;
      assertInt(service, `${PROP}.previewReplicaCount`, o.previewReplicaCount, 1, max, Math.min(1, max));
    }
    const scaleDownDelaySeconds = assertInt(service, `${PROP}.scaleDownDelaySeconds`, o.scaleDownDelaySeconds ?? D.blueGreen.scaleDownDelaySeconds,
      0, 86400, D.blueGreen.scaleDownDelaySeconds);

    const wanted = o.prePromotionAnalysis ? 'prePromotionAnalysis' : o.postPromotionAnalysis ? 'postPromotionAnalysis' : undefined;
    const resolved = resolveAnalysis(service, PROP, o.slo, o.analysis, wanted);
    if (o.postPromotionAnalysis && scaleDownDelaySeconds === 0) {
      throw configError(service, `${PROP}.scaleDownDelaySeconds`, 'is 0 while postPromotionAnalysis is on (nothing would be left to switch back to)', scaleDownDelaySeconds,
        `keep the previous version for a while, e.g. ${D.blueGreen.scaleDownDelaySeconds}`);
    }
    // active and preview are distinct Services, so each version's callers are measured by Service
    const analysis = resolved ? new RolloutAnalysis(service, resolved, false) : undefined;
    const pre = analysis && (o.prePromotionAnalysis ?? true) ? analysis.run(previewService) : undefined;
    const post = analysis && o.postPromotionAnalysis ? analysis.run(service.name) : undefined;

    createRolloutService(service, 'PreviewService', previewService, previewPort);
    const antiAffinity = o.antiAffinity ?? D.blueGreen.antiAffinity;
    const blueGreen: RolloutSpecStrategyBlueGreen = {
      activeService: service.name,
      previewService,
      prePromotionAnalysis: pre ? { templates: pre.templates.map((t) => ({ ...t })), args: pre.args.map((a) => ({ ...a })) } : undefined,
      postPromotionAnalysis: post ? { templates: post.templates.map((t) => ({ ...t })), args: post.args.map((a) => ({ ...a })) } : undefined,
      autoPromotionEnabled,
      autoPromotionSeconds: o.autoPromotionSeconds,
      scaleDownDelaySeconds,
      previewReplicaCount: o.previewReplicaCount,
      antiAffinity: antiAffinity ? { preferredDuringSchedulingIgnoredDuringExecution: { weight: D.blueGreen.antiAffinityWeight } } : undefined,
    };
    createRollout(service, { blueGreen });
  }
}
