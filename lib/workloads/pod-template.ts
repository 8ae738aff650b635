import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  assertAbsolutePath, assertAnnotations, assertConfigKey, assertDnsLabel, assertDnsSubdomain, assertEnvName,
  assertLabels, assertLabelValue, assertNodeSelectorTerm, assertOneOf, assertPort, assertPortName, assertQuantity, assertToleration, checkProps, configError, INT64_SAFE_MAX, namespaceOf,
} from '../core';
import { Policy } from '../policy/policy';
import { Compatibility } from '../schema/compatibility';
import { WORKLOAD_DEFAULTS as D } from './defaults';
import { ImageRef, parsePinnedImage, resolveImage, versionOf } from './image';
import { assertNetworkRule, NetworkPeer, NetworkRule } from './network-peer';
import { Probe } from './probe';
import { WorkloadProps } from './workload-props';

/** A Kubernetes object or fragment in wire format. */
// the pod seam's types live with the interface capabilities program against (workload.ts)
export type { ContainerPort, Manifest, VolumeMountOptions } from './workload';
import type { ContainerPort, IHardenedPod, Manifest, PodAnnotationOptions, PodMeshEnrolment, VolumeMountOptions } from './workload';

/** Probes and drain of a long-running workload; absent for jobs. */
export interface LongRunningOptions {
  readonly probePort?: number;
  readonly readiness: Probe;
  readonly liveness: Probe;
  readonly startup?: Probe;
  readonly drainSeconds: number;
  readonly terminationGracePeriodSeconds: number;
  /** Soft spread over zones and hosts. */
  readonly spread: boolean;
}

export interface PodTemplateOptions {
  readonly ports: readonly { readonly name: string; readonly port: number; /** prop to name in errors */ readonly prop?: string; /** prop of the name, for errors */ readonly nameProp?: string }[];
  readonly longRunning?: LongRunningOptions;
  readonly restartPolicy?: 'Never' | 'OnFailure';
}

/**
 * Everything a hardened workload derives from its props, resolved once: identity, labels, image, resources,
 * security. Renders the pod template the Deployment, a Rollout or a CronJob carries.
 */
export class HardenedPod implements IHardenedPod {
  public readonly name: string;
  public readonly namespace: string;
  public readonly image: ImageRef;
  /** The image reference the container runs (the declared one unless a resolver chose another release). */
  public readonly imageReference: string;
  /** Stable selector: `app.kubernetes.io/name` and `instance` only, never the hashed cdk8s address. */
  public readonly selectorLabels: Record<string, string>;
  /** Recommended labels for every object of the workload. */
  public readonly labels: Record<string, string>;
  public readonly serviceAccountName: string;
  private readonly env: Manifest[] = [];
  private readonly egress: NetworkRule[];
  private readonly ingress: NetworkRule[] = [];
  private readonly volumes: Manifest[] = [];
  private readonly mounts: Manifest[] = [];
  private readonly extraPorts: ContainerPort[] = [];
  private readonly annotations: Record<string, string> = {};
  private readonly tolerations: Manifest[] = [];
  private readonly nodeSelector: Record<string, string> = {};
  /** The props' maps, validated and copied key by key (a `__proto__` key stays a key). */
  private readonly podAnnotations?: Record<string, string>;
  private readonly baseNodeSelector?: Record<string, string>;
  private readonly requiredNodeTerms: Manifest[] = [];
  private priorityClassName?: string;
  private automountToken: boolean;
  private templatePorts: readonly ContainerPort[] = [];
  private mesh?: PodMeshEnrolment;

  constructor(private readonly scope: IConstruct, private readonly props: WorkloadProps, component: string) {
    this.name = assertDnsLabel(scope, 'name', props.name ?? scope.node.id);
    const namespace = props.namespace ?? namespaceOf(scope);
    if (namespace === undefined) {
      throw configError(scope, 'namespace', 'is required (no PlatformNamespace or chart namespace encloses this workload)', namespace,
        "create the workload inside a PlatformNamespace, or pass namespace: 'my-team'");
    }
    this.namespace = assertDnsLabel(scope, 'namespace', namespace);
    parsePinnedImage(scope, 'image', props.image);
    // the release this target runs (promotion may resolve an earlier one than the code declares)
    this.imageReference = resolveImage({ scope, namespace: this.namespace, name: this.name, image: props.image });
    this.image = parsePinnedImage(scope, 'image', this.imageReference);
    const instance = assertLabelValue(scope, 'instance', props.instance ?? this.name);
    const version = (this.imageReference === props.image ? props.version : undefined) ?? versionOf(this.image);
    if (version === undefined) {
      throw configError(scope, 'image', 'has a tag that cannot be the app.kubernetes.io/version label (at most 63 characters, alphanumeric at both ends)', props.image,
        "set version: '1.2.3', or use a simpler tag");
    }
    this.selectorLabels = { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/instance': instance };
    this.labels = {
      ...assertLabels(scope, 'labels', props.labels),
      ...this.selectorLabels,
      'app.kubernetes.io/version': assertLabelValue(scope, 'version', version),
      'app.kubernetes.io/component': component,
      'app.kubernetes.io/part-of': assertLabelValue(scope, 'partOf', props.partOf ?? this.namespace),
      'app.kubernetes.io/managed-by': D.managedBy,
    };
    this.serviceAccountName = this.name;
    this.automountToken = props.automountServiceAccountToken ?? false;
    if (props.priorityClassName !== undefined) this.setPriorityClassName(props.priorityClassName, 'priorityClassName');
    this.podAnnotations = assertAnnotations(scope, 'podAnnotations', props.podAnnotations);
    this.baseNodeSelector = assertNodeSelector(scope, 'nodeSelector', props.nodeSelector);
    (props.tolerations ?? []).forEach((t, i) => assertToleration(scope, `tolerations[${i}]`, t as Manifest));
    const nodeAffinity = (props.affinity as Manifest | undefined)?.nodeAffinity;
    (nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []).forEach((t: Manifest, i: number) =>
      assertNodeSelectorTerm(scope, `affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}]`, t));
    (nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((p: Manifest, i: number) => {
      const at = `affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      if (!Number.isInteger(p?.weight) || p.weight < 1 || p.weight > 100) throw configError(scope, `${at}.weight`, 'must be an integer between 1 and 100', p?.weight, 'use e.g. 50');
      assertNodeSelectorTerm(scope, `${at}.preference`, p.preference);
    });
    if (props.imagePullPolicy !== undefined) assertOneOf(scope, 'imagePullPolicy', props.imagePullPolicy, ['IfNotPresent', 'Always']);
    for (const key of ['command', 'args'] as const) {
      const v = props[key];
      if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))) {
        throw configError(scope, key, 'must be a list of strings', v, "write it like ['--port', '8080']");
      }
    }
    for (const [name, value] of Object.entries(props.env ?? {})) {
      if (typeof value !== 'string') throw configError(scope, `env.${name}`, 'must be a string', value, 'quote it');
      this.addEnv(name, value);
    }
    for (const [name, ref] of Object.entries(props.secretEnv ?? {})) {
      const prop = `secretEnv.${name}`;
      assertDnsSubdomain(scope, `${prop}.secret`, ref?.secret);
      assertConfigKey(scope, `${prop}.key`, ref?.key);
      this.addEnvFrom(name, { secretKeyRef: { name: ref.secret, key: ref.key } }, prop);
    }
    this.egress = (props.egress ?? []).map((r, i) => assertNetworkRule(scope, `egress[${i}]`, r));
    this.validateResources();
    this.validateSecurity();
  }

  /** Adds a plain environment variable to the main container. */
  public addEnv(name: string, value: string): void {
    this.pushEnv({ name, value }, `env.${name}`);
  }

  /**
   * Adds an environment variable read from elsewhere (`{ secretKeyRef: {...} }`, `{ configMapKeyRef: {...} }`).
   * The seam for capabilities (secrets, config): they never patch the rendered pod.
   */
  public addEnvFrom(name: string, valueFrom: Manifest, prop = `env.${name}`): void {
    this.pushEnv({ name, valueFrom }, prop);
  }

  private pushEnv(entry: Manifest, prop: string): void {
    assertEnvName(this.scope, prop, entry.name);
    if (this.env.some((e) => e.name === entry.name)) {
      throw configError(this.scope, prop, 'is set twice', entry.value ?? entry.valueFrom, 'set each variable once');
    }
    this.env.push(entry);
  }

  /**
   * Secrets the pod reads: keys through env `secretKeyRef`, whole Secrets through volumes (key undefined). What
   * capabilities check their own Secret references against (KEDA trigger authentication).
   */
  public get secretRefs(): { readonly secret: string; readonly key?: string }[] {
    const fromEnv = this.env.filter((e) => e.valueFrom?.secretKeyRef).map((e) => ({ secret: e.valueFrom.secretKeyRef.name, key: e.valueFrom.secretKeyRef.key }));
    const fromVolumes = this.volumes.filter((v) => v.secret?.secretName).map((v) => ({ secret: v.secret.secretName }));
    return [...fromEnv, ...fromVolumes];
  }

  /** Environment variable names set so far. */
  public get envNames(): string[] {
    return this.env.map((e) => e.name);
  }

  /** A network peer selecting these pods, carrying their identity (namespace and service account). */
  public get peer(): NetworkPeer {
    return NetworkPeer.pods(this.selectorLabels, this.namespace, { namespace: this.namespace, serviceAccount: this.serviceAccountName });
  }

  /** Allows egress to `rule`'s peer and ports (DNS is always allowed). */
  public addEgress(rule: NetworkRule, prop = `egress[${this.egress.length}]`): void {
    this.egress.push(assertNetworkRule(this.scope, prop, rule));
  }

  /**
   * Admits `rule`'s peer to the given ports of these pods (the ports must be ones the pod declares). One list of
   * ingress rules feeds every layer that enforces it: the NetworkPolicy here, mesh authorization elsewhere.
   */
  public addIngress(rule: NetworkRule, prop = `ingress[${this.ingress.length}]`): void {
    this.ingress.push(assertNetworkRule(this.scope, prop, rule));
  }

  /** Who may connect to these pods, on which ports: the connection graph's edges into this workload. */
  public get ingressRules(): readonly NetworkRule[] {
    return this.ingress;
  }

  /** Where these pods may connect to, besides DNS. */
  public get egressRulesDeclared(): readonly NetworkRule[] {
    return this.egress;
  }

  /**
   * Adds a pod volume, optionally mounted into the main container. Volume names are DNS labels, unique in the pod;
   * mount paths are absolute and unique (never `/tmp`, the writable scratch space).
   */
  public addVolume(volume: Manifest, mount?: VolumeMountOptions): void {
    const prop = mount?.prop ?? `volumes.${volume.name}`;
    assertDnsLabel(this.scope, `${prop} name`, volume.name);
    if (volume.name === 'tmp' || this.volumes.some((v) => v.name === volume.name)) {
      throw configError(this.scope, prop, 'names a volume the pod already has', volume.name, 'give the volume another name');
    }
    this.volumes.push(volume);
    if (mount) this.addVolumeMount(volume.name, mount);
  }

  /** Mounts a volume (added with addVolume, or a StatefulSet claim template) into the main container. */
  public addVolumeMount(volumeName: string, mount: VolumeMountOptions): void {
    const prop = mount.prop ?? `volumes.${volumeName}.mountPath`;
    assertAbsolutePath(this.scope, prop, mount.mountPath);
    if (mount.subPath !== undefined && (typeof mount.subPath !== 'string' || mount.subPath.startsWith('/') || mount.subPath.split('/').includes('..'))) {
      throw configError(this.scope, `${prop.replace(/\.mountPath$/, '')}.subPath`, "must be a relative path without '..'", mount.subPath, "write it like 'conf/app.yaml'");
    }
    const taken = mount.mountPath === '/tmp' ? 'tmp' : this.mounts.find((m) => m.mountPath === mount.mountPath)?.name;
    if (taken !== undefined) {
      throw configError(this.scope, prop, `collides with the mount of volume '${taken}'`, mount.mountPath, 'mount it at another path');
    }
    this.mounts.push({ name: volumeName, mountPath: mount.mountPath, readOnly: mount.readOnly, subPath: mount.subPath });
  }

  /** Mount paths in use (the writable /tmp included). */
  public get mountPaths(): string[] {
    return ['/tmp', ...this.mounts.map((m) => m.mountPath)];
  }

  /**
   * Adds a container port after construction (a metrics port, say). Names and numbers must be unique in the pod.
   */
  public addPort(port: ContainerPort): void {
    const prop = port.prop ?? `ports.${port.name}`;
    assertPortName(this.scope, `${prop} name`, port.name);
    assertPort(this.scope, prop, port.port);
    const clash = [...this.templatePorts, ...this.extraPorts].find((p) => p.port === port.port || p.name === port.name);
    if (clash) {
      throw configError(this.scope, prop, `duplicates port ${clash.port} ('${clash.name}')`, port.port, 'give every port its own name and number');
    }
    this.extraPorts.push(port);
  }

  /** Every container port of the pod: name and number. */
  public get ports(): readonly ContainerPort[] {
    return [...this.templatePorts, ...this.extraPorts];
  }

  /** Adds a pod template annotation (Velero hooks, config checksums, mesh settings). */
  public addPodAnnotation(key: string, value: string, options: PodAnnotationOptions = {}): void {
    checkProps(this.scope, 'PodAnnotationOptions', options);
    assertAnnotations(this.scope, 'podAnnotations', { [key]: value });
    if (!options.replace && Object.prototype.hasOwnProperty.call(this.annotations, key) && this.annotations[key] !== value) {
      throw configError(this.scope, `podAnnotations[${JSON.stringify(key)}]`, `is already set to ${JSON.stringify(this.annotations[key])}`, value, 'set each annotation once');
    }
    Object.defineProperty(this.annotations, key, { value, enumerable: true, writable: true, configurable: true });
  }

  /** Lets the pods tolerate a node taint (node pools). */
  public addToleration(toleration: Manifest): void {
    assertToleration(this.scope, 'tolerations', toleration);
    if (!this.tolerations.some((t) => JSON.stringify(t) === JSON.stringify(toleration))) this.tolerations.push(toleration);
  }

  /** Restricts the pods to nodes with this label (node pools). */
  public addNodeSelector(key: string, value: string): void {
    assertNodeSelector(this.scope, 'nodeSelector', { [key]: value });
    if (Object.prototype.hasOwnProperty.call(this.nodeSelector, key) && this.nodeSelector[key] !== value) {
      throw configError(this.scope, `nodeSelector[${JSON.stringify(key)}]`, `is already set to ${JSON.stringify(this.nodeSelector[key])}`, value, 'select one node pool');
    }
    Object.defineProperty(this.nodeSelector, key, { value, enumerable: true, writable: true, configurable: true });
  }

  /** Adds a required node affinity term (ORed with the other terms). */
  public addRequiredNodeAffinityTerm(term: Manifest): void {
    assertNodeSelectorTerm(this.scope, 'requiredNodeAffinityTerm', term);
    this.requiredNodeTerms.push(term);
  }

  /** Sets the pod's PriorityClass (tenancy checks that the class is declared). */
  public setPriorityClassName(name: string, prop = 'priorityClassName'): void {
    this.priorityClassName = assertDnsSubdomain(this.scope, prop, name);
  }

  /** The pod's PriorityClass name, if any. */
  public get priorityClass(): string | undefined {
    return this.priorityClassName;
  }

  /** The mesh enrolment of the pod, once a mesh enrolled it. */
  public get meshEnrolment(): PodMeshEnrolment | undefined {
    return this.mesh;
  }

  /** Enrols the pod in a mesh (once): its labels, and its data plane's traffic in the NetworkPolicy. */
  public enrolInMesh(enrolment: PodMeshEnrolment): void {
    if (this.mesh) throw configError(this.scope, 'mesh', 'enrols the pod twice', enrolment.dataplane, 'enrol each pod in one mesh');
    assertLabels(this.scope, 'mesh.podLabels', enrolment.podLabels);
    for (const key of Object.keys(enrolment.podLabels)) {
      if (Object.prototype.hasOwnProperty.call(this.labels, key)) {
        throw configError(this.scope, `labels[${JSON.stringify(key)}]`, 'is a label the mesh sets to enrol the pod', this.labels[key], 'drop it: the environment\'s mesh settings decide enrolment');
      }
    }
    (enrolment.egress ?? []).forEach((r, i) => assertNetworkRule(this.scope, `mesh.egress[${i}]`, r));
    (enrolment.ingress ?? []).forEach((r, i) => assertNetworkRule(this.scope, `mesh.ingress[${i}]`, r));
    this.mesh = { ...enrolment, podLabels: { ...enrolment.podLabels }, egress: [...enrolment.egress], ingress: [...enrolment.ingress] };
    for (const [key, value] of Object.entries(enrolment.podAnnotations ?? {})) this.addPodAnnotation(key, value);
  }

  /** Mounts the service account token: only for workloads granted API access. */
  public mountServiceAccountToken(): void {
    this.automountToken = true;
  }

  /** Whether the service account token is mounted. */
  public get mountsServiceAccountToken(): boolean {
    return this.automountToken;
  }

  /** The ObjectMeta of an object of this workload. */
  public metadata(name = this.name): Manifest {
    return { name, namespace: this.namespace, labels: { ...this.labels } };
  }

  /** The hardened pod template. */
  public template(options: PodTemplateOptions): Manifest {
    const p = this.props;
    const s = p.security ?? {};
    const lr = options.longRunning;
    const ports = options.ports;
    const seen = new Map<number, string>();
    for (const port of ports) {
      const prop = port.prop ?? `extraPorts.${port.name}`;
      assertPortName(this.scope, port.nameProp ?? `${prop} name`, port.name);
      assertPort(this.scope, prop, port.port);
      if (seen.has(port.port)) {
        throw configError(this.scope, prop, `duplicates port ${port.port} of '${seen.get(port.port)}'`, port.port, 'give every port its own number');
      }
      seen.set(port.port, port.name);
    }

    this.templatePorts = ports.map((x) => ({ name: x.name, port: x.port }));
    const container: Manifest = {
      name: this.name,
      image: this.imageReference,
      imagePullPolicy: p.imagePullPolicy ?? 'IfNotPresent',
      command: p.command,
      args: p.args,
      ports: Lazy.any({
        produce: () => {
          const all = this.ports;
          return all.length > 0 ? all.map((x) => ({ name: x.name, containerPort: x.port, protocol: x.protocol ?? 'TCP' })) : undefined;
        },
      }),
      env: Lazy.any({ produce: () => (this.env.length > 0 ? this.env.map((e) => ({ ...e })) : undefined) }),
      resources: this.resources(),
      securityContext: {
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: s.writableRootFilesystem === undefined,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'], ...(s.netBindService ? { add: ['NET_BIND_SERVICE'] } : {}) },
      },
      volumeMounts: Lazy.any({ produce: () => [{ name: 'tmp', mountPath: '/tmp' }, ...this.mounts.map((m) => ({ ...m }))] }),
      terminationMessagePolicy: 'FallbackToLogsOnError',
    };
    if (lr) {
      container.readinessProbe = lr.readiness._render(this.scope, 'readiness', lr.probePort, D.probes.readiness);
      container.livenessProbe = lr.liveness._render(this.scope, 'liveness', lr.probePort, D.probes.liveness);
      if (lr.startup) container.startupProbe = lr.startup._render(this.scope, 'startup', lr.probePort, D.probes.startup);
      if (lr.drainSeconds > 0) {
        // the kubelet's own sleep action (Kubernetes 1.30+): works in distroless images that have no `sleep`;
        // older clusters get the documented fallback (lib/schema/version-rules.ts), listed by synth
        if (Compatibility.supports(this.scope, 'lifecycle-sleep-action')) {
          container.lifecycle = { preStop: { sleep: { seconds: lr.drainSeconds } } };
        } else {
          container.lifecycle = { preStop: { exec: { command: ['sleep', String(lr.drainSeconds)] } } };
          Compatibility.recordFallback(this.scope, 'lifecycle-sleep-action');
        }
      }
    }

    const spec: Manifest = {
      serviceAccountName: this.serviceAccountName,
      automountServiceAccountToken: Lazy.any({ produce: () => this.automountToken }),
      enableServiceLinks: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: s.runAsUser ?? D.security.runAsUser,
        runAsGroup: s.runAsGroup ?? D.security.runAsGroup,
        fsGroup: s.fsGroup ?? D.security.fsGroup,
        fsGroupChangePolicy: 'OnRootMismatch',
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [container],
      volumes: Lazy.any({ produce: () => [{ name: 'tmp', emptyDir: { sizeLimit: p.tmpSizeLimit ?? D.tmpSizeLimit } }, ...this.volumes] }),
      restartPolicy: options.restartPolicy,
      terminationGracePeriodSeconds: lr?.terminationGracePeriodSeconds,
      nodeSelector: Lazy.any({ produce: () => (Object.keys(this.nodeSelector).length > 0 ? { ...this.baseNodeSelector, ...this.nodeSelector } : this.baseNodeSelector) }),
      tolerations: Lazy.any({ produce: () => (this.tolerations.length > 0 ? [...(p.tolerations ?? []), ...this.tolerations] : p.tolerations) }),
      affinity: Lazy.any({ produce: () => this.affinity() }),
      priorityClassName: Lazy.any({ produce: () => this.priorityClassName }),
      topologySpreadConstraints: lr?.spread ? this.spread() : undefined,
    };
    return {
      metadata: {
        // the mesh enrols after construction (once the whole target is declared)
        labels: Lazy.any({ produce: () => ({ ...this.labels, ...this.mesh?.podLabels }) }),
        annotations: Lazy.any({ produce: () => (Object.keys(this.annotations).length > 0 ? { ...this.podAnnotations, ...this.annotations } : this.podAnnotations) }),
      },
      spec,
    };
  }

  /**
   * The workload's NetworkPolicy: ingress as `ingressRules` produces it at synth time (peers can be added after
   * construction), egress to DNS and the declared destinations.
   */
  public networkPolicy(scope: IConstruct, ingressRules: () => Manifest[] = () => this.ingressPolicyRules()): ApiObject {
    return new ApiObject(scope as Construct, 'NetworkPolicy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: this.metadata(),
      spec: {
        podSelector: { matchLabels: { ...this.selectorLabels } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: Lazy.any({ produce: ingressRules }),
        egress: Lazy.any({ produce: () => this.egressRules() }),
      },
    });
  }

  /**
   * The NetworkPolicy ingress rules of the declared ingress: consecutive rules on the same ports share one
   * policy rule (peers ORed), so a service's callers read as one list.
   */
  public ingressPolicyRules(): Manifest[] {
    const out: Manifest[] = [];
    let lastPorts: string | undefined;
    for (const r of this.ingress) {
      const ports = this.policyPorts(r);
      const key = JSON.stringify(ports ?? null);
      const peer = r.peer._toPeer(this.namespace);
      if (key === lastPorts) out[out.length - 1].from.push(peer);
      else out.push({ from: [peer], ports });
      lastPorts = key;
    }
    for (const r of this.mesh?.ingress ?? []) out.push({ from: [r.peer._toPeer(this.namespace)], ports: this.policyPorts(r) });
    return out;
  }

  /** Egress rules: DNS, then the declared destinations. */
  public egressRules(): Manifest[] {
    const dns = {
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    };
    return [dns, ...[...this.egress, ...(this.mesh?.egress ?? [])].map((r) => ({
      to: [r.peer._toPeer(this.namespace)],
      ports: this.policyPorts(r),
    }))];
  }

  /**
   * The NetworkPolicy ports of an edge: its own, plus the mesh's tunnel port when the peer is in the cluster
   * (ambient carries every such connection over HBONE). No ports means every port, the tunnel's included.
   */
  private policyPorts(r: NetworkRule): Manifest[] | undefined {
    if (!r.ports || r.ports.length === 0) return undefined;
    const ports = r.ports.map((port) => ({ protocol: r.protocol ?? 'TCP', port }));
    const tunnel = this.mesh?.tunnelPort;
    if (tunnel !== undefined && r.peer.source.type !== 'ipBlock' && !r.ports.includes(tunnel) && !this.mesh!.ingress.includes(r) && !this.mesh!.egress.includes(r)) {
      ports.push({ protocol: 'TCP', port: tunnel });
    }
    return ports;
  }

  private affinity(): Manifest | undefined {
    const base = this.props.affinity as Manifest | undefined;
    if (this.requiredNodeTerms.length === 0) return base;
    const nodeAffinity = { ...(base?.nodeAffinity ?? {}) };
    const required = nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution ?? { nodeSelectorTerms: [] };
    nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [...required.nodeSelectorTerms, ...this.requiredNodeTerms] };
    return { ...base, nodeAffinity };
  }

  private spread(): Manifest[] {
    // ScheduleAnyway: spread when the cluster allows it, still schedule on a one-zone or one-node cluster
    return ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
      maxSkew: 1,
      topologyKey,
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { ...this.selectorLabels } },
    }));
  }

  private resources(): Manifest {
    const r = this.props.resources ?? {};
    const requests = { cpu: r.cpuRequest ?? D.resources.cpuRequest, memory: r.memoryRequest ?? D.resources.memoryRequest };
    const limits: Manifest = { memory: r.memoryLimit ?? D.resources.memoryLimit };
    if (r.cpuLimit !== undefined) limits.cpu = r.cpuLimit;
    return { requests, limits };
  }

  private validateResources(): void {
    const r = this.props.resources ?? {};
    const cpuRequest = assertQuantity(this.scope, 'resources.cpuRequest', r.cpuRequest ?? D.resources.cpuRequest, '250m');
    const memRequest = assertQuantity(this.scope, 'resources.memoryRequest', r.memoryRequest ?? D.resources.memoryRequest, '256Mi');
    const memLimit = assertQuantity(this.scope, 'resources.memoryLimit', r.memoryLimit ?? D.resources.memoryLimit, '512Mi');
    if (memLimit < memRequest) {
      throw configError(this.scope, 'resources.memoryLimit', `is below the memory request ${r.memoryRequest ?? D.resources.memoryRequest}`, r.memoryLimit ?? D.resources.memoryLimit,
        'raise the limit or lower the request');
    }
    if (r.cpuLimit !== undefined) {
      const cpuLimit = assertQuantity(this.scope, 'resources.cpuLimit', r.cpuLimit, '1');
      if (cpuRequest > cpuLimit) {
        throw configError(this.scope, 'resources.cpuRequest', `is above the CPU limit ${r.cpuLimit}`, r.cpuRequest ?? D.resources.cpuRequest, 'lower the request or raise the limit');
      }
    }
    if (this.props.tmpSizeLimit !== undefined) assertQuantity(this.scope, 'tmpSizeLimit', this.props.tmpSizeLimit, '64Mi');
  }

  private validateSecurity(): void {
    const s = this.props.security ?? {};
    for (const key of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
      const v = s[key];
      if (v !== undefined && (!Number.isInteger(v) || v <= 0 || v > INT64_SAFE_MAX)) {
        throw configError(this.scope, `security.${key}`, 'must be a positive, non-root id', v, `use e.g. ${D.security.runAsUser}`);
      }
    }
    const w = s.writableRootFilesystem;
    if (w !== undefined && !(typeof w.reason === 'string' && w.reason.trim())) {
      throw configError(this.scope, 'security.writableRootFilesystem.reason', 'must explain the relaxation', w.reason, "write why, e.g. { reason: 'nginx writes its pid under /var/run' }");
    }
    // the relaxation is the exemption: policy lets exactly this workload through, with the reason on record
    if (w !== undefined) Policy.exempt(this.scope, 'hygiene-read-only-root-filesystem', w.reason);
    if (this.image.digest && this.props.imagePullPolicy === 'Always') {
      throw configError(this.scope, 'imagePullPolicy', 'pulls on every start although the image is pinned by digest', this.props.imagePullPolicy, "use 'IfNotPresent' (the default)");
    }
  }
}

/** Validates a nodeSelector map (label keys and values) and copies it key by key. */
function assertNodeSelector(scope: IConstruct, prop: string, selector: Record<string, string> | undefined): Record<string, string> | undefined {
  if (selector === undefined) return undefined;
  if (selector === null || typeof selector !== 'object' || Array.isArray(selector)) {
    throw configError(scope, prop, 'must be a map of node label keys to values', selector, "write it like { 'kubernetes.io/arch': 'amd64' }");
  }
  return assertLabels(scope, prop, selector);
}
