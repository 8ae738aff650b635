// What a workload's secret references point at.

// the marker is read by lib/policy's reference rule, which sits below secrets: declared there
export { EXISTING_SECRET_ANNOTATION_PREFIX } from '../policy/secret-rules';

/**
 * Pod template annotation prefix carrying a hash of a secret source's definition (`rollOnChange`):
 * `checksum.secrets.typed-manifests.io/<secret>: <hash>`.
 */
export const SECRET_CHECKSUM_ANNOTATION_PREFIX = 'checksum.secrets.typed-manifests.io/';

/** A declared source of one Secret: an ExternalSecret, a SealedSecret, or an existing Secret. */
export interface ISecretSource {
  /** Name of the Secret the pods read. */
  readonly secretName: string;
  /** Namespace of that Secret (pods read Secrets of their own namespace only). */
  readonly secretNamespace?: string;
  /** Keys the Secret is declared to hold. */
  readonly secretKeys: readonly string[];
  /**
   * A hash of the source's definition in this repository (ExternalSecret spec, SealedSecret ciphertext), or
   * undefined when the definition lives elsewhere (an existing Secret).
   */
  readonly definitionHash?: string;
  /** `ExternalSecret storefront-db`, for messages. */
  readonly description: string;
  /** Anything the workload needs besides the reference (the existing-secret marker). */
  readonly _declareOn?: (annotate: (key: string, value: string) => void) => void;
}
