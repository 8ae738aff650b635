// The "Done when" checks, on the committed dist/ of the example platform (apps/main.ts).
import * as path from 'path';
import * as YAML from 'yaml';
import { environments } from '../../apps/main';
import { readTree } from '../../lib/gitops';
import { namespaceFootprint, parseQuantityOr, podTemplateOf } from './example-helpers';

const dist = readTree(path.resolve(__dirname, '../../dist'));
const TARGETS = ['dev', 'staging', 'prod/prod-eu-west-1', 'prod/prod-us-east-1'];
const TEAMS: Record<string, string[]> = { storefront: ['storefront'], payments: ['payments'] };

/** Every object of a target (its platform and team parts). */
function objectsOf(target: string): any[] {
  return [...dist].filter(([f]) => f.startsWith(`${target}/`) && !f.endsWith('kustomization.yaml'))
    .flatMap(([, t]) => YAML.parseAllDocuments(t).map((d) => d.toJSON()));
}
const docsOf = (file: string) => YAML.parseAllDocuments(dist.get(file)!).map((d) => d.toJSON());

describe.each(TARGETS)('dist/%s', (target) => {
  const objects = objectsOf(target);
  const cluster = environments.all.flatMap((e) => e.clusters).find((c) => target === c.name || target.endsWith(`/${c.name}`))!;

  test('every team namespace has Pod Security labels, default-deny, a LimitRange and a quota the maximum footprint fits', () => {
    for (const ns of Object.values(TEAMS).flat()) {
      const namespace = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === ns);
      expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
      const inNs = objects.filter((o) => o.metadata?.namespace === ns);
      expect(inNs.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      expect(inNs.filter((o) => o.kind === 'LimitRange')).toHaveLength(1);
      const quota = inNs.find((o) => o.kind === 'ResourceQuota');
      const fp = namespaceFootprint({ folder: target, objects }, ns);
      expect(fp.workloads.length).toBeGreaterThan(0);
      for (const [key, hard] of Object.entries(quota.spec.hard)) {
        const need = fp.totals.get(key) ?? 0;
        expect(need).toBeLessThanOrEqual(parseQuantityOr(String(hard)));
      }
    }
  });

  test('no Role or ClusterRole has a wildcard; every RoleBinding names a declared group or a rendered ServiceAccount', () => {
    const roles = objects.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole');
    expect(roles.length).toBeGreaterThan(0);
    for (const r of roles) for (const rule of r.rules) expect(JSON.stringify(rule)).not.toContain('*');
    const declared = new Set(objects.filter((o) => o.kind === 'Namespace').flatMap((o) => (o.metadata.annotations?.['tenancy.typed-manifests.io/groups'] ?? '').split(',').filter(Boolean)));
    const accounts = new Set(objects.filter((o) => o.kind === 'ServiceAccount').map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
    const bindings = objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding');
    expect(bindings.length).toBeGreaterThan(0);
    for (const b of bindings) {
      for (const s of b.subjects) {
        if (s.kind === 'Group') expect(declared).toContain(s.name);
        else expect(accounts).toContain(`${s.namespace ?? b.metadata.namespace}/${s.name}`);
      }
    }
  });

  test('every priorityClassName used is declared; api, checkout and payments-api are critical', () => {
    const declared = objects.filter((o) => o.kind === 'PriorityClass').map((o) => o.metadata.name);
    expect(declared.sort()).toEqual(['batch', 'critical', 'default']);
    const used = new Map(objects.map((o) => [`${o.kind}/${o.metadata.name}`, podTemplateOf(o)?.spec?.priorityClassName]).filter(([, c]) => c !== undefined) as [string, string][]);
    for (const c of used.values()) expect(declared).toContain(c);
    expect(Object.fromEntries(used)).toEqual({ 'Deployment/api': 'critical', 'Deployment/checkout': 'critical', 'Deployment/payments-api': 'critical', 'CronJob/nightly-report': 'batch' });
  });

  test('every workload on a tainted pool tolerates the taint and selects the pool; the report runs on spot', () => {
    const tainted = (cluster.nodePools ?? []).filter((p) => (p.taints ?? []).length > 0);
    for (const o of objects) {
      const spec = podTemplateOf(o)?.spec;
      if (!spec) continue;
      for (const pool of tainted) {
        const selects = Object.entries(pool.labels).every(([k, v]) => spec.nodeSelector?.[k] === v);
        const tolerates = pool.taints!.every((t) => (spec.tolerations ?? []).some((x: any) => x.key === t.key && x.effect === t.effect));
        expect(selects).toBe(tolerates);
      }
    }
    const report = objects.find((o) => o.kind === 'CronJob' && o.metadata.name === 'nightly-report');
    expect(podTemplateOf(report)!.spec.nodeSelector).toEqual({ 'node.acme.io/pool': 'spot' });
  });
});

describe('dist/argocd and dist/flux', () => {
  test("each team's AppProject reaches only its own namespaces, with no cluster-scoped kind", () => {
    for (const [team, namespaces] of Object.entries(TEAMS)) {
      const [project] = docsOf(`argocd/argocd/appproject-${team}.yaml`);
      expect(new Set(project.spec.destinations.map((d: any) => d.namespace))).toEqual(new Set(namespaces));
      expect(project.spec.destinations).toHaveLength(4 * namespaces.length);
      expect(project.spec.clusterResourceWhitelist).toEqual([]);
      for (const target of TARGETS) {
        const id = target.split('/').pop();
        const [app] = docsOf(`argocd/argocd/application-${team}-${id}.yaml`);
        expect(app.spec.project).toBe(team);
        expect(app.spec.source.path).toBe(`dist/${target}/_teams/${team}`);
        // the folder it syncs holds only the team's namespaced objects
        const kust = docsOf(`${target}/_teams/${team}/kustomization.yaml`)[0];
        expect(kust.resources).toEqual(namespaces.map((n) => `../../${n}`));
        for (const ns of namespaces) {
          for (const file of docsOf(`${target}/${ns}/kustomization.yaml`)[0].resources) {
            for (const m of docsOf(`${target}/${ns}/${file}`)) expect(m.metadata.namespace).toBe(ns);
          }
        }
      }
    }
  });

  test('each Flux tenant impersonates its team account, bound only in its namespaces', () => {
    for (const [team, namespaces] of Object.entries(TEAMS)) {
      for (const target of TARGETS) {
        const [ks] = docsOf(`flux/flux-system/kustomization-${team}-${target.split('/').pop()}.yaml`);
        expect(ks.spec.serviceAccountName).toBe(`flux-${team}`);
        expect(ks.spec.targetNamespace).toBe(namespaces[0]);
        const bound = objectsOf(target).filter((o) => o.kind === 'RoleBinding' && o.subjects.some((s: any) => s.kind === 'ServiceAccount' && s.name === `flux-${team}`));
        expect(bound.map((b) => b.metadata.namespace)).toEqual(namespaces);
      }
    }
  });
});
