import { ApiObject } from 'cdk8s';
import { Delivery } from '../../lib/delivery';
import { Metrics, ServiceLevelObjective } from '../../lib/observability';
import { GitOpsApp, renderTree } from '../../lib/gitops';
import { evaluateManifests, formatAmount, namespaceFootprint, pluralOf, PolicyError } from '../../lib/policy';
import { Priority, PriorityClasses, Team, TENANCY_DEFAULTS } from '../../lib/tenancy';
import { TrafficRouting } from '../../lib/traffic';
import { HardenedCronJob, HardenedService } from '../../lib/workloads';
import { prng, tenancyApp } from './fixtures';

const groups = { admins: ['oidc:shop-admins'] };

/** The messages of the policy findings that stop `app` from rendering. */
function findingsOf(app: GitOpsApp<any>): string[] {
  try {
    app.render();
    return [];
  } catch (e) {
    if (!(e instanceof PolicyError)) throw e;
    return e.findings.map((f) => f.message);
  }
}
const image = 'ghcr.io/acme/x:1.0.0';
const slo = ServiceLevelObjective.of({ successRate: 0.99 });

describe('tenancy-quota-fits', () => {
  test('a quota smaller than the workloads need fails synth and says by how much', () => {
    const app = tenancyApp((scope) => {
      const ns = new Team(scope, 'shop', { groups, namespaces: ['shop'], quota: { requestsCpu: '4', pods: 40 } }).namespace('shop');
      // 12 (HPA max) + 3 (surge 25%) pods x 300m = 4.5 cores
      new HardenedService(ns, 'api', { image, port: 8080, autoscaling: { minReplicas: 2, maxReplicas: 12 }, resources: { cpuRequest: '300m' } });
    }, ['dev']);
    expect(() => app.render()).toThrow(/tenancy-quota-fits/);
    try {
      app.render();
    } catch (e: any) {
      const f = e.findings.find((x: any) => x.rule === 'tenancy-quota-fits');
      expect(f.field).toBe('spec.hard["requests.cpu"]');
      expect(f.message).toBe('requests.cpu needs 4.5 cores at the workloads\' maximum footprint, quota "4": short by 0.5 cores (Deployment/api: 12 (autoscaler max) + 3 (surge 25%) pods = 4.5 cores)');
      expect(f.fix).toBe('raise the quota by 0.5 cores (to at least 4.5 cores) or lower the replicas, autoscaler maximum or resources of Deployment/api');
      expect(e.findings.filter((x: any) => x.rule === 'tenancy-quota-fits')).toHaveLength(1); // 15 pods fit 40
    }
  });

  test('the footprint counts the autoscaler maximum, surge, canary, blue-green, Flagger, stateful sets and one cron run (generated sizes)', () => {
    const rand = prng(7);
    for (let i = 0; i < 12; i++) {
      const max = 2 + Math.floor(rand() * 20);
      const fixed = 1 + Math.floor(rand() * 6);
      const cpuMilli = 50 + Math.floor(rand() * 500);
      const app = tenancyApp((scope) => {
        const ns = new Team(scope, 'shop', { groups, namespaces: ['shop'], quota: { pods: 10000, requestsCpu: '10000' } }).namespace('shop');
        const resources = { cpuRequest: `${cpuMilli}m` };
        // the footprint is the subject here; gate alerts (which read the mesh) are tested in test/observability
        const noAlerts = Metrics.withoutSloAlerts('footprint test');
        new HardenedService(ns, 'rolling', { image, port: 8080, autoscaling: { minReplicas: 2, maxReplicas: max }, resources });
        new HardenedService(ns, 'canary', { image, port: 8080, use: [noAlerts], replicas: fixed, resources, delivery: Delivery.canary({ trafficRouting: TrafficRouting.istio(), slo }) });
        new HardenedService(ns, 'bg', { image, port: 8080, use: [noAlerts], replicas: fixed, resources, delivery: Delivery.blueGreen({ slo }) });
        new HardenedService(ns, 'flagged', { image, port: 8080, use: [noAlerts], autoscaling: { minReplicas: 2, maxReplicas: max }, resources, delivery: Delivery.flagger({ slo }) });
        new HardenedCronJob(ns, 'report', { image, schedule: '0 3 * * *', resources });
        new ApiObject(ns, 'sts', {
          apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop' },
          spec: { replicas: fixed, template: { spec: { containers: [{ name: 'db', resources: { requests: { cpu: '1' } } }] } }, volumeClaimTemplates: [{ spec: { resources: { requests: { storage: '10Gi' } } } }] },
        });
      }, ['dev']);
      // the raw StatefulSet is not hardened: render without the policy check
      const objects = renderTree(app, { exclude: [app.argoCd!, app.flux!] });
      const context = { folder: 'dev', objects: objects.filter((o) => o.folder === 'dev').map((o) => o.manifest) };
      const fp = namespaceFootprint(context, 'shop');
      const pods = Object.fromEntries(fp.workloads.map((w) => [w.ref, w.pods]));
      const surge = (n: number) => Math.ceil(n / 4);
      expect(pods).toEqual({
        'Deployment/rolling': max + surge(max),
        'Rollout/canary': 2 * fixed,
        'Rollout/bg': 2 * fixed,
        'Deployment/flagged': 2 * max + surge(max),
        'CronJob/report': 1,
        'StatefulSet/db': fixed,
      });
      const appPods = max + surge(max) + 4 * fixed + 2 * max + surge(max) + 1;
      expect(fp.totals.get('pods')).toBe(appPods + fixed);
      expect(fp.totals.get('requests.cpu')).toBeCloseTo((appPods * cpuMilli) / 1000 + fixed, 6);
      expect(fp.totals.get('requests.storage')).toBe(fixed * 10 * 2 ** 30);
      expect(fp.totals.get('persistentvolumeclaims')).toBe(fixed);
    }
  });

  test('containers without resources count with the LimitRange defaults; a cron job that may overlap is unbounded', () => {
    const manifests = [
      { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'd', namespace: 's' }, spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '250m' }, default: { memory: '1Gi' } }] } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 's' }, spec: { containers: [{ name: 'a' }] } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 's' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c' }] } } } } } },
      { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 's' }, spec: { hard: { 'requests.cpu': '1', 'limits.memory': '4Gi', configmaps: '0' } } },
    ];
    const fp = namespaceFootprint({ folder: '', objects: manifests }, 's');
    expect(fp.workloads.find((w) => w.ref === 'Pod/p')!.perPod['requests.cpu']).toBe(0.25);
    expect(fp.workloads.find((w) => w.ref === 'Pod/p')!.perPod['limits.memory']).toBe(2 ** 30);
    expect(fp.totals.get('requests.cpu')).toBeUndefined();
    const findings = evaluateManifests(manifests).filter((f) => f.rule === 'tenancy-quota-fits');
    expect(findings.map((f) => f.message)).toEqual([
      'configmaps needs 1 at the workloads\' maximum footprint, quota "0": short by 1',
      'limits.memory has no upper bound: CronJob/c (concurrencyPolicy Allow lets runs overlap without bound), quota 4Gi',
      'requests.cpu has no upper bound: CronJob/c (concurrencyPolicy Allow lets runs overlap without bound), quota 1',
    ]);
  });

  test('amounts read as people write them; plurals follow the API', () => {
    expect(formatAmount('requests.cpu', 4.2)).toBe('4.2 cores');
    expect(formatAmount('requests.cpu', 0.0004)).toBe('0.001 cores');
    expect(formatAmount('requests.memory', 1.5 * 2 ** 30)).toBe('1.5Gi');
    expect(formatAmount('limits.memory', 300 * 2 ** 20)).toBe('300Mi');
    expect(formatAmount('pods', 3)).toBe('3');
    expect(['Deployment', 'NetworkPolicy', 'Ingress', 'ConfigMap'].map(pluralOf)).toEqual(['deployments', 'networkpolicies', 'ingresses', 'configmaps']);
  });
});

describe('tenancy-rolebinding-subjects', () => {
  const binding = (subjects: any[], kind = 'RoleBinding') => ({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name: 'b', ...(kind === 'RoleBinding' ? { namespace: 'shop' } : {}) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects,
  });
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', annotations: { [TENANCY_DEFAULTS.groupsAnnotation]: 'oidc:a,oidc:b' } } };
  const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'shop' } };
  const messages = (b: any) => evaluateManifests([ns, sa, b]).filter((f) => f.rule === 'tenancy-rolebinding-subjects').map((f) => f.message);

  test('declared groups and rendered ServiceAccounts pass', () => {
    expect(messages(binding([{ kind: 'Group', name: 'oidc:a', apiGroup: 'rbac.authorization.k8s.io' }, { kind: 'ServiceAccount', name: 'api' }]))).toEqual([]);
    // add-ons in namespaces this folder does not manage keep their own accounts
    expect(messages(binding([{ kind: 'ServiceAccount', name: 'agent', namespace: 'kube-system' }]))).toEqual([]);
  });

  test('an undeclared group, a missing ServiceAccount or a user is a finding', () => {
    expect(messages(binding([{ kind: 'Group', name: 'oidc:c' }]))).toEqual(['binds group "oidc:c", which no team owning namespace "shop" declares, got declared ["oidc:a","oidc:b"]']);
    expect(messages(binding([{ kind: 'ServiceAccount', name: 'ghost' }]))).toEqual([expect.stringMatching(/^binds ServiceAccount shop\/ghost, which is not rendered/)]);
    expect(messages(binding([{ kind: 'User', name: 'alice' }]))).toEqual([expect.stringMatching(/^binds a User directly/)]);
    expect(messages(binding([{ kind: 'Group', name: 'system:authenticated' }], 'ClusterRoleBinding'))).toEqual([expect.stringMatching(/^binds group "system:authenticated", which no team declares/)]);
  });

  test('generated folders: a ServiceAccount subject is missing exactly when no ServiceAccount of that name lives in its managed namespace', () => {
    const rand = prng(919);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const names = ['api', 'db', 'job', 'web'];
    const spaces = ['shop', 'pay', 'elsewhere'];
    let missing = 0;
    const mismatches: unknown[] = [];
    for (let round = 0; round < 40; round++) {
      const objects: any[] = ['shop', 'pay'].map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } }));
      for (let i = 0; i < 12; i++) {
        // namesakes of other kinds must not count as the account
        objects.push({ apiVersion: 'v1', kind: pick(['ServiceAccount', 'ServiceAccount', 'ConfigMap']), metadata: { name: pick(names), namespace: pick(spaces) } });
      }
      const subjects = Array.from({ length: 6 }, () => ({ kind: 'ServiceAccount', name: pick(names), ...(rand() < 0.5 ? { namespace: pick(spaces) } : {}) }));
      const b = { ...binding(subjects), metadata: { name: 'b', namespace: pick(['shop', 'pay']) } };
      objects.push(b);
      const expected = subjects.flatMap((s, i) => {
        const saNs = s.namespace ?? b.metadata.namespace;
        const managed = saNs !== 'elsewhere';
        const rendered = objects.some((o) => o.kind === 'ServiceAccount' && o.metadata.namespace === saNs && o.metadata.name === s.name);
        return managed && !rendered ? [`subjects[${i}].name binds ServiceAccount ${saNs}/${s.name}`] : [];
      });
      missing += expected.length;
      const actual = evaluateManifests(objects).filter((f) => f.rule === 'tenancy-rolebinding-subjects').map((f) => `${f.field} ${f.message.split(', which')[0]}`);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) mismatches.push({ round, expected, actual });
    }
    expect(mismatches).toEqual([]);
    expect(missing).toBeGreaterThan(20);
  });
});

describe('PriorityClasses and tenancy-priority-class-declared', () => {
  test('renders critical, default (global default) and batch (never preempts) once per target', () => {
    const objects = tenancyApp((scope) => new PriorityClasses(scope, 'priority-classes')).render();
    const dev = objects.filter((o) => o.folder === 'dev').map((o) => o.manifest);
    expect(dev.map((m) => [m.metadata.name, m.value, m.preemptionPolicy, m.globalDefault])).toEqual([
      ['critical', 100000, 'PreemptLowerPriority', false],
      ['default', 1000, 'PreemptLowerPriority', true],
      ['batch', 100, 'Never', false],
    ]);
    expect(objects.filter((o) => o.manifest.kind === 'PriorityClass')).toHaveLength(9);
    expect(objects[0].file).toBe('_cluster/priority-classes.yaml');
  });

  test('a workload naming an undeclared class is an error; declared and system classes pass', () => {
    const build = (className: string, declare = true) => tenancyApp((scope) => {
      if (declare) new PriorityClasses(scope, 'priority-classes');
      const ns = new Team(scope, 'shop', { groups, namespaces: ['shop'] }).namespace('shop');
      new HardenedService(ns, 'api', { image, port: 8080, use: [Priority.of(className)] });
    }, ['dev']);
    expect(() => build('critical').render()).not.toThrow();
    // a system class is declared by Kubernetes itself, but a team may not take it (tenancy-no-system-priority)
    expect(() => build('system-cluster-critical', false).render()).toThrow(/tenancy-no-system-priority[\s\S]*takes system-cluster-critical/);
    expect(findingsOf(build('urgent'))).toEqual(['pod names PriorityClass "urgent", which the target does not declare, got declared ["batch","critical","default"]']);
    // the workloads' own priorityClassName prop is checked the same way
    expect(findingsOf(tenancyApp((scope) => {
      new HardenedService(new Team(scope, 'shop', { groups, namespaces: ['shop'] }).namespace('shop'), 'api', { image, port: 8080, priorityClassName: 'critical' });
    }, ['dev']))).toEqual(['pod names PriorityClass "critical", which the target does not declare, got declared []']);
  });

  test('bad classes are errors', () => {
    const build = (classes: any) => () => tenancyApp((scope) => new PriorityClasses(scope, 'pc', { classes }), ['dev']);
    expect(build([{ name: 'a', value: 1, globalDefault: true }, { name: 'b', value: 2, globalDefault: true }])).toThrow(/^dev\/pc: classes marks more than one class globalDefault, got \["a","b"\]/);
    expect(build([{ name: 'a', value: 2000000000 }])).toThrow(/^dev\/pc: classes\[0\].value/);
    expect(build([{ name: 'system-x', value: 1 }])).toThrow(/reserved for Kubernetes/);
    expect(build([{ name: 'a', value: 1 }, { name: 'a', value: 2 }])).toThrow(/classes\[1\].name is declared twice/);
    expect(build([])).toThrow(/classes lists no class/);
  });
});
