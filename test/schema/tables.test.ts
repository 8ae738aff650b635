// The two hand-written tables (enums, version rules) against the vendored schemas they describe.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { BUILT_IN_ENUMS, crdIndex, KubernetesSchemas, kubernetesSchemaFile, SUPPORTED_KUBERNETES_VERSIONS, VERSION_RULES } from '../../lib/schema';

const NEWEST = SUPPORTED_KUBERNETES_VERSIONS[SUPPORTED_KUBERNETES_VERSIONS.length - 1];
const OLDEST = SUPPORTED_KUBERNETES_VERSIONS[0];

describe('BUILT_IN_ENUMS', () => {
  test('every entry names a string (or list of strings) field that the newest schema has', () => {
    const defs = kubernetesSchemaFile(NEWEST).definitions;
    for (const key of Object.keys(BUILT_IN_ENUMS)) {
      const i = key.lastIndexOf('.');
      const prop = defs[key.slice(0, i)]?.properties?.[key.slice(i + 1)];
      expect([key, prop?.type === 'string' || (prop?.type === 'array' && prop.items?.type === 'string')]).toEqual([key, true]);
    }
  });

  // the fields that every version has: a Pod's with each listed value, then with the value lowercased
  const pod = (container: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i', ...container }], ...spec },
  });
  const cases: [string, (v: string) => any, string][] = [
    ['io.k8s.api.core.v1.Container.imagePullPolicy', (v) => pod({ imagePullPolicy: v }), 'spec.containers[0].imagePullPolicy'],
    ['io.k8s.api.core.v1.ContainerPort.protocol', (v) => pod({ ports: [{ containerPort: 80, protocol: v }] }), 'spec.containers[0].ports[0].protocol'],
    ['io.k8s.api.core.v1.PodSpec.restartPolicy', (v) => pod({}, { restartPolicy: v }), 'spec.restartPolicy'],
    ['io.k8s.api.core.v1.PodSpec.dnsPolicy', (v) => pod({}, { dnsPolicy: v }), 'spec.dnsPolicy'],
    ['io.k8s.api.core.v1.PodSpec.preemptionPolicy', (v) => pod({}, { preemptionPolicy: v }), 'spec.preemptionPolicy'],
    ['io.k8s.api.core.v1.ServiceSpec.type', (v) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: v } }), 'spec.type'],
    ['io.k8s.api.core.v1.ServiceSpec.ipFamilies', (v) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ipFamilies: [v] } }), 'spec.ipFamilies[0]'],
  ];
  test.each(cases)('%s: every listed value passes on every version, another casing fails', (key, make, field) => {
    for (const version of [OLDEST, NEWEST]) {
      const schemas = KubernetesSchemas.of(version);
      for (const v of BUILT_IN_ENUMS[key]) {
        expect(schemas.check(make(v)).issues).toEqual([]);
        const wrong = v.toLowerCase() === v ? v.toUpperCase() : v.toLowerCase();
        const [i] = schemas.check(make(wrong)).issues;
        expect([i.path, i.fix]).toEqual([field, `use ${JSON.stringify(v)} (values are case-sensitive)`]);
      }
    }
  });
});

describe('VERSION_RULES', () => {
  test('field rules: the field exists in every version from `since` on', () => {
    for (const r of VERSION_RULES) {
      if (r.type !== 'field') continue;
      for (const v of SUPPORTED_KUBERNETES_VERSIONS) {
        const has = kubernetesSchemaFile(v).definitions[r.definition]?.properties?.[r.field] !== undefined;
        if (Number(v.split('.')[1]) >= Number(r.since.split('.')[1])) expect([r.id, v, has]).toEqual([r.id, v, true]);
      }
    }
  });

  test('removed APIs: the replacement is served by every supported version where the trimmed schemas carry its group', () => {
    for (const r of VERSION_RULES) {
      if (r.type !== 'removed-api' || !/^[a-z.]*\/?v\d+$/.test(r.replacement)) continue;
      for (const kind of r.kinds) {
        const key = `${r.replacement}/${kind}`;
        const group = r.replacement.includes('/') ? r.replacement.split('/')[0] : '';
        const carried = Object.keys(kubernetesSchemaFile(NEWEST).kinds).some((k) => k.split('/').length === (group ? 3 : 2) && k.startsWith(group ? `${group}/` : 'v1/'));
        if (!carried) continue;
        for (const v of SUPPORTED_KUBERNETES_VERSIONS) expect([key, v, kubernetesSchemaFile(v).kinds[key] !== undefined]).toEqual([key, v, true]);
      }
    }
  });

  test('removed APIs are errors from their removal on and name the replacement', () => {
    const flow = { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kind: 'FlowSchema', metadata: { name: 'f' }, spec: {} };
    expect(KubernetesSchemas.of('1.32').check(flow).issues[0]).toMatchObject({ path: 'apiVersion', fix: 'use flowcontrol.apiserver.k8s.io/v1' });
    // still served by 1.31, but not among the GA schemas: no schema, and the fix names the replacement
    expect(KubernetesSchemas.of('1.31').check(flow).noSchema?.fix).toBe('use flowcontrol.apiserver.k8s.io/v1 (flowcontrol.apiserver.k8s.io/v1beta3 is removed in 1.32)');
    const pdb = { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: {} };
    expect(KubernetesSchemas.of(OLDEST).check(pdb).issues[0].problem).toBe(`policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25; the cluster declares ${OLDEST}`);
  });
});

describe('vendored schemas', () => {
  test('vendor/crd-schemas was extracted from the current vendor/crds (else run npm run import:schemas)', () => {
    const dir = path.join(__dirname, '..', '..', 'vendor', 'crds');
    const now = Object.fromEntries(fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
      .map((f) => [f, crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, f), 'utf8')).digest('hex')]));
    expect(crdIndex().sources).toEqual(now);
  });

  test('one Kubernetes schema per supported version, with its SOURCES.md and licence', () => {
    const dir = path.join(__dirname, '..', '..', 'vendor', 'k8s-schemas');
    expect(fs.readdirSync(dir).sort()).toEqual(['LICENSE-Apache-2.0.txt', 'SOURCES.md', ...SUPPORTED_KUBERNETES_VERSIONS.map((v) => `k8s-v${v}.0.json`)].sort());
  });
});
