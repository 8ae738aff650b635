// The Kubernetes version a cluster declares (ClusterProps.kubernetesVersion). It belongs to the environment model
// because every cluster has one; lib/schema renders and validates per version.
import { show } from '../core/errors';

/**
 * The Kubernetes minor versions the library renders for and validates against: one vendored OpenAPI copy per
 * minor (vendor/k8s-schemas/k8s-v<minor>.0.json). Adding one: see scripts/import-schemas.ts.
 */
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36'] as const;

/** A Kubernetes minor version the library supports (`'1.29'`). */
export type KubernetesVersion = typeof SUPPORTED_KUBERNETES_VERSIONS[number];

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
