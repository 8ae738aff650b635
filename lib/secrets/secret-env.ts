import type { IWorkload, IWorkloadExtension } from '../workloads/workload';
import { SECRETS_DEFAULTS as D } from './defaults';
import { bindSecretSource } from './secret-binding';
import type { ISecretSource } from './secret-source';
import { checkProps } from '../core';

export interface SecretEnvOptions {
  /**
   * Roll the pods when the source's definition changes (ExternalSecret spec, SealedSecret ciphertext): the pod
   * template's `checksum.secrets.typed-manifests.io/definitions` annotation lists `<secret>=<hash of the definition>`. A value rotated
   * in the provider without a definition change is not seen here: use a reloader, or restart.
   * @default false
   */
  readonly rollOnChange?: boolean;
}

/**
 * Environment variables read from a declared secret source (`SecretEnv.of(db, { DATABASE_URL: 'url' })`).
 * Every key must be one the source declares; the reference is checked again on the rendered objects by policy.
 */
export class SecretEnv implements IWorkloadExtension {
  public static of(source: ISecretSource, vars: { readonly [envName: string]: string }, options: SecretEnvOptions = {}): SecretEnv {
    checkProps('SecretEnv.of', 'SecretEnvOptions', options);
    return new SecretEnv(source, vars, options);
  }

  private constructor(public readonly source: ISecretSource, private readonly vars: { readonly [envName: string]: string }, private readonly options: SecretEnvOptions) {}

  public bind(workload: IWorkload): void {
    const prop = `secretEnv(${this.source.secretName})`;
    const names = Object.keys(this.vars).sort();
    bindSecretSource(workload, this.source, prop, names.map((n) => ({ key: this.vars[n], prop: `${prop}.${n}` })), this.options.rollOnChange ?? D.rollOnChange);
    for (const name of names) {
      workload.pod.addEnvFrom(name, { secretKeyRef: { name: this.source.secretName, key: this.vars[name] } }, `${prop}.${name}`);
    }
  }
}
