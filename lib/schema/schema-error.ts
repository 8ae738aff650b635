import { ConfigError } from '../core/errors';
import { formatFindings } from '../policy/policy-error';
import { KubernetesVersion } from './defaults';

/** One object field that does not fit the schema of its target's Kubernetes version. */
export interface SchemaFinding {
  /** Folder below dist/ (`dev`, `prod/prod-us-east-1`, `argocd`). */
  readonly folder: string;
  /** Kubernetes minor the folder's objects were checked against. */
  readonly version: KubernetesVersion;
  readonly object: { readonly apiVersion: string; readonly kind: string; readonly name: string; readonly namespace?: string };
  /** Field path, `apiVersion` for kind-level problems. */
  readonly field: string;
  readonly problem: string;
  readonly fix: string;
  /** Path of the construct that rendered the object; unset for plain manifests. */
  readonly constructPath?: string;
}

/** Synth failed schema validation: a table like the policy's (object, version, field / problem, fix, construct). */
export class SchemaError extends ConfigError {
  public readonly findings: readonly SchemaFinding[];

  constructor(findings: readonly SchemaFinding[]) {
    const n = findings.length;
    super(findings[0]?.constructPath ?? '<app>', 'schema',
      `schema check failed with ${n} finding${n === 1 ? '' : 's'}; fix them, or declare a kind without schema with Schema.declareKnown(scope, apiVersion, kind, reason)\n\n${formatSchemaFindings(findings)}`);
    this.name = 'SchemaError';
    this.findings = findings;
  }

  /** The same error over `findings` (synth merges the findings of every target into one error). */
  public withFindings(findings: readonly SchemaFinding[]): SchemaError {
    return new SchemaError(findings);
  }
}

/** The findings as the policy engine's fixed-width table; the RULE column names the schema and version. */
export function formatSchemaFindings(findings: readonly SchemaFinding[]): string {
  return formatFindings(findings.map((f) => ({
    rule: `k8s ${f.version}`,
    object: { kind: f.object.kind, name: f.object.name, ...(f.object.namespace ? { namespace: f.object.namespace } : {}) },
    field: f.field,
    message: f.problem,
    fix: f.fix,
    folder: f.folder,
    ...(f.constructPath !== undefined ? { constructPath: f.constructPath } : {}),
  })));
}
