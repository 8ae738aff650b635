import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { ConfigError } from '../../lib/core';
import { Environments, GitOpsApp } from '../../lib/gitops';
import { Team } from '../../lib/tenancy';
import { randomString } from '../fixtures/prng';
import { prng, tenancyApp } from './fixtures';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const name = (rand: () => number, prefix: string) => `${prefix}${randomString(rand, LOWER, 3 + Math.floor(rand() * 5))}`;
const groups = (team: string) => ({ admins: [`oidc:${team}-admins`] });

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

const configMap = (scope: any, id: string, namespace: string | undefined) => new ApiObject(scope, id, {
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id, ...(namespace !== undefined ? { namespace } : {}) }, data: { a: 'b' },
});

describe('ownership by scope', () => {
  test("an object created in one team's scope never lands in another team's or the platform's namespace (generated teams)", () => {
    const rand = prng(20);
    for (let i = 0; i < 15; i++) {
      const a = name(rand, 'a');
      const b = name(rand, 'b');
      const nsA = [name(rand, 'na'), name(rand, 'nb')];
      const nsB = name(rand, 'nc');
      const platformNs = name(rand, 'plat');
      const victim = [nsB, platformNs][i % 2];
      const app = tenancyApp((scope) => {
        const teamA = new Team(scope, a, { groups: groups(a), namespaces: nsA });
        new Team(scope, b, { groups: groups(b), namespaces: [nsB] });
        configMap(teamA.namespace(nsA[0]), 'sneaky', victim);
      }, ['dev']);
      const e = errorOf(() => app.render());
      expect(e).toBeInstanceOf(ConfigError);
      expect(e.message).toContain(`dev/${a}/${nsA[0]}/sneaky: metadata.namespace`);
      expect(e.message).toContain(`team '${a}' (dev/${a})`);
      expect(e.message).toContain(`got "${victim}"`);
      expect(e.message).toContain(victim === nsB ? `namespace '${nsB}' of team '${b}'` : `'${platformNs}', a namespace no team owns`);
      expect(e.message).toMatch(/; (create it inside team|create it in platform scope)/);
    }
  });

  test('a team renders no cluster-scoped object and no object without a namespace (generated kinds)', () => {
    const rand = prng(21);
    const kinds = [
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'oidc:x-admins' }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', rules: [] },
      { apiVersion: 'v1', kind: 'Namespace' },
      { apiVersion: 'v1', kind: 'ConfigMap', data: {} },
    ];
    for (let i = 0; i < 8; i++) {
      const team = name(rand, 't');
      const obj = kinds[i % kinds.length];
      const objName = name(rand, 'o');
      const app = tenancyApp((scope) => {
        const t = new Team(scope, team, { groups: groups(team), namespaces: [team] });
        new ApiObject(t.namespace(team), 'raw', { ...obj, metadata: { name: objName } } as any);
      }, ['dev']);
      if (obj.kind === 'ConfigMap') {
        // a namespaced object left without a namespace inherits its PlatformNamespace's (issue 22): it stays the team's
        const cm = app.render().find((o) => o.manifest.kind === 'ConfigMap' && o.manifest.metadata.name === objName)!;
        expect(cm.manifest.metadata.namespace).toBe(team);
        continue;
      }
      const e = errorOf(() => app.render());
      expect(e.message).toContain(`dev/${team}/${team}/raw: metadata.namespace is unset: the ${obj.kind} "${objName}" is cluster-scoped or names no namespace, and was created in the scope of team '${team}'`);
      expect(e.message).toContain('create cluster-scoped objects in platform scope');
    }
  });

  test('every violation is listed at once, and nothing is written', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ownership-'));
    const app = new GitOpsApp({ environments: Environments.define({ dev: { clusters: [{ name: 'dev', server: 'https://dev.k.example' }] } }), outdir: out });
    app.forEachTarget((scope) => {
      const t = new Team(scope, 'shop', { groups: groups('shop'), namespaces: ['shop'] });
      configMap(t.namespace('shop'), 'one', 'kube-system');
      configMap(t, 'two', 'monitoring');
    });
    const e = errorOf(() => app.synthTo(out));
    expect(e.message).toMatch(/^2 objects are rendered outside their team's namespaces:\n {2}dev\/shop\/shop\/one: .*\n {2}dev\/shop\/two: /);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test("files by owner: a team's object in its namespace goes to its part, a platform object in a team namespace to _platform/", () => {
    const rand = prng(22);
    for (let i = 0; i < 6; i++) {
      const team = name(rand, 't');
      const ns = name(rand, 'n');
      const app = tenancyApp((scope) => {
        const t = new Team(scope, team, { groups: groups(team), namespaces: [ns] });
        configMap(t.namespace(ns), 'mine', ns);
        configMap(scope, 'platforms', ns);
      }, ['dev']);
      const files = app.synthFiles();
      const where = (id: string) => [...files.keys()].filter((f) => files.get(f)!.includes(`name: ${id}\n`) && !f.endsWith('kustomization.yaml'));
      expect(where('mine')).toEqual([expect.stringMatching(new RegExp(`^dev/${ns}/[^/]+\\.yaml$`))]);
      expect(where('platforms')).toEqual([expect.stringMatching(new RegExp(`^dev/_platform/${ns}/[^/]+\\.yaml$`))]);
      expect(files.get(`dev/_teams/${team}/kustomization.yaml`)).toContain(`../../${ns}`);
      expect(files.get(`dev/_platform/kustomization.yaml`)).toContain(`${ns}/`);
    }
  });
});

describe('reserved namespaces and names', () => {
  test('a team cannot claim the control plane\'s or the controllers\' namespaces (generated kube-*)', () => {
    const rand = prng(23);
    const reserved = ['default', 'flux-system', 'argocd', 'kube-system', 'kube-public', ...Array.from({ length: 6 }, () => `kube-${randomString(rand, LOWER, 4)}`)];
    for (const ns of reserved) {
      const app = () => tenancyApp((scope) => new Team(scope, 'shop', { groups: groups('shop'), namespaces: ['shop', ns] }), ['dev']);
      const e = errorOf(app);
      expect(e.message).toContain(`dev/shop: namespaces[1] is reserved:`);
      expect(e.message).toContain(`got "${ns}"; give the team a namespace of its own`);
    }
    // the team's own Flux namespace too
    expect(() => tenancyApp((scope) => new Team(scope, 'shop', { groups: groups('shop'), namespaces: ['gitops'], fluxNamespace: 'gitops' }), ['dev'])).toThrow(/namespaces\[0\] is reserved: it is the namespace of Flux/);
  });

  test('the namespaces the environment and GitOps options declare for controllers are reserved at render', () => {
    const envs = Environments.define({ dev: { clusters: [{ name: 'dev', server: 'https://dev.k.example', gateway: { name: 'edge', namespace: 'gateways', listeners: [] } }], monitoring: { namespace: 'observability' } } });
    for (const [ns, what, options] of [
      ['gateways', 'the namespace of the Gateway of cluster', {}],
      ['observability', 'the monitoring namespace of environment', {}],
      ['cd', "Argo CD's namespace", { argoCd: { namespace: 'cd' } }],
      ['gitops', "Flux's namespace", { flux: { namespace: 'gitops' } }],
    ] as const) {
      const app = new GitOpsApp({ environments: envs, ...options });
      app.forEachTarget((scope) => new Team(scope, 'shop', { groups: groups('shop'), namespaces: [ns] }));
      const e = errorOf(() => app.render());
      expect(e.message).toMatch(new RegExp(`^dev/shop: namespaces\\[0\\] is ${what}.*; a team may not claim a controller's namespace, got "${ns}"; give team 'shop' a namespace of its own`));
    }
  });

  test("a team named 'default', a system: group prefix or a system: group is an error", () => {
    expect(() => tenancyApp((scope) => new Team(scope, 'default', { groups: groups('x'), namespaces: ['x'] }), ['dev']))
      .toThrow(/dev\/default: name is reserved \(Argo CD's 'default' AppProject.*got "default"; name the team after/);
    const rand = prng(24);
    for (let i = 0; i < 6; i++) {
      const prefix = ['system:', 'System:', 'SYSTEM:'][i % 3];
      const g = `${prefix}${randomString(rand, LOWER, 6)}`;
      expect(() => tenancyApp((scope) => new Team(scope, 'shop', { groups: { admins: [g] }, namespaces: ['shop'], groupPrefix: prefix }), ['dev']))
        .toThrow(`dev/shop: groupPrefix starts with 'system:'`);
      expect(() => tenancyApp((scope) => new Team(scope, 'shop', { groups: { viewers: [g] }, namespaces: ['shop'], groupPrefix: '' }), ['dev']))
        .toThrow(`dev/shop: groups.viewers[0] is a Kubernetes system group`);
    }
  });
});
