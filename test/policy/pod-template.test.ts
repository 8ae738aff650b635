import { containersOf, hasReplicas, isLongRunning, isPodBearing, podTemplateOf } from '../../lib/policy';
import { compliantPodSpec, deployment, findings, LABELS, rolloutRef } from './fixtures';

const spec = compliantPodSpec();
const template = { metadata: { labels: LABELS }, spec };

describe('pod templates', () => {
  test.each([
    ['v1', 'Pod', { spec }, 'spec'],
    ['apps/v1', 'Deployment', { spec: { template } }, 'spec.template.spec'],
    ['apps/v1', 'ReplicaSet', { spec: { template } }, 'spec.template.spec'],
    ['apps/v1', 'StatefulSet', { spec: { template } }, 'spec.template.spec'],
    ['apps/v1', 'DaemonSet', { spec: { template } }, 'spec.template.spec'],
    ['batch/v1', 'Job', { spec: { template } }, 'spec.template.spec'],
    ['batch/v1', 'CronJob', { spec: { jobTemplate: { spec: { template } } } }, 'spec.jobTemplate.spec.template.spec'],
    ['argoproj.io/v1alpha1', 'Rollout', { spec: { template } }, 'spec.template.spec'],
  ])('finds the pod spec of %s %s at its path', (apiVersion, kind, body, specPath) => {
    const t = podTemplateOf({ apiVersion, kind, metadata: { name: 'x' }, ...body })!;
    expect(t.specPath).toBe(specPath);
    expect(t.spec).toBe(spec);
    expect(containersOf(t).map((c) => c.path)).toEqual([`${specPath}.containers[0]`]);
  });

  test('does not take a kind of the same name in another API group for the built-in one', () => {
    expect(isPodBearing({ apiVersion: 'example.com/v1', kind: 'Deployment' })).toBe(false);
    // its pods are still found, by shape, but it is not treated as a long-running, replicated controller
    const lookalike = { apiVersion: 'example.com/v1', kind: 'Deployment', spec: { template } } as any;
    expect(podTemplateOf(lookalike)?.specPath).toBe('spec.template.spec');
    expect(isLongRunning(lookalike)).toBe(false);
    expect(hasReplicas(lookalike)).toBe(false);
  });

  test('lists containers, init containers and ephemeral containers', () => {
    const t = podTemplateOf({
      apiVersion: 'v1', kind: 'Pod',
      spec: { containers: [{ name: 'a' }], initContainers: [{ name: 'b' }], ephemeralContainers: [{ name: 'c' }] },
    } as any)!;
    expect(containersOf(t).map((c) => [c.path, c.label])).toEqual([
      ['spec.containers[0]', 'container "a"'],
      ['spec.initContainers[0]', 'init container "b"'],
      ['spec.ephemeralContainers[0]', 'ephemeral container "c"'],
    ]);
  });

  test('a Rollout with workloadRef has no template: pod checks run on the referenced Deployment', () => {
    expect(podTemplateOf(rolloutRef(3))).toBeUndefined();
    const d = deployment();
    d.spec.replicas = 0;
    d.spec.template.spec.containers[0].securityContext.privileged = true;
    const found = findings([d, rolloutRef(3)], 'pss-privileged');
    expect(found.map((f) => f.object.kind)).toEqual(['Deployment']);
  });

  test('checks a bare Pod and a CronJob at their own paths', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop', labels: LABELS }, spec: compliantPodSpec() };
    pod.spec.containers[0].securityContext.privileged = true;
    expect(findings([pod], 'pss-privileged').map((f) => f.field)).toEqual(['spec.containers[0].securityContext.privileged']);
  });
});
