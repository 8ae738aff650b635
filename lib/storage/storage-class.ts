import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { assertDnsSubdomain, checkProps, configError, markUnit } from '../core';
import { STORAGE_DEFAULTS as D } from './defaults';
import { StorageClassProps } from './storage-class-props';

/**
 * A cluster's StorageClass, rendered into the target folder (`_cluster/storageclass-<name>.yaml`): disks are
 * kept when their claim goes (Retain), bound in the pod's zone (WaitForFirstConsumer) and may grow.
 */
export class StorageClass extends Construct {
  /**
   * Validates a cluster's declared classes and renders the ones that are not `existing` below `scope` (a
   * target's chart). Called by GitOpsApp for every target.
   */
  public static renderAll(scope: Construct, classes: readonly StorageClassProps[] | undefined): StorageClass[] {
    const seen = new Set<string>();
    const out: StorageClass[] = [];
    for (const [i, c] of (classes ?? []).entries()) {
      if (seen.has(c.name)) {
        throw configError(scope, `storageClasses[${i}].name`, 'is declared twice for this cluster', c.name, 'declare each class once');
      }
      seen.add(c.name);
      if (c.existing) {
        assertDnsSubdomain(scope, `storageClasses[${i}].name`, c.name);
        continue;
      }
      out.push(new StorageClass(scope, `storageclass-${c.name}`, c));
    }
    const defaults = (classes ?? []).filter((c) => c.isDefault);
    if (defaults.length > 1) {
      throw configError(scope, 'storageClasses', 'marks more than one class as the default', defaults.map((c) => c.name), 'set isDefault on one class');
    }
    return out;
  }

  public readonly name: string;
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: StorageClassProps) {
    super(scope, id);
    checkProps(this, 'StorageClassProps', props);
    markUnit(this, id);
    this.name = assertDnsSubdomain(this, 'name', props.name);
    if (typeof props.provisioner !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$/.test(props.provisioner)) {
      throw configError(this, 'provisioner', 'must name the CSI driver that provisions the volumes', props.provisioner,
        "set e.g. provisioner: 'ebs.csi.aws.com', or existing: true for a class the cluster already has");
    }
    for (const [k, v] of Object.entries(props.parameters ?? {})) {
      if (typeof v !== 'string') {
        throw configError(this, `parameters.${k}`, 'must be a string (the API only takes strings)', v, `write ${JSON.stringify(String(v))}`);
      }
    }
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: {
        name: this.name,
        annotations: props.isDefault ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : undefined,
        labels: { 'app.kubernetes.io/managed-by': 'cdk8s' },
      },
      provisioner: props.provisioner,
      parameters: props.parameters && Object.keys(props.parameters).length > 0 ? { ...props.parameters } : undefined,
      reclaimPolicy: props.reclaimPolicy ?? D.storageClass.reclaimPolicy,
      volumeBindingMode: props.volumeBindingMode ?? D.storageClass.volumeBindingMode,
      allowVolumeExpansion: props.allowVolumeExpansion ?? D.storageClass.allowVolumeExpansion,
      mountOptions: props.mountOptions,
    });
  }
}

/**
 * Checks that `name` is a class the cluster declares (rendered or existing). `undefined` (the cluster's
 * default class) always passes.
 */
export function assertStorageClass(scope: Construct, prop: string, name: string | undefined,
  cluster: { readonly name: string; readonly storageClasses?: readonly StorageClassProps[] }): string | undefined {
  if (name === undefined) return undefined;
  const known = (cluster.storageClasses ?? []).map((c) => c.name);
  if (!known.includes(name)) {
    throw configError(scope, prop, `names a storage class that cluster '${cluster.name}' does not declare`, name,
      known.length > 0
        ? `use one of ${known.join(', ')}, or add it to the cluster's storageClasses (existing: true if the cluster already has it)`
        : "declare it in the cluster's storageClasses (existing: true if the cluster already has it)");
  }
  return name;
}
