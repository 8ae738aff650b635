import { App, Chart } from 'cdk8s';
import { PlatformNamespace } from '../../lib/platform';
import { HardenedService } from '../../lib/workloads';
import { kinds, only, render } from '../helpers';

function minimal(props: ConstructorParameters<typeof PlatformNamespace>[2] = {}) {
  const chart = new Chart(new App(), 'test');
  const ns = new PlatformNamespace(chart, 'shop', props);
  return { chart, ns, objects: render(chart) };
}

describe('PlatformNamespace', () => {
  test('renders a Namespace, a default-deny NetworkPolicy and a LimitRange', () => {
    expect(kinds(minimal().objects)).toEqual(['LimitRange', 'Namespace', 'NetworkPolicy']);
  });

  test('matches the snapshot with minimal props', () => {
    expect(minimal().objects).toMatchSnapshot();
  });

  test('enforces, audits and warns at Pod Security "restricted"', () => {
    expect(only(minimal().objects, 'Namespace').metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });

  test('keeps auditing at restricted when enforcement is relaxed to baseline', () => {
    const labels = only(minimal({ podSecurity: 'baseline' }).objects, 'Namespace').metadata.labels;
    expect(labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(labels['pod-security.kubernetes.io/audit']).toBe('restricted');
  });

  test('denies all ingress and egress for every pod', () => {
    const np = only(minimal().objects, 'NetworkPolicy');
    expect(np.metadata).toMatchObject({ name: 'default-deny', namespace: 'shop' });
    expect(np.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('gives containers without resources the workload defaults', () => {
    expect(only(minimal().objects, 'LimitRange').spec.limits).toEqual([
      { type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { memory: '256Mi' } },
    ]);
  });

  test('places workloads created inside it in the namespace', () => {
    const { chart, ns } = minimal();
    new HardenedService(ns, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
    const deployment = only(render(chart), 'Deployment');
    expect(deployment.metadata.namespace).toBe('shop');
  });

  test('adds a quota only when asked', () => {
    expect(kinds(minimal().objects)).not.toContain('ResourceQuota');
    const quota = only(minimal({ quota: { requestsCpu: '8', requestsMemory: '16Gi', pods: 40 } }).objects, 'ResourceQuota');
    expect(quota.spec.hard).toEqual({ 'requests.cpu': '8', 'requests.memory': '16Gi', pods: '40' });
  });

  test('throws if the name is not a DNS-1123 label', () => {
    expect(() => minimal({ name: 'Shop' })).toThrow(`test/shop: name must be a DNS-1123 label`);
  });

  test('throws if a quota quantity is malformed', () => {
    expect(() => minimal({ quota: { requestsMemory: '16GB' } })).toThrow('test/shop: quota.requestsMemory must be a non-negative Kubernetes quantity, got "16GB"');
  });

  test('throws if a quota sets nothing', () => {
    expect(() => minimal({ quota: {} })).toThrow(/test\/shop: quota sets no limit/);
  });

  test('the LimitRange is configurable; unset fields keep the workload defaults', () => {
    const lr = (limitRange: any) => only(minimal({ limitRange }).objects, 'LimitRange').spec.limits;
    expect(lr({})).toEqual(only(minimal().objects, 'LimitRange').spec.limits);
    expect(lr({ defaultCpuRequest: '50m' })).toEqual([{ type: 'Container', defaultRequest: { cpu: '50m', memory: '128Mi' }, default: { memory: '256Mi' } }]);
    expect(lr({ defaultMemoryRequest: '256Mi', defaultMemoryLimit: '1Gi', defaultCpuLimit: '1', maxCpu: '4', maxMemory: '8Gi' })).toEqual([{
      type: 'Container', defaultRequest: { cpu: '100m', memory: '256Mi' }, default: { cpu: '1', memory: '1Gi' }, max: { cpu: '4', memory: '8Gi' },
    }]);
  });

  test('throws on a malformed LimitRange quantity or a default limit below the default request', () => {
    expect(() => minimal({ limitRange: { maxMemory: '8GB' } })).toThrow('test/shop: limitRange.maxMemory must be a non-negative Kubernetes quantity, got "8GB"');
    expect(() => minimal({ limitRange: { defaultMemoryLimit: '64Mi' } })).toThrow('test/shop: limitRange.defaultMemoryLimit is below the default memory request 128Mi, got "64Mi"; raise the limit or lower the request');
  });

  test('the quota also caps CPU limits, storage and object counts', () => {
    const quota = only(minimal({ quota: { limitsCpu: '8', requestsStorage: '100Gi', objectCounts: { services: 10, 'count/deployments.apps': 5 } } }).objects, 'ResourceQuota');
    expect(quota.spec.hard).toEqual({ 'limits.cpu': '8', 'requests.storage': '100Gi', services: '10', 'count/deployments.apps': '5' });
    expect(() => minimal({ quota: { objectCounts: { 'Services': 1 } } })).toThrow(/test\/shop: quota.objectCounts\["Services"\] is not a quota object count, got "Services"/);
    expect(() => minimal({ quota: { objectCounts: { services: -1 } } })).toThrow(/quota.objectCounts\["services"\] must be a non-negative integer, got -1/);
  });
});
