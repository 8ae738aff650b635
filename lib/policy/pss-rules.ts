import { show } from '../core';
import { containersOf, isWindowsPod, keyPath, PodTemplate, podTemplatesOf } from './pod-template';
import { defineRule, Manifest, Rule, Violation } from './rule';

/**
 * Pod Security Standards, "restricted" level, which includes every "baseline" control
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/, as enforced by Pod Security Admission
 * at `version: latest`). Container-level and pod-level fields combine exactly as PSS defines: where a control
 * may be set on the pod, a container may leave it unset only when the pod sets an allowed value.
 */

/** Capabilities baseline lets a container add (the container runtime's default set). */
export const BASELINE_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP',
  'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
];

/** The only capability restricted lets a container add. */
export const RESTRICTED_CAPABILITIES: readonly string[] = ['NET_BIND_SERVICE'];

/** Sysctls PSS baseline counts as safe: namespaced and isolated from other pods on the node. */
export const SAFE_SYSCTLS: readonly string[] = [
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];

/** Volume sources restricted allows (`image` since Kubernetes 1.33). */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = [
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret',
];

/** SELinux types baseline allows ('' and unset too). */
export const SELINUX_TYPES: readonly string[] = ['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];

const SECCOMP_TYPES = ['RuntimeDefault', 'Localhost'];
const APPARMOR_TYPES = ['RuntimeDefault', 'Localhost'];
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

type PodCheck = (t: PodTemplate, m: Manifest) => Violation[];

/** A PSS rule: checks the pod template of every pod-bearing object, nothing else. */
function pssRule(id: string, title: string, check: PodCheck): Rule {
  return defineRule({
    id,
    title,
    profile: 'pss-restricted',
    // every pod the object carries (a CRD may carry several: an Experiment's templates)
    check: (m) => podTemplatesOf(m).flatMap((t) => check(t, m)),
  });
}

const podSc = (t: PodTemplate) => t.spec?.securityContext ?? {};
const podScPath = (t: PodTemplate) => `${t.specPath}.securityContext`;

export const hostProcess = pssRule('pss-host-process', 'No Windows HostProcess containers (baseline)', (t) => {
  const out: Violation[] = [];
  const fix = 'remove windowsOptions.hostProcess or set it to false';
  if (podSc(t).windowsOptions?.hostProcess === true) {
    out.push({ field: `${podScPath(t)}.windowsOptions.hostProcess`, message: 'pod runs as a windows hostprocess pod, got hostProcess true', fix });
  }
  for (const c of containersOf(t)) {
    if (c.container.securityContext?.windowsOptions?.hostProcess === true) {
      out.push({ field: `${c.path}.securityContext.windowsOptions.hostProcess`, message: `${c.label} runs as a windows hostprocess container, got hostProcess true`, fix });
    }
  }
  return out;
});

export const hostNamespaces = pssRule('pss-host-namespaces', 'No host network, PID or IPC namespace (baseline)', (t) => {
  const out: Violation[] = [];
  for (const [f, ns] of [['hostNetwork', 'network'], ['hostPID', 'pid'], ['hostIPC', 'ipc']]) {
    if (t.spec?.[f] === true) {
      out.push({ field: `${t.specPath}.${f}`, message: `pod shares the node's ${ns} namespace, got ${f} true`, fix: `remove ${f} or set it to false` });
    }
  }
  return out;
});

export const privileged = pssRule('pss-privileged', 'No privileged containers (baseline)', (t) => containersOf(t)
  .filter((c) => c.container.securityContext?.privileged === true)
  .map((c) => ({
    field: `${c.path}.securityContext.privileged`,
    message: `${c.label} runs privileged, got privileged true`,
    fix: 'remove securityContext.privileged or set it to false',
  })));

export const capabilities = pssRule('pss-capabilities', 'Capabilities: drop ALL, add at most NET_BIND_SERVICE (restricted)', (t) => {
  const out: Violation[] = [];
  // restricted's capability control is Linux-only; Windows pods keep baseline's add list
  const windows = isWindowsPod(t);
  const allowed = windows ? BASELINE_CAPABILITIES : RESTRICTED_CAPABILITIES;
  for (const c of containersOf(t)) {
    const caps = c.container.securityContext?.capabilities ?? {};
    const add: unknown[] = Array.isArray(caps.add) ? caps.add : [];
    add.forEach((cap, i) => {
      if (!allowed.includes(cap as string)) {
        out.push({
          field: `${c.path}.securityContext.capabilities.add[${i}]`,
          message: `${c.label} adds a capability ${windows ? 'outside the default set' : 'other than NET_BIND_SERVICE'}, got ${show(cap)}`,
          fix: windows ? `add only capabilities from the default set (${BASELINE_CAPABILITIES.join(', ')})` : 'remove it; restricted allows adding only NET_BIND_SERVICE',
        });
      }
    });
    if (!windows) {
      const drop: unknown[] = Array.isArray(caps.drop) ? caps.drop : [];
      if (!drop.includes('ALL')) {
        out.push({
          field: `${c.path}.securityContext.capabilities.drop`,
          message: `${c.label} does not drop all capabilities, got drop ${show(caps.drop)}`,
          fix: 'set securityContext.capabilities.drop: ["ALL"]',
        });
      }
    }
  }
  return out;
});

export const hostPathVolumes = pssRule('pss-host-path-volumes', 'No hostPath volumes (baseline)', (t) => volumesOf(t)
  .filter(({ volume }) => volume.hostPath !== undefined && volume.hostPath !== null)
  .map(({ volume, path }) => ({
    field: `${path}.hostPath`,
    message: `volume ${show(volume.name)} mounts a node path, got hostPath ${show(volume.hostPath)}`,
    fix: 'use an emptyDir, configMap, secret or persistentVolumeClaim volume instead',
  })));

export const hostPorts = pssRule('pss-host-ports', 'No host ports (baseline)', (t) => {
  const out: Violation[] = [];
  for (const c of containersOf(t)) {
    const ports: any[] = Array.isArray(c.container.ports) ? c.container.ports : [];
    ports.forEach((p, i) => {
      if (p?.hostPort !== undefined && p?.hostPort !== null && p.hostPort !== 0) {
        out.push({
          field: `${c.path}.ports[${i}].hostPort`,
          message: `${c.label} binds a port on the node, got hostPort ${show(p.hostPort)}`,
          fix: 'remove hostPort and expose the port through a Service',
        });
      }
    });
  }
  return out;
});

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const HOOKS = ['postStart', 'preStop'];

export const hostProbes = pssRule('pss-host-probes', 'Probes and lifecycle hooks target the pod, not another host (baseline)', (t) => {
  const out: Violation[] = [];
  for (const c of containersOf(t)) {
    const handlers: [string, any][] = [
      ...PROBES.map((p): [string, any] => [`${c.path}.${p}`, c.container[p]]),
      ...HOOKS.map((h): [string, any] => [`${c.path}.lifecycle.${h}`, c.container.lifecycle?.[h]]),
    ];
    for (const [path, handler] of handlers) {
      for (const action of ['httpGet', 'tcpSocket']) {
        const host = handler?.[action]?.host;
        if (host !== undefined && host !== null && host !== '') {
          out.push({
            field: `${path}.${action}.host`,
            message: `${c.label} sends a probe or hook to another host, got host ${show(host)}`,
            fix: `remove ${action}.host so that the kubelet targets the pod IP`,
          });
        }
      }
    }
  }
  return out;
});

export const appArmor = pssRule('pss-apparmor', 'AppArmor: only RuntimeDefault or Localhost profiles (baseline)', (t) => {
  const out: Violation[] = [];
  const fix = 'remove the AppArmor profile or use type RuntimeDefault (or Localhost with a profile on the nodes)';
  const type = podSc(t).appArmorProfile?.type;
  if (type !== undefined && !APPARMOR_TYPES.includes(type)) {
    out.push({ field: `${podScPath(t)}.appArmorProfile.type`, message: `pod overrides the default apparmor profile, got type ${show(type)}`, fix });
  }
  for (const c of containersOf(t)) {
    const ct = c.container.securityContext?.appArmorProfile?.type;
    if (ct !== undefined && !APPARMOR_TYPES.includes(ct)) {
      out.push({ field: `${c.path}.securityContext.appArmorProfile.type`, message: `${c.label} overrides the default apparmor profile, got type ${show(ct)}`, fix });
    }
  }
  for (const [key, value] of Object.entries(t.metadata?.annotations ?? {})) {
    if (!key.startsWith(APPARMOR_ANNOTATION)) continue;
    if (value === 'runtime/default' || (typeof value === 'string' && value.startsWith('localhost/'))) continue;
    out.push({
      field: keyPath(`${t.metadataPath}.annotations`, key),
      message: `annotation overrides the default apparmor profile, got ${show(value)}`,
      fix: 'remove the annotation or set it to "runtime/default"',
    });
  }
  return out;
});

export const seLinux = pssRule('pss-selinux', 'SELinux: no custom user or role, only container types (baseline)', (t) => {
  const out: Violation[] = [];
  const check = (opts: any, path: string, who: string) => {
    if (!opts || typeof opts !== 'object') return;
    if (opts.type !== undefined && opts.type !== '' && !SELINUX_TYPES.includes(opts.type)) {
      out.push({ field: `${path}.seLinuxOptions.type`, message: `${who} sets a custom selinux type, got ${show(opts.type)}`, fix: `remove seLinuxOptions.type or use one of ${SELINUX_TYPES.join(', ')}` });
    }
    for (const f of ['user', 'role']) {
      if (opts[f] !== undefined && opts[f] !== '') {
        out.push({ field: `${path}.seLinuxOptions.${f}`, message: `${who} sets a custom selinux ${f}, got ${show(opts[f])}`, fix: `remove seLinuxOptions.${f}` });
      }
    }
  };
  check(podSc(t).seLinuxOptions, podScPath(t), 'pod');
  for (const c of containersOf(t)) check(c.container.securityContext?.seLinuxOptions, `${c.path}.securityContext`, c.label);
  return out;
});

export const procMount = pssRule('pss-proc-mount', 'Default /proc mount (baseline)', (t) => containersOf(t)
  .filter((c) => {
    const v = c.container.securityContext?.procMount;
    return v !== undefined && v !== null && v !== 'Default';
  })
  .map((c) => ({
    field: `${c.path}.securityContext.procMount`,
    message: `${c.label} unmasks /proc, got procMount ${show(c.container.securityContext.procMount)}`,
    fix: 'remove securityContext.procMount or set it to "Default"',
  })));

export const seccomp = pssRule('pss-seccomp', 'Seccomp profile RuntimeDefault or Localhost on the pod or every container (restricted)', (t) => {
  const out: Violation[] = [];
  // baseline forbids Unconfined everywhere; restricted (Linux only) requires an allowed type, set on the pod or on
  // every container. An explicit container value always wins over the pod's.
  const windows = isWindowsPod(t);
  const bad = (type: unknown) => (windows ? type === 'Unconfined' : !SECCOMP_TYPES.includes(type as string));
  const fix = 'set securityContext.seccompProfile.type: RuntimeDefault (or Localhost) on the pod';
  const podType = podSc(t).seccompProfile?.type;
  if (podType !== undefined && bad(podType)) {
    out.push({ field: `${podScPath(t)}.seccompProfile.type`, message: `pod uses a seccomp profile ${windows ? 'that turns seccomp off' : 'other than RuntimeDefault or Localhost'}, got type ${show(podType)}`, fix });
  }
  const podOk = podType !== undefined && SECCOMP_TYPES.includes(podType);
  for (const c of containersOf(t)) {
    const type = c.container.securityContext?.seccompProfile?.type;
    if (type !== undefined) {
      if (bad(type)) {
        out.push({ field: `${c.path}.securityContext.seccompProfile.type`, message: `${c.label} uses a seccomp profile ${windows ? 'that turns seccomp off' : 'other than RuntimeDefault or Localhost'}, got type ${show(type)}`, fix: 'set seccompProfile.type to RuntimeDefault or Localhost, or remove it to inherit the pod\'s' });
      }
    } else if (!windows && !podOk) {
      out.push({ field: `${c.path}.securityContext.seccompProfile`, message: `${c.label} has no seccomp profile and the pod sets none, got pod type ${show(podType)}`, fix });
    }
  }
  return out;
});

export const sysctls = pssRule('pss-sysctls', 'Only safe sysctls (baseline)', (t) => {
  const list: any[] = Array.isArray(podSc(t).sysctls) ? podSc(t).sysctls : [];
  return list.flatMap((s, i) => (SAFE_SYSCTLS.includes(s?.name) ? [] : [{
    field: `${podScPath(t)}.sysctls[${i}].name`,
    message: `pod sets a sysctl outside the safe set, got ${show(s?.name)}`,
    fix: `remove it; the safe sysctls are ${SAFE_SYSCTLS.join(', ')}`,
  }]));
});

export const volumeTypes = pssRule('pss-volume-types', 'Only core volume types (restricted)', (t) => {
  const out: Violation[] = [];
  for (const { volume, path } of volumesOf(t)) {
    for (const key of Object.keys(volume)) {
      if (key === 'name' || RESTRICTED_VOLUME_TYPES.includes(key)) continue;
      out.push({
        field: `${path}.${key}`,
        message: `volume ${show(volume.name)} uses a volume type restricted does not allow, got ${key}`,
        fix: `use one of ${RESTRICTED_VOLUME_TYPES.join(', ')} (a PersistentVolumeClaim for network storage)`,
      });
    }
  }
  return out;
});

export const privilegeEscalation = pssRule('pss-privilege-escalation', 'allowPrivilegeEscalation false on every container (restricted)', (t) => {
  if (isWindowsPod(t)) return []; // Linux-only control
  return containersOf(t)
    .filter((c) => c.container.securityContext?.allowPrivilegeEscalation !== false)
    .map((c) => ({
      field: `${c.path}.securityContext.allowPrivilegeEscalation`,
      message: `${c.label} may gain privileges (setuid binaries), got allowPrivilegeEscalation ${show(c.container.securityContext?.allowPrivilegeEscalation)}`,
      fix: 'set securityContext.allowPrivilegeEscalation: false',
    }));
});

export const runAsNonRoot = pssRule('pss-run-as-non-root', 'runAsNonRoot true on the pod or every container (restricted)', (t) => {
  const out: Violation[] = [];
  const pod = podSc(t).runAsNonRoot;
  if (pod === false) {
    out.push({ field: `${podScPath(t)}.runAsNonRoot`, message: 'pod allows running as root, got runAsNonRoot false', fix: 'set securityContext.runAsNonRoot: true on the pod' });
  }
  for (const c of containersOf(t)) {
    const v = c.container.securityContext?.runAsNonRoot;
    if (v === false) {
      out.push({ field: `${c.path}.securityContext.runAsNonRoot`, message: `${c.label} allows running as root, got runAsNonRoot false`, fix: 'remove runAsNonRoot from the container or set it to true' });
    } else if (v !== true && pod !== true) {
      out.push({
        field: `${c.path}.securityContext.runAsNonRoot`,
        message: `${c.label} may run as root: neither it nor the pod sets runAsNonRoot true, got ${show(v)}`,
        fix: 'set securityContext.runAsNonRoot: true on the pod (or on every container)',
      });
    }
  }
  return out;
});

export const runAsUser = pssRule('pss-run-as-user', 'runAsUser is not 0 (restricted)', (t) => {
  const out: Violation[] = [];
  const fix = 'set runAsUser to a non-zero uid (e.g. 10001) or remove it and rely on the image\'s non-root USER';
  if (podSc(t).runAsUser === 0) {
    out.push({ field: `${podScPath(t)}.runAsUser`, message: 'pod runs as root, got runAsUser 0', fix });
  }
  for (const c of containersOf(t)) {
    if (c.container.securityContext?.runAsUser === 0) {
      out.push({ field: `${c.path}.securityContext.runAsUser`, message: `${c.label} runs as root, got runAsUser 0`, fix });
    }
  }
  return out;
});

function volumesOf(t: PodTemplate): { volume: any; path: string }[] {
  const list: any[] = Array.isArray(t.spec?.volumes) ? t.spec.volumes : [];
  return list.map((volume, i) => ({ volume: volume ?? {}, path: `${t.specPath}.volumes[${i}]` }));
}

/** All PSS rules, baseline controls first, in the order of the PSS page. */
export const PSS_RULES: readonly Rule[] = [
  hostProcess, hostNamespaces, privileged, capabilities, hostPathVolumes, hostPorts, hostProbes, appArmor, seLinux,
  procMount, seccomp, sysctls, volumeTypes, privilegeEscalation, runAsNonRoot, runAsUser,
];
