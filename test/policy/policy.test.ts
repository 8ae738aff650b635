import { ConfigError } from '../../lib/core';
import { Policy, PolicyError, PolicyRules } from '../../lib/policy';
import { addBundle, makeApp } from './app-fixtures';
import { bundle, containerOf } from './fixtures';

function privileged() {
  const b = bundle();
  containerOf(b).securityContext.privileged = true;
  b.pdb = undefined;
  return b;
}

function renderError(app: ReturnType<typeof makeApp>): PolicyError | undefined {
  try {
    app.render();
    return undefined;
  } catch (e) {
    if (e instanceof PolicyError) return e;
    throw e;
  }
}

describe('Policy.exempt', () => {
  test('lifts the rule for the API objects below the scope', () => {
    const app = makeApp();
    app.forEachTarget((scope) => {
      const { web } = addBundle(scope, privileged());
      Policy.exempt(web, 'pss-privileged', 'runs the node agent, needs the host kernel');
      Policy.exempt(web, 'hygiene-pdb-required', 'single-instance leader, a budget would block drains');
    });
    expect(renderError(app)).toBeUndefined();
  });

  test('applies to every object at or below a chart', () => {
    const app = makeApp();
    app.forEachTarget((scope) => {
      addBundle(scope, privileged());
      Policy.exempt(scope, 'pss-privileged', 'dev sandbox');
      Policy.exempt(scope, 'hygiene-pdb-required', 'dev sandbox');
    });
    expect(renderError(app)).toBeUndefined();
  });

  test('does not apply to siblings or to other rules', () => {
    const app = makeApp();
    app.forEachTarget((scope) => {
      const { support } = addBundle(scope, privileged());
      Policy.exempt(support, 'pss-privileged', 'wrong scope');
      Policy.exempt(scope.node.findChild('web'), 'pss-host-namespaces', 'wrong rule');
    });
    expect(renderError(app)?.findings.map((f) => f.rule)).toEqual(['hygiene-pdb-required', 'pss-privileged']);
  });

  test('applies only in the environment it was declared in', () => {
    const app = makeApp('dev', 'prod');
    app.forEachTarget((scope, t) => {
      const { web } = addBundle(scope, privileged());
      Policy.exempt(web, 'hygiene-pdb-required', 'single instance');
      if (t.env.name === 'dev') Policy.exempt(web, 'pss-privileged', 'dev only');
    });
    expect(renderError(app)?.findings.map((f) => [f.folder, f.rule])).toEqual([['prod', 'pss-privileged']]);
  });

  test('an exemption that matches nothing is fine', () => {
    const app = makeApp();
    app.forEachTarget((scope) => {
      const { web } = addBundle(scope);
      Policy.exempt(web, 'pss-host-path-volumes', 'may mount /var/log later');
    });
    expect(renderError(app)).toBeUndefined();
  });

  test('records the exemptions with their reason and scope, closest first', () => {
    const app = makeApp();
    app.forEachTarget((scope) => {
      const { web } = addBundle(scope);
      Policy.exempt(scope, 'hygiene-topology-spread', 'one node in dev');
      Policy.exempt(web, 'pss-privileged', '  needs the GPU driver  ');
      const obj = web.node.findChild('Resource');
      expect(Policy.exemptionsOf(obj)).toEqual([
        { rule: 'pss-privileged', reason: 'needs the GPU driver', scopePath: 'dev/web' },
        { rule: 'hygiene-topology-spread', reason: 'one node in dev', scopePath: 'dev' },
      ]);
      expect(Policy.exemptionFor(obj, 'hygiene-topology-spread')?.scopePath).toBe('dev');
      expect(Policy.exemptionFor(scope, 'pss-privileged')).toBeUndefined();
    });
  });

  test('throws on an unknown rule id, naming the construct, the prop, the value and the known ids', () => {
    const app = makeApp();
    app.forEachTarget((scope) => {
      const { web } = addBundle(scope);
      expect(() => Policy.exempt(web, 'pss-privilege', 'typo')).toThrow(ConfigError);
      expect(() => Policy.exempt(web, 'pss-privilege', 'typo')).toThrow(
        /^dev\/web: rule is not a policy rule id, got "pss-privilege"; use one of pss-host-process, .*pss-privileged/);
    });
  });

  test.each([[''], ['   '], [undefined as unknown as string]])('throws when the reason is %j', (reason) => {
    const app = makeApp();
    app.forEachTarget((scope) => {
      const { web } = addBundle(scope);
      expect(() => Policy.exempt(web, 'pss-privileged', reason)).toThrow(/^dev\/web: reason must say why pss-privileged does not apply, got .*; pass a sentence/);
    });
  });

  test('every rule id is kebab-case and prefixed with its profile', () => {
    for (const r of PolicyRules.all) {
      expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
      expect(r.id.startsWith(r.profile === 'pss-restricted' ? 'pss-' : `${r.profile}-`)).toBe(true);
    }
    expect(new Set(PolicyRules.ids()).size).toBe(PolicyRules.all.length);
  });
});
