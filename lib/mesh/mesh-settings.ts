import { IConstruct } from 'constructs';
import { configError, isHostname } from '../core';
import { targetOf } from '../environments/environment';
import { MESH_DEFAULTS as D } from './defaults';
import { MeshOptions, MtlsMode } from './mesh-options';

/** The mesh settings in force for a target: the cluster's over the environment's, over the defaults. */
export interface ResolvedMesh {
  readonly mtls: MtlsMode;
  readonly trustDomain: string;
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
  const where = `${target.env.name}${target.env.multiCluster ? `.clusters[${target.cluster.name}]` : ''}`;
  const merged = { ...env, ...definedOnly(cluster) };
  if (!(merged.istio ?? D.istio)) return undefined;
  const mtls = merged.mtls ?? D.mtls;
  if (mtls !== 'STRICT' && mtls !== 'PERMISSIVE') {
    throw configError(scope, `environments.${where}.mesh.mtls`, "must be 'STRICT' or 'PERMISSIVE'", mtls, "use 'STRICT' (the default), or 'PERMISSIVE' while workloads migrate into the mesh");
  }
  const trustDomain = merged.trustDomain ?? D.trustDomain;
  if (!isHostname(trustDomain)) {
    throw configError(scope, `environments.${where}.mesh.trustDomain`, 'must be a DNS name', trustDomain, `use e.g. '${D.trustDomain}'`);
  }
  return { mtls, trustDomain };
}

function definedOnly(o: MeshOptions): MeshOptions {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as MeshOptions;
}
