import { IConstruct } from 'constructs';
import { assertDnsLabel, assertLabels, assertLabelValue, configError, isHostname } from '../core';
import { clusterNameOf, targetOf } from '../environments/environment';
import { MESH_DEFAULTS as D } from './defaults';
import { MeshDataplane, MeshOptions, MtlsMode } from './mesh-options';

/** The mesh settings in force for a target: the cluster's over the environment's, over the defaults. */
export interface ResolvedMesh {
  readonly mtls: MtlsMode;
  readonly trustDomain: string;
  readonly dataplane: MeshDataplane;
  /** The istiod revision that injects (sidecar only). */
  readonly revision?: string;
  readonly controlPlaneNamespace: string;
  /** Labels of the istiod pods sidecars dial (with a revision: that revision's). */
  readonly istiodPodLabels: Record<string, string>;
  /** Where the environment's Prometheus runs: it scrapes the sidecars' telemetry port. */
  readonly prometheus: { readonly namespace: string; readonly podLabels: Record<string, string> };
}

/**
 * The mesh of the target `scope` is rendered for, or undefined when it runs without a mesh (or outside a
 * GitOpsApp target).
 */
export function meshOf(scope: IConstruct): ResolvedMesh | undefined {
  const target = targetOf(scope);
  if (!target) return undefined;
  const env: MeshOptions = target.env.mesh ?? {};
  const cluster: MeshOptions = target.cluster.mesh ?? {};
  const where = `environments.${target.env.name}${target.env.multiCluster ? `.clusters[${clusterNameOf(target.cluster)}]` : ''}.mesh`;
  const merged = { ...env, ...definedOnly(cluster) };
  if (!(merged.istio ?? D.istio)) return undefined;
  const mtls = merged.mtls ?? D.mtls;
  if (mtls !== 'STRICT' && mtls !== 'PERMISSIVE') {
    throw configError(scope, `${where}.mtls`, "must be 'STRICT' or 'PERMISSIVE'", mtls, "use 'STRICT' (the default), or 'PERMISSIVE' while workloads migrate into the mesh");
  }
  const trustDomain = merged.trustDomain ?? D.trustDomain;
  if (!isHostname(trustDomain)) {
    throw configError(scope, `${where}.trustDomain`, 'must be a DNS name', trustDomain, `use e.g. '${D.trustDomain}'`);
  }
  const dataplane = merged.dataplane ?? D.dataplane;
  if (dataplane !== 'sidecar' && dataplane !== 'ambient') {
    throw configError(scope, `${where}.dataplane`, "must be 'sidecar' or 'ambient'", dataplane, "use 'sidecar' (injection, the default) or 'ambient' (ztunnel)");
  }
  const revision = merged.revision === undefined ? undefined : assertLabelValue(scope, `${where}.revision`, merged.revision);
  if (revision !== undefined && dataplane === 'ambient') {
    throw configError(scope, `${where}.revision`, 'selects an injecting istiod revision, but the dataplane is ambient (nothing is injected)', revision,
      "drop revision, or use dataplane: 'sidecar'");
  }
  if (revision === '') throw configError(scope, `${where}.revision`, 'is empty', revision, "name the revision (e.g. '1-24-2'), or drop it for the default");
  const controlPlaneNamespace = assertDnsLabel(scope, `${where}.controlPlaneNamespace`, merged.controlPlaneNamespace ?? D.controlPlaneNamespace);
  const m = target.env.monitoring ?? {};
  const monitoringProp = `environments.${target.env.name}.monitoring`;
  return {
    mtls,
    trustDomain,
    dataplane,
    revision,
    controlPlaneNamespace,
    istiodPodLabels: { ...D.istiodPodLabels, ...(revision !== undefined ? { 'istio.io/rev': revision } : {}) },
    prometheus: {
      namespace: assertDnsLabel(scope, `${monitoringProp}.namespace`, m.namespace ?? D.prometheusNamespace),
      podLabels: { ...assertLabels(scope, `${monitoringProp}.prometheusPodLabels`, m.prometheusPodLabels ?? { ...D.prometheusPodLabels }) },
    },
  };
}

function definedOnly(o: MeshOptions): MeshOptions {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as MeshOptions;
}
