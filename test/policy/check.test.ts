import * as YAML from 'yaml';
import { ApiObject, JsonPatch } from 'cdk8s';
import { buildApp } from '../../apps/main';
import { ConfigError } from '../../lib/core';
import { checkPolicy, EnvironmentFacts, environmentFacts, evaluate, evaluateManifests, Policy, PolicyError, PolicyFinding, PolicyRules } from '../../lib/policy';
import { addBundle, makeApp } from './app-fixtures';
import { bundle, containerOf, findings, manifestsOf, podOf } from './fixtures';

function privilegedBundle() {
  const b = bundle();
  containerOf(b).securityContext.privileged = true;
  return b;
}

describe('checkPolicy inside GitOpsApp.render()', () => {
  test('renders a compliant app', () => {
    const app = makeApp();
    app.forEachTarget((scope) => { addBundle(scope); });
    expect(app.render().map((o) => o.manifest.kind)).toEqual(expect.arrayContaining(['Deployment', 'PodDisruptionBudget', 'NetworkPolicy', 'Service']));
  });

  test('fails synth with a PolicyError that lists each finding with its construct path', () => {
    const app = makeApp();
    app.forEachTarget((scope) => { addBundle(scope, privilegedBundle()); });
    let err: unknown;
    try { app.render(); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(PolicyError);
    expect(err).toBeInstanceOf(ConfigError);
    const pe = err as PolicyError;
    expect(pe.findings.map((f) => [f.folder, f.rule, f.field, f.constructPath])).toEqual([
      ['dev', 'pss-privileged', 'spec.template.spec.containers[0].securityContext.privileged', 'dev/web/Resource'],
    ]);
    expect(pe.message).toContain('policy check failed with 1 finding;');
    // the table row: object, target and construct path; rule, field and problem; fix (cells wrap within their column)
    const lines = pe.message.split('\n');
    const row = lines.findIndex((l) => l.startsWith('Deployment/shop/web'));
    expect(lines.slice(row, row + 3).map((l) => l.split(/\s{2,}/))).toEqual([
      ['Deployment/shop/web', 'pss-privileged', 'remove'],
      ['target: dev', 'spec.template.spec.containers[0].securityContext.', 'securityContext.privileged or'],
      ['construct: dev/web/Resource', 'privileged', 'set it to false'],
    ]);
    expect(pe.message).toContain('privileged');
    expect(pe.message).toContain('container "web" runs privileged, got privileged');
  });

  test('checks raw ApiObjects and escape-hatch patches', () => {
    const app = makeApp();
    app.forEachTarget((scope) => {
      addBundle(scope);
      const obj = scope.node.findChild('web').node.findChild('Resource') as ApiObject;
      obj.addJsonPatch(JsonPatch.add('/spec/template/spec/hostNetwork', true));
    });
    expect(() => app.render()).toThrow(/pss-host-namespaces/);
  });

  test('relates objects within one environment folder only', () => {
    const app = makeApp('dev', 'prod');
    app.forEachTarget((scope, t) => {
      const b = bundle();
      if (t.env.name === 'prod') b.pdb = undefined; // dev's budget must not count for prod
      addBundle(scope, b);
    });
    let err: PolicyError | undefined;
    try { app.render(); } catch (e) { err = e as PolicyError; }
    expect(err?.findings.map((f) => [f.folder, f.rule])).toEqual([['prod', 'hygiene-pdb-required']]);
  });

  test('throws nothing for an empty list', () => {
    expect(() => checkPolicy([])).not.toThrow();
  });
});

describe('evaluate', () => {
  test('orders findings by folder, object, rule and field whatever the input order', () => {
    const a = bundle();
    containerOf(a).image = 'web:latest';
    podOf(a).hostNetwork = true;
    const b = bundle();
    b.workload.metadata.name = 'api';
    containerOf(b).securityContext.privileged = true;
    const inputs = [...manifestsOf(a), b.workload].map((manifest) => ({ folder: 'dev', manifest }));
    const forward = evaluateManifests(inputs);
    const backward = evaluateManifests([...inputs].reverse());
    expect(backward).toEqual(forward);
    expect(forward.map((f) => `${f.object.name} ${f.rule}`)).toEqual(['api pss-privileged', 'web hygiene-image-pinned', 'web pss-host-namespaces']);
  });

  test('runs only the rules it is given', () => {
    const b = privilegedBundle();
    podOf(b).hostIPC = true;
    const rules = [PolicyRules.find('pss-host-namespaces')!];
    expect(evaluateManifests(manifestsOf(b), { rules }).map((f) => f.rule)).toEqual(['pss-host-namespaces']);
  });

  test('evaluateManifests takes bare manifests as one folder', () => {
    expect(evaluateManifests(manifestsOf(privilegedBundle())).map((f) => [f.folder, f.rule])).toEqual([['', 'pss-privileged']]);
  });

  test('returns exempted findings only when asked, with the exemption', () => {
    const app = makeApp();
    app.forEachTarget((scope) => {
      const { web } = addBundle(scope, privilegedBundle());
      Policy.exempt(web, 'pss-privileged', 'loads a kernel module');
    });
    const rendered = (() => {
      // render() would pass; evaluate the same objects directly
      return app.render();
    })();
    expect(evaluate(rendered)).toEqual([]);
    expect(evaluate(rendered, { includeExempted: true }).map((f) => [f.rule, f.exemption?.reason, f.exemption?.scopePath]))
      .toEqual([['pss-privileged', 'loads a kernel module', 'dev/web']]);
  });
});

describe('the example platform', () => {
  test('every object synth writes to dist/ passes every rule, but for what synth lifted with an exemption', () => {
    const app = buildApp('/nonexistent-dist-never-written');
    const files = app.synthFiles();
    const inputs: { folder: string; manifest: any; environment?: EnvironmentFacts }[] = [];
    for (const [file, text] of files) {
      if (file.endsWith('kustomization.yaml')) continue;
      // dist/<folder>/<namespace or _cluster>/<unit>.yaml; argocd/ and flux/ sit one level up
      // (tenancy: a target's platform part sits below <folder>/_platform/)
      const parts = file.replace('/_platform/', '/').split('/');
      const folder = parts.slice(0, Math.max(1, parts.length - 2)).join('/');
      for (const doc of YAML.parseAllDocuments(text)) {
        const manifest = doc.toJSON();
        const target = app.targets.find((t) => t.path === folder);
        if (manifest) inputs.push({ folder, manifest, ...(target ? { environment: environmentFacts(target.env, target.cluster) } : {}) });
      }
    }
    expect(inputs.filter((i) => i.manifest.kind === 'Deployment').length).toBeGreaterThan(0);
    // plain manifests carry no exemption: what is left is exactly what synth lifted, object by object
    const key = (f: PolicyFinding) => `${f.folder} ${f.rule} ${f.object.kind}/${f.object.namespace ?? ''}/${f.object.name}`;
    const lifted = evaluate(app.render(), { includeExempted: true }).filter((f) => f.exemption);
    expect(lifted.length).toBeGreaterThan(0);
    expect([...new Set(evaluateManifests(inputs).map(key))].sort()).toEqual([...new Set(lifted.map(key))].sort());
  });

  test('a plain-manifest check finds what synth would refuse', () => {
    expect(findings(privilegedBundle()).map((f) => f.rule)).toEqual(['pss-privileged']);
  });
});
