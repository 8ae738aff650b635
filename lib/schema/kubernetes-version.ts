import { show } from '../core/errors';
import { KubernetesVersion, SUPPORTED_KUBERNETES_VERSIONS } from './defaults';


const SUPPORTED: readonly string[] = SUPPORTED_KUBERNETES_VERSIONS;

/** The supported range as users write it: `1.28..1.36`. */
export function supportedRange(): string {
  return `${SUPPORTED[0]}..${SUPPORTED[SUPPORTED.length - 1]}`;
}

/** Whether `value` is a supported minor version, written `'1.NN'`. */
export function isKubernetesVersion(value: unknown): value is KubernetesVersion {
  return typeof value === 'string' && SUPPORTED.includes(value);
}

/**
 * What is wrong with a `kubernetesVersion` value, or undefined when it is a supported minor (`'1.29'`).
 * Versions are minors without a `v` and without a patch: the schemas and rules differ per minor only.
 */
export function kubernetesVersionProblem(value: unknown): string | undefined {
  if (isKubernetesVersion(value)) return undefined;
  const range = supportedRange();
  if (typeof value === 'string') {
    const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(value.trim());
    if (m && (value.startsWith('v') || value.split('.').length === 3) && SUPPORTED.includes(`${m[1]}.${m[2]}`)) {
      return `must be a minor version written '1.NN' (no 'v', no patch), got ${show(value)}; use '${m[1]}.${m[2]}'`;
    }
  }
  return `must be a supported Kubernetes minor version (${range}), got ${show(value)}; use one of ${SUPPORTED.map((v) => `'${v}'`).join(', ')}`;
}

/** The minor number of a version (`'1.29'` -> 29). */
export function minorOf(version: KubernetesVersion): number {
  return Number(version.split('.')[1]);
}

/** The supported versions newer than `version`, oldest first. */
export function newerVersions(version: KubernetesVersion): KubernetesVersion[] {
  return SUPPORTED_KUBERNETES_VERSIONS.filter((v) => minorOf(v) > minorOf(version));
}
