import { ApiObject, Chart, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkProps } from '../core';
import { PolicyError } from '../policy/policy-error';
import { KubernetesVersion } from '../schema/defaults';
import { SchemaError } from '../schema/schema-error';
import { checkFindings } from './check-manifests';

export interface SynthCheckedOptions {
  /**
   * The Kubernetes minor the objects are validated against.
   * @default '1.36' (SCHEMA_DEFAULTS.kubernetesVersion)
   */
  readonly kubernetesVersion?: KubernetesVersion;
}

/**
 * `Testing.synth(chart)` with the checks `npm run synth` runs: validates every object of the chart against the
 * Kubernetes schema and the policy (Pod Security Standards restricted, hygiene, references) and throws the same
 * table synth prints (`SchemaError`, then `PolicyError`); returns the manifests for a snapshot otherwise.
 * Works on stock cdk8s Charts and cdk8s-plus constructs as on the library's; `Policy.exempt` applies.
 */
export function synthChecked(chart: Chart, options: SynthCheckedOptions = {}): any[] {
  checkProps('synthChecked', 'SynthCheckedOptions', options);
  const manifests = Testing.synth(chart);
  const objects = apiObjectsOf(chart);
  // Testing.synth resolved every object in the same order; pair them by identity, not by position
  const subjects = objects.map((apiObject) => ({ apiObject, manifest: apiObject.toJson(), folder: chart.node.path }));
  const found = checkFindings(subjects, options.kubernetesVersion);
  if (found.schema.length > 0) throw new SchemaError(found.schema);
  if (found.policy.length > 0) throw new PolicyError(found.policy);
  return manifests;
}

function apiObjectsOf(scope: IConstruct): ApiObject[] {
  return scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
}
