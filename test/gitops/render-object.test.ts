import { ApiObject, App, Chart, JsonPatch, Lazy } from 'cdk8s';
import { buildApp } from '../../apps/main';
import { buildBenchApp } from '../../apps/bench';
import { renderObject } from '../../lib/gitops/render-object';

// renderObject must return exactly what cdk8s's own apiObject.toJson() returns, key order included
const same = (obj: ApiObject) => expect(JSON.stringify(renderObject(obj, App.of(obj)))).toBe(JSON.stringify(obj.toJson()));
// the Argo CD and Flux objects depend on a render pass (and are generated classes, rendered by toJson anyway)
const apiObjects = (app: App) => app.node.findAll()
  .filter((c): c is ApiObject => c instanceof ApiObject && !/^(argocd|flux)\//.test(c.node.path));

describe('renderObject', () => {
  test('renders every object of the example platform exactly like toJson()', () => {
    const objects = apiObjects(buildApp());
    expect(objects.length).toBeGreaterThan(100);
    objects.forEach(same);
  });

  test('renders the bench platform exactly like toJson()', () => {
    apiObjects(buildBenchApp(4)).forEach(same);
  });

  test('resolves lazies, tokens and number/string unions, drops nulls and sorts keys like toJson()', () => {
    const chart = new Chart(new App(), 'c');
    class Union { constructor(public readonly value: number | string) {} }
    const obj = new ApiObject(chart, 'o', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', labels: { b: '2', a: '1' } },
      zeta: Lazy.any({ produce: () => ({ y: Lazy.any({ produce: () => 'deep' }), x: null, w: undefined }) }),
      list: [null, 1, { resolve: () => 'token' }, new Union(8080), new Union('http')],
      alpha: { resolve: () => Lazy.any({ produce: () => [1, 2] }) },
    });
    obj.addJsonPatch(JsonPatch.add('/data', { k: 'v' }));
    same(obj);
    expect(renderObject(obj, App.of(obj)).zeta).toEqual({ y: 'deep' });
  });

  test('falls back to toJson() when the app has its own resolvers', () => {
    const resolver = { resolve: (ctx: any) => { if (ctx.value === 'REPLACE') ctx.replaceValue('replaced'); } };
    const chart = new Chart(new App({ resolvers: [resolver] }), 'c');
    const obj = new ApiObject(chart, 'o', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'REPLACE' } });
    expect(renderObject(obj, App.of(obj)).data).toEqual({ a: 'replaced' });
    same(obj);
  });

  test('names the construct when an object cannot be rendered', () => {
    const chart = new Chart(new App(), 'c');
    const obj = new ApiObject(chart, 'o', { apiVersion: 'v1', kind: 'ConfigMap', data: new Map() as any });
    expect(() => renderObject(obj, App.of(obj))).toThrow(/Failed serializing construct at path 'c\/o'.*non-simple object of type 'Map'/);
  });

  describe('a JSON patch that cannot apply names the object, the patch and the path', () => {
    const make = () => {
      const chart = new Chart(new App(), 'dev');
      return new ApiObject(chart, 'web', {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
        spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27.0' }] } } },
      });
    };
    test.each([
      [JsonPatch.add('/spec/tempalte/spec/hostNetwork', true), 'JSON patch 2 of 2 (add /spec/tempalte/spec/hostNetwork) cannot be applied to Deployment "web": /spec/tempalte does not exist, got path "/spec/tempalte/spec/hostNetwork"'],
      [JsonPatch.remove('/spec/replicas'), 'JSON patch 2 of 2 (remove /spec/replicas) cannot be applied to Deployment "web": /spec/replicas does not exist'],
      [JsonPatch.replace('/spec/template/spec/containers/1/image', 'x'), '(replace /spec/template/spec/containers/1/image) cannot be applied to Deployment "web": /spec/template/spec/containers/1 is past the end of a list of 1'],
      [JsonPatch.add('/spec/template/spec/containers/name', 'x'), '/spec/template/spec/containers/name indexes a list with "name"'],
      [JsonPatch.move('/spec/nope', '/spec/x'), '(move /spec/nope -> /spec/x) cannot be applied to Deployment "web": from: /spec/nope does not exist'],
      [JsonPatch.add('/metadata/name/x', 'x'), '/metadata/name/x is inside a "web", not an object or list'],
    ])('case %#', (patch, message) => {
      const obj = make();
      obj.addJsonPatch(JsonPatch.add('/spec/replicas2', 1), patch);
      let err: any;
      try { renderObject(obj, App.of(obj)); } catch (e) { err = e; }
      expect(err?.name).toBe('ConfigError');
      expect(err.message.startsWith('dev/web: ')).toBe(true);
      expect(err.message).toContain(message);
      expect(err.message).not.toContain('Cannot read properties');
    });

    test('patches that apply still render exactly like toJson(), including adding at a list end', () => {
      const obj = make();
      obj.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/-', { name: 'side' }), JsonPatch.replace('/spec/template/spec/containers/0/image', 'nginx:1.28.0'), JsonPatch.remove('/spec/template/spec/containers/1'));
      same(obj);
    });

    test('on cdk8s\'s own render path (generated classes) the message lists the patches', () => {
      class Generated extends ApiObject {}
      const obj = new Generated(new Chart(new App(), 'dev'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
      obj.addJsonPatch(JsonPatch.add('/data/a/b', 1));
      expect(() => renderObject(obj, App.of(obj))).toThrow(/^dev\/cm: a JSON patch cannot be applied \(.*\), got patches add \/data\/a\/b; point each path at an existing field/);
    });
  });

  test('environment variables do not change the bytes (CDK8S_DISABLE_SORT, TZ, LANG), on both render paths', () => {
    const reference = buildApp().synthFiles();
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { CDK8S_DISABLE_SORT: '1', CDK8S_RECORD_CONSTRUCT_METADATA: 'true', TZ: 'Pacific/Kiritimati', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' });
      const app = buildApp();
      // a generated-class-like object takes cdk8s's own toJson path
      class Custom extends ApiObject {}
      const chart = new Chart(new App(), 'c');
      const custom = new Custom(chart, 'x', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { b: '1', a: '2' } });
      expect(Object.keys(renderObject(custom, App.of(custom)).data)).toEqual(['a', 'b']);
      expect(app.synthFiles()).toEqual(reference);
    } finally {
      for (const k of ['CDK8S_DISABLE_SORT', 'CDK8S_RECORD_CONSTRUCT_METADATA', 'TZ', 'LANG', 'LC_ALL']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });
});

describe('keys that name properties of every JavaScript object', () => {
  // valid Kubernetes keys that a naive map walk misreads: `constructor` crashed cdk8s's sanitizer, `__proto__`
  // set the prototype instead of a key
  const names = Object.getOwnPropertyNames(Object.prototype);
  // label and annotation keys start and end alphanumeric (constructor, toString, valueOf...); ConfigMap keys take them all
  const labelNames = names.filter((n) => /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(n));

  test('render as data in labels, annotations and ConfigMap data, and read back unchanged', () => {
    const { Environments, GitOpsApp } = require('../../lib/gitops');
    const { PlatformNamespace } = require('../../lib/platform');
    const { HardenedService } = require('../../lib/workloads');
    const YAML = require('yaml');
    const app = new GitOpsApp({ environments: Environments.define({ dev: { clusters: [{ name: 'dev', server: 'https://dev.k8s.example' }] } }) });
    const keyed = (prefix: string, keys = labelNames) => {
      const out: Record<string, string> = {};
      for (const n of keys) Object.defineProperty(out, n, { value: `${prefix}-${n.replace(/_/g, 'x')}`, enumerable: true, writable: true, configurable: true });
      return out;
    };
    app.forEachTarget((scope: any) => {
      const ns = new PlatformNamespace(scope, 'shop');
      new HardenedService(ns, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080, podAnnotations: keyed('a'), labels: keyed('l') });
      new ApiObject(ns, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: keyed('d', names) });
    });
    const files: Map<string, string> = app.synthFiles();
    const docs = [...files.values()].flatMap((t) => YAML.parseAllDocuments(t).map((d: any) => d.toJS()));
    const deployment = docs.find((d: any) => d.kind === 'Deployment');
    const configMap = docs.find((d: any) => d.kind === 'ConfigMap' && d.metadata.name === 'settings');
    expect(labelNames.length).toBeGreaterThanOrEqual(6);
    for (const n of labelNames) {
      expect([n, Object.getOwnPropertyDescriptor(deployment.spec.template.metadata.annotations, n)?.value]).toEqual([n, `a-${n}`]);
      expect([n, Object.getOwnPropertyDescriptor(deployment.metadata.labels, n)?.value]).toEqual([n, `l-${n}`]);
    }
    for (const n of names) expect([n, Object.getOwnPropertyDescriptor(configMap.data, n)?.value]).toEqual([n, `d-${n.replace(/_/g, 'x')}`]);
  });
});

test('a generated CRD class with such a label key fails with the key named, not a sanitizer crash', () => {
  const { HttpRoute } = require('../../imports/gateway.networking.k8s.io');
  const app = new App();
  const chart = new Chart(app, 'dev');
  const route = new HttpRoute(chart, 'route', { metadata: { name: 'web', labels: { constructor: 'x' } }, spec: {} });
  expect(() => renderObject(route, app)).toThrow(`dev/route: HTTPRoute "web" cannot be rendered by cdk8s with the label or annotation key(s) "constructor" (names of JavaScript object properties), got 1 such key(s); rename them (e.g. 'acme.example/constructor')`);
});
