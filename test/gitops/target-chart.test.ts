import * as kplus from 'cdk8s-plus-27';
import { Certificate } from '../../imports/cert-manager.io';
import { PlatformNamespace } from '../../lib';
import { shopApp } from './helpers';

// Stock cdk8s-plus and generated (imports/) constructs inside the library's namespace scope
function rendered(build: (ns: PlatformNamespace) => void) {
  const app = shopApp({ outdir: 'unused' });
  app.forEachTarget((scope) => build(new PlatformNamespace(scope, 'tools', { team: 'tools' })));
  return app.render().filter((o) => o.folder === 'dev').map((o) => o.manifest);
}

describe('stock and generated constructs in a PlatformNamespace', () => {
  test('inherit its namespace and get human names from their path below it (no hash)', () => {
    const objects = rendered((ns) => {
      new kplus.ConfigMap(ns, 'settings', { data: { mode: 'fast' } });
      new kplus.k8s.KubeServiceAccount(ns, 'robot', { automountServiceAccountToken: false });
      new Certificate(ns, 'tls', { spec: { secretName: 'tools-tls', dnsNames: ['tools.example.com'], issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' } } });
    });
    const find = (kind: string) => objects.filter((o) => o.kind === kind && o.metadata.namespace === 'tools' && !/shop/.test(o.metadata.name));
    expect(find('ConfigMap').map((o) => o.metadata.name)).toContain('settings');
    expect(find('ServiceAccount').map((o) => o.metadata.name)).toContain('robot');
    expect(find('Certificate').map((o) => o.metadata.name)).toEqual(['tls']);
  }, 60_000);

  test('a cluster-scoped stock object gets no namespace; an explicit name or namespace is kept', () => {
    const objects = rendered((ns) => {
      new kplus.k8s.KubeClusterRole(ns, 'reader', { rules: [] });
      new kplus.k8s.KubeConfigMap(ns, 'named', { metadata: { name: 'given-name', namespace: 'elsewhere' }, data: {} });
    });
    const role = objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'reader');
    expect(role).toBeDefined();
    expect(role.metadata.namespace).toBeUndefined();
    expect(objects.find((o) => o.metadata.name === 'given-name').metadata.namespace).toBe('elsewhere');
  }, 60_000);

  test('names do not change when the code around the namespace is refactored (a wrapper construct above it)', () => {
    const a = rendered((ns) => { new kplus.ConfigMap(ns, 'settings', { data: {} }); });
    const app = shopApp({ outdir: 'unused' });
    app.forEachTarget((scope) => {
      const { Construct } = require('constructs');
      const wrapper = new Construct(scope, 'wrapper');
      new kplus.ConfigMap(new PlatformNamespace(wrapper, 'tools', { team: 'tools' }), 'settings', { data: {} });
    });
    const b = app.render().filter((o) => o.folder === 'dev').map((o) => o.manifest);
    const name = (list: any[]) => list.find((o) => o.kind === 'ConfigMap' && o.metadata.namespace === 'tools' && o.metadata.name === 'settings')?.metadata.name;
    expect(name(a)).toBe('settings');
    expect(name(b)).toBe(name(a));
  }, 60_000);
});
