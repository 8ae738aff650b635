// The "done when" for stateful workloads, checked on the committed dist/ of the example platform.
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as YAML from 'yaml';
import { readTree } from '../../lib/gitops';
import { APPLY_PHASE_ANNOTATION, SYNC_WAVE_ANNOTATION } from '../../lib/gitops/apply-order';
import { crdSchemaErrors } from '../fixtures/crd-schema';
import { spawnCollected } from '../fixtures/spawn';

const dist = path.resolve(__dirname, '../../dist');
const tree = readTree(dist);
const TARGETS = ['dev', 'staging', 'prod/prod-eu-west-1', 'prod/prod-us-east-1'];
const docs = (file: string): any[] => YAML.parseAllDocuments(tree.get(file)!).map((d) => d.toJS());
const selects = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels?.[k] === v);
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
const itIfKubectl = kubectl ? it : it.skip;

describe.each(TARGETS)('dist/%s', (target) => {
  const db = docs(`${target}/storefront/db.yaml`);
  const sts = db.find((m) => m.kind === 'StatefulSet');
  const podLabels = sts.spec.template.metadata.labels;

  test('holds the database StatefulSet with volume claim templates on the declared class, its headless Service and a PDB selecting it', () => {
    expect(sts.spec.volumeClaimTemplates.map((t: any) => [t.metadata.name, t.spec.storageClassName])).toEqual([['data', 'fast-ssd']]);
    // cluster-scoped: the platform part of the target (tenancy)
    expect(docs(`${target}/_platform/_cluster/storageclass-fast-ssd.yaml`)[0]).toMatchObject({ kind: 'StorageClass', metadata: { name: 'fast-ssd' }, reclaimPolicy: expect.any(String) });
    const headless = db.find((m) => m.kind === 'Service' && m.metadata.name === sts.spec.serviceName);
    expect(headless.spec.clusterIP).toBe('None');
    expect(selects(headless.spec.selector, podLabels)).toBe(true);
    const pdb = db.find((m) => m.kind === 'PodDisruptionBudget');
    expect(selects(pdb.spec.selector.matchLabels, podLabels)).toBe(true);
    expect(sts.spec.replicas).toBe(target === 'dev' || target === 'staging' ? 1 : 3);
  });

  test('the migration Job is ordered before the API for Argo CD (waves) and Flux (phased Kustomizations)', () => {
    const job = docs(`${target}/storefront/db-migrate.yaml`).find((m) => m.kind === 'Job');
    const api = docs(`${target}/storefront/api.yaml`).find((m) => m.kind === 'Deployment');
    const wave = (m: any) => Number(m.metadata.annotations?.[SYNC_WAVE_ANNOTATION] ?? 0);
    expect(wave(sts)).toBeLessThan(wave(job));
    expect(wave(job)).toBeLessThan(wave(api));
    expect(job.metadata.annotations['typed-manifests.io/run-before']).toBe('storefront/api');

    const id = target.split('/').pop();
    const ks = new Map([...tree].filter(([f]) => f.startsWith('flux/flux-system/kustomization-')).map(([, t]) => YAML.parse(t)).map((k) => [k.metadata.name, k.spec]));
    // the Kustomization that applies a file: the phase folder selecting its phase (the team's own applies the last)
    const phaseOf = (m: any) => m.metadata.annotations[APPLY_PHASE_ANNOTATION];
    const ksOf = (m: any) => [...ks.entries()].find(([, s]) => s.path === `./dist/_phases/${target}/_teams/storefront/phase-${phaseOf(m)}`)?.[0];
    const jobKs = ksOf(job)!;
    const apiKs = ksOf(api)!;
    const dbKs = ksOf(sts)!;
    // the storefront team's part of the target is applied by its own Kustomizations, in phases
    expect(apiKs).toBe(`storefront-${id}`);
    expect(jobKs).toBe(`storefront-${id}-phase-2`);
    // the API's Kustomization depends (transitively) on the Job's, which depends on the database's
    const deps = (name: string): string[] => (ks.get(name)!.dependsOn ?? []).flatMap((d: any) => [d.name, ...deps(d.name)]);
    expect(deps(apiKs)).toContain(jobKs);
    expect(deps(jobKs)).toContain(dbKs);
    expect(ks.get(jobKs)).toMatchObject({ wait: true, force: true });
    expect(ks.get(apiKs)!.wait).toBe(true);
  });

  test('a Velero Schedule covers the database in prod only', () => {
    const file = `${target}/_platform/velero/storefront-db.yaml`;
    if (!target.startsWith('prod/')) {
      expect(tree.has(file)).toBe(false);
      return;
    }
    const schedule = docs(file)[0];
    expect(crdSchemaErrors(schedule)).toEqual([]);
    expect(schedule.spec.template.includedNamespaces).toContain(sts.metadata.namespace);
    expect(selects(schedule.spec.template.labelSelector.matchLabels, podLabels)).toBe(true);
    expect(selects(schedule.spec.template.labelSelector.matchLabels, sts.spec.volumeClaimTemplates[0].metadata.labels)).toBe(true);
    expect(sts.spec.template.metadata.annotations['pre.hook.backup.velero.io/command']).toContain('CHECKPOINT');
  });

  test('the API, the worker and the report reach the database through the connection graph, not an IP block', () => {
    for (const unit of ['api', 'order-worker', 'nightly-report']) {
      const np = docs(`${target}/storefront/${unit}.yaml`).find((m) => m.kind === 'NetworkPolicy');
      expect(JSON.stringify(np.spec.egress)).not.toContain('ipBlock');
      expect(np.spec.egress).toContainEqual({ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'db', 'app.kubernetes.io/name': 'db' } } }], ports: [{ port: 5432, protocol: 'TCP' }] });
    }
  });
});

/** `kubectl kustomize <folder>` once per folder (both tests read the same builds); a few at a time, each its own process. */
type Build = { status: number | null; stdout: string; stderr: string };
const builds = new Map<string, Promise<Build>>();
function kustomize(folder: string): Promise<Build> {
  let b = builds.get(folder);
  if (!b) {
    b = spawnCollected('kubectl', ['kustomize', path.join(dist, folder)]);
    builds.set(folder, b);
  }
  return b;
}
async function kustomizeAll(folders: string[], concurrency = 3): Promise<Build[]> {
  const out: Build[] = new Array(folders.length);
  let next = 0;
  const lane = async () => {
    while (next < folders.length) {
      const i = next++;
      out[i] = await kustomize(folders[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, folders.length) }, lane));
  return out;
}

describe('kustomize', () => {
  if (!kubectl) {
    // eslint-disable-next-line no-console
    console.warn('kubectl not found: skipping the check that every kustomization.yaml of dist/ builds with plain `kubectl kustomize`');
  }
  itIfKubectl('builds every kustomization.yaml of dist/ with plain `kubectl kustomize` (no load restrictor option), phase folders included', async () => {
    const folders = [...tree.keys()].filter((f) => f.endsWith('/kustomization.yaml')).map((f) => path.dirname(f));
    expect(folders.filter((f) => f.startsWith('_phases/')).length).toBeGreaterThanOrEqual(12);
    const results = await kustomizeAll(folders);
    folders.forEach((folder, i) => {
      const r = results[i];
      expect({ folder, status: r.status, stderr: r.stderr }).toEqual({ folder, status: 0, stderr: '' });
    });
  }, 120_000);

  itIfKubectl('a phased unit\'s phase folders together build exactly its objects, each once', async () => {
    const unit = 'staging/_teams/storefront';
    const ids = (out: string) => YAML.parseAllDocuments(out).map((d) => d.toJS()).filter((m) => m).map((m: any) => `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`);
    const phases = [...tree.keys()].filter((f) => f.startsWith(`_phases/${unit}/`) && f.endsWith('/kustomization.yaml')).map((f) => path.dirname(f));
    expect(phases.length).toBeGreaterThan(1);
    const [whole, ...parts] = await kustomizeAll([unit, ...phases]);
    expect(whole.status).toBe(0);
    const all = ids(whole.stdout);
    const fromPhases = parts.flatMap((r) => ids(r.stdout));
    expect([...fromPhases].sort()).toEqual([...all].sort());
  }, 120_000);
});
