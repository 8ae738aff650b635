import { ApiObject } from 'cdk8s';
import { GitOpsApp } from '../../lib/gitops';
import { evaluateManifests, Policy, PolicyError, RBAC_RULES } from '../../lib/policy';
import { Access, Team } from '../../lib/tenancy';
import { HardenedWorker } from '../../lib/workloads';
import { prng, randomString } from '../fixtures/prng';
import { tenancyApp } from '../tenancy/fixtures';

const RBAC = 'rbac.authorization.k8s.io/v1';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const HARMLESS_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
const HARMLESS = [
  { apiGroups: [''], resources: ['configmaps', 'services', 'endpoints', 'pods', 'pods/log', 'events', 'persistentvolumeclaims', 'serviceaccounts'] },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'deployments/scale', 'replicasets'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'] },
];

type Rand = () => number;
const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)];
const some = <T>(rand: Rand, list: readonly T[]): T[] => {
  const out = list.filter(() => rand() < 0.5);
  return out.length > 0 ? out : [pick(rand, list)];
};
const harmlessRule = (rand: Rand) => {
  const g = pick(rand, HARMLESS);
  return { apiGroups: [...g.apiGroups], resources: some(rand, g.resources), verbs: some(rand, HARMLESS_VERBS) };
};
const role = (rand: Rand, rules: object[], extra: object = {}) => {
  const cluster = rand() < 0.5;
  return {
    apiVersion: RBAC,
    kind: cluster ? 'ClusterRole' : 'Role',
    metadata: { name: randomString(rand, LOWER, 8), ...(cluster ? {} : { namespace: randomString(rand, LOWER, 6) }) },
    rules,
    ...extra,
  };
};
/** Harmless rules with `bad` inserted at a random place. */
const withBad = (rand: Rand, bad: object) => {
  const rules = Array.from({ length: Math.floor(rand() * 4) }, () => harmlessRule(rand));
  const at = Math.floor(rand() * (rules.length + 1));
  rules.splice(at, 0, bad as any);
  return { rules, at };
};
const rbacFindings = (manifests: object[]) => evaluateManifests(manifests as any, { rules: RBAC_RULES });

describe('RBAC escalation rules (generated roles)', () => {
  test('harmless roles and bindings pass every RBAC rule', () => {
    const rand = prng(30);
    for (let i = 0; i < 60; i++) {
      const r = role(rand, Array.from({ length: 1 + Math.floor(rand() * 4) }, () => harmlessRule(rand)));
      const binding = {
        apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'b', namespace: 'shop' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: r.kind, name: r.metadata.name },
        subjects: [{ kind: 'Group', name: `oidc:${randomString(rand, LOWER, 5)}` }, { kind: 'ServiceAccount', name: 'x', namespace: 'shop' }],
      };
      expect(rbacFindings([r, binding])).toEqual([]);
    }
  });

  const classes: { id: string; bad: (rand: Rand) => object; field: (at: number) => string; message: RegExp }[] = [
    {
      id: 'tenancy-rbac-escalation-verbs',
      bad: (rand) => pick(rand, [
        { apiGroups: [''], resources: some(rand, ['users', 'groups', 'serviceaccounts']), verbs: [...some(rand, ['get', 'list']), 'impersonate'] },
        { apiGroups: ['rbac.authorization.k8s.io'], resources: some(rand, ['roles', 'clusterroles']), verbs: [pick(rand, ['escalate', 'bind', 'Bind'])] },
        { apiGroups: ['authentication.k8s.io'], resources: ['userextras/scopes', 'uids'], verbs: ['impersonate'] },
      ]),
      field: (at) => `rules[${at}].verbs`,
      message: /grants (impersonate|escalate|bind|Bind)/,
    },
    {
      id: 'tenancy-rbac-token-create',
      bad: (rand) => ({ apiGroups: [''], resources: [pick(rand, ['serviceaccounts/token', 'serviceaccounts/*']), ...some(rand, ['configmaps', 'pods'])], verbs: ['create', ...some(rand, ['get', 'list'])] }),
      field: (at) => `rules[${at}].resources`,
      message: /grants create on serviceaccounts\/token/,
    },
    {
      id: 'tenancy-rbac-pod-exec',
      bad: (rand) => ({ apiGroups: [''], resources: some(rand, ['pods/exec', 'pods/attach', 'pods/portforward', 'pods/*']), verbs: [pick(rand, ['create', 'get'])] }),
      field: (at) => `rules[${at}].resources`,
      message: /grants pods\/(exec|attach|portforward)/,
    },
  ];
  for (const c of classes) {
    test(`${c.id}: found wherever it hides among harmless rules`, () => {
      const rand = prng(c.id.length * 31);
      for (let i = 0; i < 25; i++) {
        const { rules, at } = withBad(rand, c.bad(rand));
        const findings = rbacFindings([role(rand, rules)]);
        expect(findings.map((f) => f.rule)).toEqual([c.id]);
        expect(findings[0].field).toBe(c.field(at));
        expect(findings[0].message).toMatch(c.message);
        expect(findings[0].fix).toContain(`Policy.exempt(object, '${c.id}', reason)`);
      }
    });
  }

  test('tenancy-rbac-aggregation: an aggregationRule or an aggregate-to-* label', () => {
    const rand = prng(33);
    for (let i = 0; i < 20; i++) {
      const target = pick(rand, ['view', 'edit', 'admin', randomString(rand, LOWER, 6)]);
      const byLabel = rand() < 0.5;
      const r = role(rand, [harmlessRule(rand)], byLabel ? {} : { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [randomString(rand, LOWER, 4)]: 'true' } }] } });
      const m = byLabel
        ? { ...r, metadata: { ...r.metadata, labels: { [`rbac.authorization.k8s.io/aggregate-to-${target}`]: 'true', team: 'x' } } }
        : { ...r, kind: 'ClusterRole', metadata: { name: r.metadata.name } };
      const findings = rbacFindings([m]);
      expect(findings.map((f) => f.rule)).toEqual(['tenancy-rbac-aggregation']);
      expect(findings[0].field).toBe(byLabel ? `metadata.labels["rbac.authorization.k8s.io/aggregate-to-${target}"]` : 'aggregationRule');
    }
  });

  test('tenancy-rbac-secrets-cluster-wide: a ClusterRoleBinding of a role that reads Secrets (rendered or built in); a RoleBinding of it passes', () => {
    const rand = prng(34);
    for (let i = 0; i < 20; i++) {
      const reader = role(rand, withBad(rand, { apiGroups: [pick(rand, ['', '*'])], resources: ['secrets'], verbs: some(rand, ['get', 'list', 'watch']) }).rules);
      const cr = { ...reader, kind: 'ClusterRole', metadata: { name: reader.metadata.name } };
      const ref = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: cr.metadata.name };
      const subjects = [{ kind: 'Group', name: 'oidc:ops' }];
      const crb = { apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name: 'crb' }, roleRef: ref, subjects };
      const rb = { apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'rb', namespace: 'shop' }, roleRef: ref, subjects };
      const findings = rbacFindings([cr, crb, rb]);
      expect(findings.map((f) => `${f.rule} ${f.object.kind}`)).toEqual(['tenancy-rbac-secrets-cluster-wide ClusterRoleBinding']);
      expect(findings[0].message).toContain(`binds ClusterRole '${cr.metadata.name}', which reads Secrets, cluster-wide`);
    }
  });

  test('tenancy-rbac-built-in-admin: cluster-admin from anywhere, admin and edit cluster-wide; system: subjects', () => {
    const rand = prng(35);
    for (let i = 0; i < 20; i++) {
      const name = pick(rand, ['cluster-admin', 'admin', 'edit']);
      const kind = pick(rand, ['RoleBinding', 'ClusterRoleBinding']);
      const system = rand() < 0.4 ? `system:${pick(rand, ['authenticated', 'unauthenticated', 'masters', 'serviceaccounts'])}` : undefined;
      const b = {
        apiVersion: RBAC, kind, metadata: { name: 'b', ...(kind === 'RoleBinding' ? { namespace: 'shop' } : {}) },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
        subjects: [{ kind: 'Group', name: system ?? 'oidc:ops' }],
      };
      const expected = [
        ...(name === 'cluster-admin' || kind === 'ClusterRoleBinding' ? ['tenancy-rbac-built-in-admin'] : []),
        ...(kind === 'ClusterRoleBinding' ? ['tenancy-rbac-secrets-cluster-wide'] : []),
        ...(system ? ['tenancy-rbac-system-subjects'] : []),
      ].sort();
      expect(rbacFindings([b]).map((f) => f.rule).sort()).toEqual(expected);
    }
  });
});

/** The findings that stop `app` from rendering. */
function findingsOf(app: GitOpsApp<any>) {
  try {
    app.render();
    return [];
  } catch (e) {
    if (!(e instanceof PolicyError)) throw e;
    return e.findings;
  }
}

describe('RBAC rules on rendered objects: team scope and exemptions', () => {
  const rawRole = (scope: any, id: string, ns: string, rules: object[]) => new ApiObject(scope, id, { apiVersion: RBAC, kind: 'Role', metadata: { name: id, namespace: ns }, rules });
  const exec = [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }];

  test("a team binding the built-in admin or edit role in its own namespace fails; the team's own presets pass", () => {
    const rand = prng(36);
    for (let i = 0; i < 6; i++) {
      const ns = randomString(rand, LOWER, 6);
      const name = pick(rand, ['admin', 'edit', 'cluster-admin']);
      const findings = findingsOf(tenancyApp((scope) => {
        const t = new Team(scope, 'shop', { groups: { admins: ['oidc:shop-admins'] }, namespaces: [ns] });
        new ApiObject(t.namespace(ns), 'grab', {
          apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'grab', namespace: ns },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'oidc:shop-admins' }],
        });
      }, ['dev']));
      expect(findings.map((f) => f.rule)).toEqual(['tenancy-rbac-built-in-admin']);
      expect(findings[0].constructPath).toBe(`dev/shop/${ns}/grab`);
      expect(findings[0].message).toContain(`binds built-in ClusterRole '${name}'`);
      if (name !== 'cluster-admin') expect(findings[0].message).toContain("from team 'shop' (dev/shop)");
    }
  });

  test('the platform exempts one object with a reason; a wider exemption or a team\'s own does not count', () => {
    // platform object, exempted on itself: passes
    expect(findingsOf(tenancyApp((scope) => {
      new Team(scope, 'shop', { groups: { admins: ['oidc:shop-admins'] }, namespaces: ['shop'] });
      const r = rawRole(scope, 'debug', 'shop', exec);
      Policy.exempt(r, 'tenancy-rbac-pod-exec', 'break-glass debugging role of the platform on-call');
    }, ['dev']))).toEqual([]);
    // exempted on the whole chart: still fails, with the path
    const wide = findingsOf(tenancyApp((scope) => {
      new Team(scope, 'shop', { groups: { admins: ['oidc:shop-admins'] }, namespaces: ['shop'] });
      rawRole(scope, 'debug', 'shop', exec);
      Policy.exempt(scope, 'tenancy-rbac-pod-exec', 'everything may exec');
    }, ['dev']));
    expect(wide.map((f) => `${f.rule} ${f.constructPath}`)).toEqual(['tenancy-rbac-pod-exec dev/debug']);
    // a team's own role, exempted on itself: still fails
    const team = findingsOf(tenancyApp((scope) => {
      const t = new Team(scope, 'shop', { groups: { admins: ['oidc:shop-admins'] }, namespaces: ['shop'] });
      const r = rawRole(t.namespace('shop'), 'debug', 'shop', exec);
      Policy.exempt(r, 'tenancy-rbac-pod-exec', 'we need it');
    }, ['dev']));
    expect(team.map((f) => `${f.rule} ${f.constructPath}`)).toEqual(['tenancy-rbac-pod-exec dev/shop/shop/debug']);
    // wildcards too: a team cannot exempt its own `*`
    const wild = [{ apiGroups: ['apps'], resources: ['*'], verbs: ['get'] }];
    expect(findingsOf(tenancyApp((scope) => {
      const t = new Team(scope, 'shop', { groups: { admins: ['oidc:shop-admins'] }, namespaces: ['shop'] });
      Policy.exempt(rawRole(t.namespace('shop'), 'reader', 'shop', wild), 'tenancy-rbac-no-wildcards', 'reads every apps kind');
    }, ['dev'])).map((f) => f.rule)).toEqual(['tenancy-rbac-no-wildcards']);
    expect(findingsOf(tenancyApp((scope) => {
      new Team(scope, 'shop', { groups: { admins: ['oidc:shop-admins'] }, namespaces: ['shop'] });
      Policy.exempt(rawRole(scope, 'reader', 'shop', wild), 'tenancy-rbac-no-wildcards', 'inventory exporter of the platform');
    }, ['dev']))).toEqual([]);
  });

  test('generated roles are held to the rules too: a workload granted pods/exec or a token fails', () => {
    for (const resources of [['pods/exec'], ['pods/attach'], ['serviceaccounts/token']]) {
      const findings = findingsOf(tenancyApp((scope) => {
        const t = new Team(scope, 'shop', { groups: { admins: ['oidc:shop-admins'] }, namespaces: ['shop'] });
        new HardenedWorker(t.namespace('shop'), 'w', { image: 'ghcr.io/acme/w:1.0.0', command: ['/w'], use: [Access.grant({ resources, verbs: ['create'] })] });
      }, ['dev']));
      expect(findings.map((f) => f.rule)).toEqual([resources[0].startsWith('pods') ? 'tenancy-rbac-pod-exec' : 'tenancy-rbac-token-create']);
      expect(findings[0].constructPath).toBe('dev/shop/shop/w/AccessRole');
    }
  });
});
