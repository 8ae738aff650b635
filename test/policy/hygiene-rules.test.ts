import { HYGIENE_RULES, imagePinOf, ObjectRef, preStopSleepSeconds } from '../../lib/policy';
import {
  Bundle, bundle, CONTAINER, containerOf, cronJob, describeRuleCases, DIGEST, findings, hpa, POD, podOf, rolloutRef, RuleCase, WEB,
} from './fixtures';

const PDB: ObjectRef = { kind: 'PodDisruptionBudget', namespace: 'shop', name: 'web' };
const CRON: ObjectRef = { kind: 'CronJob', namespace: 'shop', name: 'report' };

const sc = (b: Bundle) => containerOf(b).securityContext;
const asCronJob = (b: Bundle) => { b.workload = cronJob(); };
const initContainer = (b: Bundle, extra: any = {}) => {
  podOf(b).initContainers = [{ ...containerOf(b), name: 'migrate', readinessProbe: undefined, livenessProbe: undefined, ...extra }];
};

const CASES: { readonly [rule: string]: readonly RuleCase[] } = {
  'hygiene-resources': [
    { name: 'flags a container without a cpu request', mutate: (b) => { delete containerOf(b).resources.requests.cpu; }, fields: [`${CONTAINER}.resources.requests.cpu`] },
    { name: 'flags a container without any resources', mutate: (b) => { delete containerOf(b).resources; }, fields: [`${CONTAINER}.resources.limits.memory`, `${CONTAINER}.resources.requests.cpu`, `${CONTAINER}.resources.requests.memory`] },
    { name: 'flags an init container without a memory limit', mutate: (b) => initContainer(b, { resources: { requests: { cpu: '10m', memory: '16Mi' } } }), fields: [`${POD}.initContainers[0].resources.limits.memory`] },
    { name: 'accepts a cpu limit and ephemeral containers without resources', mutate: (b) => { containerOf(b).resources.limits.cpu = '1'; podOf(b).ephemeralContainers = [{ name: 'debug', image: 'busybox:1.36' }]; }, fields: [] },
  ],
  'hygiene-probes': [
    { name: 'flags a Deployment container without a readiness probe', mutate: (b) => { delete containerOf(b).readinessProbe; }, fields: [`${CONTAINER}.readinessProbe`] },
    { name: 'flags a StatefulSet container without probes', mutate: (b) => { b.workload.kind = 'StatefulSet'; delete containerOf(b).readinessProbe; delete containerOf(b).livenessProbe; }, fields: [`${CONTAINER}.livenessProbe`, `${CONTAINER}.readinessProbe`], object: { ...WEB, kind: 'StatefulSet' } },
    { name: 'flags a DaemonSet container without a liveness probe', mutate: (b) => { b.workload.kind = 'DaemonSet'; delete b.workload.spec.replicas; delete containerOf(b).livenessProbe; }, fields: [`${CONTAINER}.livenessProbe`], object: { ...WEB, kind: 'DaemonSet' } },
    { name: 'does not ask probes of a CronJob', mutate: asCronJob, fields: [] },
    { name: 'does not ask probes of init containers', mutate: (b) => initContainer(b), fields: [] },
  ],
  'hygiene-read-only-root-filesystem': [
    { name: 'flags a container with a writable root filesystem', mutate: (b) => { sc(b).readOnlyRootFilesystem = false; }, fields: [`${CONTAINER}.securityContext.readOnlyRootFilesystem`] },
    { name: 'flags a container that leaves readOnlyRootFilesystem unset', mutate: (b) => { delete sc(b).readOnlyRootFilesystem; }, fields: [`${CONTAINER}.securityContext.readOnlyRootFilesystem`] },
    { name: 'accepts read-only root filesystems on every container', mutate: (b) => initContainer(b), fields: [] },
  ],
  'hygiene-image-pinned': [
    { name: 'flags an image tagged latest', mutate: (b) => { containerOf(b).image = 'ghcr.io/acme/web:latest'; }, fields: [`${CONTAINER}.image`] },
    { name: 'flags an untagged image', mutate: (b) => { containerOf(b).image = 'ghcr.io/acme/web'; }, fields: [`${CONTAINER}.image`] },
    { name: 'flags an untagged image on a registry with a port', mutate: (b) => { containerOf(b).image = 'registry.local:5000/web'; }, fields: [`${CONTAINER}.image`] },
    { name: 'flags a malformed digest', mutate: (b) => { containerOf(b).image = 'ghcr.io/acme/web@sha256:abc'; }, fields: [`${CONTAINER}.image`] },
    { name: 'accepts a digest, and a tag on a registry with a port', mutate: (b) => { containerOf(b).image = `ghcr.io/acme/web@${DIGEST}`; initContainer(b, { image: 'registry.local:5000/migrate:2.0.1' }); }, fields: [] },
  ],
  'hygiene-image-pull-policy': [
    { name: 'flags Always on a pinned image as wasteful', mutate: (b) => { containerOf(b).imagePullPolicy = 'Always'; }, fields: [`${CONTAINER}.imagePullPolicy`] },
    { name: 'flags Always on a digest-pinned image', mutate: (b) => { containerOf(b).image = `ghcr.io/acme/web@${DIGEST}`; containerOf(b).imagePullPolicy = 'Always'; }, fields: [`${CONTAINER}.imagePullPolicy`] },
    { name: 'flags Never', mutate: (b) => { containerOf(b).imagePullPolicy = 'Never'; }, fields: [`${CONTAINER}.imagePullPolicy`] },
    { name: 'accepts IfNotPresent on a pinned image', mutate: (b) => { containerOf(b).imagePullPolicy = 'IfNotPresent'; }, fields: [] },
  ],
  'hygiene-automount-service-account-token': [
    { name: 'flags a pod that leaves the token mount at its default', mutate: (b) => { delete podOf(b).automountServiceAccountToken; }, fields: [`${POD}.automountServiceAccountToken`] },
    { name: 'flags a pod that mounts the token', mutate: (b) => { podOf(b).automountServiceAccountToken = true; }, fields: [`${POD}.automountServiceAccountToken`] },
    { name: 'accepts automountServiceAccountToken false on a CronJob', mutate: asCronJob, fields: [] },
  ],
  'hygiene-service-account': [
    { name: 'flags a pod without a service account', mutate: (b) => { delete podOf(b).serviceAccountName; }, fields: [`${POD}.serviceAccountName`] },
    { name: 'flags the default service account', mutate: (b) => { podOf(b).serviceAccountName = 'default'; }, fields: [`${POD}.serviceAccountName`] },
    { name: 'accepts a dedicated service account', mutate: (b) => { podOf(b).serviceAccountName = 'web-reader'; }, fields: [] },
  ],
  'hygiene-recommended-labels': [
    { name: 'flags a workload without a version label', mutate: (b) => { delete b.workload.metadata.labels['app.kubernetes.io/version']; }, fields: ['metadata.labels'] },
    { name: 'flags a pod template without component and part-of labels', mutate: (b) => { delete b.workload.spec.template.metadata.labels['app.kubernetes.io/component']; b.workload.spec.template.metadata.labels['app.kubernetes.io/part-of'] = ''; }, fields: ['spec.template.metadata.labels'] },
    { name: 'flags a CronJob pod template without labels', mutate: (b) => { asCronJob(b); delete b.workload.spec.jobTemplate.spec.template.metadata.labels; }, fields: ['spec.jobTemplate.spec.template.metadata.labels'], object: CRON },
    { name: 'accepts extra labels next to the recommended ones', mutate: (b) => { b.workload.metadata.labels.team = 'web'; }, fields: [] },
  ],
  'hygiene-stable-selectors': [
    { name: 'flags a workload selector on the hashed cdk8s address label', mutate: (b) => { b.workload.spec.selector.matchLabels['cdk8s.io/metadata.addr'] = 'dev-web-c8a1b2c3'; }, fields: ['spec.selector.matchLabels["cdk8s.io/metadata.addr"]'] },
    { name: 'flags a Service selector on the hashed label', mutate: (b) => { b.service.spec.selector = { 'cdk8s.io/metadata.addr': 'dev-web-c8a1b2c3' }; }, fields: ['spec.selector["cdk8s.io/metadata.addr"]'], object: { kind: 'Service', namespace: 'shop', name: 'web' } },
    { name: 'flags a PodDisruptionBudget selector expression on the hashed label', mutate: (b) => { b.pdb.spec.selector.matchExpressions = [{ key: 'cdk8s.io/metadata.addr', operator: 'Exists' }]; }, fields: ['spec.selector.matchExpressions[0].key'], object: PDB },
    { name: 'flags a NetworkPolicy peer selected by the hashed label', mutate: (b) => { b.netpol.spec.ingress = [{ from: [{ podSelector: { matchLabels: { 'cdk8s.io/metadata.addr': 'x' } } }] }]; }, fields: ['spec.ingress[0].from[0].podSelector.matchLabels["cdk8s.io/metadata.addr"]'], object: { kind: 'NetworkPolicy', namespace: 'shop', name: 'default-deny' } },
    { name: 'accepts the hashed label on pods when no selector uses it', mutate: (b) => { b.workload.spec.template.metadata.labels['cdk8s.io/metadata.addr'] = 'dev-web-c8a1b2c3'; }, fields: [] },
  ],
  'hygiene-pdb-required': [
    { name: 'flags a replicated Deployment without a PodDisruptionBudget', mutate: (b) => { b.pdb = undefined; }, fields: ['spec.template.metadata.labels'] },
    { name: 'flags a budget that selects other pods', mutate: (b) => { b.pdb.spec.selector.matchLabels['app.kubernetes.io/name'] = 'api'; }, fields: ['spec.template.metadata.labels'] },
    { name: 'flags a budget in another namespace', mutate: (b) => { b.pdb.metadata.namespace = 'other'; }, fields: ['spec.template.metadata.labels'] },
    { name: 'flags a single-replica Deployment whose autoscaler keeps at least 2', mutate: (b) => { b.pdb = undefined; delete b.workload.spec.replicas; b.extra.push(hpa({ kind: 'Deployment', name: 'web' }, 2)); }, fields: ['spec.template.metadata.labels'] },
    { name: 'flags the Deployment behind a replicated Rollout (workloadRef)', mutate: (b) => { b.pdb = undefined; b.workload.spec.replicas = 0; b.extra.push(rolloutRef(3)); }, fields: ['spec.template.metadata.labels'] },
    { name: 'accepts a single replica without a budget', mutate: (b) => { b.pdb = undefined; b.workload.spec.replicas = 1; }, fields: [] },
    { name: 'accepts an autoscaler with the default minReplicas of 1', mutate: (b) => { b.pdb = undefined; delete b.workload.spec.replicas; b.extra.push(hpa({ kind: 'Deployment', name: 'web' }, undefined)); }, fields: [] },
    { name: 'does not ask a budget of a CronJob', mutate: (b) => { b.pdb = undefined; asCronJob(b); }, fields: [] },
  ],
  'hygiene-pdb-allows-disruption': [
    { name: 'flags maxUnavailable 0', mutate: (b) => { b.pdb.spec.maxUnavailable = 0; }, fields: ['spec.maxUnavailable'], object: PDB },
    { name: 'flags maxUnavailable 0%', mutate: (b) => { b.pdb.spec.maxUnavailable = '0%'; }, fields: ['spec.maxUnavailable'], object: PDB },
    { name: 'flags minAvailable 100%', mutate: (b) => { delete b.pdb.spec.maxUnavailable; b.pdb.spec.minAvailable = '100%'; }, fields: ['spec.minAvailable'], object: PDB },
    { name: 'flags minAvailable equal to the replica count', mutate: (b) => { delete b.pdb.spec.maxUnavailable; b.pdb.spec.minAvailable = 2; }, fields: ['spec.minAvailable'], object: PDB },
    { name: 'flags a minAvailable percentage that rounds up to every replica', mutate: (b) => { delete b.pdb.spec.maxUnavailable; b.pdb.spec.minAvailable = '60%'; }, fields: ['spec.minAvailable'], object: PDB },
    { name: 'flags minAvailable equal to the autoscaler floor', mutate: (b) => { delete b.pdb.spec.maxUnavailable; b.pdb.spec.minAvailable = 3; b.workload.spec.replicas = 6; b.extra.push(hpa({ kind: 'Deployment', name: 'web' }, 3)); }, fields: ['spec.minAvailable'], object: PDB },
    { name: 'accepts minAvailable below the replica count', mutate: (b) => { delete b.pdb.spec.maxUnavailable; b.pdb.spec.minAvailable = 1; }, fields: [] },
    { name: 'accepts percentages that leave a pod to evict', mutate: (b) => { b.pdb.spec.maxUnavailable = '25%'; b.extra.push({ ...b.pdb, metadata: { ...b.pdb.metadata, name: 'web-min' }, spec: { minAvailable: '50%', selector: b.pdb.spec.selector } }); }, fields: [] },
  ],
  'hygiene-topology-spread': [
    { name: 'flags a replicated Deployment without topology spread', mutate: (b) => { delete podOf(b).topologySpreadConstraints; }, fields: [`${POD}.topologySpreadConstraints`] },
    { name: 'flags an empty constraint list on an autoscaled Deployment', mutate: (b) => { podOf(b).topologySpreadConstraints = []; delete b.workload.spec.replicas; b.extra.push(hpa({ kind: 'Deployment', name: 'web' }, 3)); }, fields: [`${POD}.topologySpreadConstraints`] },
    { name: 'accepts a single replica without spread', mutate: (b) => { delete podOf(b).topologySpreadConstraints; b.workload.spec.replicas = 1; }, fields: [] },
  ],
  'hygiene-network-policy': [
    { name: 'flags a workload no NetworkPolicy selects', mutate: (b) => { b.netpol = undefined; }, fields: ['spec.template.metadata.labels'] },
    { name: 'flags a NetworkPolicy in another namespace', mutate: (b) => { b.netpol.metadata.namespace = 'other'; }, fields: ['spec.template.metadata.labels'] },
    { name: 'flags a NetworkPolicy that selects other pods', mutate: (b) => { b.netpol.spec.podSelector = { matchLabels: { 'app.kubernetes.io/name': 'api' } }; }, fields: ['spec.template.metadata.labels'] },
    { name: 'flags a CronJob no NetworkPolicy selects', mutate: (b) => { b.netpol = undefined; asCronJob(b); }, fields: ['spec.jobTemplate.spec.template.metadata.labels'], object: CRON },
    { name: 'accepts a NetworkPolicy that selects the pods by expression', mutate: (b) => { b.netpol.spec.podSelector = { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['web', 'api'] }] }; }, fields: [] },
    { name: 'accepts a NetworkPolicy that leaves podSelector out (all pods)', mutate: (b) => { delete b.netpol.spec.podSelector; }, fields: [] },
  ],
  'hygiene-pre-stop-sleep': [
    { name: 'flags a preStop sleep as long as the default grace period', mutate: (b) => { delete podOf(b).terminationGracePeriodSeconds; containerOf(b).lifecycle.preStop.sleep.seconds = 30; }, fields: [`${CONTAINER}.lifecycle.preStop.sleep.seconds`] },
    { name: 'flags an exec sleep longer than the grace period', mutate: (b) => { containerOf(b).lifecycle.preStop = { exec: { command: ['/bin/sh', '-c', 'sleep 40'] } }; }, fields: [`${CONTAINER}.lifecycle.preStop.exec.command`] },
    { name: 'accepts a long sleep under a longer grace period', mutate: (b) => { podOf(b).terminationGracePeriodSeconds = 60; containerOf(b).lifecycle.preStop.sleep.seconds = 45; }, fields: [] },
  ],
};

describe('production hygiene rules', () => {
  test('every hygiene rule has a violating and a compliant case', () => {
    expect(Object.keys(CASES).sort()).toEqual(HYGIENE_RULES.map((r) => r.id).sort());
    for (const [rule, cases] of Object.entries(CASES)) {
      expect({ rule, violating: cases.some((c) => c.fields.length > 0), compliant: cases.some((c) => c.fields.length === 0) })
        .toEqual({ rule, violating: true, compliant: true });
    }
  });

  describeRuleCases(CASES);

  test('a compliant CronJob passes every rule', () => {
    const b = bundle();
    b.workload = cronJob();
    expect(findings(b)).toEqual([]);
  });

  test('the PDB finding names the namespace, the replica count and the pod labels', () => {
    const b = bundle();
    b.pdb = undefined;
    b.workload.spec.replicas = 3;
    const [f] = findings(b, 'hygiene-pdb-required');
    expect(f.message).toContain('namespace "shop"');
    expect(f.message).toContain('3 replicas');
    expect(f.message).toContain('"app.kubernetes.io/name":"web"');
  });

  test('the minAvailable finding names the workload it blocks', () => {
    const b = bundle();
    delete b.pdb.spec.maxUnavailable;
    b.pdb.spec.minAvailable = 2;
    expect(findings(b, 'hygiene-pdb-allows-disruption').map((f) => f.message))
      .toEqual(['budget keeps all 2 pods of Deployment/web and blocks node drains, got minAvailable 2']);
  });
});

describe('imagePinOf', () => {
  test.each([
    ['nginx:1.27.0', 'tag'],
    ['ghcr.io/acme/web:1.4.2', 'tag'],
    [`nginx@${DIGEST}`, 'digest'],
    [`nginx:latest@${DIGEST}`, 'digest'],
    ['nginx:latest', 'latest'],
    ['nginx', 'untagged'],
    ['registry.local:5000/team/web', 'untagged'],
    ['nginx@sha256:ABC', 'bad-digest'],
    ['', 'untagged'],
  ])('classifies %s as %s', (image, pin) => {
    expect(imagePinOf(image)).toBe(pin);
  });
});

describe('preStopSleepSeconds', () => {
  test.each([
    [{ lifecycle: { preStop: { sleep: { seconds: 7 } } } }, 7],
    [{ lifecycle: { preStop: { exec: { command: ['sleep', '10'] } } } }, 10],
    [{ lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 12; nginx -s quit'] } } } }, 12],
    [{ lifecycle: { preStop: { exec: { command: ['/app/drain'] } } } }, undefined],
    [{}, undefined],
  ])('reads %j as %s', (container, seconds) => {
    expect(preStopSleepSeconds(container)).toBe(seconds);
  });
});
