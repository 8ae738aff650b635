import { IConstruct } from 'constructs';
import { RolloutSpecStrategyCanarySteps, RolloutSpecStrategyCanaryStepsPauseDuration } from '../../imports/argo-rollouts-argoproj.io';
import { checkProps, configError, isDnsLabel } from '../core';
import { DELIVERY_DEFAULTS as D } from './defaults';
import { assertInt, assertWeights, parseDuration } from './duration';
import { AnalysisRef } from './rollout-parts';

/** Copy a share of live requests to the canary; its responses are discarded. */
export interface MirrorStepOptions {
  /**
   * Percentage of the matching requests copied to the canary.
   * @default 100
   */
  readonly percentage?: number;
  /**
   * Only requests whose path starts with this prefix.
   * @default '/'
   */
  readonly pathPrefix?: string;
  /**
   * Only requests with this method (mirror reads, not writes: 'GET').
   * @default - any method
   */
  readonly method?: string;
  /**
   * Name of the managed route (unique among the canary's managed routes).
   * @default 'mirror'
   */
  readonly name?: string;
}

/** Send a test group, recognised by a header, to the canary whatever the weight. */
export interface HeaderRouteStepOptions {
  /** The header that marks the test group (`x-canary`). */
  readonly header: string;
  /** Its exact value (`always`). */
  readonly value: string;
  /**
   * Name of the managed route (unique among the canary's managed routes).
   * @default 'test-group'
   */
  readonly name?: string;
}

/** What rendering a step needs from its strategy. */
export interface CanaryStepContext {
  /** The analysis reference of an analysis step (the counted SLO run against the canary). */
  readonly analysis: () => AnalysisRef;
}

type StepKind = 'setWeight' | 'pause' | 'analysis' | 'setCanaryScale' | 'setMirrorRoute' | 'setHeaderRoute';

/**
 * One step of an Argo Rollouts canary. Steps run in order; after the last one the canary is promoted.
 *
 * @example [CanaryStep.setWeight(10), CanaryStep.pause('5m'), CanaryStep.analysis(), CanaryStep.setWeight(50), CanaryStep.pause()]
 */
export class CanaryStep {
  /** Send `percent` (1-100) of the traffic to the canary. Weights must increase from step to step. */
  public static setWeight(percent: number): CanaryStep {
    return new CanaryStep('setWeight', { percent });
  }

  /**
   * Wait: `'30s'`, `'5m'`, `'1h'` or a number of seconds; without a duration until a human promotes
   * (`kubectl argo rollouts promote`).
   */
  public static pause(duration?: string | number): CanaryStep {
    return new CanaryStep('pause', { duration });
  }

  /** Measure the canary against the SLO (a counted run); a failed run aborts the rollout. Needs the strategy's `slo`. */
  public static analysis(): CanaryStep {
    return new CanaryStep('analysis', {});
  }

  /**
   * Run canary pods for `percent` of the replicas without sending them weighted traffic (before a header or
   * mirror route, so the test group or the copies have pods to reach).
   */
  public static scaleCanary(percent: number): CanaryStep {
    return new CanaryStep('setCanaryScale', { percent });
  }

  /** Copy live requests to the canary (Istio only). The route is removed when the rollout ends. */
  public static mirror(options: MirrorStepOptions = {}): CanaryStep {
    checkProps('CanaryStep.mirror', 'MirrorStepOptions', options);
    return new CanaryStep('setMirrorRoute', { mirror: options });
  }

  /** Route a header-marked test group to the canary. The route is removed when the rollout ends. */
  public static headerRoute(options: HeaderRouteStepOptions): CanaryStep {
    checkProps('CanaryStep.headerRoute', 'HeaderRouteStepOptions', options);
    return new CanaryStep('setHeaderRoute', { header: options });
  }

  private constructor(
    public readonly kind: StepKind,
    private readonly data: {
      readonly percent?: number;
      readonly duration?: string | number;
      readonly mirror?: MirrorStepOptions;
      readonly header?: HeaderRouteStepOptions;
    },
  ) {}

  /** The managed route this step sets, if any. */
  public get routeName(): string | undefined {
    if (this.kind === 'setMirrorRoute') return this.data.mirror?.name ?? D.canary.mirror.routeName;
    if (this.kind === 'setHeaderRoute') return this.data.header?.name ?? D.canary.headerRoute.routeName;
    return undefined;
  }

  /** The weight of a setWeight step. */
  public get weight(): number | undefined {
    return this.kind === 'setWeight' ? this.data.percent : undefined;
  }

  /** @internal Validates this step (the i-th of `prop`) and renders it. */
  public _render(scope: IConstruct, prop: string, context: CanaryStepContext): RolloutSpecStrategyCanarySteps {
    switch (this.kind) {
      case 'setWeight':
        assertWeights(scope, `${prop}.setWeight`, [this.data.percent as number]);
        return { setWeight: this.data.percent };
      case 'pause': {
        const d = this.data.duration;
        if (d === undefined) return { pause: {} };
        return { pause: { duration: RolloutSpecStrategyCanaryStepsPauseDuration.fromString(parseDuration(scope, `${prop}.pause`, d)) } };
      }
      case 'analysis': {
        const ref = context.analysis();
        return { analysis: { templates: ref.templates.map((t) => ({ ...t })), args: ref.args.map((a) => ({ ...a })) } };
      }
      case 'setCanaryScale':
        return { setCanaryScale: { weight: assertInt(scope, `${prop}.scaleCanary`, this.data.percent, 1, 100, 10) } };
      case 'setMirrorRoute': {
        const m = this.data.mirror ?? {};
        const pathPrefix = m.pathPrefix ?? D.canary.mirror.pathPrefix;
        if (typeof pathPrefix !== 'string' || !pathPrefix.startsWith('/')) {
          throw configError(scope, `${prop}.mirror.pathPrefix`, "must start with '/'", pathPrefix, "use e.g. '/'");
        }
        if (m.method !== undefined && !/^[A-Z]+$/.test(m.method)) {
          throw configError(scope, `${prop}.mirror.method`, 'must be an HTTP method in capitals', m.method, "use e.g. 'GET'");
        }
        return {
          setMirrorRoute: {
            name: this.checkedRouteName(scope, prop),
            percentage: assertInt(scope, `${prop}.mirror.percentage`, m.percentage ?? D.canary.mirror.percentage, 1, 100, 50),
            match: [{ path: { prefix: pathPrefix }, ...(m.method ? { method: { exact: m.method } } : {}) }],
          },
        };
      }
      case 'setHeaderRoute': {
        const h = this.data.header!;
        if (typeof h?.header !== 'string' || !/^[A-Za-z0-9-]+$/.test(h.header)) {
          throw configError(scope, `${prop}.headerRoute.header`, 'must be an HTTP header name', h?.header, "use e.g. 'x-canary'");
        }
        if (typeof h.value !== 'string' || h.value === '') {
          throw configError(scope, `${prop}.headerRoute.value`, 'must be a non-empty string', h.value, "use e.g. 'always'");
        }
        return {
          setHeaderRoute: {
            name: this.checkedRouteName(scope, prop),
            match: [{ headerName: h.header, headerValue: { exact: h.value } }],
          },
        };
      }
    }
  }

  private checkedRouteName(scope: IConstruct, prop: string): string {
    const name = this.routeName!;
    if (!isDnsLabel(name)) {
      throw configError(scope, `${prop}.name`, 'must be a DNS-1123 label (it names a route in the VirtualService or HTTPRoute)', name, "use e.g. 'mirror'");
    }
    return name;
  }
}
