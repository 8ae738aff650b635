import { App, Chart } from 'cdk8s';
import { ConfigError } from '../../lib/core';
import { Environments, setTarget, targetIdOf, targetOf } from '../../lib/environments';
import { GitOpsApp } from '../../lib/gitops';
import { REPO_URL, twoEnvironments } from '../gitops/helpers';

function thrown(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

describe('Environments', () => {
  it('keeps the declared order, which is the promotion order', () => {
    expect(twoEnvironments().names).toEqual(['dev', 'prod']);
  });

  it('picks the value of the environment it is', () => {
    const envs = twoEnvironments();
    expect(envs.get('dev').pick({ dev: 1, prod: 6 })).toBe(1);
    expect(envs.get('prod').pick({ dev: 1, prod: 6 })).toBe(6);
  });

  it('makes a missing environment in pick a type error, and a runtime error for untyped callers', () => {
    const prod = twoEnvironments().get('prod');
    // @ts-expect-error 'prod' is missing: every environment must be listed
    expect(() => prod.pick({ dev: 1 })).toThrow(/^environment prod: env\.pick has no value for environment 'prod' \(called at test\/environments\/environment\.test\.ts:\d+:\d+\), got keys \["dev"\]; add a 'prod' entry$/);
    expect(() => prod.pick(undefined as any)).toThrow(/env\.pick has no value for environment 'prod' .*, got undefined; add a 'prod' entry$/);
  });

  it('names the target chart and the calling line when pick misses a value inside forEachTarget', () => {
    const app = new GitOpsApp({ environments: twoEnvironments(), repository: { url: REPO_URL } });
    const line = new Error().stack!.split('\n')[1].match(/:(\d+):\d+\)?$/)![1];
    const e = thrown(() => app.forEachTarget((_scope, { env }) => env.pick({ dev: 1 } as any)));
    expect(e.constructPath).toBe('prod-eu-1');
    expect(e.message).toMatch(new RegExp(`^prod-eu-1: env\\.pick has no value for environment 'prod' \\(called at test/environments/environment\\.test\\.ts:${Number(line) + 1}:\\d+\\), got keys \\["dev"\\]; add a 'prod' entry$`));
  });

  it('rejects a cluster name used by two environments, naming both and the fix', () => {
    const e = thrown(() => Environments.define({
      dev: { clusters: [{ name: 'shared', server: 'https://a.example.com' }] },
      prod: { clusters: [{ name: 'shared', server: 'https://b.example.com' }] },
    }));
    expect(e.constructPath).toBe('environments.prod');
    expect(e.prop).toBe('clusters[0].name');
    expect(e.message).toBe('environments.prod: clusters[0].name is already used by environment dev, got "shared"; give every cluster a unique name');
  });

  it('rejects an environment name that is no DNS label, with path, prop, value and fix', () => {
    const e = thrown(() => Environments.define({ Prod_EU: { clusters: [{ name: 'prod', server: 'https://p.example.com' }] } }));
    expect(e.constructPath).toBe('environments.Prod_EU');
    expect(e.prop).toBe('name');
    expect(e.message).toMatch(/^environments\.Prod_EU: environment name must be a DNS-1123 label .*, got "Prod_EU"; use e\.g\. 'prod'$/);
  });

  it('rejects a bad cluster name and a server that is no URL', () => {
    const name = thrown(() => Environments.define({ dev: { clusters: [{ name: 'Dev 1', server: 'https://d.example.com' }] } }));
    expect(name.message).toMatch(/^environments\.dev: clusters\[0\]\.name must be a DNS-1123 label .*, got "Dev 1"; use e\.g\. 'dev-eu-1'$/);
    const server = thrown(() => Environments.define({ dev: { clusters: [{ name: 'dev', server: 'dev-cluster' }] } }));
    expect(server.prop).toBe('clusters[0].server');
    expect(server.message).toBe("environments.dev: clusters[0].server must be the API server URL, got \"dev-cluster\"; use e.g. 'https://kubernetes.default.svc'");
  });

  it('rejects an environment without clusters and an empty set of environments', () => {
    expect(() => Environments.define({ dev: { clusters: [] } })).toThrow(/environments\.dev: clusters must list at least one cluster, got \[\]/);
    expect(() => Environments.define({})).toThrow(/at least one environment is required/);
  });

  it('knows which environments run on several clusters', () => {
    const envs = twoEnvironments();
    expect(envs.get('dev').multiCluster).toBe(false);
    expect(envs.get('prod').multiCluster).toBe(true);
  });

  it('names a target after its environment, or after its cluster in a multi-cluster environment', () => {
    const envs = twoEnvironments();
    const dev = envs.get('dev');
    const prod = envs.get('prod');
    expect(targetIdOf({ env: dev, cluster: dev.clusters[0], path: 'dev' })).toBe('dev');
    expect(targetIdOf({ env: prod, cluster: prod.clusters[1], path: 'prod/prod-us-1' })).toBe('prod-us-1');
  });

  it('finds the target of any construct below a target scope', () => {
    const envs = twoEnvironments();
    const dev = envs.get('dev');
    const app = new App();
    const chart = new Chart(app, 'dev');
    const target = { env: dev, cluster: dev.clusters[0], path: 'dev' };
    setTarget(chart, target);
    expect(targetOf(new Chart(chart, 'inner'))).toBe(target);
    expect(targetOf(new Chart(app, 'other'))).toBeUndefined();
  });
});
