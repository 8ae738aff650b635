import { IConstruct } from 'constructs';
import { checkProps, configError, isConfigKey, qualifiedNameProblem } from '../core';
import type { IWorkload, IWorkloadExtension } from '../workloads/workload';
import { EXISTING_SECRET_ANNOTATION_PREFIX, ISecretSource } from './secret-source';

export interface ExistingSecretOptions {
  /** Name of the Secret on the cluster. */
  readonly name: string;
  /** The keys it holds (the only ones workloads may reference). */
  readonly keys: readonly string[];
  /** @default - the namespace of the workload that uses it */
  readonly namespace?: string;
}

/**
 * A Secret that exists on the cluster already, managed outside this repository (by another team's pipeline, an
 * operator, a cloud integration): declared with its keys, so references to it are checked like any other.
 *
 * Attach it to a workload (`use: [legacyToken]`) or read it through `SecretEnv`/`SecretFiles`: the workload's
 * pod template then carries `existing.secrets.typed-manifests.io/<name>: <keys>`, the declaration the policy
 * rule `hygiene-secret-reference-resolves` reads. Nothing is rendered for the Secret itself.
 */
export class ExistingSecret implements ISecretSource, IWorkloadExtension {
  public static of(options: ExistingSecretOptions): ExistingSecret {
    checkProps('ExistingSecret.of', 'ExistingSecretOptions', options);
    return new ExistingSecret(options);
  }

  public readonly secretName: string;
  public readonly secretNamespace?: string;
  public readonly secretKeys: readonly string[];

  private constructor(options: ExistingSecretOptions) {
    this.secretName = options.name;
    this.secretNamespace = options.namespace;
    this.secretKeys = [...new Set(options.keys ?? [])].sort();
  }

  public get description(): string {
    return `existing Secret ${this.secretName}`;
  }

  public bind(workload: IWorkload): void {
    this.validate(workload);
    workload.pod.addPodAnnotation(`${EXISTING_SECRET_ANNOTATION_PREFIX}${this.secretName}`, this.secretKeys.join(','));
  }

  public readonly _declareOn = (annotate: (key: string, value: string) => void): void => {
    annotate(`${EXISTING_SECRET_ANNOTATION_PREFIX}${this.secretName}`, this.secretKeys.join(','));
  };

  /** @internal */
  public validate(scope: IConstruct): void {
    const problem = qualifiedNameProblem(`${EXISTING_SECRET_ANNOTATION_PREFIX}${this.secretName}`);
    if (problem || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(this.secretName)) {
      throw configError(scope, 'ExistingSecret.name', 'must be a Secret name (a DNS subdomain) of at most 63 characters', this.secretName, "use e.g. 'legacy-billing-token'");
    }
    if (this.secretKeys.length === 0) {
      throw configError(scope, `ExistingSecret(${this.secretName}).keys`, 'must list the keys the Secret holds', this.secretKeys, "write e.g. keys: ['token']");
    }
    for (const k of this.secretKeys) {
      if (!isConfigKey(k)) throw configError(scope, `ExistingSecret(${this.secretName}).keys`, 'holds an invalid Secret key', k, "use letters, digits, '-', '_' and '.'");
    }
  }
}
