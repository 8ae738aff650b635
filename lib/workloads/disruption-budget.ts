import { IConstruct } from 'constructs';
import { configError, INT32_MAX } from '../core';

/** How many pods voluntary disruptions (node drains, upgrades) may take down at once. */
export class DisruptionBudget {
  /** At most `value` pods (a count or a percentage like '25%') unavailable. */
  public static maxUnavailable(value: number | string): DisruptionBudget {
    return new DisruptionBudget('maxUnavailable', value);
  }

  /** At least `value` pods (a count or percentage) available. */
  public static minAvailable(value: number | string): DisruptionBudget {
    return new DisruptionBudget('minAvailable', value);
  }

  private constructor(public readonly field: 'maxUnavailable' | 'minAvailable', public readonly value: number | string) {}

  /**
   * @internal Throws when the budget would block every drain for `replicas` pods (the node can never be emptied).
   */
  public _validate(scope: IConstruct, replicas: number): void {
    const prop = `disruptionBudget.${this.field}`;
    const v = this.value;
    const pct = typeof v === 'string' ? /^(\d{1,3})%$/.exec(v) : null;
    if (typeof v === 'string' && !pct) {
      throw configError(scope, prop, "must be a count or a percentage like '25%'", v, "use e.g. DisruptionBudget.maxUnavailable(1)");
    }
    if (typeof v !== 'string' && (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > INT32_MAX)) {
      throw configError(scope, prop, 'must be a non-negative integer (int32)', v, 'use e.g. DisruptionBudget.maxUnavailable(1)');
    }
    if (pct && Number(pct[1]) > 100) {
      throw configError(scope, prop, 'must be a percentage of at most 100%', v, "use e.g. '25%'");
    }
    const n = pct ? Number(pct[1]) : (v as number);
    const blocks = this.field === 'maxUnavailable'
      ? n === 0
      : pct ? n >= 100 : n >= replicas;
    if (blocks) {
      throw configError(scope, prop, `allows no disruption with ${replicas} replicas, so node drains would hang`, v,
        this.field === 'maxUnavailable' ? 'use DisruptionBudget.maxUnavailable(1)' : `use a minAvailable below ${replicas}, or DisruptionBudget.maxUnavailable(1)`);
    }
  }
}
