// What a workload's secret references point at.
import type { IWorkload } from '../workloads/workload';

// the marker is read by lib/policy's reference rule, which sits below secrets: declared there
export { EXISTING_SECRET_ANNOTATION_PREFIX, EXISTING_SECRETS_ANNOTATION } from '../policy/secret-rules';

/**
 * Pod template annotation carrying the hash of each secret source's definition the pods roll on
 * (`rollOnChange`): `checksum.secrets.typed-manifests.io/definitions: <secret>=<hash>,<secret>=<hash>`, sorted by
 * Secret name. One key for every workload rather than one per Secret: a key named after each Secret gives
 * every pod template of a large platform a property name of its own, and JavaScript engines slow down on
 * thousands of distinct object shapes (synth of 3000 services took a fifth longer).
 */
export const SECRET_CHECKSUMS_ANNOTATION = 'checksum.secrets.typed-manifests.io/definitions';

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
  readonly _declareOn?: (workload: IWorkload) => void;
}
