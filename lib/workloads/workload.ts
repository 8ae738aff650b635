import type { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';
import type { NetworkPeer, NetworkRule } from './network-peer';
import type { ImageRef } from './image';

/** A Kubernetes object or fragment in wire format. */
export type Manifest = Record<string, any>;

/** A container port. */
export interface ContainerPort {
  /** IANA service name (`http`, `metrics`). */
  readonly name: string;
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  /** The prop to name in errors. @default - `ports.<name>` */
  readonly prop?: string;
}

/** How a pod template annotation is set. */
export interface PodAnnotationOptions {
  /**
   * Replace a value set earlier under the same key (for annotations that sum up several declarations, such as
   * the secret checksums); otherwise a second, different value is an error.
   * @default false
   */
  readonly replace?: boolean;
}

/** Where and how a volume is mounted into the main container. */
export interface VolumeMountOptions {
  /** Absolute path; unique in the container. */
  readonly mountPath: string;
  /** @default - writable (set true for config and secrets) */
  readonly readOnly?: boolean;
  /** @default - the whole volume */
  readonly subPath?: string;
  /** The prop to name in errors. @default - `volumes.<name>.mountPath` */
  readonly prop?: string;
}

/**
 * What a service mesh needs from a pod it enrols (lib/mesh fills it in; the pod renders it): the labels that
 * enrol the pod, and the traffic its data plane adds to the pod's NetworkPolicy, derived from the same
 * connection graph as the workload's own edges.
 */
export interface PodMeshEnrolment {
  /** `sidecar` (a proxy in the pod) or `ambient` (the node's proxy, tunnelled). */
  readonly dataplane: 'sidecar' | 'ambient';
  /** Pod labels that enrol the pod (whatever its namespace says). */
  readonly podLabels: Record<string, string>;
  /** Pod annotations the data plane reads (a native sidecar for a Job). @default - none */
  readonly podAnnotations?: Record<string, string>;
  /**
   * The port in-cluster connections are tunnelled through (ambient's HBONE): every ingress and egress edge with
   * an in-cluster peer and explicit ports also admits it.
   * @default - none (sidecars connect on the application's ports)
   */
  readonly tunnelPort?: number;
  /** Egress the data plane itself needs (a sidecar's control plane): NetworkPolicy only. */
  readonly egress: readonly NetworkRule[];
  /** Ingress the data plane itself needs (telemetry, probes), not application traffic: NetworkPolicy only. */
  readonly ingress: readonly NetworkRule[];
}

/**
 * The one seam into a workload's pod, as capabilities see it: they add volumes, mounts, env, ports, annotations,
 * scheduling and ingress/egress through it, never by patching rendered objects. `HardenedPod` implements it.
 */
export interface IHardenedPod {
  readonly name: string;
  readonly namespace: string;
  readonly image: ImageRef;
  /** Stable selector: `app.kubernetes.io/name` and `instance`. */
  readonly selectorLabels: Record<string, string>;
  /** Recommended labels for every object of the workload. */
  readonly labels: Record<string, string>;
  readonly serviceAccountName: string;
  /** Secrets the pod reads (env and volumes): name and key. */
  readonly secretRefs: { readonly secret: string; readonly key?: string }[];
  readonly envNames: string[];
  /** A network peer selecting these pods, carrying their identity. */
  readonly peer: NetworkPeer;
  readonly ingressRules: readonly NetworkRule[];
  readonly egressRulesDeclared: readonly NetworkRule[];
  readonly mountPaths: string[];
  readonly ports: readonly ContainerPort[];
  readonly priorityClass: string | undefined;
  readonly mountsServiceAccountToken: boolean;
  /** The mesh enrolment of the pod, once a mesh enrolled it. */
  readonly meshEnrolment: PodMeshEnrolment | undefined;
  /** Enrols the pod in a mesh (once): its labels, and its data plane's traffic in the NetworkPolicy. */
  enrolInMesh(enrolment: PodMeshEnrolment): void;
  addEnv(name: string, value: string): void;
  addEnvFrom(name: string, valueFrom: Manifest, prop?: string): void;
  addEgress(rule: NetworkRule, prop?: string): void;
  addIngress(rule: NetworkRule, prop?: string): void;
  addVolume(volume: Manifest, mount?: VolumeMountOptions): void;
  addVolumeMount(volumeName: string, mount: VolumeMountOptions): void;
  addPort(port: ContainerPort): void;
  addPodAnnotation(key: string, value: string, options?: PodAnnotationOptions): void;
  addToleration(toleration: Manifest): void;
  addNodeSelector(key: string, value: string): void;
  addRequiredNodeAffinityTerm(term: Manifest): void;
  setPriorityClassName(name: string, prop?: string): void;
  mountServiceAccountToken(): void;
  /** The ObjectMeta of an object of this workload. */
  metadata(name?: string): Manifest;
}

/** The controller kind that runs a workload's pods (what autoscalers, monitors and backups point at). */
export type WorkloadControllerKind = 'Deployment' | 'StatefulSet' | 'CronJob' | 'Job';

/**
 * What every hardened workload (service, worker, cron job, stateful set, job) offers the capabilities that attach
 * to it from their own folders (config, secrets, storage, monitoring, scaling, exposure, tenancy). They change
 * the pod only through `pod` (volumes, mounts, env, ports, annotations, tolerations), never by patching
 * rendered objects, so policy and schema checks see one coherent pod.
 */
export interface IWorkload extends IConstruct {
  readonly name: string;
  readonly namespace: string;
  /** `app.kubernetes.io/component`: server, worker, job, database... */
  readonly component: string;
  /** The hardened pod: the one seam into the pod template. */
  readonly pod: IHardenedPod;
  readonly serviceAccount: ApiObject;
  readonly networkPolicy: ApiObject;
  /** The kind and name of the object that runs the pods. */
  readonly controller: { readonly kind: WorkloadControllerKind; readonly name: string; readonly apiVersion: string };
  /** A network peer selecting this workload's pods, carrying its identity (service account). */
  readonly peer: NetworkPeer;
  /** Allows egress to `rule`'s peer and ports (DNS is always allowed). */
  allowTo(rule: NetworkRule): void;
  /** Lets this workload's pods call `other` on its port: egress here, ingress there. */
  connectTo(other: IReachable): void;
  /** Attaches capabilities to this workload. */
  use(...extensions: IWorkloadExtension[]): void;
}

/**
 * A capability attached to a workload (`use: [ConfigFiles.of(...), Metrics.endpoint(...)]`, or
 * `workload.use(...)`), implemented in the capability's own folder, the way `IDeliveryStrategy` is.
 */
export interface IWorkloadExtension {
  /**
   * Bind after the service's delivery strategy, not before: for extensions that build on what the strategy set up
   * (the exposure route a canary splits). Others bind first, so the strategy sees them (the scaler that owns the
   * replica count).
   * @default false
   */
  readonly bindAfterDelivery?: boolean;
  /** Called once per workload it is attached to; adds objects below the workload and pod changes through its seam. */
  bind(workload: IWorkload): void;
}

/** A workload that accepts connections on a port (a service, a stateful set): what `connectTo` takes. */
export interface IReachable {
  readonly peer: NetworkPeer;
  readonly port: number;
  /** Admits traffic to the port from `peers`. */
  allowFrom(...peers: NetworkPeer[]): void;
}

/**
 * Lets `client`'s pods call `server` on its port: egress from the client, ingress at the server. Every workload's
 * `connectTo` (and every reachable workload's `connectFrom`) is this one rule.
 */
export function connectWorkloads(client: IWorkload, server: IReachable): void {
  server.allowFrom(client.peer);
  client.allowTo({ peer: server.peer, ports: [server.port] });
}

/** Binds `extensions` to `workload`, each once. */
export function bindExtensions(workload: IWorkload, extensions: readonly IWorkloadExtension[] | undefined): void {
  for (const e of extensions ?? []) e.bind(workload);
}
