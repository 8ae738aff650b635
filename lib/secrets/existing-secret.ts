import { IConstruct } from 'constructs';
import { checkProps, configError, isConfigKey, qualifiedNameProblem } from '../core';
import type { IWorkload, IWorkloadExtension } from '../workloads/workload';
import { existingSecretsValue } from '../policy/secret-rules';
import { EXISTING_SECRET_ANNOTATION_PREFIX, EXISTING_SECRETS_ANNOTATION, ISecretSource } from './secret-source';

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
 * pod template then lists it with its keys in `existing.secrets.typed-manifests.io/declared`, the declaration the policy
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
    this._declareOn(workload);
  }

  public readonly _declareOn = (workload: IWorkload): void => {
    let declared = DECLARED.get(workload.pod);
    if (!declared) DECLARED.set(workload.pod, (declared = new Map()));
    const before = declared.get(this.secretName);
    if (before !== undefined && before.join(',') !== this.secretKeys.join(',')) {
      throw configError(workload, `ExistingSecret(${this.secretName}).keys`, `declares the existing Secret a second time with other keys (first: ${before.join(', ')})`,
        this.secretKeys, 'declare each existing Secret once, with all its keys, and use that one declaration');
    }
    declared.set(this.secretName, this.secretKeys);
    // rewritten whole on each declaration: the last one lists every existing Secret the pods read
    workload.pod.addPodAnnotation(EXISTING_SECRETS_ANNOTATION, existingSecretsValue(declared), { replace: true });
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

/** Per pod template: the existing Secrets its pods read, with their keys. */
const DECLARED = new WeakMap<object, Map<string, readonly string[]>>();
