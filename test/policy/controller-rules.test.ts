import { ApiObject } from 'cdk8s';
import { GitOpsApp } from '../../lib/gitops';
import { Policy, PolicyError } from '../../lib/policy';
import { Team } from '../../lib/tenancy';
import { prng, randomString } from '../fixtures/prng';
import { tenancyApp } from '../tenancy/fixtures';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';

function findingsOf(app: GitOpsApp<any>) {
  try {
    app.render();
    return [];
  } catch (e) {
    if (!(e instanceof PolicyError)) throw e;
    return e.findings;
  }
}

const kustomization = (spec: object) => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization',
  spec: { interval: '10m', path: './deploy', prune: true, sourceRef: { kind: 'GitRepository', name: 'vendor' }, ...spec },
});
const helmRelease = (spec: object) => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease',
  spec: { interval: '10m', chart: { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } }, ...spec },
});

/** Renders one object of `team`'s scope in its first namespace; returns the findings of the controller rules. */
function teamObject(team: string, namespaces: string[], obj: any, options: { platform?: boolean; exempt?: string } = {}) {
  const app = tenancyApp((scope) => {
    const t = new Team(scope, team, { groups: { admins: [`oidc:${team}-admins`] }, namespaces });
    const o = new ApiObject(options.platform ? scope : t.namespace(namespaces[0]), 'controller', { ...obj, metadata: { name: 'ctl', namespace: namespaces[0] } });
    if (options.exempt) Policy.exempt(o, options.exempt, 'the platform reviewed it');
  }, ['dev']);
  return findingsOf(app).filter((f) => f.rule === 'tenancy-flux-tenant' || f.rule === 'tenancy-argo-project');
}

describe('tenancy-flux-tenant', () => {
  test('a team\'s Kustomization or HelmRelease must impersonate its tenant account and stay in its namespaces (generated)', () => {
    const rand = prng(40);
    for (let i = 0; i < 16; i++) {
      const team = `t${randomString(rand, LOWER, 5)}`;
      const namespaces = [`${team}-a`, `${team}-b`];
      const make = i % 2 === 0 ? kustomization : helmRelease;
      const good = { serviceAccountName: `flux-${team}`, targetNamespace: namespaces[1] };
      expect(teamObject(team, namespaces, make(good))).toEqual([]);
      const other = `x${randomString(rand, LOWER, 5)}`;
      const bad: [object, string, RegExp][] = [
        [{}, 'spec.serviceAccountName', new RegExp(`must be team '${team}''s tenant account 'flux-${team}'.*got undefined`)],
        [{ ...good, serviceAccountName: `flux-${other}` }, 'spec.serviceAccountName', new RegExp(`got "flux-${other}"`)],
        [{ ...good, targetNamespace: other }, 'spec.targetNamespace', new RegExp(`is outside team '${team}''s namespaces ${namespaces.join(', ')}, got "${other}"`)],
        [{ ...good, dependsOn: [{ name: 'base', namespace: other }] }, 'spec.dependsOn[0].namespace', /cross-namespace reference, refused by Flux's --no-cross-namespace-refs/],
        [{ ...good, kubeConfig: { secretRef: { name: 'remote' } } }, 'spec.kubeConfig', /instead of the tenant account/],
      ];
      const [spec, field, message] = bad[Math.floor(rand() * bad.length)];
      const findings = teamObject(team, namespaces, make(spec));
      expect(findings.map((f) => f.field)).toEqual([field]);
      expect(findings[0].message).toMatch(message);
      expect(findings[0].constructPath).toBe(`dev/${team}/${namespaces[0]}/controller`);
    }
  });

  test('a source in another namespace is a cross-namespace reference', () => {
    const k = kustomization({ serviceAccountName: 'flux-shop', sourceRef: { kind: 'GitRepository', name: 'vendor', namespace: 'flux-system' } });
    expect(teamObject('shop', ['shop'], k).map((f) => f.field)).toEqual(['spec.sourceRef.namespace']);
    const h = helmRelease({ serviceAccountName: 'flux-shop', chart: { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo', namespace: 'flux-system' } } } });
    expect(teamObject('shop', ['shop'], h).map((f) => f.field)).toEqual(['spec.chart.spec.sourceRef.namespace']);
  });

  test("the platform's own Flux objects are not a team's; a team cannot exempt its own", () => {
    expect(teamObject('shop', ['shop'], kustomization({}), { platform: true })).toEqual([]);
    expect(teamObject('shop', ['shop'], kustomization({}), { exempt: 'tenancy-flux-tenant' }).map((f) => f.rule)).toEqual(['tenancy-flux-tenant']);
  });
});

describe('tenancy-argo-project', () => {
  const application = (project: string, namespace: string) => ({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
    spec: { project, source: { repoURL: 'https://example.com/x.git', path: 'x', targetRevision: 'main' }, destination: { server: 'https://kubernetes.default.svc', namespace } },
  });
  test("a team's Application uses the team's project and deploys into its namespaces (generated)", () => {
    const rand = prng(41);
    for (let i = 0; i < 10; i++) {
      const team = `t${randomString(rand, LOWER, 5)}`;
      expect(teamObject(team, [team], application(team, team))).toEqual([]);
      const project = pick(rand, ['default', 'platform', `x${randomString(rand, LOWER, 4)}`]);
      const f = teamObject(team, [team], application(project, team));
      expect(f.map((x) => x.field)).toEqual(['spec.project']);
      expect(f[0].message).toBe(`must be team '${team}''s AppProject (which allows only its namespaces and no cluster-scoped kinds), got "${project}"`);
      expect(teamObject(team, [team], application(team, 'kube-system')).map((x) => x.field)).toEqual(['spec.destination.namespace']);
    }
  });
});

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)];
}

describe('tenancy-team-platform-kinds', () => {
  test("a team's own ResourceQuota or LimitRange fails; the Team's own guard rails pass", () => {
    const rand = prng(42);
    for (let i = 0; i < 6; i++) {
      const team = `t${randomString(rand, LOWER, 5)}`;
      const kind = pick(rand, ['ResourceQuota', 'LimitRange']);
      const spec = kind === 'ResourceQuota' ? { hard: { pods: '1000' } } : { limits: [{ type: 'Container', max: { memory: '64Gi' } }] };
      const app = tenancyApp((scope) => {
        const t = new Team(scope, team, { groups: { admins: [`oidc:${team}-admins`] }, namespaces: [team] });
        new ApiObject(t.namespace(team), 'mine', { apiVersion: 'v1', kind, metadata: { name: 'mine', namespace: team }, spec });
      }, ['dev']);
      const f = findingsOf(app).filter((x) => x.rule === 'tenancy-team-platform-kinds');
      expect(f.map((x) => `${x.object.kind} ${x.constructPath}`)).toEqual([`${kind} dev/${team}/${team}/mine`]);
      expect(f[0].fix).toBe(`size it with the Team's quota or limitRange props (dev/${team})`);
    }
  });
});
