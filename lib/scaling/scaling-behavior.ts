import { IConstruct } from 'constructs';
import { assertInt, configError } from '../core';
import { SCALING_DEFAULTS as D } from './defaults';

/** How far one step may go: `value` pods or percent per `periodSeconds`. */
export interface ScalingPolicy {
  readonly type: 'Pods' | 'Percent';
  readonly value: number;
  readonly periodSeconds: number;
}

/** The rules of one direction. */
export interface ScalingRules {
  /**
   * Seconds of past recommendations considered (the highest wins when scaling down): damps flapping.
   * @default 0 (scale up), 300 (scale down)
   */
  readonly stabilizationWindowSeconds?: number;
  /** Which policy wins when several apply. @default 'Max' */
  readonly selectPolicy?: 'Max' | 'Min' | 'Disabled';
  /** @default - up: 100% or 4 pods per 60 s; down: 50% per 60 s */
  readonly policies?: ScalingPolicy[];
}

/** HPA v2 `behavior` (also used by KEDA's HPA). */
export interface ScalingBehavior {
  /** @default - stabilizationWindowSeconds 0, policies 100% or 4 pods per 60 s, selectPolicy Max */
  readonly scaleUp?: ScalingRules;
  /** @default - stabilizationWindowSeconds 300, policies 50% per 60 s, selectPolicy Max */
  readonly scaleDown?: ScalingRules;
}

/** @internal The rendered behavior with the defaults filled in; throws config errors naming `prop`. */
export function renderBehavior(scope: IConstruct, prop: string, behavior: ScalingBehavior | undefined): Record<string, any> {
  const b = behavior ?? {};
  const one = (dir: 'scaleUp' | 'scaleDown') => {
    const d = D.hpa.behavior[dir];
    const r = b[dir] ?? {};
    const p = `${prop}.${dir}`;
    const select = r.selectPolicy ?? d.selectPolicy;
    if (!['Max', 'Min', 'Disabled'].includes(select)) {
      throw configError(scope, `${p}.selectPolicy`, "must be 'Max', 'Min' or 'Disabled'", select, "use 'Max'");
    }
    const policies = (r.policies ?? d.policies).map((x, i) => {
      if (x.type !== 'Pods' && x.type !== 'Percent') {
        throw configError(scope, `${p}.policies[${i}].type`, "must be 'Pods' or 'Percent'", x.type, "use 'Percent'");
      }
      return {
        type: x.type,
        value: assertInt(scope, `${p}.policies[${i}].value`, x.value, 1, 2147483647, 50),
        periodSeconds: assertInt(scope, `${p}.policies[${i}].periodSeconds`, x.periodSeconds, 1, 1800, 60),
      };
    });
    return {
      stabilizationWindowSeconds: assertInt(scope, `${p}.stabilizationWindowSeconds`, r.stabilizationWindowSeconds ?? d.stabilizationWindowSeconds, 0, 3600, d.stabilizationWindowSeconds),
      selectPolicy: select,
      policies,
    };
  };
  return { scaleUp: one('scaleUp'), scaleDown: one('scaleDown') };
}
