import { EXPOSURE_RULES } from './exposure-rules';
import { HYGIENE_RULES } from './hygiene-rules';
import { PSS_RULES } from './pss-rules';
import { SCALING_RULES } from './scaling-rules';
import { TENANCY_RULES } from './tenancy-rules';
import { RBAC_RULES } from './rbac-rules';
import { CONTROLLER_RULES } from './controller-rules';
import { REFERENCE_RULES } from './reference-rules';
import { PolicyProfile, Rule } from './rule';
import { SECRET_RULES } from './secret-rules';

/** The rule catalogue: every rule the engine runs, and the ids exemptions may name. */
export class PolicyRules {
  /** Every rule, Pod Security Standards first, in a stable order. */
  public static readonly all: readonly Rule[] = [...PSS_RULES, ...HYGIENE_RULES, ...REFERENCE_RULES, ...EXPOSURE_RULES, ...SECRET_RULES, ...SCALING_RULES, ...TENANCY_RULES, ...RBAC_RULES, ...CONTROLLER_RULES];

  /** The rules of one profile. */
  public static ofProfile(profile: PolicyProfile): Rule[] {
    return PolicyRules.all.filter((r) => r.profile === profile);
  }

  /** The rule with this id, or undefined. */
  public static find(id: string): Rule | undefined {
    return PolicyRules.all.find((r) => r.id === id);
  }

  /** Every rule id, in catalogue order. */
  public static ids(): string[] {
    return PolicyRules.all.map((r) => r.id);
  }

  private constructor() {}
}
