import { evaluate, evaluateManifests } from '../policy/check';
import { PolicyFinding } from '../policy/rule';
import { schemaFindings } from '../schema/check';
import { KubernetesVersion, SCHEMA_DEFAULTS } from '../schema/defaults';
import { SchemaFinding } from '../schema/schema-error';
import type { ApiObject } from 'cdk8s';

/** One object to check: its manifest, the folder it deploys with, and the construct that made it (if known). */
export interface CheckSubject {
  readonly manifest: any;
  /** Objects of one folder are one deployment unit: rules relating objects (budgets, policies) look there. */
  readonly folder: string;
  readonly apiObject?: ApiObject;
}

/** A policy or schema finding in one shape (the plugin's report and the test helper read both alike). */
export interface CheckFinding {
  /** Policy rule id, or `k8s <version>` for the schema. */
  readonly rule: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly folder: string;
  readonly field: string;
  readonly problem: string;
  readonly fix: string;
  readonly constructPath?: string;
}

/**
 * The same schema and policy checks GitOpsApp runs at synth, on any objects: schema first (a misspelled
 * field is the cause; the policy findings it triggers are symptoms), then policy. Exemptions declared with
 * `Policy.exempt` apply to objects that carry their construct.
 */
export function checkFindings(subjects: readonly CheckSubject[], kubernetesVersion: KubernetesVersion = SCHEMA_DEFAULTS.kubernetesVersion): { schema: SchemaFinding[]; policy: PolicyFinding[] } {
  const schema = schemaFindings(subjects, () => kubernetesVersion);
  const withConstruct = subjects.filter((s) => s.apiObject !== undefined);
  const plain = subjects.filter((s) => s.apiObject === undefined);
  const policy = [
    ...(withConstruct.length > 0 ? evaluate(withConstruct.map((s) => ({ apiObject: s.apiObject!, manifest: s.manifest, folder: s.folder, file: '' }))) : []),
    ...(plain.length > 0 ? evaluateManifests(plain.map((s) => ({ folder: s.folder, manifest: s.manifest }))) : []),
  ];
  return { schema, policy };
}

/** Both kinds of finding as one list. */
export function flatFindings(found: { schema: readonly SchemaFinding[]; policy: readonly PolicyFinding[] }): CheckFinding[] {
  return [
    ...found.schema.map((f) => ({ rule: `k8s ${f.version}`, kind: f.object.kind, name: f.object.name, namespace: f.object.namespace, folder: f.folder, field: f.field, problem: f.problem, fix: f.fix, constructPath: f.constructPath })),
    ...found.policy.map((f) => ({ rule: f.rule, kind: f.object.kind, name: f.object.name, namespace: f.object.namespace, folder: f.folder, field: f.field, problem: f.message, fix: f.fix, constructPath: f.constructPath })),
  ];
}
