export * from './capability';
export * from './rule';
export * from './pod-template';
export * from './workloads';
export {
  PSS_RULES, BASELINE_CAPABILITIES, RESTRICTED_CAPABILITIES, SAFE_SYSCTLS, RESTRICTED_VOLUME_TYPES, SELINUX_TYPES,
} from './pss-rules';
export {
  HYGIENE_RULES, RECOMMENDED_LABELS, HASHED_SELECTOR_LABEL, DEFAULT_TERMINATION_GRACE_SECONDS, imagePinOf,
  preStopSleepSeconds,
} from './hygiene-rules';
export type { ImagePin } from './hygiene-rules';
export { EXPOSURE_RULES, routeClaims } from './exposure-rules';
export { REFERENCE_RULES } from './reference-rules';
export { isNamespacedKind } from './kind-scope';
export * from './policy-rules';
export * from './policy';
export * from './policy-error';
export * from './check';
export * from './kyverno-policies';
export * from './credential-detector';
export { SECRET_RULES } from './secret-rules';
export * from './scaling-rules';
export * from './footprint';
export { TENANCY_RULES, TEAM_GROUPS_ANNOTATION, formatAmount } from './tenancy-rules';
export { RBAC_RULES, BUILT_IN_ADMIN_ROLES } from './rbac-rules';
export { CONTROLLER_RULES } from './controller-rules';
