import { k8s } from 'cdk8s-plus-27';
import { NetworkRule } from './network-peer';
import type { IWorkloadExtension } from './workload';

/** Requests and limits of the workload's container. */
export interface ResourceProps {
  /** @default '100m' */
  readonly cpuRequest?: string;
  /**
   * CPU limit. Unset by default: CPU limits throttle latency-sensitive services even on idle nodes.
   * @default - no CPU limit
   */
  readonly cpuLimit?: string;
  /** @default '128Mi' */
  readonly memoryRequest?: string;
  /** @default '256Mi' */
  readonly memoryLimit?: string;
}

/**
 * The container's identity and filesystem. Every field keeps the "restricted" profile when changed;
 * settings that leave it (root, privilege escalation) are not offered: exempt the object in policy instead.
 */
export interface SecurityProps {
  /** Non-zero UID. @default 10001 */
  readonly runAsUser?: number;
  /** Non-zero GID. @default 10001 */
  readonly runAsGroup?: number;
  /** @default 10001 */
  readonly fsGroup?: number;
  /**
   * Relaxation: a writable root filesystem, for images that write outside /tmp. Give the reason.
   * @default - read-only root filesystem
   */
  readonly writableRootFilesystem?: { readonly reason: string };
  /**
   * Relaxation: keep NET_BIND_SERVICE (the only capability "restricted" allows) to bind ports below 1024.
   * @default false
   */
  readonly netBindService?: boolean;
}

/** A secret key exposed as an environment variable. */
export interface SecretKeyRef {
  readonly secret: string;
  readonly key: string;
}

/** Props every hardened workload (service, worker, cron job) shares. */
export interface WorkloadProps {
  /** Container image, pinned by a tag other than `latest` or by a digest (`ghcr.io/acme/api:1.4.2`). */
  readonly image: string;
  /**
   * Object name (a DNS-1123 label). Names are an API: it never changes when code moves.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * @default - the enclosing PlatformNamespace, else the chart's namespace; one of them is required
   */
  readonly namespace?: string;
  /**
   * `app.kubernetes.io/part-of`: the application this workload belongs to.
   * @default - the namespace
   */
  readonly partOf?: string;
  /**
   * `app.kubernetes.io/instance`, part of the pod selector.
   * @default - the name
   */
  readonly instance?: string;
  /**
   * `app.kubernetes.io/version`.
   * @default - the image tag, else the first 12 digits of its digest
   */
  readonly version?: string;
  /** @default - the image's entrypoint */
  readonly command?: string[];
  /** @default - the image's arguments */
  readonly args?: string[];
  /** Plain environment variables. @default - none */
  readonly env?: Record<string, string>;
  /** Environment variables read from Secrets. @default - none */
  readonly secretEnv?: Record<string, SecretKeyRef>;
  /** @default - see ResourceProps */
  readonly resources?: ResourceProps;
  /** @default - see SecurityProps */
  readonly security?: SecurityProps;
  /**
   * Relaxation: mount the service account token (for workloads that call the Kubernetes API).
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
  /** Size limit of the writable /tmp. @default '64Mi' */
  readonly tmpSizeLimit?: string;
  /**
   * Pull policy; must fit the pin.
   * @default 'IfNotPresent' (the image is immutable once pinned)
   */
  readonly imagePullPolicy?: 'IfNotPresent' | 'Always';
  /** @default - any node */
  readonly nodeSelector?: Record<string, string>;
  /** @default - none */
  readonly tolerations?: k8s.Toleration[];
  /** Extra affinity rules (spread over zones and hosts is added anyway). @default - none */
  readonly affinity?: k8s.Affinity;
  /** @default - the cluster default */
  readonly priorityClassName?: string;
  /** Extra labels for every object. @default - none */
  readonly labels?: Record<string, string>;
  /** Annotations on the pod template. @default - none */
  readonly podAnnotations?: Record<string, string>;
  /**
   * Destinations the pods may reach besides DNS. Egress is denied otherwise.
   * @default - DNS only
   */
  readonly egress?: NetworkRule[];
  /**
   * Capabilities attached to the workload from their own folders (config files, secrets, metrics, scaling,
   * node pools...), bound at the end of construction. More can be added later with `use()`.
   * @default - none
   */
  readonly use?: IWorkloadExtension[];
}
