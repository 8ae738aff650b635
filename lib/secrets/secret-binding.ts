import { configError } from '../core';
import type { IWorkload } from '../workloads/workload';
import { ExistingSecret } from './existing-secret';
import { ISecretSource, SECRET_CHECKSUMS_ANNOTATION } from './secret-source';

/**
 * Connects a workload to a secret source: same namespace, only declared keys, the existing-secret marker, and
 * with `rollOnChange` the definition hash on the pod template (so a new definition rolls the pods).
 */
export function bindSecretSource(workload: IWorkload, source: ISecretSource, prop: string, keys: readonly { readonly key: string; readonly prop: string }[], rollOnChange: boolean): void {
  if (source instanceof ExistingSecret) source.validate(workload);
  if (source.secretNamespace !== undefined && source.secretNamespace !== workload.namespace) {
    throw configError(workload, prop, `reads ${source.description} of namespace ${source.secretNamespace}, but pods can only read Secrets of their own namespace ${workload.namespace}`,
      source.secretName, `declare the source in namespace ${workload.namespace}`);
  }
  for (const k of keys) {
    if (!source.secretKeys.includes(k.key)) {
      throw configError(workload, k.prop, `names a key ${source.description} does not declare`, k.key,
        `use one of ${source.secretKeys.join(', ')}, or add the key to the source`);
    }
  }
  source._declareOn?.(workload);
  if (rollOnChange) {
    if (source.definitionHash === undefined) {
      throw configError(workload, `${prop}.rollOnChange`, `needs a source defined in this repository, but ${source.description} is managed elsewhere`, true,
        'drop rollOnChange and restart the pods when that Secret changes (or run a reloader)');
    }
    let hashes = ROLLED_ON.get(workload.pod);
    if (!hashes) ROLLED_ON.set(workload.pod, (hashes = new Map()));
    hashes.set(source.secretName, source.definitionHash);
    // rewritten whole on each binding: the last one carries every Secret the pods roll on
    workload.pod.addPodAnnotation(SECRET_CHECKSUMS_ANNOTATION, [...hashes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([n, h]) => `${n}=${h}`).join(','), { replace: true });
  }
}

/** Per pod template: the Secrets its pods roll on, with their definition hashes. */
const ROLLED_ON = new WeakMap<object, Map<string, string>>();
