import type { IWorkload, IWorkloadExtension } from '../workloads/workload';
import { SECRETS_DEFAULTS as D } from './defaults';
import { bindSecretSource } from './secret-binding';
import type { ISecretSource } from './secret-source';
import { checkProps } from '../core';

export interface SecretFilesOptions {
  /** Absolute path the keys are mounted at (read-only), one file per key. */
  readonly mountPath: string;
  /** @default - every key the source declares */
  readonly keys?: readonly string[];
  /** @default 'secret-<secret name>' */
  readonly volumeName?: string;
  /** See SecretEnvOptions.rollOnChange. @default false */
  readonly rollOnChange?: boolean;
}

/** Keys of a declared secret source mounted as read-only files (mode 0440). */
export class SecretFiles implements IWorkloadExtension {
  public static of(source: ISecretSource, options: SecretFilesOptions): SecretFiles {
    checkProps('SecretFiles.of', 'SecretFilesOptions', options);
    return new SecretFiles(source, options);
  }

  private constructor(public readonly source: ISecretSource, private readonly options: SecretFilesOptions) {}

  public bind(workload: IWorkload): void {
    const prop = `secretFiles(${this.source.secretName})`;
    const keys = [...(this.options.keys ?? this.source.secretKeys)].sort();
    bindSecretSource(workload, this.source, prop, keys.map((k) => ({ key: k, prop: `${prop}.keys` })), this.options.rollOnChange ?? D.rollOnChange);
    workload.pod.addVolume({
      name: this.options.volumeName ?? `secret-${this.source.secretName}`,
      secret: { secretName: this.source.secretName, items: keys.map((k) => ({ key: k, path: k })), defaultMode: D.defaultMode },
    }, { mountPath: this.options.mountPath, readOnly: true, prop: `${prop}.mountPath` });
  }
}
