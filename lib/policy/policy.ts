import { IConstruct } from 'constructs';
import { configError } from '../core';
import { PolicyRules } from './policy-rules';
import type { Exemption } from './rule';

export type { Exemption } from './rule';

const EXEMPTIONS = Symbol.for('typed-manifests.policy-exemptions');

/**
 * Policy exemptions. Every relaxation is explicit, names one rule and says why: the reason is what a reviewer
 * reads when they ask why this workload may do what others may not.
 */
export class Policy {
  /**
   * Exempts every API object at or below `scope` from one rule.
   *
   * @example Policy.exempt(agent, 'pss-host-path-volumes', 'reads container logs from /var/log on the node')
   * @param scope the construct (a service, a chart, a single ApiObject) the exemption covers
   * @param rule a rule id from `PolicyRules.ids()`
   * @param reason why the rule does not apply here (required, shown to reviewers)
   */
  public static exempt(scope: IConstruct, rule: string, reason: string): void {
    if (!PolicyRules.find(rule)) {
      throw configError(scope, 'rule', 'is not a policy rule id', rule, `use one of ${PolicyRules.ids().join(', ')}`);
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw configError(scope, 'reason', `must say why ${rule} does not apply`, reason,
        'pass a sentence a reviewer can check, e.g. \'runs the CNI agent, needs the host network\'');
    }
    let own: Exemption[] | undefined = (scope as any)[EXEMPTIONS];
    if (!own) {
      own = [];
      Object.defineProperty(scope, EXEMPTIONS, { value: own, enumerable: false });
    }
    own.push({ rule, reason: reason.trim(), scopePath: scope.node.path });
  }

  /** The exemptions that apply to `scope`: its own and those of its ancestors, closest first. */
  public static exemptionsOf(scope: IConstruct): Exemption[] {
    const out: Exemption[] = [];
    for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
      const own: Exemption[] | undefined = (c as any)[EXEMPTIONS];
      if (own) out.push(...own);
    }
    return out;
  }

  /** The exemption that lifts `rule` for `scope`, if any. */
  public static exemptionFor(scope: IConstruct, rule: string): Exemption | undefined {
    return Policy.exemptionsOf(scope).find((e) => e.rule === rule);
  }

  private constructor() {}
}
