import { DisruptionBudget, HardenedService, NetworkPeer, Probe } from '../../lib/workloads';
import { kinds, makeChart, only, podSpec, render } from '../helpers';

const image = 'ghcr.io/acme/api:1.2.3';

function minimal(props: Partial<ConstructorParameters<typeof HardenedService>[2]> = {}) {
  const chart = makeChart();
  const svc = new HardenedService(chart, 'api', { image, port: 8080, ...props });
  return { chart, svc, objects: render(chart) };
}

describe('HardenedService defaults', () => {
  test('renders ServiceAccount, Deployment, Service, NetworkPolicy and PodDisruptionBudget', () => {
    expect(kinds(minimal().objects)).toEqual(['Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
  });

  test('matches the snapshot with minimal props', () => {
    expect(minimal().objects).toMatchSnapshot();
  });

  test('defaults to 2 replicas', () => {
    expect(only(minimal().objects, 'Deployment').spec.replicas).toBe(2);
  });

  test('names every object after the construct id, without hash suffixes', () => {
    for (const o of minimal().objects) expect(o.metadata.name).toBe('api');
  });

  test('uses an explicit name over the construct id', () => {
    const chart = makeChart();
    new HardenedService(chart, 'Api', { image, port: 8080, name: 'orders-api' });
    for (const o of render(chart)) expect(o.metadata.name).toBe('orders-api');
  });

  test('selects pods by stable app.kubernetes.io labels, never the hashed cdk8s address', () => {
    const { objects } = minimal();
    const selector = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' };
    expect(only(objects, 'Deployment').spec.selector.matchLabels).toEqual(selector);
    expect(only(objects, 'Service').spec.selector).toEqual(selector);
    expect(only(objects, 'PodDisruptionBudget').spec.selector.matchLabels).toEqual(selector);
    expect(only(objects, 'NetworkPolicy').spec.podSelector.matchLabels).toEqual(selector);
    expect(JSON.stringify(objects)).not.toContain('cdk8s.io/metadata.addr');
  });

  test('keeps the same names and selectors when the construct moves in the tree', () => {
    const a = makeChart();
    new HardenedService(a, 'api', { image, port: 8080 });
    const b = makeChart();
    const { Construct } = require('constructs');
    new HardenedService(new Construct(b, 'Nested'), 'api', { image, port: 8080 });
    expect(render(b)).toEqual(render(a));
  });

  test('carries the six recommended labels on every object and the pod template', () => {
    const { objects } = minimal({ partOf: 'shop' });
    const expected = {
      'app.kubernetes.io/name': 'api',
      'app.kubernetes.io/instance': 'api',
      'app.kubernetes.io/version': '1.2.3',
      'app.kubernetes.io/component': 'server',
      'app.kubernetes.io/part-of': 'shop',
      'app.kubernetes.io/managed-by': 'cdk8s',
    };
    for (const o of objects) expect(o.metadata.labels).toEqual(expected);
    expect(only(objects, 'Deployment').spec.template.metadata.labels).toEqual(expected);
  });

  test('derives the version label from a digest when there is no tag', () => {
    const digest = 'sha256:' + 'ab'.repeat(32);
    const { objects } = minimal({ image: `ghcr.io/acme/api@${digest}` });
    expect(only(objects, 'Deployment').metadata.labels['app.kubernetes.io/version']).toBe('sha256-abababababab');
  });

  test('part-of defaults to the namespace', () => {
    expect(only(minimal().objects, 'Service').metadata.labels['app.kubernetes.io/part-of']).toBe('shop');
  });

  test('runs as a non-root user with a RuntimeDefault seccomp profile', () => {
    const spec = podSpec(only(minimal().objects, 'Deployment'));
    expect(spec.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001,
      fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('drops all capabilities, forbids privilege escalation and keeps the root filesystem read-only', () => {
    const c = podSpec(only(minimal().objects, 'Deployment')).containers[0];
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
  });

  test('mounts a size-limited writable emptyDir at /tmp', () => {
    const spec = podSpec(only(minimal().objects, 'Deployment'));
    expect(spec.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(spec.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
  });

  test('gets its own service account with no token mounted', () => {
    const { objects } = minimal();
    expect(only(objects, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    const spec = podSpec(only(objects, 'Deployment'));
    expect(spec.serviceAccountName).toBe('api');
    expect(spec.automountServiceAccountToken).toBe(false);
  });

  test('mounts the token only when asked', () => {
    const spec = podSpec(only(minimal({ automountServiceAccountToken: true }).objects, 'Deployment'));
    expect(spec.automountServiceAccountToken).toBe(true);
  });

  test('requests CPU and memory and limits memory only', () => {
    const c = podSpec(only(minimal().objects, 'Deployment')).containers[0];
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
  });

  test('adds a CPU limit when one is given', () => {
    const c = podSpec(only(minimal({ resources: { cpuLimit: '2' } }).objects, 'Deployment')).containers[0];
    expect(c.resources.limits).toEqual({ memory: '256Mi', cpu: '2' });
  });

  test('probes readiness and liveness over HTTP /healthz on the service port', () => {
    const c = podSpec(only(minimal().objects, 'Deployment')).containers[0];
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5, failureThreshold: 3 });
    expect(c.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10, failureThreshold: 3 });
    expect(c.startupProbe).toBeUndefined();
  });

  test('accepts TCP, exec and gRPC probes and a startup probe', () => {
    const c = podSpec(only(minimal({
      readiness: Probe.tcp(),
      liveness: Probe.exec(['/bin/check']),
      startup: Probe.grpc({ port: 9090, failureThreshold: 60 }),
    }).objects, 'Deployment')).containers[0];
    expect(c.readinessProbe.tcpSocket).toEqual({ port: 8080 });
    expect(c.livenessProbe.exec).toEqual({ command: ['/bin/check'] });
    expect(c.startupProbe).toMatchObject({ grpc: { port: 9090 }, failureThreshold: 60 });
  });

  test('drains for 5 seconds before SIGTERM with a grace period that fits', () => {
    const spec = podSpec(only(minimal().objects, 'Deployment'));
    expect(spec.containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(spec.terminationGracePeriodSeconds).toBe(30);
  });

  test('derives the grace period from a longer drain', () => {
    const spec = podSpec(only(minimal({ drainSeconds: 15 }).objects, 'Deployment'));
    expect(spec.terminationGracePeriodSeconds).toBe(40);
  });

  test('spreads softly over zones and hosts', () => {
    const spread = podSpec(only(minimal().objects, 'Deployment')).topologySpreadConstraints;
    expect(spread.map((s: any) => [s.topologyKey, s.whenUnsatisfiable, s.maxSkew])).toEqual([
      ['topology.kubernetes.io/zone', 'ScheduleAnyway', 1],
      ['kubernetes.io/hostname', 'ScheduleAnyway', 1],
    ]);
  });

  test('does not spread when spread is turned off', () => {
    expect(podSpec(only(minimal({ spread: false }).objects, 'Deployment')).topologySpreadConstraints).toBeUndefined();
  });

  test('pins images with IfNotPresent', () => {
    expect(podSpec(only(minimal().objects, 'Deployment')).containers[0].imagePullPolicy).toBe('IfNotPresent');
  });

  test('creates a disruption budget allowing one pod down when more than one replica runs', () => {
    const pdb = only(minimal().objects, 'PodDisruptionBudget');
    expect(pdb.spec).toMatchObject({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  test('creates no disruption budget for a single replica', () => {
    expect(kinds(minimal({ replicas: 1 }).objects)).not.toContain('PodDisruptionBudget');
  });

  test('accepts a minAvailable budget below the replica count', () => {
    const pdb = only(minimal({ replicas: 3, disruptionBudget: DisruptionBudget.minAvailable(2) }).objects, 'PodDisruptionBudget');
    expect(pdb.spec.minAvailable).toBe(2);
    expect(pdb.spec.maxUnavailable).toBeUndefined();
  });

  test('exposes the container port under the same number through a ClusterIP Service', () => {
    const svc = only(minimal().objects, 'Service');
    expect(svc.spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' },
      ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }],
    });
  });

  test('admits no ingress and only DNS egress by default', () => {
    const np = only(minimal().objects, 'NetworkPolicy');
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.spec.ingress).toEqual([]);
    expect(np.spec.egress).toHaveLength(1);
    expect(np.spec.egress[0].ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
  });

  test('admits declared peers on the service port only', () => {
    const np = only(minimal({ ingress: [NetworkPeer.namespace('ingress-nginx')] }).objects, 'NetworkPolicy');
    expect(np.spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    }]);
  });

  test('connectTo opens egress on the caller and ingress on the callee', () => {
    const chart = makeChart();
    const web = new HardenedService(chart, 'web', { image, port: 8080 });
    const api = new HardenedService(chart, 'api', { image, port: 9000 });
    web.connectTo(api);
    const policies = render(chart).filter((o) => o.kind === 'NetworkPolicy');
    const webNp = policies.find((p) => p.metadata.name === 'web');
    const apiNp = policies.find((p) => p.metadata.name === 'api');
    expect(webNp.spec.egress[1]).toEqual({
      to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } } }],
      ports: [{ protocol: 'TCP', port: 9000 }],
    });
    expect(apiNp.spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } } }]);
  });

  test('selects peers in other namespaces by namespace name', () => {
    const np = only(minimal({ ingress: [NetworkPeer.pods({ app: 'probe' }, 'monitoring')] }).objects, 'NetworkPolicy');
    expect(np.spec.ingress[0].from[0]).toEqual({
      podSelector: { matchLabels: { app: 'probe' } },
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
    });
  });

  test('autoscaling drops fixed replicas and adds an HPA on CPU', () => {
    const { objects } = minimal({ autoscaling: { minReplicas: 3, maxReplicas: 10 } });
    expect(only(objects, 'Deployment').spec.replicas).toBeUndefined();
    expect(only(objects, 'HorizontalPodAutoscaler').spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      minReplicas: 3,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    expect(kinds(objects)).toContain('PodDisruptionBudget');
  });

  test('retargetScaling points the HPA at another object', () => {
    const { chart, svc } = minimal({ autoscaling: { maxReplicas: 4 } });
    svc.retargetScaling({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'api' });
    expect(only(render(chart), 'HorizontalPodAutoscaler').spec.scaleTargetRef.kind).toBe('Rollout');
  });

  test('takes node placement and priority from props', () => {
    const spec = podSpec(only(minimal({
      nodeSelector: { pool: 'general' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'shop', effect: 'NoSchedule' }],
      priorityClassName: 'business-critical',
    }).objects, 'Deployment'));
    expect(spec.nodeSelector).toEqual({ pool: 'general' });
    expect(spec.tolerations).toHaveLength(1);
    expect(spec.priorityClassName).toBe('business-critical');
  });

  test('renders env vars in order, including ones added later and from secrets', () => {
    const { chart, svc } = minimal({ env: { A: '1' }, secretEnv: { DB: { secret: 'db', key: 'url' } } });
    svc.addEnv('B', '2');
    const env = podSpec(only(render(chart), 'Deployment')).containers[0].env;
    expect(env).toEqual([
      { name: 'A', value: '1' },
      { name: 'DB', valueFrom: { secretKeyRef: { name: 'db', key: 'url' } } },
      { name: 'B', value: '2' },
    ]);
  });

  test('keeps NET_BIND_SERVICE only when asked', () => {
    const c = podSpec(only(minimal({ security: { netBindService: true } }).objects, 'Deployment')).containers[0];
    expect(c.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
  });

  test('makes the root filesystem writable only with a reason', () => {
    const c = podSpec(only(minimal({ security: { writableRootFilesystem: { reason: 'legacy app writes to /var/cache' } } }).objects, 'Deployment')).containers[0];
    expect(c.securityContext.readOnlyRootFilesystem).toBe(false);
  });
});

describe('HardenedService errors', () => {
  const expectError = (props: Partial<ConstructorParameters<typeof HardenedService>[2]>, ...parts: (string | RegExp)[]) => {
    let message = '';
    try {
      minimal(props);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toBe('');
    expect(message.startsWith('test/api: ')).toBe(true);
    for (const p of parts) expect(message).toMatch(p);
  };

  test('throws if the name is not a DNS-1123 label', () => {
    expectError({ name: 'Orders_API' }, 'name must be a DNS-1123 label', '"Orders_API"', "'orders-api'");
  });

  test('throws if the image has no tag', () => {
    expectError({ image: 'ghcr.io/acme/api' }, 'image must be pinned', '"ghcr.io/acme/api"', 'ghcr.io/acme/api:1.2.3');
  });

  test('throws if the image uses latest', () => {
    expectError({ image: 'nginx:latest' }, "image must not use the mutable 'latest' tag", '"nginx:latest"');
  });

  test('throws if the image reference is malformed', () => {
    expectError({ image: 'Not An Image' }, 'image is not a valid image reference');
  });

  test('throws if the port is outside 1-65535', () => {
    expectError({ port: 70000 }, 'port must be an integer port between 1 and 65535', '70000');
    expectError({ port: 0 }, 'port must be an integer port between 1 and 65535', 'got 0');
  });

  test('throws if an extra port duplicates the service port', () => {
    expectError({ extraPorts: [{ name: 'metrics', port: 8080 }] }, "extraPorts[0].port duplicates port 8080 of 'http'");
  });

  test('throws if replicas are negative', () => {
    expectError({ replicas: -1 }, 'replicas must be an integer between 0 and 2147483647', 'got -1');
  });

  test('throws if fixed replicas are set together with autoscaling', () => {
    expectError({ replicas: 3, autoscaling: { maxReplicas: 5 } }, 'replicas is fixed while autoscaling is set', 'remove replicas');
  });

  test('throws if autoscaling maxReplicas is below minReplicas', () => {
    expectError({ autoscaling: { minReplicas: 4, maxReplicas: 2 } }, 'autoscaling.maxReplicas must be an integer of at least minReplicas (4)', 'got 2');
  });

  test('throws if the memory limit is below the request', () => {
    expectError({ resources: { memoryRequest: '1Gi', memoryLimit: '512Mi' } }, 'resources.memoryLimit is below the memory request 1Gi', '"512Mi"');
  });

  test('throws if the CPU request is above the CPU limit', () => {
    expectError({ resources: { cpuRequest: '2', cpuLimit: '500m' } }, 'resources.cpuRequest is above the CPU limit 500m', '"2"');
  });

  test('throws if a resource quantity is malformed', () => {
    expectError({ resources: { memoryRequest: '128MB' } }, 'resources.memoryRequest must be a non-negative Kubernetes quantity', '"128MB"', "'256Mi'");
    expectError({ resources: { cpuRequest: 'lots' } }, 'resources.cpuRequest must be a non-negative Kubernetes quantity', '"lots"');
  });

  test('throws if the disruption budget allows no disruption', () => {
    expectError({ disruptionBudget: DisruptionBudget.maxUnavailable(0) }, 'disruptionBudget.maxUnavailable allows no disruption with 2 replicas');
    expectError({ disruptionBudget: DisruptionBudget.minAvailable(2) }, 'disruptionBudget.minAvailable allows no disruption with 2 replicas', 'below 2');
    expectError({ disruptionBudget: DisruptionBudget.minAvailable('100%') }, 'disruptionBudget.minAvailable allows no disruption');
  });

  test('throws if a probe path does not start with a slash', () => {
    expectError({ readiness: Probe.http('healthz') }, "readiness.path must start with '/'", '"healthz"', "'/healthz'");
  });

  test('throws if the grace period does not exceed the drain', () => {
    expectError({ drainSeconds: 10, terminationGracePeriodSeconds: 10 }, 'terminationGracePeriodSeconds must exceed drainSeconds (10)');
  });

  test('throws if the user id is root', () => {
    expectError({ security: { runAsUser: 0 } }, 'security.runAsUser must be a positive, non-root id', 'got 0');
  });

  test('throws if a writable root filesystem has no reason', () => {
    expectError({ security: { writableRootFilesystem: { reason: ' ' } } }, 'security.writableRootFilesystem.reason must explain the relaxation');
  });

  test('throws if a digest-pinned image is pulled Always', () => {
    expectError({ image: `ghcr.io/acme/api@sha256:${'a'.repeat(64)}`, imagePullPolicy: 'Always' }, 'imagePullPolicy pulls on every start');
  });

  test('throws if no namespace encloses the workload', () => {
    const { App, Chart } = require('cdk8s');
    const chart = new Chart(new App(), 'test');
    expect(() => new HardenedService(chart, 'api', { image, port: 8080 })).toThrow(/test\/api: namespace is required.*PlatformNamespace/);
  });
});

describe('HardenedService relaxations under policy', () => {
  const { Environments, GitOpsApp } = require('../../lib/gitops');
  const { PlatformNamespace } = require('../../lib/platform');
  const { evaluate } = require('../../lib/policy');

  function appWith(props: Partial<ConstructorParameters<typeof HardenedService>[2]>) {
    const app = new GitOpsApp({ environments: Environments.define({ dev: { clusters: [{ name: 'dev', server: 'https://k.example' }] } }) });
    app.forEachTarget((scope: any) => new HardenedService(new PlatformNamespace(scope, 'shop'), 'api', { image, port: 8080, ...props }));
    return app;
  }

  test('passes policy with no options set', () => {
    expect(() => appWith({}).render()).not.toThrow();
  });

  test('a writable root filesystem passes policy only through its recorded reason', () => {
    const findings = evaluate(appWith({ security: { writableRootFilesystem: { reason: 'legacy app writes /var/cache' } } }).render(), { includeExempted: true });
    expect(findings).toHaveLength(1);
    expect(findings[0].rule).toBe('hygiene-read-only-root-filesystem');
    expect(findings[0].exemption.reason).toBe('legacy app writes /var/cache');
  });

  test('an escape-hatch patch that breaks hardening fails synth with the construct path', () => {
    const { JsonPatch } = require('cdk8s');
    const app = appWith({});
    const svc = app.node.findAll().find((c: any) => c instanceof HardenedService) as HardenedService;
    svc.deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation', true));
    expect(() => app.render()).toThrow(/pss-privilege-escalation[\s\S]*dev\/shop\/api\/Deployment/);
  });
});
