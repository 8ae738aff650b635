import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Environments, GitOpsApp } from '../../lib/gitops';
import { Bundle, bundle, manifestsOf } from './fixtures';

/** A GitOpsApp with the given environments (one cluster each), for tests that go through app.render(). */
export function makeApp(...envs: string[]): GitOpsApp {
  const defs: Record<string, { clusters: { name: string; server: string }[] }> = {};
  for (const e of (envs.length ? envs : ['dev'])) defs[e] = { clusters: [{ name: e, server: `https://${e}.k.example` }] };
  return new GitOpsApp({ environments: Environments.define(defs) });
}

/**
 * Adds the fixture bundle as raw ApiObjects: the workload under `<scope>/web/Resource`, the companions under
 * `<scope>/web-support/...`, so that tests can exempt one and not the other.
 */
export function addBundle(scope: Chart, b: Bundle = bundle()): { web: Construct; support: Construct } {
  const web = new Construct(scope, 'web');
  new ApiObject(web, 'Resource', b.workload);
  const support = new Construct(scope, 'web-support');
  manifestsOf(b).filter((m) => m !== b.workload).forEach((m, i) => new ApiObject(support, `${m.kind}${i}`, m as any));
  return { web, support };
}
