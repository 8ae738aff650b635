import { Lazy } from 'cdk8s';
import { RolloutSpecStrategyCanary, RolloutSpecStrategyCanarySteps } from '../../imports/argo-rollouts-argoproj.io';
import { checkProps, configError } from '../core';
import { ServiceLevelObjective } from '../observability';
import { TRAFFIC_DEFAULTS } from '../traffic/defaults';
import { ServiceRoutes } from '../traffic/service-routes';
import { TrafficRouting } from '../traffic/traffic-routing';
import type { IDeliveryStrategy } from '../workloads/delivery-strategy';
import type { HardenedService } from '../workloads/hardened-service';
import { AnalysisOptions, resolveAnalysis } from './analysis-options';
import { CanaryStep } from './canary-step';
import { DELIVERY_DEFAULTS as D } from './defaults';
import { assertInt, assertWeights } from './duration';
import { createRollout, createRolloutService, RolloutAnalysis } from './rollout-parts';

export interface ArgoCanaryOptions {
  /**
   * How traffic is split between the stable and the canary version.
   * @default - no traffic router: Argo Rollouts approximates each weight with the ratio of canary to stable pods
   */
  readonly trafficRouting?: TrafficRouting;
  /**
   * The steps, in order; after the last one the canary is promoted.
   * @default - setWeight 10, 25, 50, each followed by a '2m' pause
   */
  readonly steps?: CanaryStep[];
  /**
   * The objective the canary is measured against (the metrics source of every analysis).
   * @default - no analysis
   */
  readonly slo?: ServiceLevelObjective;
  /** @default - see AnalysisOptions */
  readonly analysis?: AnalysisOptions;
  /**
   * Measure the canary against the SLO from its first traffic until promotion; a failed measurement beyond
   * failureLimit aborts the rollout and sends all traffic back to the stable version.
   * @default true when slo is set
   */
  readonly backgroundAnalysis?: boolean;
  /**
   * Prefer nodes without stable pods for canary pods (a bad node cannot fail both versions).
   * @default true
   */
  readonly antiAffinity?: boolean;
  /**
   * Seconds the previous stable pods keep running after promotion (with traffic routing).
   * @default 30
   */
  readonly scaleDownDelaySeconds?: number;
  /**
   * Seconds the canary pods keep running after an abort (with traffic routing).
   * @default 30
   */
  readonly abortScaleDownDelaySeconds?: number;
}

const PROP = 'delivery';

/**
 * An Argo Rollouts canary of a HardenedService: a Rollout that takes the service's hardened pod template
 * from its Deployment (workloadRef), stable and canary Services, optional traffic routing (Istio or the Gateway
 * API) with mirror and header routes, and analysis derived from the service's SLO.
 */
export class ArgoCanary implements IDeliveryStrategy {
  constructor(public readonly options: ArgoCanaryOptions = {}) {
    checkProps('Delivery.canary', 'ArgoCanaryOptions', options);
  }

  public bind(service: HardenedService): void {
    const o = this.options;
    const steps = o.steps ?? defaultSteps();
    checkSteps(service, steps, o.trafficRouting);

    const stableService = `${service.name}${D.services.stableSuffix}`;
    const canaryService = `${service.name}${D.services.canarySuffix}`;
    const routeNames = unique(steps.map((s) => s.routeName).filter((n): n is string => n !== undefined));
    const routing = o.trafficRouting?._bindCanary(service, {
      prop: `${PROP}.trafficRouting`,
      stableService,
      canaryService,
      headerRoutes: steps.some((s) => s.kind === 'setHeaderRoute'),
      mirrorRoutes: steps.some((s) => s.kind === 'setMirrorRoute'),
    });
    const splitsServices = routing?.splitsServices ?? true;
    if (splitsServices) {
      createRolloutService(service, 'StableService', stableService);
      createRolloutService(service, 'CanaryService', canaryService);
    }
    // an exposure (bound after delivery) may add the route the service is exposed on as one more router
    const routers: Record<string, any>[] = [];
    if (routing && splitsServices) {
      ServiceRoutes.of(service).canary = {
        stableService, canaryService, headerRoutes: steps.some((s) => s.kind === 'setHeaderRoute'), addRouter: (r) => routers.push(r),
      };
    }

    const wanted = steps.some((s) => s.kind === 'analysis') ? 'analysis steps' : o.backgroundAnalysis ? 'backgroundAnalysis' : undefined;
    const resolved = resolveAnalysis(service, PROP, o.slo, o.analysis, wanted);
    // With a traffic router that splits by Service, the canary Service's callers are exactly the canary's
    // traffic. Otherwise (no router, or Istio subsets) both versions share the service's own Service, and only
    // the revision tells them apart.
    const byService = routing !== undefined && splitsServices;
    const measured = byService ? canaryService : service.name;
    const analysis = resolved ? new RolloutAnalysis(service, resolved, !byService) : undefined;

    const rendered: RolloutSpecStrategyCanarySteps[] = steps.map((step, i) => step._render(service, `${PROP}.steps[${i}]`, {
      analysis: () => analysis!.run(measured),
    }));

    let background: RolloutSpecStrategyCanary['analysis'];
    if (analysis && (o.backgroundAnalysis ?? true)) {
      const ref = analysis.backgroundRun(measured);
      const first = steps.findIndex((s) => s.kind === 'setWeight');
      background = {
        templates: ref.templates.map((t) => ({ ...t })),
        args: ref.args.map((a) => ({ ...a })),
        // from the step after the first weight: before it the canary takes no traffic to measure
        startingStep: first >= 0 && first + 1 < steps.length ? first + 1 : undefined,
      };
    }

    const antiAffinity = o.antiAffinity ?? D.canary.antiAffinity;
    const canary: RolloutSpecStrategyCanary = {
      stableService: splitsServices ? stableService : undefined,
      canaryService: splitsServices ? canaryService : undefined,
      trafficRouting: routing ? Lazy.any({
        produce: () => ({
          ...mergeRouters(routing.trafficRouting, routers),
          managedRoutes: routeNames.length > 0 ? routeNames.map((name) => ({ name })) : undefined,
        }),
      }) as any : undefined,
      steps: rendered,
      analysis: background,
      antiAffinity: antiAffinity ? { preferredDuringSchedulingIgnoredDuringExecution: { weight: D.canary.antiAffinityWeight } } : undefined,
      scaleDownDelaySeconds: routing
        ? assertInt(service, `${PROP}.scaleDownDelaySeconds`, o.scaleDownDelaySeconds ?? D.canary.scaleDownDelaySeconds, 0, 86400, D.canary.scaleDownDelaySeconds)
        : undefined,
      abortScaleDownDelaySeconds: routing
        ? assertInt(service, `${PROP}.abortScaleDownDelaySeconds`, o.abortScaleDownDelaySeconds ?? D.canary.abortScaleDownDelaySeconds, 0, 86400, D.canary.abortScaleDownDelaySeconds)
        : undefined,
    };
    if (!routing && (o.scaleDownDelaySeconds !== undefined || o.abortScaleDownDelaySeconds !== undefined)) {
      throw configError(service, `${PROP}.scaleDownDelaySeconds`, 'only applies with trafficRouting (without it the old pods scale down step by step)',
        o.scaleDownDelaySeconds ?? o.abortScaleDownDelaySeconds, 'set trafficRouting, or remove the delay');
    }
    createRollout(service, { canary });
  }
}

function defaultSteps(): CanaryStep[] {
  return D.canary.weights.flatMap((w) => [CanaryStep.setWeight(w), CanaryStep.pause(D.canary.pause)]);
}

function checkSteps(service: HardenedService, steps: CanaryStep[], routing: TrafficRouting | undefined): void {
  if (!Array.isArray(steps)) {
    throw configError(service, `${PROP}.steps`, 'must be a list of CanaryStep', steps, 'use e.g. [CanaryStep.setWeight(10), CanaryStep.pause(\'5m\')]');
  }
  steps.forEach((s, i) => {
    if (!(s instanceof CanaryStep)) {
      throw configError(service, `${PROP}.steps[${i}]`, 'is not a CanaryStep', s, 'build steps with CanaryStep.setWeight(...), CanaryStep.pause(...), ...');
    }
  });
  const weights = steps.map((s) => s.weight).filter((w): w is number => w !== undefined);
  assertWeights(service, `${PROP}.steps weights`, weights);

  const kinds = new Map<string, string>();
  let hasPods = false;
  steps.forEach((s, i) => {
    if (s.kind === 'setWeight' || s.kind === 'setCanaryScale') hasPods = true;
    const name = s.routeName;
    if (name === undefined) return;
    if (!routing) {
      throw configError(service, `${PROP}.steps[${i}]`, `(${s.kind}) needs trafficRouting (routes are set in the VirtualService or HTTPRoute)`, s.kind,
        'set trafficRouting: TrafficRouting.istio(), or remove the step');
    }
    if (!hasPods) {
      throw configError(service, `${PROP}.steps[${i}]`, `(${s.kind}) comes before any canary pods run`, s.kind,
        'put CanaryStep.setWeight(...) or CanaryStep.scaleCanary(...) before it');
    }
    if (name === TRAFFIC_DEFAULTS.routeName) {
      throw configError(service, `${PROP}.steps[${i}].name`, 'is the name of the route Argo Rollouts sets weights on', name, "use another name, e.g. 'mirror' or 'test-group'");
    }
    const other = kinds.get(name);
    if (other !== undefined && other !== s.kind) {
      throw configError(service, `${PROP}.steps[${i}].name`, `is already the name of a ${other} route`, name, 'give mirror and header routes different names');
    }
    kinds.set(name, s.kind);
  });
}

/** The routers of a Rollout: the canary's own, then the ones added for an exposure (plugins merged). */
function mergeRouters(own: Record<string, any>, added: readonly Record<string, any>[]): Record<string, any> {
  const out: Record<string, any> = { ...own };
  for (const r of added) {
    for (const [k, v] of Object.entries(r)) out[k] = k === 'plugins' ? { ...out.plugins, ...v } : v;
  }
  return out;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
