// The single entry module: every capability folder's public API, so that an app needs one import line
// (`import { GitOpsApp, HardenedService, PlatformNamespace } from '../lib'`).
//
// Capability folders are re-exported flat. `policy` also exports rule-engine helpers whose names clash with core
// and gitops ones (namespaceOf, apiGroupOf, ObjectRef, Manifest): its user-facing API is re-exported flat below,
// and the whole module is available as the `policy` namespace (`policy.evaluateManifests`, `policy.podTemplatesOf`).
// every capability registers its settings, synth stages and review knowledge (lib/capabilities.ts)
import './capabilities';

export * from './config';
export * from './core';
export * from './delivery';
export * from './environments';
export * from './exposure';
export * from './gitops';
export * from './mesh';
export * from './observability';
export * from './platform';
export * from './promotion';
export * from './review';
export * from './scaling';
export * from './schema';
export * from './secrets';
export * from './storage';
export * from './tenancy';
export * from './traffic';
export * from './validation';
export * from './workloads';

export * as policy from './policy';
export {
  Policy, PolicyRules, PolicyError, KyvernoPolicies, checkPolicy, evaluate, evaluateManifests, formatFindings,
  PSS_RULES, HYGIENE_RULES, REFERENCE_RULES, defineRule,
} from './policy';
export type {
  Exemption, KyvernoPoliciesProps, PolicyFinding, Finding, Rule, RuleDefinition, RuleContext, Violation, PolicyProfile,
} from './policy';
