import { Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { CONFIG_DEFAULTS, CONFIG_RETAIN_ANNOTATION, CONFIG_SET_LABEL, ConfigFiles, contentHash, renderConfigFile } from '../../lib/config';
import { Delivery } from '../../lib/delivery';
import { Environments, GitOpsApp } from '../../lib/gitops';
import { Metrics, ServiceLevelObjective } from '../../lib/observability';
import { PlatformNamespace } from '../../lib/platform';
import { TrafficRouting } from '../../lib/traffic';
import { HardenedCronJob, HardenedService, HardenedWorker } from '../../lib/workloads';
import { makeChart, only, podSpec, render } from '../helpers';
import { prng } from '../fixtures/prng';

const image = 'ghcr.io/acme/api:1.2.3';

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const word = (r: () => number, n = 3 + Math.floor(r() * 8)) => Array.from({ length: n }, () => pick(r, [...'abcdefghijklmnopqrstuvwxyz'])).join('');

function service(chart: Chart, use: ConfigFiles[], extra: object = {}) {
  return new HardenedService(chart, 'api', { image, port: 8080, use, ...extra });
}

describe('ConfigFiles defaults', () => {
  const chart = makeChart();
  const config = ConfigFiles.of({ files: { 'application.yaml': { server: { port: 8080 } } }, env: { LOG_LEVEL: 'info' } });
  service(chart, [config]);
  const objects = render(chart);
  const cm = only(objects, 'ConfigMap');
  const pod = podSpec(only(objects, 'Deployment'));

  test('one immutable ConfigMap named <workload>-config-<10 hex digits of the content hash>', () => {
    expect(cm.immutable).toBe(true);
    expect(cm.metadata.name).toMatch(/^api-config-[0-9a-f]{10}$/);
    expect(cm.metadata.name).toBe(`api-config-${contentHash([['LOG_LEVEL', 'info'], ['application.yaml', 'server:\n  port: 8080\n']])}`);
    expect(config.bound[0].configMapName).toBe(cm.metadata.name);
    expect(cm.metadata.namespace).toBe('shop');
  });

  test('labels the config set and records the retention window (the revisionHistoryLimit, 5)', () => {
    expect(cm.metadata.labels[CONFIG_SET_LABEL]).toBe('api-config');
    expect(cm.metadata.labels['app.kubernetes.io/name']).toBe('api');
    expect(CONFIG_DEFAULTS.retainGenerations).toBe(5);
    expect(only(objects, 'Deployment').spec.revisionHistoryLimit).toBe(CONFIG_DEFAULTS.retainGenerations);
    expect(cm.metadata.annotations[CONFIG_RETAIN_ANNOTATION]).toBe('5');
  });

  test('mounts only the files, read-only at /etc/config, mode 0440, as volume "config"', () => {
    expect(pod.volumes).toContainEqual({
      name: 'config',
      configMap: { name: cm.metadata.name, items: [{ key: 'application.yaml', path: 'application.yaml' }], defaultMode: 0o440 },
    });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/config', readOnly: true });
  });

  test('exposes plain values as env vars through configMapKeyRef', () => {
    expect(pod.containers[0].env).toContainEqual({ name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: cm.metadata.name, key: 'LOG_LEVEL' } } });
  });

  test('env-only config mounts nothing', () => {
    const c = makeChart();
    service(c, [ConfigFiles.of({ env: { A: '1' } })]);
    expect(podSpec(only(render(c), 'Deployment')).volumes.map((v: any) => v.name)).toEqual(['tmp']);
  });

  test('a named set gets its own ConfigMap, volume and retention window', () => {
    const c = makeChart();
    service(c, [ConfigFiles.of({ files: { 'a.txt': 'a' } }), ConfigFiles.of({ name: 'flags', files: { 'f.json': {} }, mountPath: '/etc/flags', retainGenerations: 2 })]);
    const cms = render(c).filter((o) => o.kind === 'ConfigMap');
    expect(cms.map((o) => o.metadata.name)).toEqual([expect.stringMatching(/^api-config-/), expect.stringMatching(/^api-flags-/)]);
    expect(cms[1].metadata.annotations[CONFIG_RETAIN_ANNOTATION]).toBe('2');
  });

  test('binds to workers and cron jobs too', () => {
    const c = makeChart();
    new HardenedWorker(c, 'w', { image, use: [ConfigFiles.of({ files: { 'x.conf': 'x' } })] });
    new HardenedCronJob(c, 'j', { image, schedule: '0 1 * * *', use: [ConfigFiles.of({ files: { 'x.conf': 'x' } })] });
    const objs = render(c);
    expect(objs.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name.replace(/-[0-9a-f]{10}$/, ''))).toEqual(['w-config', 'j-config']);
    expect(podSpec(only(objs, 'CronJob')).volumes.map((v: any) => v.name)).toContain('config');
  });
});

describe('content naming', () => {
  const nameOf = (files: Record<string, any>) => {
    const c = makeChart();
    service(c, [ConfigFiles.of({ files })]);
    return only(render(c), 'ConfigMap').metadata.name;
  };

  test('the name depends on the content only, not on the order the files are given in', () => {
    const r = prng(7);
    for (let i = 0; i < 40; i++) {
      const entries = Array.from({ length: 1 + Math.floor(r() * 4) }, (_, j) => [`${word(r)}${j}.txt`, word(r, 20)] as const);
      const a = nameOf(Object.fromEntries(entries));
      const b = nameOf(Object.fromEntries([...entries].reverse()));
      expect(b).toBe(a);
    }
  });

  test('any change of a value or a file name gives a new name (generated edits)', () => {
    const r = prng(11);
    for (let i = 0; i < 60; i++) {
      const file = `${word(r)}.conf`;
      const text = word(r, 30);
      const pos = Math.floor(r() * text.length);
      const edited = text.slice(0, pos) + (text[pos] === 'a' ? 'b' : 'a') + text.slice(pos + 1);
      expect(nameOf({ [file]: edited })).not.toBe(nameOf({ [file]: text }));
      expect(nameOf({ [`x${file}`]: text })).not.toBe(nameOf({ [file]: text }));
    }
  });

  test('concatenation does not collide (lengths are hashed)', () => {
    expect(contentHash([['a', 'bc']])).not.toBe(contentHash([['ab', 'c']]));
  });
});

describe('structured values', () => {
  const c = makeChart();
  const value = { b: { y: 1, x: [true, 'two'] }, a: 'yes', 'c d': null };

  test('.yaml and .yml use the project serializer (keys as written, YAML 1.1-safe quoting)', () => {
    const text = renderConfigFile(c, 'p', 'app.yaml', value);
    expect(text).toBe('b:\n  "y": 1\n  x:\n    - true\n    - two\na: "yes"\nc d: null\n');
    expect(renderConfigFile(c, 'p', 'app.yml', value)).toBe(text);
    expect(YAML.parse(text, { version: '1.1' })).toEqual(value);
  });

  test('.json sorts keys at every level', () => {
    const text = renderConfigFile(c, 'p', 'app.json', value);
    expect(text).toBe('{\n  "a": "yes",\n  "b": {\n    "x": [\n      true,\n      "two"\n    ],\n    "y": 1\n  },\n  "c d": null\n}\n');
  });

  test('.properties flattens and sorts keys and escapes separators', () => {
    expect(renderConfigFile(c, 'p', 'app.properties', { server: { port: 8080, 'a=b': 'x y' }, list: ['p', 'q'], n: 'line\nbreak', u: 'é' }))
      .toBe('list[0]=p\nlist[1]=q\nn=line\\nbreak\nserver.a\\=b=x y\nserver.port=8080\nu=\\u00e9\n');
  });

  test('the same structured value always renders the same bytes (generated values)', () => {
    const r = prng(3);
    const gen = (d: number): any => (d > 2 || r() < 0.4 ? pick(r, [word(r), Math.floor(r() * 1000), r() < 0.5, null]) : r() < 0.3
      ? Array.from({ length: Math.floor(r() * 3) }, () => gen(d + 1))
      : Object.fromEntries(Array.from({ length: 1 + Math.floor(r() * 3) }, () => [word(r), gen(d + 1)])));
    for (let i = 0; i < 100; i++) {
      const v = { root: gen(0) };
      for (const ext of ['yaml', 'json', 'properties']) {
        expect(renderConfigFile(c, 'p', `f.${ext}`, v)).toBe(renderConfigFile(c, 'p', `f.${ext}`, JSON.parse(JSON.stringify(v))));
      }
      expect(YAML.parse(renderConfigFile(c, 'p', 'f.yaml', v), { version: '1.1' })).toEqual(v);
      expect(JSON.parse(renderConfigFile(c, 'p', 'f.json', v))).toEqual(v);
    }
  });

  test('strings are passed through as the file content', () => {
    expect(renderConfigFile(c, 'p', 'x.yaml', 'raw: text\n')).toBe('raw: text\n');
  });

  test('structured data for an extension without a serializer is an error', () => {
    expect(() => renderConfigFile(c, 'config.files["nginx.conf"]', 'nginx.conf', { a: 1 }))
      .toThrow('test: config.files["nginx.conf"] is structured data but "nginx.conf" has no extension it can be serialized by (.yaml, .yml, .json, .properties), got {"a":1}; rename the file, or pass its content as a string');
  });

  test('non-JSON data is an error', () => {
    expect(() => renderConfigFile(c, 'f', 'a.json', { n: NaN })).toThrow(/f\.n must be JSON data .*got NaN/);
    expect(() => renderConfigFile(c, 'f', 'a.json', { d: new Date(0) })).toThrow(/f\.d must be JSON data/);
    expect(() => renderConfigFile(c, 'f', 'a.json', 42 as any)).toThrow(/f must be the file content \(a string\) or structured data/);
  });
});

describe('bad input', () => {
  test('a file name that is not a valid ConfigMap key (generated names)', () => {
    const r = prng(5);
    const bad = ['', '.', '..', 'a/b', 'a b', 'ä.yaml', 'x'.repeat(254), 'app.yaml\n', 'a:b', ...Array.from({ length: 40 }, () => `${word(r)}${pick(r, ['/', ' ', '*', '?', ':', '\\', '@', '#'])}${word(r)}`)];
    for (const name of bad) {
      expect(() => service(makeChart(), [ConfigFiles.of({ files: { [name]: 'x' } })]))
        .toThrow(`test/api: config.files[${JSON.stringify(name)}] is not a valid ConfigMap/Secret key`);
    }
  });

  test('config over the 1 MiB ConfigMap limit', () => {
    const big = 'x'.repeat(600 * 1024);
    expect(() => service(makeChart(), [ConfigFiles.of({ files: { 'a.txt': big, 'b.txt': big } })]))
      .toThrow('test/api: config.files exceed the 1 MiB limit of a ConfigMap, got "1228810 bytes"; split the configuration into several sets, or ship large files in the image or a volume');
    // just under the limit is fine
    expect(() => service(makeChart(), [ConfigFiles.of({ files: { 'a.txt': 'x'.repeat(1024 * 1024 - 5) } })])).not.toThrow();
  });

  test('a mount path colliding with another mount names the prop', () => {
    expect(() => service(makeChart(), [ConfigFiles.of({ files: { 'a.txt': 'a' }, mountPath: '/tmp' })]))
      .toThrow("test/api: config.mountPath collides with the mount of volume 'tmp', got \"/tmp\"; mount it at another path");
    expect(() => service(makeChart(), [ConfigFiles.of({ files: { 'a.txt': 'a' } }), ConfigFiles.of({ name: 'more', files: { 'b.txt': 'b' } })]))
      .toThrow("test/api: more.mountPath collides with the mount of volume 'config', got \"/etc/config\"; mount it at another path");
    expect(() => service(makeChart(), [ConfigFiles.of({ files: { 'a.txt': 'a' }, mountPath: 'etc' })])).toThrow(/config\.mountPath must be an absolute path/);
  });

  test('env names, clashes and empty sets', () => {
    expect(() => service(makeChart(), [ConfigFiles.of({ env: { '1BAD': 'x' } })])).toThrow('test/api: config.env.1BAD is not a valid environment variable name');
    expect(() => service(makeChart(), [ConfigFiles.of({ env: { LOG_LEVEL: 'x' } })], { env: { LOG_LEVEL: 'y' } })).toThrow('test/api: config.env.LOG_LEVEL is set twice');
    expect(() => service(makeChart(), [ConfigFiles.of({ files: { A: 'x' }, env: { A: 'y' } })])).toThrow('test/api: config.env.A has the name of a config file');
    expect(() => service(makeChart(), [ConfigFiles.of({})])).toThrow('test/api: config has neither files nor env');
    expect(() => service(makeChart(), [ConfigFiles.of({ env: { A: 1 as any } })])).toThrow('test/api: config.env.A must be a string, got 1; quote it');
  });

  test('set names and retention windows', () => {
    expect(() => service(makeChart(), [ConfigFiles.of({ name: 'Bad_Name', env: { A: 'x' } })])).toThrow(/test\/api: config\.name must be a DNS-1123 label/);
    expect(() => service(makeChart(), [ConfigFiles.of({ env: { A: 'x' }, retainGenerations: -1 })])).toThrow('test/api: config.retainGenerations must be an integer between 0 and 100, got -1; use e.g. 5');
  });
});

describe('a config change rolls the pods under every delivery strategy', () => {
  const slo = ServiceLevelObjective.of({ successRate: 0.99, latency: { percentile: 0.95, thresholdMs: 500 } });
  const build = (level: string) => {
    const app = new GitOpsApp({ environments: Environments.define({ dev: { clusters: [{ name: 'dev', server: 'https://dev.k.example' }] } }) });
    app.forEachTarget((scope) => {
      const ns = new PlatformNamespace(scope, 'shop');
      for (const [id, delivery] of [['rolling', Delivery.rollingUpdate()], ['argo', Delivery.canary({ trafficRouting: TrafficRouting.istio(), slo })], ['flagger', Delivery.flagger({ slo })]] as const) {
        new HardenedService(ns, id, { image, port: 8080, autoscaling: { minReplicas: 2, maxReplicas: 4 }, delivery, use: [ConfigFiles.of({ files: { 'app.yaml': { level } } }), Metrics.withoutSloAlerts('config test: the rollout is the subject')] });
      }
    });
    return app.render().map((o) => o.manifest);
  };
  const before = build('info');
  const after = build('debug');

  test.each(['rolling', 'argo', 'flagger'])('%s: the Deployment pod template (what the controller watches) mounts the new name', (id) => {
    const dep = (ms: any[]) => ms.find((m) => m.kind === 'Deployment' && m.metadata.name === id);
    const vol = (ms: any[]) => dep(ms).spec.template.spec.volumes.find((v: any) => v.name === 'config').configMap.name;
    expect(vol(before)).toMatch(new RegExp(`^${id}-config-[0-9a-f]{10}$`));
    expect(vol(after)).not.toBe(vol(before));
    expect(after.find((m) => m.kind === 'ConfigMap' && m.metadata.name === vol(after))).toBeDefined();
  });

  test('the Argo Rollout takes its template from the Deployment (workloadRef), the Flagger Canary targets it', () => {
    const rollout = after.find((m) => m.kind === 'Rollout' && m.metadata.name === 'argo');
    expect(rollout.spec.workloadRef).toEqual(expect.objectContaining({ kind: 'Deployment', name: 'argo' }));
    expect(rollout.spec.template).toBeUndefined();
    const canary = after.find((m) => m.kind === 'Canary' && m.metadata.name === 'flagger');
    expect(canary.spec.targetRef).toEqual(expect.objectContaining({ kind: 'Deployment', name: 'flagger' }));
  });
});
