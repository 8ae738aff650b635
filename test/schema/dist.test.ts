// The committed dist/ of the example platform, read back: every object of every folder fits the schema of its
// target's declared Kubernetes version and of the newest supported one.
import * as path from 'path';
import * as YAML from 'yaml';
import { environments } from '../../apps/main';
import { readTree } from '../../lib/gitops';
import { folderVersions, KubernetesVersion, schemaFindings, SchemaSubject, SUPPORTED_KUBERNETES_VERSIONS } from '../../lib/schema';
import { crdSchemaErrors, hasCrdSchema } from '../fixtures/crd-schema';

const NEWEST = SUPPORTED_KUBERNETES_VERSIONS[SUPPORTED_KUBERNETES_VERSIONS.length - 1];

describe('dist/ of the example platform', () => {
  const targets = environments.all.flatMap((env) => env.clusters.map((cluster) => ({ cluster, path: env.multiCluster ? `${env.name}/${cluster.name}` : env.name })));
  const versionOf = folderVersions(targets);
  const tree = readTree(path.resolve(__dirname, '../../dist'));
  const subjects: SchemaSubject[] = [];
  for (const [file, text] of tree) {
    if (!file.endsWith('.yaml') || file.endsWith('kustomization.yaml')) continue;
    const folder = targets.map((t) => t.path).find((p) => file.startsWith(`${p}/`)) ?? file.split('/')[0];
    for (const d of YAML.parseAllDocuments(text, { version: '1.1' })) subjects.push({ folder, manifest: d.toJS() });
  }

  test('the clusters declare different versions (one prod region on 1.29)', () => {
    expect(targets.map((t) => [t.path, versionOf(t.path)])).toEqual([
      ['dev', '1.34'], ['staging', '1.34'], ['prod/prod-eu-west-1', '1.33'], ['prod/prod-us-east-1', '1.29'],
    ]);
    expect(versionOf('argocd')).toBe('1.29');
  });

  test('every object passes for its target declared version', () => {
    expect(subjects.length).toBeGreaterThan(100);
    expect(schemaFindings(subjects, versionOf)).toEqual([]);
  });

  test('every object passes for the newest supported version', () => {
    expect(schemaFindings(subjects, () => NEWEST as KubernetesVersion)).toEqual([]);
  });

  test('custom resources also pass the independent CRD walker of the test fixtures', () => {
    const checked = subjects.filter((s) => hasCrdSchema(s.manifest));
    expect(checked.length).toBeGreaterThan(0);
    for (const s of checked) expect([s.folder, s.manifest.kind, s.manifest.metadata.name, crdSchemaErrors(s.manifest)]).toEqual([s.folder, s.manifest.kind, s.manifest.metadata.name, []]);
  });

  test('the 1.29 region drains with exec sleep, the others with the kubelet sleep action', () => {
    const preStops = subjects.filter((s) => s.manifest.kind === 'Deployment').map((s) => [s.folder, s.manifest.spec.template.spec.containers[0].lifecycle?.preStop]);
    expect(preStops.length).toBeGreaterThanOrEqual(16);
    for (const [folder, preStop] of preStops) {
      expect([folder, preStop]).toEqual([folder, folder === 'prod/prod-us-east-1' ? { exec: { command: ['sleep', '5'] } } : { sleep: { seconds: 5 } }]);
    }
  });
});
