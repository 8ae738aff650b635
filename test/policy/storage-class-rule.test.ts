import { ApiObject } from 'cdk8s';
import { Environments, GitOpsApp } from '../../lib/gitops';
import { PlatformNamespace } from '../../lib/platform';
import { PolicyError, REFERENCE_RULES } from '../../lib/policy';

const rule = REFERENCE_RULES.find((r) => r.id === 'hygiene-storage-class-declared')!;
const sts = (...classes: (string | undefined)[]) => ({
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop' },
  spec: { volumeClaimTemplates: classes.map((c, i) => ({ metadata: { name: `v${i}` }, spec: { ...(c === undefined ? {} : { storageClassName: c }), resources: { requests: { storage: '1Gi' } } } })) },
});
const pvc = (c: string) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'cache', namespace: 'shop' }, spec: { storageClassName: c } });
const cluster = { name: 'dev', server: 'https://dev.k8s.example', storageClasses: [{ name: 'fast-ssd', provisioner: 'ebs.csi.aws.com' }, { name: 'standard', existing: true }] };

describe('hygiene-storage-class-declared', () => {
  test('a claim template or claim naming a class the cluster does not declare is a finding', () => {
    const found = rule.check(sts('fast-ssd', 'gold'), { folder: 'dev', objects: [], cluster });
    expect(found).toEqual([expect.objectContaining({
      rule: 'hygiene-storage-class-declared',
      field: 'spec.volumeClaimTemplates[1].spec.storageClassName',
      message: 'storage class "gold" is not declared by cluster dev, so the claim stays Pending there, got "gold"; declared: fast-ssd, standard',
    })]);
    expect(rule.check(pvc('gold'), { folder: 'dev', objects: [], cluster })[0].field).toBe('spec.storageClassName');
  });

  test('declared, existing, rendered or unset classes pass; without a cluster only rendered classes are known', () => {
    expect(rule.check(sts('fast-ssd', 'standard', undefined, ''), { folder: 'dev', objects: [], cluster })).toEqual([]);
    const rendered = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'gold' }, provisioner: 'x' };
    expect(rule.check(sts('gold'), { folder: 'dev', objects: [rendered], cluster })).toEqual([]);
    // plain manifests of no known cluster: judged only against the classes they render
    expect(rule.check(sts('gold'), { folder: '', objects: [] })).toEqual([]);
    expect(rule.check(sts('silver'), { folder: '', objects: [rendered] })).toHaveLength(1);
    expect(rule.check({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } }, { folder: 'dev', objects: [], cluster })).toEqual([]);
  });

  test('a raw StatefulSet on an undeclared class fails synth', () => {
    const app = new GitOpsApp({ environments: Environments.define({ dev: { clusters: [cluster] } }) });
    app.forEachTarget((scope) => {
      const ns = new PlatformNamespace(scope, 'shop');
      const raw = sts('gold') as any;
      raw.spec = { ...raw.spec, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16.4' }] } } };
      new ApiObject(ns, 'raw', raw);
    });
    let error: unknown;
    try {
      app.render();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).findings.filter((f) => f.rule === 'hygiene-storage-class-declared').map((f) => f.object.name)).toEqual(['db']);
  });
});
