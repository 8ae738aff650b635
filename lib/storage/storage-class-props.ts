/**
 * A StorageClass of one cluster (`ClusterProps.storageClasses`). This file imports nothing from lib/gitops,
 * so the environment types can use it without a module cycle.
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
