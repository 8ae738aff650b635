import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { RenderedObject } from '../../lib/gitops';
import { PLATFORM_DEFAULTS } from '../../lib/platform';
import { evaluate, Policy } from '../../lib/policy';
import { Access, assertGroup, Team, TENANCY_DEFAULTS } from '../../lib/tenancy';
import { HardenedService } from '../../lib/workloads';
import { prng, tenancyApp } from './fixtures';

const groups = { admins: ['oidc:shop-admins'], developers: ['oidc:shop-devs'], viewers: ['oidc:everyone'] };
const of = (objects: RenderedObject[], kind: string, folder = 'dev') => objects.filter((o) => o.folder === folder && o.manifest.kind === kind).map((o) => o.manifest);

describe('Team', () => {
  let objects: RenderedObject[];
  beforeAll(() => {
    objects = tenancyApp((scope) => {
      const team = new Team(scope, 'shop', { groups, namespaces: ['shop', { name: 'shop-batch', quota: { requestsCpu: '1' } }] });
      new HardenedService(team.namespace('shop'), 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
    }, ['dev']).render();
  });

  test('renders each namespace with Pod Security labels, default-deny, the default LimitRange and a quota', () => {
    const namespaces = of(objects, 'Namespace');
    expect(namespaces.map((n) => n.metadata.name)).toEqual(['shop', 'shop-batch']);
    expect(namespaces[0].metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted', team: 'shop' });
    expect(namespaces[0].metadata.annotations[TENANCY_DEFAULTS.groupsAnnotation]).toBe('oidc:everyone,oidc:shop-admins,oidc:shop-devs');
    expect(of(objects, 'NetworkPolicy').filter((n) => n.metadata.name === 'default-deny').map((n) => n.metadata.namespace)).toEqual(['shop', 'shop-batch']);
    expect(of(objects, 'LimitRange')[0].spec.limits).toEqual([{ type: 'Container', defaultRequest: { ...PLATFORM_DEFAULTS.limitRange.defaultRequest }, default: { ...PLATFORM_DEFAULTS.limitRange.default } }]);
  });

  test('the default quota caps compute, storage and object counts; a namespace may set its own', () => {
    const [shop, batch] = of(objects, 'ResourceQuota');
    const d = TENANCY_DEFAULTS.quota;
    expect(shop.spec.hard).toEqual({
      'requests.cpu': d.requestsCpu, 'requests.memory': d.requestsMemory, 'limits.memory': d.limitsMemory, 'requests.storage': d.requestsStorage,
      pods: String(d.pods), persistentvolumeclaims: '10', services: '20', configmaps: '50', secrets: '50',
    });
    expect(batch.spec.hard).toEqual({ 'requests.cpu': '1' });
  });

  test('binds each group to its preset Role in every namespace, with explicit verbs and no wildcard', () => {
    const bindings = of(objects, 'RoleBinding').filter((b) => b.metadata.namespace === 'shop');
    expect(bindings.map((b) => [b.metadata.name, b.roleRef.kind, b.roleRef.name, b.subjects.map((s: any) => s.name)])).toEqual([
      ['shop-view', 'Role', 'team-view', ['oidc:everyone']],
      ['shop-edit', 'Role', 'team-edit', ['oidc:shop-devs']],
      ['shop-admin', 'Role', 'team-admin', ['oidc:shop-admins']],
      ['shop-flux', 'ClusterRole', 'admin', ['flux-shop']],
    ]);
    const roles = of(objects, 'Role');
    expect(roles.map((r) => r.metadata.name).sort()).toEqual(['team-admin', 'team-admin', 'team-edit', 'team-edit', 'team-view', 'team-view']);
    const view = roles.find((r) => r.metadata.name === 'team-view')!;
    expect(view.rules.flatMap((r: any) => r.resources)).not.toContain('secrets');
    expect(roles.find((r) => r.metadata.name === 'team-admin')!.rules.some((r: any) => r.resources.includes('secrets'))).toBe(true);
    for (const r of roles) for (const rule of r.rules) for (const v of [...rule.verbs, ...rule.resources, ...rule.apiGroups]) expect(v).not.toContain('*');
  });

  test('renders the Flux tenant ServiceAccount in flux-system', () => {
    expect(of(objects, 'ServiceAccount').find((s) => s.metadata.name === 'flux-shop')!.metadata.namespace).toBe('flux-system');
  });

  test('passes every policy rule', () => {
    expect(evaluate(objects)).toEqual([]);
  });

  test('a namespace claimed by two teams is an error', () => {
    expect(() => tenancyApp((scope) => {
      new Team(scope, 'shop', { groups, namespaces: ['shop'] });
      new Team(scope, 'pay', { groups: { admins: ['oidc:pay'] }, namespaces: ['pay', 'shop'] });
    }, ['dev'])).toThrow("dev/pay: namespaces claims namespace 'shop', which team 'shop' (dev/shop) already owns, got \"shop\"; give every namespace to one team");
  });

  test('the Flux namespace, the LimitRange and the quota are the team\'s to set', () => {
    const objects = tenancyApp((scope) => {
      new Team(scope, 'shop', { groups, namespaces: ['shop'], fluxNamespace: 'flux', limitRange: { defaultCpuRequest: '50m' }, quota: { pods: 5 } });
    }, ['dev']).render();
    expect(of(objects, 'ServiceAccount')[0].metadata).toMatchObject({ name: 'flux-shop', namespace: 'flux' });
    expect(of(objects, 'RoleBinding').find((b) => b.metadata.name === 'shop-flux')!.subjects).toEqual([{ kind: 'ServiceAccount', name: 'flux-shop', namespace: 'flux' }]);
    expect(of(objects, 'LimitRange')[0].spec.limits[0].defaultRequest.cpu).toBe('50m');
    expect(of(objects, 'ResourceQuota')[0].spec.hard).toEqual({ pods: '5' });
  });

  test('namespace() names only the team\'s namespaces', () => {
    const team = new Team(new Chart(new App(), 'c'), 'shop', { groups, namespaces: ['shop'] });
    expect(team.namespace('shop').name).toBe('shop');
    expect(() => team.namespace('pay')).toThrow("c/shop: namespace is not a namespace of team 'shop', got \"pay\"; use one of shop");
  });

  test('a team with no group or no namespace is an error', () => {
    const chart = () => new Chart(new App(), 'c');
    expect(() => new Team(chart(), 'shop', { groups: {}, namespaces: ['shop'] })).toThrow(/^c\/shop: groups names no group, got \{\}; give the team at least one group/);
    expect(() => new Team(chart(), 'shop', { groups, namespaces: [] })).toThrow(/^c\/shop: namespaces lists no namespace, got \[\]/);
    expect(() => new Team(chart(), 'shop', { groups, namespaces: ['a', 'a'] })).toThrow(/namespaces lists a namespace twice, got "a"/);
  });

  test('groups must be oidc:<name>; an unknown format is an error (generated inputs)', () => {
    const scope = new Construct(new Chart(new App(), 'c'), 't');
    const rand = prng(14);
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@/-';
    for (let i = 0; i < 200; i++) {
      const len = 1 + Math.floor(rand() * 20);
      let name = '';
      for (let j = 0; j < len; j++) name += alphabet[Math.floor(rand() * alphabet.length)];
      const valid = /^[A-Za-z0-9]/.test(name) && /[A-Za-z0-9]$/.test(name);
      if (valid) expect(assertGroup(scope, 'g', `oidc:${name}`)).toBe(`oidc:${name}`);
      else expect(() => assertGroup(scope, 'g', `oidc:${name}`)).toThrow(/g is not an identity-provider group of the form 'oidc:<name>'/);
      // any other prefix (or none) is an unknown format
      for (const bad of [name, `ldap:${name}`, `oidc:${name} x`]) expect(() => assertGroup(scope, 'g', bad)).toThrow(/^c\/t: g is not an identity-provider group/);
      expect(() => assertGroup(scope, 'g', `system:${name}`)).toThrow(/^c\/t: g is a Kubernetes system group/);
    }
    expect(() => new Team(new Chart(new App(), 'c'), 'shop', { groups: { admins: ['Shop Admins'] }, namespaces: ['shop'] }))
      .toThrow("c/shop: groups.admins[0] is not an identity-provider group of the form 'oidc:<name>' (letters, digits, '.', '_', '-', '@', '/'), got \"Shop Admins\"; write it like 'oidc:Shop-Admins'");
    // the prefix is configurable
    expect(() => new Team(new Chart(new App(), 'c'), 'shop', { groups: { admins: ['corp:admins'] }, namespaces: ['shop'], groupPrefix: 'corp:' })).not.toThrow();
  });
});

describe('Access.grant', () => {
  test('gives the workload a Role with exactly the grants, bound to its ServiceAccount, and only then a token', () => {
    let api!: HardenedService;
    let plain!: HardenedService;
    const objects = tenancyApp((scope) => {
      const team = new Team(scope, 'shop', { groups, namespaces: ['shop'] });
      api = new HardenedService(team.namespace('shop'), 'api', {
        image: 'ghcr.io/acme/api:1.0.0', port: 8080,
        use: [Access.grant({ resources: ['configmaps'], verbs: ['get', 'watch', 'list'] })],
      });
      api.use(Access.grant({ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'update'], resourceNames: ['api-leader'] }));
      plain = new HardenedService(team.namespace('shop'), 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080 });
    }, ['dev']).render();
    const role = of(objects, 'Role').find((r) => r.metadata.name === 'api')!;
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'watch', 'list'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['api-leader'], verbs: ['get', 'update'] },
    ]);
    const binding = of(objects, 'RoleBinding').find((r) => r.metadata.name === 'api')!;
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'api', namespace: 'shop' }]);
    expect(api.pod.mountsServiceAccountToken).toBe(true);
    expect(plain.pod.mountsServiceAccountToken).toBe(false);
    expect(evaluate(objects)).toEqual([]);
  });

  test('a wildcard or an unknown verb is an error', () => {
    const chart = new Chart(new App(), 'c', { namespace: 'shop' });
    const svc = (id: string, grant: Parameters<typeof Access.grant>[0]) => new HardenedService(chart, id, { image: 'ghcr.io/acme/api:1.0.0', port: 8080, use: [Access.grant(grant)] });
    expect(() => svc('a', { resources: ['*'], verbs: ['get'] })).toThrow(/^c\/a: grant.resources\[0\] is a wildcard \(least privilege: grant exactly what the workload calls\), got "\*"/);
    expect(() => svc('b', { resources: ['pods'], verbs: ['*'] })).toThrow(/^c\/b: grant.verbs\[0\] is a wildcard/);
    expect(() => svc('c', { resources: ['pods'], verbs: ['get'], apiGroups: ['*'] })).toThrow(/^c\/c: grant.apiGroups\[0\] is a wildcard/);
    expect(() => svc('d', { resources: ['pods'], verbs: ['escalate'] })).toThrow(/^c\/d: grant.verbs\[0\] is not valid, got "escalate"/);
    expect(() => svc('e', { resources: [], verbs: ['get'] })).toThrow(/^c\/e: grant.resources must list at least one entry/);
  });

  test('the wildcard rule also catches raw Roles and ClusterRoles, unless exempted with a reason', () => {
    const raw = (exempt: boolean) => tenancyApp((scope) => {
      const role = new ApiObject(scope, 'raw', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'raw' }, rules: [{ apiGroups: ['*'], resources: ['pods'], verbs: ['get'] }] });
      if (exempt) Policy.exempt(role, 'tenancy-rbac-no-wildcards', 'the metrics adapter reads every group');
    }, ['dev']);
    expect(() => raw(false).render()).toThrow(/tenancy-rbac-no-wildcards[\s\S]*rules\[0\]\.apiGroups[\s\S]*wildcard/);
    expect(() => raw(true).render()).not.toThrow();
  });
});
