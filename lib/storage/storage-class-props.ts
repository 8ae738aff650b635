/**
 * A StorageClass of one cluster (`ClusterProps.storageClasses`, added to the environment model by declaration
 * merging at the end of this file).
 */
export interface StorageClassProps {
  /** Class name that volume claim templates reference (`fast-ssd`): a DNS-1123 subdomain. */
  readonly name: string;
  /**
   * CSI driver that provisions the volumes (`ebs.csi.aws.com`). Required unless `existing` is true.
   * @default - none
   */
  readonly provisioner?: string;
  /** Driver parameters (`{ type: 'gp3' }`). @default - none */
  readonly parameters?: Record<string, string>;
  /**
   * What happens to the disk when its claim is deleted.
   * @default 'Retain'
   */
  readonly reclaimPolicy?: 'Retain' | 'Delete';
  /** @default 'WaitForFirstConsumer' */
  readonly volumeBindingMode?: 'WaitForFirstConsumer' | 'Immediate';
  /** @default true */
  readonly allowVolumeExpansion?: boolean;
  /** @default - none */
  readonly mountOptions?: string[];
  /** Marks it as the cluster's default class (`storageclass.kubernetes.io/is-default-class`). @default false */
  readonly isDefault?: boolean;
  /**
   * The class already exists on the cluster (installed with the cluster or its CSI driver): it is not rendered,
   * but workloads may reference it.
   * @default false
   */
  readonly existing?: boolean;
}

// storage settings in the one typed `Environments.define`
declare module '../environments/environment' {
  interface ClusterProps {
    /**
     * Storage: the StorageClasses of this cluster that workloads may name. Declared classes are rendered into
     * the target (`_cluster/storageclass-<name>.yaml`); `existing: true` ones are only referenced.
     * @default - none: volumes use the cluster's default class
     */
    readonly storageClasses?: StorageClassProps[];
  }
}
