import { PSS_RULES } from '../../lib/policy';
import { Bundle, bundle, CONTAINER, containerOf, describeRuleCases, findings, POD, podOf, RuleCase } from './fixtures';

const sc = (b: Bundle) => containerOf(b).securityContext;
const podSc = (b: Bundle) => podOf(b).securityContext;
const windows = (b: Bundle) => { podOf(b).os = { name: 'windows' }; };

const CASES: { readonly [rule: string]: readonly RuleCase[] } = {
  'pss-host-process': [
    { name: 'flags a pod that runs as a Windows HostProcess pod', mutate: (b) => { podSc(b).windowsOptions = { hostProcess: true }; }, fields: [`${POD}.securityContext.windowsOptions.hostProcess`] },
    { name: 'flags a container that runs as a HostProcess container', mutate: (b) => { sc(b).windowsOptions = { hostProcess: true }; }, fields: [`${CONTAINER}.securityContext.windowsOptions.hostProcess`] },
    { name: 'accepts hostProcess false', mutate: (b) => { sc(b).windowsOptions = { hostProcess: false }; podSc(b).windowsOptions = { hostProcess: false }; }, fields: [] },
  ],
  'pss-host-namespaces': [
    { name: 'flags a pod on the host network', mutate: (b) => { podOf(b).hostNetwork = true; }, fields: [`${POD}.hostNetwork`] },
    { name: 'flags a pod sharing the host PID and IPC namespaces', mutate: (b) => { podOf(b).hostPID = true; podOf(b).hostIPC = true; }, fields: [`${POD}.hostIPC`, `${POD}.hostPID`] },
    { name: 'accepts host namespaces set to false', mutate: (b) => { Object.assign(podOf(b), { hostNetwork: false, hostPID: false, hostIPC: false }); }, fields: [] },
  ],
  'pss-privileged': [
    { name: 'flags a privileged container', mutate: (b) => { sc(b).privileged = true; }, fields: [`${CONTAINER}.securityContext.privileged`] },
    { name: 'flags a privileged init container', mutate: (b) => { podOf(b).initContainers = [{ name: 'init', image: 'busybox:1.36', securityContext: { privileged: true } }]; }, fields: [`${POD}.initContainers[0].securityContext.privileged`] },
    { name: 'accepts privileged false', mutate: (b) => { sc(b).privileged = false; }, fields: [] },
  ],
  'pss-capabilities': [
    { name: 'flags a container that adds NET_ADMIN', mutate: (b) => { sc(b).capabilities.add = ['NET_BIND_SERVICE', 'NET_ADMIN']; }, fields: [`${CONTAINER}.securityContext.capabilities.add[1]`] },
    { name: 'flags a container that does not drop capabilities', mutate: (b) => { delete sc(b).capabilities; }, fields: [`${CONTAINER}.securityContext.capabilities.drop`] },
    { name: 'flags a container that drops some capabilities but not ALL', mutate: (b) => { sc(b).capabilities.drop = ['NET_RAW']; }, fields: [`${CONTAINER}.securityContext.capabilities.drop`] },
    { name: 'flags a Windows pod that adds a capability outside the default set', mutate: (b) => { windows(b); sc(b).capabilities = { add: ['SYS_ADMIN'] }; }, fields: [`${CONTAINER}.securityContext.capabilities.add[0]`] },
    { name: 'accepts adding NET_BIND_SERVICE after dropping ALL', mutate: (b) => { sc(b).capabilities.add = ['NET_BIND_SERVICE']; }, fields: [] },
    { name: 'accepts a Windows pod that adds a default capability and drops nothing', mutate: (b) => { windows(b); sc(b).capabilities = { add: ['CHOWN'] }; }, fields: [] },
  ],
  'pss-host-path-volumes': [
    { name: 'flags a hostPath volume', mutate: (b) => { podOf(b).volumes.push({ name: 'logs', hostPath: { path: '/var/log' } }); }, fields: [`${POD}.volumes[1].hostPath`] },
    { name: 'accepts emptyDir, configMap and secret volumes', mutate: (b) => { podOf(b).volumes.push({ name: 'c', configMap: { name: 'c' } }, { name: 's', secret: { secretName: 's' } }); }, fields: [] },
  ],
  'pss-host-ports': [
    { name: 'flags a container port bound on the node', mutate: (b) => { containerOf(b).ports[0].hostPort = 8080; }, fields: [`${CONTAINER}.ports[0].hostPort`] },
    { name: 'accepts hostPort 0', mutate: (b) => { containerOf(b).ports[0].hostPort = 0; }, fields: [] },
  ],
  'pss-host-probes': [
    { name: 'flags a readiness probe sent to another host', mutate: (b) => { containerOf(b).readinessProbe.httpGet.host = '169.254.169.254'; }, fields: [`${CONTAINER}.readinessProbe.httpGet.host`] },
    { name: 'flags a preStop hook that opens a socket to another host', mutate: (b) => { containerOf(b).lifecycle.preStop = { tcpSocket: { host: 'db.internal', port: 5432 } }; }, fields: [`${CONTAINER}.lifecycle.preStop.tcpSocket.host`] },
    { name: 'accepts an empty probe host', mutate: (b) => { containerOf(b).livenessProbe.httpGet.host = ''; }, fields: [] },
  ],
  'pss-apparmor': [
    { name: 'flags a pod with an Unconfined AppArmor profile', mutate: (b) => { podSc(b).appArmorProfile = { type: 'Unconfined' }; }, fields: [`${POD}.securityContext.appArmorProfile.type`] },
    { name: 'flags a container with an Unconfined AppArmor profile', mutate: (b) => { sc(b).appArmorProfile = { type: 'Unconfined' }; }, fields: [`${CONTAINER}.securityContext.appArmorProfile.type`] },
    { name: 'flags an unconfined AppArmor annotation', mutate: (b) => { b.workload.spec.template.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/web': 'unconfined' }; }, fields: ['spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/web"]'] },
    {
      name: 'accepts RuntimeDefault and Localhost profiles and annotations',
      mutate: (b) => {
        podSc(b).appArmorProfile = { type: 'RuntimeDefault' };
        sc(b).appArmorProfile = { type: 'Localhost', localhostProfile: 'k8s-web' };
        b.workload.spec.template.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/web': 'localhost/k8s-web', 'container.apparmor.security.beta.kubernetes.io/side': 'runtime/default' };
      },
      fields: [],
    },
  ],
  'pss-selinux': [
    { name: 'flags a container with the spc_t SELinux type', mutate: (b) => { sc(b).seLinuxOptions = { type: 'spc_t' }; }, fields: [`${CONTAINER}.securityContext.seLinuxOptions.type`] },
    { name: 'flags a pod that sets an SELinux user and role', mutate: (b) => { podSc(b).seLinuxOptions = { user: 'system_u', role: 'system_r' }; }, fields: [`${POD}.securityContext.seLinuxOptions.role`, `${POD}.securityContext.seLinuxOptions.user`] },
    { name: 'accepts container_t with a level', mutate: (b) => { sc(b).seLinuxOptions = { type: 'container_t', level: 's0:c123,c456' }; podSc(b).seLinuxOptions = { type: 'container_engine_t' }; }, fields: [] },
  ],
  'pss-proc-mount': [
    { name: 'flags an unmasked /proc', mutate: (b) => { sc(b).procMount = 'Unmasked'; }, fields: [`${CONTAINER}.securityContext.procMount`] },
    { name: 'accepts procMount Default', mutate: (b) => { sc(b).procMount = 'Default'; }, fields: [] },
  ],
  'pss-seccomp': [
    { name: 'flags a container with no seccomp profile when the pod sets none', mutate: (b) => { delete podSc(b).seccompProfile; }, fields: [`${CONTAINER}.securityContext.seccompProfile`] },
    { name: 'flags an Unconfined pod profile and the container that inherits it', mutate: (b) => { podSc(b).seccompProfile = { type: 'Unconfined' }; }, fields: [`${CONTAINER}.securityContext.seccompProfile`, `${POD}.securityContext.seccompProfile.type`] },
    { name: 'flags a container that overrides the pod profile with Unconfined', mutate: (b) => { sc(b).seccompProfile = { type: 'Unconfined' }; }, fields: [`${CONTAINER}.securityContext.seccompProfile.type`] },
    { name: 'flags Unconfined on a Windows pod (baseline)', mutate: (b) => { windows(b); podSc(b).seccompProfile = { type: 'Unconfined' }; }, fields: [`${POD}.securityContext.seccompProfile.type`] },
    { name: 'accepts every container setting Localhost when the pod sets nothing', mutate: (b) => { delete podSc(b).seccompProfile; sc(b).seccompProfile = { type: 'Localhost', localhostProfile: 'web.json' }; }, fields: [] },
    { name: 'accepts a Windows pod without a seccomp profile', mutate: (b) => { windows(b); delete podSc(b).seccompProfile; }, fields: [] },
  ],
  'pss-sysctls': [
    { name: 'flags an unsafe sysctl', mutate: (b) => { podSc(b).sysctls = [{ name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'net.core.somaxconn', value: '1024' }]; }, fields: [`${POD}.securityContext.sysctls[1].name`] },
    { name: 'accepts safe sysctls', mutate: (b) => { podSc(b).sysctls = [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }, { name: 'net.ipv4.tcp_keepalive_time', value: '60' }]; }, fields: [] },
  ],
  'pss-volume-types': [
    { name: 'flags an nfs volume', mutate: (b) => { podOf(b).volumes.push({ name: 'share', nfs: { server: 'nfs', path: '/' } }); }, fields: [`${POD}.volumes[1].nfs`] },
    { name: 'flags a hostPath volume', mutate: (b) => { podOf(b).volumes.push({ name: 'logs', hostPath: { path: '/var/log' } }); }, fields: [`${POD}.volumes[1].hostPath`] },
    {
      name: 'accepts every core volume type, image volumes included',
      mutate: (b) => {
        podOf(b).volumes.push(
          { name: 'a', configMap: { name: 'a' } }, { name: 'b', csi: { driver: 'x' } }, { name: 'c', downwardAPI: {} },
          { name: 'd', ephemeral: {} }, { name: 'e', image: { reference: 'ghcr.io/acme/data:1' } },
          { name: 'f', persistentVolumeClaim: { claimName: 'f' } }, { name: 'g', projected: { sources: [] } },
          { name: 'h', secret: { secretName: 'h' } });
      },
      fields: [],
    },
  ],
  'pss-privilege-escalation': [
    { name: 'flags a container that leaves allowPrivilegeEscalation unset', mutate: (b) => { delete sc(b).allowPrivilegeEscalation; }, fields: [`${CONTAINER}.securityContext.allowPrivilegeEscalation`] },
    { name: 'flags an ephemeral container that allows privilege escalation', mutate: (b) => { podOf(b).ephemeralContainers = [{ name: 'debug', image: 'busybox:1.36', securityContext: { allowPrivilegeEscalation: true } }]; }, fields: [`${POD}.ephemeralContainers[0].securityContext.allowPrivilegeEscalation`] },
    { name: 'does not apply to Windows pods', mutate: (b) => { windows(b); delete sc(b).allowPrivilegeEscalation; }, fields: [] },
  ],
  'pss-run-as-non-root': [
    { name: 'flags a container when neither it nor the pod sets runAsNonRoot', mutate: (b) => { delete podSc(b).runAsNonRoot; }, fields: [`${CONTAINER}.securityContext.runAsNonRoot`] },
    { name: 'flags a container that sets runAsNonRoot false although the pod sets true', mutate: (b) => { sc(b).runAsNonRoot = false; }, fields: [`${CONTAINER}.securityContext.runAsNonRoot`] },
    { name: 'flags a pod that sets runAsNonRoot false, and its containers', mutate: (b) => { podSc(b).runAsNonRoot = false; }, fields: [`${CONTAINER}.securityContext.runAsNonRoot`, `${POD}.securityContext.runAsNonRoot`] },
    { name: 'flags the one container that does not set it when the pod does not', mutate: (b) => { delete podSc(b).runAsNonRoot; sc(b).runAsNonRoot = true; podOf(b).initContainers = [{ name: 'init', image: 'busybox:1.36' }]; }, fields: [`${POD}.initContainers[0].securityContext.runAsNonRoot`] },
    { name: 'accepts every container setting runAsNonRoot true when the pod does not', mutate: (b) => { delete podSc(b).runAsNonRoot; sc(b).runAsNonRoot = true; }, fields: [] },
  ],
  'pss-run-as-user': [
    { name: 'flags a pod that runs as uid 0', mutate: (b) => { podSc(b).runAsUser = 0; }, fields: [`${POD}.securityContext.runAsUser`] },
    { name: 'flags a container that runs as uid 0', mutate: (b) => { sc(b).runAsUser = 0; }, fields: [`${CONTAINER}.securityContext.runAsUser`] },
    { name: 'accepts an unset runAsUser', mutate: (b) => { delete podSc(b).runAsUser; }, fields: [] },
  ],
};

describe('Pod Security Standards restricted rules', () => {
  test('the compliant fixture passes every rule', () => {
    expect(findings(bundle())).toEqual([]);
  });

  test('every PSS rule has a violating and a compliant case', () => {
    for (const rule of PSS_RULES) {
      const cases = CASES[rule.id] ?? [];
      expect({ rule: rule.id, violating: cases.some((c) => c.fields.length > 0) }).toEqual({ rule: rule.id, violating: true });
      expect({ rule: rule.id, compliant: cases.some((c) => c.fields.length === 0) }).toEqual({ rule: rule.id, compliant: true });
    }
    expect(Object.keys(CASES).sort()).toEqual(PSS_RULES.map((r) => r.id).sort());
  });

  describeRuleCases(CASES);

  test('a finding says what is wrong with the value found and how to fix it', () => {
    const b = bundle();
    containerOf(b).securityContext.capabilities.add = ['NET_ADMIN'];
    expect(findings(b, 'pss-capabilities')).toEqual([{
      rule: 'pss-capabilities',
      object: { kind: 'Deployment', namespace: 'shop', name: 'web' },
      folder: 'dev',
      field: `${CONTAINER}.securityContext.capabilities.add[0]`,
      message: 'container "web" adds a capability other than NET_BIND_SERVICE, got "NET_ADMIN"',
      fix: 'remove it; restricted allows adding only NET_BIND_SERVICE',
    }]);
  });
});
