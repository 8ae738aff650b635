import { Environments, GitOpsApp } from '../../lib/gitops';
import { PlatformNamespace } from '../../lib/platform';
import { HardenedCronJob, HardenedJob, HardenedJobProps, HardenedService, RUN_BEFORE_ANNOTATION, SPEC_HASH_ANNOTATION, WORKLOAD_DEFAULTS } from '../../lib/workloads';
import { makeChart, only, podSpec, render } from '../helpers';

const props = (over: Partial<HardenedJobProps> = {}): HardenedJobProps => ({ image: 'ghcr.io/acme/api:1.0.0', command: ['/app/migrate'], ...over });

function job(over: Partial<HardenedJobProps> = {}) {
  const chart = makeChart();
  new HardenedJob(chart, 'migrate', props(over));
  return only(render(chart), 'Job');
}

describe('HardenedJob', () => {
  test('defaults: backoffLimit 2, a 600 s deadline, no TTL, restartPolicy Never, the hardened pod', () => {
    const j = job();
    const d = WORKLOAD_DEFAULTS.job;
    expect(j.spec.backoffLimit).toBe(d.backoffLimit);
    expect(j.spec.activeDeadlineSeconds).toBe(d.activeDeadlineSeconds);
    expect(d).toEqual({ backoffLimit: 2, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: undefined });
    expect(j.spec.ttlSecondsAfterFinished).toBeUndefined();
    const pod = podSpec(j);
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(pod.containers[0].readinessProbe).toBeUndefined();
  });

  test('renders a ServiceAccount and a NetworkPolicy with no ingress', () => {
    const chart = makeChart();
    new HardenedJob(chart, 'migrate', props());
    const objects = render(chart);
    expect(objects.map((o) => o.kind).sort()).toEqual(['Job', 'NetworkPolicy', 'ServiceAccount']);
    expect(only(objects, 'NetworkPolicy').spec.ingress).toEqual([]);
  });

  test('is named after its spec: same spec, same name; any change, a new name (generated)', () => {
    const seen = new Map<string, string>();
    for (let i = 0; i < 40; i++) {
      const over = { args: [`--step=${i % 20}`], backoffLimit: i % 3 };
      const key = JSON.stringify(over);
      const j = job(over);
      expect(j.metadata.name).toMatch(/^migrate-[0-9a-f]{10}$/);
      expect(j.metadata.name).toBe(`migrate-${j.metadata.annotations[SPEC_HASH_ANNOTATION]}`);
      expect(j.metadata.labels['app.kubernetes.io/name']).toBe('migrate');
      if (seen.has(key)) expect(j.metadata.name).toBe(seen.get(key));
      else expect([...seen.values()]).not.toContain(j.metadata.name);
      seen.set(key, j.metadata.name);
    }
  });

  test('options and errors', () => {
    expect(job({ backoffLimit: 0, activeDeadlineSeconds: 60, ttlSecondsAfterFinished: 3600 }).spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 60, ttlSecondsAfterFinished: 3600 });
    expect(() => job({ backoffLimit: -1 })).toThrow('test/migrate: backoffLimit must be an integer of at least 0, got -1; use e.g. 2');
    expect(() => job({ activeDeadlineSeconds: 0 })).toThrow('test/migrate: activeDeadlineSeconds must be an integer of at least 1, got 0; use e.g. 600');
    expect(() => job({ name: 'a'.repeat(53) })).toThrow('must be at most 52 characters for a Job (its name gets a hash suffix)');
  });
});

describe('HardenedJob runBefore', () => {
  const envs = Environments.define({ dev: { clusters: [{ name: 'dev', server: 'https://dev.example' }] }, prod: { clusters: [{ name: 'prod', server: 'https://prod.example' }] } });

  test('annotates the workloads it runs before, by construct or by name', () => {
    const chart = makeChart();
    const api = new HardenedService(chart, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
    new HardenedService(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080 });
    const j = new HardenedJob(chart, 'migrate', props({ runBefore: [api, 'web', 'shop/api'] }));
    expect(j.node.validate()).toEqual([]);
    expect(only(render(chart), 'Job').metadata.annotations[RUN_BEFORE_ANNOTATION]).toBe('shop/api,shop/web');
  });

  test('a migration before a service that does not exist in the target is an error', () => {
    const app = new GitOpsApp({ environments: envs, outdir: 'unused' });
    app.forEachTarget((scope, { env }) => {
      const ns = new PlatformNamespace(scope, 'shop');
      if (env.name === 'dev') new HardenedService(ns, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
      new HardenedService(ns, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080 });
      new HardenedJob(ns, 'migrate', props({ runBefore: ['api'] }));
    });
    expect(() => app.synthFiles()).toThrow("prod/shop/migrate: runBefore[0] names a workload that does not exist in target 'prod', got \"api\"; use one of web");
  });

  test('a workload of another target, or a job, is an error', () => {
    const app = new GitOpsApp({ environments: envs, outdir: 'unused' });
    let devApi: HardenedService | undefined;
    app.forEachTarget((scope, { env }) => {
      const ns = new PlatformNamespace(scope, 'shop');
      const api = new HardenedService(ns, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
      if (env.name === 'dev') devApi = api;
      else new HardenedJob(ns, 'migrate', props({ runBefore: [devApi!] }));
    });
    expect(() => app.synthFiles()).toThrow("prod/shop/migrate: runBefore[0] is a workload of another target ('dev'), got \"dev/shop/api\"; pass the workload of the same target");

    const chart = makeChart();
    new HardenedCronJob(chart, 'report', { image: 'ghcr.io/acme/r:1.0.0', schedule: '@daily' });
    const j = new HardenedJob(chart, 'migrate', props({ runBefore: ['report'] }));
    expect(() => j.node.validate()).toThrow('test/migrate: runBefore[0] is a job (jobs run before services, not before other jobs), got "report"; name a service, worker or stateful set');
  });
});
