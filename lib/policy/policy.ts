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
    const r = checkRule(scope, rule, reason);
    if (r.exemptPerValue) {
      throw configError(scope, 'rule', 'is exempted one value at a time, never for a whole object', rule,
        `name the value: Policy.exemptValue(scope, '${rule}', 'spec.template.spec.containers[0].env[3].value', reason) (the path is the field of the finding)`);
    }
    add(scope, { rule, reason: reason.trim(), scopePath: scope.node.path });
  }

  /**
   * Exempts one value of the objects at or below `scope` from one rule: only the finding whose field is exactly
   * `field` is lifted (a value at another path, or the same value moved, is still judged).
   *
   * @example Policy.exemptValue(api, 'hygiene-no-plaintext-credentials', 'spec.template.spec.containers[0].env[3].value', 'a public OAuth client id, not a secret')
   * @param field the value path, as the finding names it
   */
  public static exemptValue(scope: IConstruct, rule: string, field: string, reason: string): void {
    checkRule(scope, rule, reason);
    if (typeof field !== 'string' || field.trim() === '' || /\s$|^\s/.test(field)) {
      throw configError(scope, 'field', 'must be the path of one value, as the finding names it', field, "write it like 'spec.template.spec.containers[0].env[3].value'");
    }
    add(scope, { rule, reason: reason.trim(), scopePath: scope.node.path, field });
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

  /** The exemption that lifts `rule` for `scope` (for the finding at `field`, when given), if any. */
  public static exemptionFor(scope: IConstruct, rule: string, field?: string): Exemption | undefined {
    return Policy.exemptionsOf(scope).find((e) => e.rule === rule && (e.field === undefined || e.field === field));
  }

  private constructor() {}
}

function checkRule(scope: IConstruct, rule: string, reason: string) {
  const r = PolicyRules.find(rule);
  if (!r) {
    throw configError(scope, 'rule', 'is not a policy rule id', rule, `use one of ${PolicyRules.ids().join(', ')}`);
  }
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw configError(scope, 'reason', `must say why ${rule} does not apply`, reason,
      'pass a sentence a reviewer can check, e.g. \'runs the CNI agent, needs the host network\'');
  }
  return r;
}

function add(scope: IConstruct, e: Exemption): void {
  let own: Exemption[] | undefined = (scope as any)[EXEMPTIONS];
  if (!own) {
    own = [];
    Object.defineProperty(scope, EXEMPTIONS, { value: own, enumerable: false });
  }
  own.push(e);
}
