import type { TeamRecord } from '../core/owner';
import type { ClusterProps } from '../environments/environment';

/** A rule switched off for a part of the construct tree, and why (declared with `Policy.exempt`). */
export interface Exemption {
  readonly rule: string;
  readonly reason: string;
  /** Path of the construct the exemption was declared on. */
  readonly scopePath: string;
  /** Only the finding at this value path (`spec.template.spec.containers[0].env[3].value`); unset: every finding of the rule. */
  readonly field?: string;
}

/**
 * The rule model: a rule looks at one rendered object, with the other objects of its environment folder in
 * view, and reports what is wrong as findings.
 */

/** `pss-restricted`: Kubernetes' Pod Security Standards "restricted" level (which includes "baseline"). `hygiene`: this project's production rules. */
export type PolicyProfile = 'pss-restricted' | 'hygiene' | 'tenancy';

export const POLICY_PROFILES: readonly PolicyProfile[] = ['pss-restricted', 'hygiene', 'tenancy'];

/** Object metadata as far as the rules read it. */
export interface ManifestMetadata {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: { readonly [key: string]: string };
  readonly annotations?: { readonly [key: string]: string };
  readonly [key: string]: unknown;
}

/** A Kubernetes object as plain JSON (what is written to dist/). */
export interface Manifest {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: ManifestMetadata;
  readonly [key: string]: unknown;
}

/** Which object a finding is about. */
export interface ObjectRef {
  readonly kind: string;
  /** Unset for cluster-scoped objects (and for namespaced ones that leave it to kustomize). */
  readonly namespace?: string;
  readonly name: string;
}

/** One thing wrong with one object. */
export interface Finding {
  /** Rule id (`pss-run-as-non-root`). */
  readonly rule: string;
  readonly object: ObjectRef;
  /** JSON path of the offending (or missing) field: `spec.template.spec.containers[0].securityContext.runAsNonRoot`. */
  readonly field: string;
  /** What is wrong, lowercase, with the value found. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** What a check sees besides its object: every object rendered into the same environment folder. */
export interface RuleContext {
  /** Environment folder below dist/ (`dev`, `prod/prod-eu-1`); '' when the caller did not give one. */
  readonly folder: string;
  /** All objects of the folder, the checked one included. */
  readonly objects: readonly Manifest[];
  /** Tenancy: the cluster the folder deploys to (node pools), when the objects come from a GitOpsApp target. */
  readonly cluster?: ClusterProps;
  /**
   * Ownership by scope: the team whose construct scope rendered `manifest`, or undefined when the platform did
   * (and for plain manifests, which carry no construct).
   */
  readonly ownerOf?: (manifest: Manifest) => TeamRecord | undefined;
  /** The environment the folder deploys (production, domain), when the objects come from a GitOpsApp target. */
  readonly environment?: EnvironmentFacts;
}

/** What rules read of a folder's environment. */
export interface EnvironmentFacts {
  readonly name: string;
  readonly production: boolean;
  /** @default - none */
  readonly domain?: string;
  /** Whether the environment allows scaling to zero explicitly (`scaling.allowScaleToZero`). @default - not said */
  readonly allowsScaleToZero?: boolean;
  /**
   * With the mesh on: the injected sidecar's resources per pod of a meshed namespace, by quota key
   * (`requests.cpu` in cores, `limits.memory` in bytes).
   * @default - no mesh
   */
  readonly meshSidecar?: Readonly<Record<string, number>>;
}

/**
 * Which exemptions lift a rule. `scope`: any `Policy.exempt` on the object or an ancestor. `platform-object`: only
 * one declared on the object itself (or the construct that holds it) and only for an object the platform owns;
 * a team cannot exempt its own objects (privilege boundaries).
 */
export type ExemptionScope = 'scope' | 'platform-object';

export interface Rule {
  /** Kebab-case id, prefixed with its profile (`pss-…`, `hygiene-…`); what exemptions name. */
  readonly id: string;
  readonly title: string;
  readonly profile: PolicyProfile;
  /** Exemptions name one value path (`Policy.exemptValue`), never a whole object. @default false */
  readonly exemptPerValue?: boolean;
  /** Which exemptions lift the rule. @default 'scope' */
  readonly exemption?: ExemptionScope;
  /** Findings for `manifest`; an empty array when it complies or the rule does not apply to its kind. */
  check(manifest: Manifest, context: RuleContext): Finding[];
}

/** A finding without the parts the rule helper fills in (rule id and object). */
export interface Violation {
  readonly field: string;
  readonly message: string;
  readonly fix: string;
}

export interface RuleDefinition {
  readonly id: string;
  readonly title: string;
  readonly profile: PolicyProfile;
  /** @default false */
  readonly exemptPerValue?: boolean;
  /** @default 'scope' */
  readonly exemption?: ExemptionScope;
  readonly check: (manifest: Manifest, context: RuleContext) => readonly Violation[];
}

/** Builds a rule whose check only says what is wrong; the rule id and object reference are added here. */
export function defineRule(def: RuleDefinition): Rule {
  return {
    id: def.id,
    title: def.title,
    profile: def.profile,
    ...(def.exemptPerValue ? { exemptPerValue: true } : {}),
    ...(def.exemption ? { exemption: def.exemption } : {}),
    check: (manifest, context) => {
      const violations = def.check(manifest, context);
      // most checks of most objects find nothing: no second array for them
      return violations.length === 0 ? NO_FINDINGS : violations.map((v) => ({
        rule: def.id,
        object: objectRef(manifest),
        field: v.field,
        message: v.message,
        fix: v.fix,
      }));
    },
  };
}

const NO_FINDINGS: Finding[] = Object.freeze([]) as unknown as Finding[];

export function objectRef(manifest: Manifest): ObjectRef {
  const ns = manifest.metadata?.namespace;
  return {
    kind: manifest.kind ?? '<no kind>',
    ...(ns ? { namespace: ns } : {}),
    name: manifest.metadata?.name ?? '<no name>',
  };
}

/** `Deployment/shop/web`, or `Namespace/shop` for cluster-scoped objects. */
export function formatObjectRef(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

/** A finding as the engine reports it: where the object is rendered and which construct made it. */
export interface PolicyFinding extends Finding {
  /** Environment folder below dist/ (`dev`, `prod/prod-eu-1`). */
  readonly folder: string;
  /** Path of the construct that rendered the object; unset for plain manifests. */
  readonly constructPath?: string;
  /** Set only when the caller asked for exempted findings too: the exemption that lifts this one. */
  readonly exemption?: Exemption;
}
