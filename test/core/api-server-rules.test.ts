import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { apiServerIssues, intOrPercentProblem, isConfigKey, nameProblem, portProblem } from '../../lib/core';
import { Environments, GitOpsApp } from '../../lib/gitops';
import { SchemaError } from '../../lib/schema';
import { unitScope } from '../gitops/helpers';
import { prng, randomString } from '../fixtures/prng';

/** What the API server checks in code, against generated valid and mutated-invalid inputs. */

const rand = prng(1123);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[] | string): T => xs[int(xs.length)] as T;
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = `${LOWER}0123456789`;
const N = 300;

/** A DNS label of length 1..max from the grammar: alphanumeric ends, '-' inside. */
function label(max = 63, letterFirst = false): string {
  const n = 1 + int(max);
  let s = '';
  for (let i = 0; i < n; i++) s += i === 0 ? pick(letterFirst ? LOWER : ALNUM) : i === n - 1 ? pick(ALNUM) : pick(`${ALNUM}--`);
  return s;
}
function subdomain(max = 253): string {
  let s = label(20);
  while (rand() < 0.6 && s.length + 22 <= max) s += `.${label(20)}`;
  return s;
}
/** A mutation that breaks any DNS name: a bad character, a bad end, or too long. */
function breakName(s: string, max: number): string {
  return pick([
    () => `${s.slice(0, 1)}${pick(['_', '/', ' ', 'A', '%', ':', '\n'])}${s.slice(1)}`,
    () => `-${s}`,
    () => `${s}-`,
    () => `${s}${'a'.repeat(max + 1 - s.length > 0 ? max + 1 - s.length : 1)}`,
  ])();
}

describe('object names per kind (generated)', () => {
  test('DNS subdomain, DNS label, DNS-1035 label: grammar-built names pass, mutated ones fail', () => {
    for (let i = 0; i < N; i++) {
      const sub = subdomain();
      const lab = label();
      const l1035 = label(63, true);
      expect([sub, nameProblem('dns-subdomain', sub)]).toEqual([sub, undefined]);
      expect([lab, nameProblem('dns-label', lab)]).toEqual([lab, undefined]);
      expect([l1035, nameProblem('dns-1035-label', l1035)]).toEqual([l1035, undefined]);
      const badSub = breakName(sub, 253);
      const badLab = breakName(lab, 63);
      expect([badSub, nameProblem('dns-subdomain', badSub)]).toEqual([badSub, expect.any(String)]);
      expect([badLab, nameProblem('dns-label', badLab)]).toEqual([badLab, expect.any(String)]);
      // a label with a dot is a subdomain, not a label; a name starting with a digit is no DNS-1035 label
      expect(nameProblem('dns-label', `${lab}.${lab}`)).toBeDefined();
      expect(nameProblem('dns-1035-label', `${int(10)}${l1035}`.slice(0, 63))).toBeDefined();
    }
  });

  test('kinds: Service needs a DNS-1035 label, Namespace a label, RBAC a path segment, CronJob at most 52 characters', () => {
    const m = (apiVersion: string, kind: string, name: string) => apiServerIssues({ apiVersion, kind, metadata: { name } }).filter((i) => i.path === 'metadata.name');
    expect(m('v1', 'Service', '1api')).toHaveLength(1);
    expect(m('apps/v1', 'Deployment', '1api')).toHaveLength(0);
    expect(m('v1', 'Namespace', 'a.b')).toHaveLength(1);
    expect(m('v1', 'ConfigMap', 'a.b')).toHaveLength(0);
    expect(m('rbac.authorization.k8s.io/v1', 'ClusterRole', 'system:aggregate-to-view')).toHaveLength(0);
    expect(m('rbac.authorization.k8s.io/v1', 'ClusterRole', 'a/b')).toHaveLength(1);
    expect(m('rbac.authorization.k8s.io/v1', 'Role', '..')).toHaveLength(1);
    for (let i = 0; i < 50; i++) {
      const n = label(63);
      expect([n, m('batch/v1', 'CronJob', n).length]).toEqual([n, n.length > 52 ? 1 : 0]);
    }
    const [issue] = m('batch/v1', 'CronJob', 'a'.repeat(60));
    expect(issue.problem).toMatch(/CronJob name must be at most 52 characters .*got "a{60}"/);
    expect(issue.fix).toBe(`rename it, e.g. "${'a'.repeat(52)}"`);
  });
});

describe('labels and annotations (generated)', () => {
  test('label values: at most 63 characters of the charset; keys: name at most 63, prefix a subdomain of at most 253', () => {
    for (let i = 0; i < N; i++) {
      const value = randomString(rand, `${ALNUM}ABC-_.`, int(70));
      const ok = value.length <= 63 && /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value);
      const issues = apiServerIssues({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { team: value } } });
      expect([value, issues.length]).toEqual([value, ok ? 0 : 1]);
      if (!ok) expect(issues[0]).toEqual({ path: 'metadata.labels.team', problem: expect.stringContaining(`got ${JSON.stringify(value)}`), fix: expect.any(String) });
    }
    const prefix = `${'a'.repeat(250)}.io`;
    expect(apiServerIssues({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'x', labels: { [`${prefix}/k`]: 'v' } } })).toHaveLength(0);
    expect(apiServerIssues({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'x', labels: { [`a${prefix}/k`]: 'v' } } })).toHaveLength(1);
    // pod template labels and selectors too
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'x'.repeat(64) } }, template: { metadata: { labels: { app: 'x'.repeat(64) } } } } };
    expect(apiServerIssues(d).map((i) => i.path)).toEqual(['spec.template.metadata.labels.app', 'spec.selector.matchLabels.app']);
  });

  test('annotations total at most 256 KiB', () => {
    for (const n of [256 * 1024 - 1, 256 * 1024]) {
      const issues = apiServerIssues({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations: { a: 'b'.repeat(n) } } });
      expect([n, issues.length]).toEqual([n, n + 1 > 256 * 1024 ? 1 : 0]);
    }
  });
});

describe('int-or-string fields (generated)', () => {
  test('counts and percentages', () => {
    for (let i = 0; i < N; i++) {
      const n = int(1000);
      expect(intOrPercentProblem(n)).toBeUndefined();
      expect(intOrPercentProblem(`${n}%`)).toBeUndefined();
      const bad = pick([`${n}`, `${n}.5%`, `-${n}%`, randomString(rand, LOWER, 1 + int(5)), `${n} %`, `%${n}`]);
      expect([bad, intOrPercentProblem(bad)]).toEqual([bad, expect.any(String)]);
      expect(intOrPercentProblem(-1 - n)).toBeDefined();
      expect(intOrPercentProblem(n + 0.5)).toBeDefined();
    }
  });

  test('ports: 1-65535 or an IANA name', () => {
    for (let i = 0; i < N; i++) {
      const p = 1 + int(65535);
      expect(portProblem(p)).toBeUndefined();
      expect(portProblem(p + 65535)).toBeDefined();
      const name = `${pick(LOWER.split(''))}${randomString(rand, ALNUM, int(14))}`;
      expect([name, portProblem(name)]).toEqual([name, undefined]);
      const bad = pick([`${name}--x`, `${name}${'x'.repeat(16)}`, name.toUpperCase(), String(p), `-${name}`]);
      expect([bad, portProblem(bad)]).toEqual([bad, expect.any(String)]);
    }
    expect(portProblem(0)).toBeDefined();
  });

  test('the fields that hold them', () => {
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { strategy: { rollingUpdate: { maxSurge: '50%', maxUnavailable: 'abc' } }, template: { spec: { containers: [{ name: 'c', readinessProbe: { httpGet: { port: 'Http' } } }] } } } };
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 0 }] } };
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { minAvailable: '50' } };
    expect([...apiServerIssues(d), ...apiServerIssues(svc), ...apiServerIssues(pdb)].map((i) => [i.path, i.problem])).toEqual([
      ['spec.template.spec.containers[0].readinessProbe.httpGet.port', expect.stringMatching(/port name.*got "Http"/)],
      ['spec.strategy.rollingUpdate.maxUnavailable', expect.stringMatching(/percentage like '25%', got "abc"/)],
      ['spec.ports[1].targetPort', expect.stringMatching(/between 1 and 65535, got 0/)],
      ['spec.minAvailable', expect.stringMatching(/got "50"/)],
    ]);
  });
});

describe('subjects and keys', () => {
  test('a ServiceAccount subject needs a namespace; User and Group need the RBAC apiGroup', () => {
    for (const kind of ['RoleBinding', 'ClusterRoleBinding']) {
      const b = (subjects: any[]) => apiServerIssues({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name: 'b', ...(kind === 'RoleBinding' ? { namespace: 'shop' } : {}) }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects });
      expect(b([{ kind: 'ServiceAccount', name: 'api', namespace: 'shop' }, { kind: 'Group', name: 'shop', apiGroup: 'rbac.authorization.k8s.io' }])).toEqual([]);
      expect(b([{ kind: 'ServiceAccount', name: 'api' }]).map((i) => i.path)).toEqual(['subjects[0].namespace']);
      expect(b([{ kind: 'Group', name: 'shop' }]).map((i) => i.path)).toEqual(['subjects[0].apiGroup']);
      expect(b([{ kind: 'Robot', name: 'x' }]).map((i) => i.path)).toEqual(['subjects[0].kind']);
    }
  });

  test('ConfigMap and Secret keys: the charset, not ".", not starting with ".."; data and binaryData do not share keys', () => {
    for (let i = 0; i < N; i++) {
      const k = randomString(rand, `${ALNUM}._-/`, 1 + int(12));
      const ok = /^[-._a-zA-Z0-9]+$/.test(k) && k !== '.' && !k.startsWith('..');
      expect([k, isConfigKey(k)]).toEqual([k, ok]);
      const issues = apiServerIssues({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { [k]: 'x' } });
      expect([k, issues.length]).toEqual([k, ok ? 0 : 1]);
    }
    for (const k of ['.', '..', '..data', '..x']) expect(isConfigKey(k)).toBe(false);
    expect(isConfigKey('.hidden')).toBe(true);
    expect(apiServerIssues({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'x' }, binaryData: { a: 'eA==' } }).map((i) => i.path)).toEqual(['binaryData.a'.replace('.a', '["a"]')]);
  });
});

describe('synth runs these checks before anything is written', () => {
  test('an over-long label value on a raw object fails with construct path, value and fix; dist/ untouched', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-rules-'));
    fs.writeFileSync(path.join(outdir, 'marker'), 'previous');
    const environments = Environments.define({ dev: { clusters: [{ name: 'dev', server: 'https://dev.k8s.example' }] } });
    const app = new GitOpsApp({ environments, repository: { url: 'https://github.com/acme/gitops.git' }, argoCd: false, flux: false, outdir });
    const long = `v${'x'.repeat(70)}`;
    app.forEachTarget((scope) => {
      new ApiObject(unitScope(scope, 'shop') as Construct, 'raw', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'raw', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'raw', note: long } }, data: { a: 'b' } });
    });
    let err: unknown;
    try {
      app.synth();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SchemaError);
    const f = (err as SchemaError).findings.find((x) => x.field === 'metadata.labels.note')!;
    expect(f).toMatchObject({ constructPath: expect.stringMatching(/raw$/), problem: expect.stringContaining(`got "${long}"`), fix: expect.stringMatching(/shorten it/) });
    expect(fs.readdirSync(outdir)).toEqual(['marker']);
  });
});
