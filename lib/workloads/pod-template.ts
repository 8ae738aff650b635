import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { assertDnsLabel, assertLabelValue, assertQuantity, configError, namespaceOf } from '../core';
import { Policy } from '../policy/policy';
import { WORKLOAD_DEFAULTS as D } from './defaults';
import { ImageRef, parsePinnedImage, versionOf } from './image';
import { NetworkRule } from './network-peer';
import { assertPort, Probe } from './probe';
import { WorkloadProps } from './workload-props';

/** A Kubernetes object or fragment in wire format. */
export type Manifest = Record<string, any>;

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
  readonly ports: readonly { readonly name: string; readonly port: number; /** prop to name in errors */ readonly prop?: string }[];
  readonly longRunning?: LongRunningOptions;
  readonly restartPolicy?: 'Never' | 'OnFailure';
}

/**
 * Everything a hardened workload derives from its props, resolved once: identity, labels, image, resources,
 * security. Renders the pod template the Deployment, a Rollout or a CronJob carries.
 */
export class HardenedPod {
  public readonly name: string;
  public readonly namespace: string;
  public readonly image: ImageRef;
  /** Stable selector: `app.kubernetes.io/name` and `instance` only, never the hashed cdk8s address. */
  public readonly selectorLabels: Record<string, string>;
  /** Recommended labels for every object of the workload. */
  public readonly labels: Record<string, string>;
  public readonly serviceAccountName: string;
  private readonly env: Manifest[] = [];
  private readonly egress: NetworkRule[];

  constructor(private readonly scope: IConstruct, private readonly props: WorkloadProps, component: string) {
    this.name = assertDnsLabel(scope, 'name', props.name ?? scope.node.id);
    const namespace = props.namespace ?? namespaceOf(scope);
    if (namespace === undefined) {
      throw configError(scope, 'namespace', 'is required (no PlatformNamespace or chart namespace encloses this workload)', namespace,
        "create the workload inside a PlatformNamespace, or pass namespace: 'my-team'");
    }
    this.namespace = assertDnsLabel(scope, 'namespace', namespace);
    this.image = parsePinnedImage(scope, 'image', props.image);
    const instance = assertLabelValue(scope, 'instance', props.instance ?? this.name);
    this.selectorLabels = { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/instance': instance };
    this.labels = {
      ...props.labels,
      ...this.selectorLabels,
      'app.kubernetes.io/version': assertLabelValue(scope, 'version', props.version ?? versionOf(this.image)),
      'app.kubernetes.io/component': component,
      'app.kubernetes.io/part-of': assertLabelValue(scope, 'partOf', props.partOf ?? this.namespace),
      'app.kubernetes.io/managed-by': D.managedBy,
    };
    this.serviceAccountName = this.name;
    for (const [name, value] of Object.entries(props.env ?? {})) this.addEnv(name, value);
    for (const [name, ref] of Object.entries(props.secretEnv ?? {})) {
      this.env.push({ name, valueFrom: { secretKeyRef: { name: ref.secret, key: ref.key } } });
    }
    this.egress = [...(props.egress ?? [])];
    this.validateResources();
    this.validateSecurity();
  }

  public addEnv(name: string, value: string): void {
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name)) {
      throw configError(this.scope, `env.${name}`, 'is not a valid environment variable name', name, 'use letters, digits, _ . and -');
    }
    if (this.env.some((e) => e.name === name)) {
      throw configError(this.scope, `env.${name}`, 'is set twice', value, 'set each variable once');
    }
    this.env.push({ name, value });
  }

  public addEgress(rule: NetworkRule): void {
    this.egress.push(rule);
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
      assertDnsLabel(this.scope, `${prop} name`, port.name, 15);
      assertPort(this.scope, prop, port.port);
      if (seen.has(port.port)) {
        throw configError(this.scope, prop, `duplicates port ${port.port} of '${seen.get(port.port)}'`, port.port, 'give every port its own number');
      }
      seen.set(port.port, port.name);
    }

    const container: Manifest = {
      name: this.name,
      image: p.image,
      imagePullPolicy: p.imagePullPolicy ?? 'IfNotPresent',
      command: p.command,
      args: p.args,
      ports: ports.length > 0 ? ports.map((x) => ({ name: x.name, containerPort: x.port, protocol: 'TCP' })) : undefined,
      env: Lazy.any({ produce: () => (this.env.length > 0 ? this.env.map((e) => ({ ...e })) : undefined) }),
      resources: this.resources(),
      securityContext: {
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: s.writableRootFilesystem === undefined,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'], ...(s.netBindService ? { add: ['NET_BIND_SERVICE'] } : {}) },
      },
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      terminationMessagePolicy: 'FallbackToLogsOnError',
    };
    if (lr) {
      container.readinessProbe = lr.readiness._render(this.scope, 'readiness', lr.probePort, D.probes.readiness);
      container.livenessProbe = lr.liveness._render(this.scope, 'liveness', lr.probePort, D.probes.liveness);
      if (lr.startup) container.startupProbe = lr.startup._render(this.scope, 'startup', lr.probePort, D.probes.startup);
      if (lr.drainSeconds > 0) {
        // the kubelet's own sleep action (Kubernetes 1.30+): works in distroless images that have no `sleep`
        container.lifecycle = { preStop: { sleep: { seconds: lr.drainSeconds } } };
      }
    }

    const spec: Manifest = {
      serviceAccountName: this.serviceAccountName,
      automountServiceAccountToken: p.automountServiceAccountToken ?? false,
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
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: p.tmpSizeLimit ?? D.tmpSizeLimit } }],
      restartPolicy: options.restartPolicy,
      terminationGracePeriodSeconds: lr?.terminationGracePeriodSeconds,
      nodeSelector: p.nodeSelector,
      tolerations: p.tolerations,
      affinity: p.affinity,
      priorityClassName: p.priorityClassName,
      topologySpreadConstraints: lr?.spread ? this.spread() : undefined,
    };
    return {
      metadata: { labels: { ...this.labels }, annotations: p.podAnnotations },
      spec,
    };
  }

  /**
   * The workload's NetworkPolicy: ingress as `ingressRules` produces it at synth time (peers can be added after
   * construction), egress to DNS and the declared destinations.
   */
  public networkPolicy(scope: IConstruct, ingressRules: () => Manifest[]): ApiObject {
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

  /** Egress rules: DNS, then the declared destinations. */
  public egressRules(): Manifest[] {
    const dns = {
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    };
    return [dns, ...this.egress.map((r) => ({
      to: [r.peer._toPeer(this.namespace)],
      ports: r.ports && r.ports.length > 0 ? r.ports.map((port) => ({ protocol: r.protocol ?? 'TCP', port })) : undefined,
    }))];
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
      if (v !== undefined && (!Number.isInteger(v) || v <= 0)) {
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
