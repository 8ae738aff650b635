import { ApiObject } from 'cdk8s';
import { isPodBearing, PolicyError, podTemplatesOf, PSS_RULES } from '../../lib/policy';
import { CRD_POD_PATHS, CRD_SCOPES } from '../../lib/policy/crd-tables.generated';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bodyDigest, inputDigest, podPathsOf, readCrdTables, renderCrdTables, TABLE_FILE } from '../../scripts/crd-tables';
import { makeApp } from './app-fixtures';
import { compliantPodSpec, defaultDeny, findings, LABELS, SELECTOR } from './fixtures';

/** The pod template nobody should ship: privileged, host network, root, SYS_ADMIN, `:latest`. */
function hostilePod(): any {
  const spec = compliantPodSpec();
  spec.hostNetwork = true;
  spec.securityContext = { runAsUser: 0 };
  spec.containers[0].image = 'ghcr.io/acme/worker:latest';
  spec.containers[0].securityContext = { privileged: true, capabilities: { add: ['SYS_ADMIN'] } };
  spec.restartPolicy = 'Never';
  return { metadata: { labels: { ...LABELS } }, spec };
}

function scaledJob(template: any = hostilePod()): any {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledJob',
    metadata: { name: 'drain-queue', namespace: 'shop', labels: { ...LABELS } },
    spec: { jobTargetRef: { template }, triggers: [{ type: 'cron', metadata: { timezone: 'Etc/UTC', start: '0 * * * *', end: '5 * * * *', desiredReplicas: '1' } }] },
  };
}

const EXPECTED_RULES = ['pss-privileged', 'pss-host-namespaces', 'pss-run-as-non-root', 'pss-run-as-user', 'pss-capabilities', 'hygiene-image-pinned'];

describe('pod templates are found by shape, from the CRD schemas', () => {
  test('the generated table is up to date with vendor/crds and the generator, and not edited by hand', () => {
    const text = fs.readFileSync(TABLE_FILE, 'utf8');
    const header = /^\/\/ inputs sha256 ([0-9a-f]{64}), body sha256 ([0-9a-f]{64})$/m.exec(text);
    expect(header?.[1]).toBe(inputDigest());
    expect(header?.[2]).toBe(bodyDigest(text));
  });

  test('the generator reads a CRD folder into pod paths and scopes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-tables-'));
    try {
      const podSpec = { type: 'object', properties: { containers: { type: 'array' }, restartPolicy: { type: 'string' }, dnsPolicy: { type: 'string' } } };
      const crd = (kind: string, scope: string, spec: any) => ({
        apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
        spec: { group: 'acme.example', scope, names: { kind }, versions: [{ name: 'v1', schema: { openAPIV3Schema: { type: 'object', properties: { spec } } } }] },
      });
      fs.writeFileSync(path.join(dir, 'acme.yaml'), [
        JSON.stringify(crd('Runner', 'Namespaced', { type: 'object', properties: { pod: { type: 'object', properties: { metadata: { type: 'object' }, spec: podSpec } } } })),
        JSON.stringify(crd('NodeAgent', 'Cluster', { type: 'object', properties: { agent: podSpec } })),
      ].join('\n---\n'));
      const tables = readCrdTables(dir);
      expect(tables.podPaths).toEqual({
        'acme.example/Runner': [{ path: ['spec', 'pod'], shape: 'template' }],
        'acme.example/NodeAgent': [{ path: ['spec', 'agent'], shape: 'spec' }],
      });
      expect(tables.scopes).toEqual({ 'acme.example/Runner': 'Namespaced', 'acme.example/NodeAgent': 'Cluster' });
      const text = renderCrdTables(tables, 'f'.repeat(64));
      expect(text).toContain("'acme.example/NodeAgent': [{ path: ['spec', 'agent'], shape: 'spec' }],");
      expect(text).toContain(`body sha256 ${bodyDigest(text)}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('it lists KEDA ScaledJob, Argo Rollouts, Experiments and analysis jobs, and the scope of every CRD kind', () => {
    expect(CRD_POD_PATHS['keda.sh/ScaledJob']).toEqual([{ path: ['spec', 'jobTargetRef', 'template'], shape: 'template' }]);
    expect(CRD_POD_PATHS['argoproj.io/Experiment']).toEqual([{ path: ['spec', 'templates', '*', 'template'], shape: 'template' }]);
    expect(CRD_POD_PATHS['argoproj.io/AnalysisTemplate']?.[0].path).toEqual(['spec', 'metrics', '*', 'provider', 'job', 'spec', 'template']);
    expect(CRD_SCOPES['argoproj.io/ClusterAnalysisTemplate']).toBe('Cluster');
    expect(CRD_SCOPES['keda.sh/ScaledObject']).toBe('Namespaced');
    expect(CRD_SCOPES['cert-manager.io/ClusterIssuer']).toBe('Cluster');
  });

  test('the schema walk finds templates and bare pod specs at any depth, arrays included, and nothing else', () => {
    const podSpec = { type: 'object', properties: { containers: { type: 'array' }, restartPolicy: { type: 'string' }, dnsPolicy: { type: 'string' } } };
    const template = { type: 'object', properties: { metadata: { type: 'object' }, spec: podSpec } };
    const schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            runner: { type: 'object', properties: { pod: template } },
            steps: { type: 'array', items: { type: 'object', properties: { podSpec } } },
            // containers alone (a Prometheus-style patch list) is not a pod spec
            patches: { type: 'object', properties: { containers: { type: 'array' } } },
          },
        },
      },
    };
    expect(podPathsOf(schema)).toEqual([
      { path: ['spec', 'runner', 'pod'], shape: 'template' },
      { path: ['spec', 'steps', '*', 'podSpec'], shape: 'spec' },
    ]);
  });

  test('every pod of an object is returned, with paths that name the array item', () => {
    const experiment = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Experiment',
      metadata: { name: 'exp', namespace: 'shop' },
      spec: { templates: [{ name: 'a', template: hostilePod() }, { name: 'b', template: hostilePod() }] },
    };
    expect(podTemplatesOf(experiment).map((t) => t.specPath)).toEqual(['spec.templates[0].template.spec', 'spec.templates[1].template.spec']);
    expect(isPodBearing(experiment)).toBe(true);
    // an AnalysisTemplate that only queries Prometheus carries no pod
    const analysis = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 'a' }, spec: { metrics: [{ name: 'm', provider: { prometheus: {} } }] } };
    expect(podTemplatesOf(analysis)).toEqual([]);
    expect(isPodBearing(analysis)).toBe(false);
    // a kind whose CRD is known but whose object holds no pod at its paths carries none, even if a pod hides elsewhere
    expect(podTemplatesOf({ ...scaledJob(), spec: { jobTargetRef: {}, extra: { template: hostilePod() } } })).toEqual([]);
  });

  test('kinds the project does not know (a v1 List, a CRD not vendored) are searched for pods by shape', () => {
    const list = { apiVersion: 'v1', kind: 'List', metadata: {}, items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: hostilePod().spec }] };
    expect(podTemplatesOf(list).map((t) => t.specPath)).toEqual(['items[0].spec']);
    expect(findings([list], 'pss-privileged').map((f) => f.field)).toEqual(['items[0].spec.containers[0].securityContext.privileged']);
    const runner = { apiVersion: 'ci.example.com/v1', kind: 'Runner', metadata: { name: 'r', namespace: 'shop' }, spec: { pools: [{ pod: hostilePod() }] } };
    expect(podTemplatesOf(runner).map((t) => t.specPath)).toEqual(['spec.pools[0].pod.spec']);
    expect(findings([runner], 'pss-host-namespaces').map((f) => f.field)).toEqual(['spec.pools[0].pod.spec.hostNetwork']);
    // a ScaledJob of another group is not KEDA's, but its pod is still found by shape
    expect(podTemplatesOf({ ...scaledJob(), apiVersion: 'example.com/v1' }).map((t) => t.specPath)).toEqual(['spec.jobTargetRef.template.spec']);
    // no containers with images, no pods
    expect(podTemplatesOf({ apiVersion: 'ci.example.com/v1', kind: 'Runner', spec: { containers: [{ name: 'x' }], config: { spec: {} } } })).toEqual([]);
  });

  test('a hostile KEDA ScaledJob is judged by every PSS and hygiene rule it breaks', () => {
    const found = findings([scaledJob(), defaultDeny()]);
    const rules = new Set(found.map((f) => f.rule));
    for (const rule of EXPECTED_RULES) expect([rule, rules.has(rule)]).toEqual([rule, true]);
    expect(found.find((f) => f.rule === 'pss-privileged')?.field).toBe('spec.jobTargetRef.template.spec.containers[0].securityContext.privileged');
    expect(found.every((f) => f.object.kind === 'ScaledJob' || f.object.kind === 'NetworkPolicy')).toBe(true);
  });

  test('a compliant ScaledJob passes', () => {
    const template = { metadata: { labels: { ...LABELS } }, spec: { ...compliantPodSpec(), restartPolicy: 'Never' } };
    delete template.spec.topologySpreadConstraints;
    for (const c of template.spec.containers) { delete c.readinessProbe; delete c.livenessProbe; delete c.lifecycle; }
    expect(findings([scaledJob(template), defaultDeny()])).toEqual([]);
  });

  test('a ScaledJob without a NetworkPolicy selecting its pods is flagged like any workload', () => {
    expect(findings([scaledJob()], 'hygiene-network-policy').map((f) => f.field)).toEqual(['spec.jobTargetRef.template.metadata.labels']);
  });

  test('an inline Argo Rollout template and every Experiment template are checked', () => {
    const rollout = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web', namespace: 'shop', labels: { ...LABELS } },
      spec: { replicas: 1, selector: { matchLabels: { ...SELECTOR } }, template: hostilePod() },
    };
    expect(findings([rollout, defaultDeny()], 'pss-privileged').map((f) => f.field)).toEqual(['spec.template.spec.containers[0].securityContext.privileged']);
    const experiment = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Experiment', metadata: { name: 'exp', namespace: 'shop', labels: { ...LABELS } },
      spec: { templates: [{ name: 'a', template: hostilePod() }, { name: 'b', template: hostilePod() }] },
    };
    expect(findings([experiment, defaultDeny()], 'pss-host-namespaces').map((f) => f.field))
      .toEqual(['spec.templates[0].template.spec.hostNetwork', 'spec.templates[1].template.spec.hostNetwork']);
  });

  test('a Rollout with workloadRef is judged on a template it carries anyway', () => {
    const rollout = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web', namespace: 'shop', labels: { ...LABELS } },
      spec: { replicas: 1, selector: { matchLabels: { ...SELECTOR } }, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, template: hostilePod() },
    };
    expect(findings([rollout, defaultDeny()], 'pss-privileged').map((f) => f.field)).toEqual(['spec.template.spec.containers[0].securityContext.privileged']);
    const { template: _t, ...spec } = rollout.spec;
    expect(podTemplatesOf({ ...rollout, spec })).toEqual([]);
  });

  test('every PSS rule applies to a ScaledJob pod as it does to a Deployment pod', () => {
    // the same hostile pod, once as a Deployment, once as a ScaledJob: PSS findings match field for field
    const deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'drain-queue', namespace: 'shop', labels: { ...LABELS } },
      spec: { replicas: 1, selector: { matchLabels: { ...SELECTOR } }, template: hostilePod() },
    };
    const pss = new Set(PSS_RULES.map((r) => r.id));
    const strip = (list: ReturnType<typeof findings>, prefix: string) => list.filter((f) => pss.has(f.rule))
      .map((f) => `${f.rule} ${f.field.slice(prefix.length)}`).sort();
    expect(strip(findings([scaledJob()]), 'spec.jobTargetRef.template')).toEqual(strip(findings([deployment]), 'spec.template'));
  });

  test('synth fails on a hostile ScaledJob added as a raw ApiObject', () => {
    const app = makeApp();
    app.forEachTarget((scope) => {
      new ApiObject(scope, 'drain-queue', scaledJob());
      new ApiObject(scope, 'default-deny', defaultDeny());
    });
    let error: unknown;
    try { app.render(); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(PolicyError);
    const rules = new Set((error as PolicyError).findings.map((f) => f.rule));
    for (const rule of EXPECTED_RULES) expect([rule, rules.has(rule)]).toEqual([rule, true]);
  });
});

describe('escape hatches stay under policy', () => {
  function renderError(build: (scope: any) => void): PolicyError | undefined {
    const app = makeApp();
    app.forEachTarget((scope) => build(scope));
    try { app.render(); return undefined; } catch (e) { if (e instanceof PolicyError) return e; throw e; }
  }
  const { HardenedService } = require('../../lib/workloads');
  const { JsonPatch } = require('cdk8s');
  const { Schema } = require('../../lib/schema');

  test('a JSON patch that makes a library workload privileged fails synth', () => {
    const error = renderError((scope) => {
      const svc = new HardenedService(scope, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080, namespace: 'shop' });
      svc.deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/securityContext/privileged', true));
    });
    expect(error?.findings.map((f) => [f.rule, f.field])).toContainEqual(['pss-privileged', 'spec.template.spec.containers[0].securityContext.privileged']);
  });

  test('a JSON patch that removes a namespace fails synth', () => {
    const error = renderError((scope) => {
      const svc = new HardenedService(scope, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080, namespace: 'shop' });
      svc.service.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    });
    expect(error?.findings.map((f) => [f.rule, f.object.kind])).toEqual([['hygiene-namespaced-object', 'Service']]);
  });

  test('a hostile pod wrapped in a v1 List fails synth', () => {
    const error = renderError((scope) => {
      // a List has no schema of its own: declaring it known leaves its items to policy
      Schema.declareKnown(scope, 'v1', 'List', 'kubectl wraps objects in a List');
      new ApiObject(scope, 'list', { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: hostilePod().spec }] } as any);
    });
    const rules = new Set(error?.findings.map((f) => f.rule));
    for (const rule of ['pss-privileged', 'pss-host-namespaces', 'pss-capabilities']) expect([rule, rules.has(rule)]).toEqual([rule, true]);
  });
});
