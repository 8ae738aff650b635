import { HardenedCronJob, NetworkPeer } from '../../lib/workloads';
import { kinds, makeChart, only, podSpec, render } from '../helpers';

const image = 'ghcr.io/acme/report:1.2.0';

function minimal(props: Partial<ConstructorParameters<typeof HardenedCronJob>[2]> = {}) {
  const chart = makeChart();
  const job = new HardenedCronJob(chart, 'report', { image, schedule: '30 2 * * *', ...props });
  return { chart, job, objects: render(chart) };
}

describe('HardenedCronJob', () => {
  test('renders a ServiceAccount, CronJob and NetworkPolicy', () => {
    expect(kinds(minimal().objects)).toEqual(['CronJob', 'NetworkPolicy', 'ServiceAccount']);
  });

  test('matches the snapshot with minimal props', () => {
    expect(minimal().objects).toMatchSnapshot();
  });

  test('never overlaps runs, retries twice, times out after an hour and cleans up after a day', () => {
    const spec = only(minimal().objects, 'CronJob').spec;
    expect(spec).toMatchObject({
      schedule: '30 2 * * *',
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      suspend: false,
    });
    expect(spec.jobTemplate.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 86400 });
  });

  test('runs pods with restartPolicy Never, hardened, without probes or spread', () => {
    const spec = podSpec(only(minimal().objects, 'CronJob'));
    expect(spec.restartPolicy).toBe('Never');
    expect(spec.securityContext.runAsNonRoot).toBe(true);
    expect(spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(spec.containers[0].resources.limits.memory).toBe('256Mi');
    expect(spec.containers[0].readinessProbe).toBeUndefined();
    expect(spec.containers[0].lifecycle).toBeUndefined();
    expect(spec.topologySpreadConstraints).toBeUndefined();
  });

  test('labels its job template and pods as the job component', () => {
    const cron = only(minimal().objects, 'CronJob');
    expect(cron.spec.jobTemplate.metadata.labels['app.kubernetes.io/component']).toBe('job');
    expect(cron.spec.jobTemplate.spec.template.metadata.labels['app.kubernetes.io/component']).toBe('job');
  });

  test('allows declared egress besides DNS and no ingress', () => {
    const np = only(minimal({ egress: [{ peer: NetworkPeer.ipBlock('10.0.0.0/8'), ports: [5432] }] }).objects, 'NetworkPolicy');
    expect(np.spec.ingress).toEqual([]);
    expect(np.spec.egress[1]).toEqual({ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ protocol: 'TCP', port: 5432 }] });
  });

  test('accepts macros and named days', () => {
    expect(() => minimal({ schedule: '@daily' })).not.toThrow();
    expect(() => minimal({ schedule: '0 6 * * MON-FRI' })).not.toThrow();
    expect(() => minimal({ schedule: '*/15 * * * *' })).not.toThrow();
  });

  test('throws if the schedule is not a cron expression', () => {
    expect(() => minimal({ schedule: 'every night' })).toThrow(`test/report: schedule must be a five-field cron expression or a macro like @daily (must have five fields (minute hour day-of-month month day-of-week), found 2), got "every night"; write it like '30 2 * * *' (02:30 every day)`);
    expect(() => minimal({ schedule: '0 2 * *' })).toThrow(/schedule must be a five-field cron expression/);
  });

  test('throws if the name is longer than 52 characters', () => {
    expect(() => minimal({ name: 'a'.repeat(53) })).toThrow(/test\/report: name must be at most 52 characters for a CronJob/);
  });

  test('throws if the backoff limit is negative', () => {
    expect(() => minimal({ backoffLimit: -1 })).toThrow('test/report: backoffLimit must be an integer between 0 and 2147483647, got -1; use e.g. 2');
  });
});
