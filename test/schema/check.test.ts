// Synth-level behaviour: every object of every target is validated against its target's Kubernetes version
// before anything is written; the bad inputs of issue 9 fail with the field and the fix.
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Environments, GitOpsApp, Target } from '../../lib/gitops';
import { PlatformNamespace } from '../../lib/platform';
import { Compatibility, compatibilityNotesOf, KubernetesVersion, kubernetesVersionOf, Schema, SchemaError, SUPPORTED_KUBERNETES_VERSIONS } from '../../lib/schema';
import { HardenedService } from '../../lib/workloads';
import { unitScope } from '../gitops/helpers';
import { prng, randomString } from '../fixtures/prng';

const REPO = 'https://github.com/acme/gitops.git';

/** Two targets, `old` and `new`, each on its own version; `build` adds objects to each. */
function appWith(build: (scope: Construct, target: Target) => void, versions: { old?: KubernetesVersion; new?: KubernetesVersion } = {}, outdir?: string) {
  const environments = Environments.define({
    old: { clusters: [{ name: 'old', server: 'https://old.k8s.example', kubernetesVersion: versions.old ?? '1.29' }] },
    new: { clusters: [{ name: 'new', server: 'https://new.k8s.example', kubernetesVersion: versions.new ?? '1.31' }] },
  });
  const app = new GitOpsApp({ environments, repository: { url: REPO }, argoCd: false, flux: false, outdir });
  app.forEachTarget((scope, target) => build(unitScope(scope, 'shop'), target));
  return app;
}

function schemaError(app: GitOpsApp<any, any>): SchemaError {
  try {
    app.synthFiles();
  } catch (e) {
    if (e instanceof SchemaError) return e;
    throw e;
  }
  throw new Error('synth did not fail');
}

const meta = (name: string) => ({ name, namespace: 'shop', labels: { 'app.kubernetes.io/name': name } });

function service(scope: Construct, name: string, spec: Record<string, unknown> = {}): ApiObject {
  return new ApiObject(scope, name, {
    apiVersion: 'v1', kind: 'Service', metadata: meta(name),
    spec: { selector: { 'app.kubernetes.io/name': name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }], ...spec },
  });
}

describe('kubernetesVersion on a cluster', () => {
  const define = (kubernetesVersion: unknown) => Environments.define({ dev: { clusters: [{ name: 'dev', server: 'https://dev.k8s.example', kubernetesVersion: kubernetesVersion as any }] } });

  test.each(['1.9', '1.40', '2.30', '', 'latest'])('%p is an error naming the supported range', (v) => {
    expect(() => define(v)).toThrow(`environments.dev: clusters[0].kubernetesVersion must be a supported Kubernetes minor version (1.28..1.36), got ${JSON.stringify(v)}; use one of '1.28'`);
  });

  test.each([['v1.30', '1.30'], ['1.30.2', '1.30'], ['v1.28.0', '1.28']])('%p is an error that says how to write it', (v, fix) => {
    expect(() => define(v)).toThrow(`clusters[0].kubernetesVersion must be a minor version written '1.NN' (no 'v', no patch), got "${v}"; use '${fix}'`);
  });

  test('every supported minor is accepted, generated other strings are not', () => {
    for (const v of SUPPORTED_KUBERNETES_VERSIONS) expect(() => define(v)).not.toThrow();
    const rand = prng(9);
    for (let i = 0; i < 200; i++) {
      const v = randomString(rand, '0123456789.v', 1 + Math.floor(rand() * 6));
      if ((SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(v)) continue;
      expect(() => define(v)).toThrow(/clusters\[0\]\.kubernetesVersion must be/);
    }
  });

  test('defaults to the newest supported minor, for clusters and for constructs outside a GitOpsApp', () => {
    expect(kubernetesVersionOf(new Chart(new App(), 'x'))).toBe('1.36');
    const app = new GitOpsApp({ environments: define(undefined), argoCd: false, flux: false });
    app.forEachTarget((scope) => expect(kubernetesVersionOf(scope)).toBe('1.36'));
    const pinned = appWith(() => {});
    pinned.forEachTarget((scope, t) => expect(kubernetesVersionOf(scope)).toBe(t.cluster.kubernetesVersion));
  });
});

describe('strict schema validation inside synth', () => {
  test('a raw Deployment with `replica: 3` names the field and suggests `replicas`', () => {
    const e = schemaError(appWith((scope) => {
      new ApiObject(scope, 'api', {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('api'),
        spec: { replica: 3, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'ghcr.io/acme/api:1.0.0' }] } } },
      });
    }));
    expect(e.findings.map((f) => [f.folder, f.field, f.problem, f.fix])).toEqual([
      ['new', 'spec.replica', 'unknown field, got "replica"', 'did you mean "replicas"?'],
      ['old', 'spec.replica', 'unknown field, got "replica"', 'did you mean "replicas"?'],
    ]);
    expect(e.findings[1]).toMatchObject({ version: '1.29', constructPath: 'old/shop/api', object: { kind: 'Deployment', name: 'api', namespace: 'shop' } });
    // the table: object, version, field / problem, fix, construct
    expect(e.message).toMatch(/^schema check failed with 2 findings; .*Schema\.declareKnown/);
    expect(e.message).toMatch(/OBJECT \/ WHERE +RULE \/ FIELD \/ PROBLEM +FIX/);
    expect(e.message).toMatch(/Deployment\/shop\/api +k8s 1\.29 +did you mean "replicas"\?\n *target: old +spec\.replica\n *construct: old\/shop\/api +unknown field, got "replica"/);
  });

  test("a Service port `protocol: 'tcp'` is an enum error with the exact spelling as fix", () => {
    const e = schemaError(appWith((scope) => { service(scope, 'web', { ports: [{ name: 'http', port: 80, protocol: 'tcp' }] }); }));
    expect(e.findings[0]).toMatchObject({ field: 'spec.ports[0].protocol', problem: 'must be one of "TCP", "UDP", "SCTP", got "tcp"', fix: 'use "TCP" (values are case-sensitive)' });
  });

  test('an HPA on autoscaling/v2beta2 is an error naming the replacement', () => {
    const e = schemaError(appWith((scope) => {
      new ApiObject(scope, 'hpa', { apiVersion: 'autoscaling/v2beta2', kind: 'HorizontalPodAutoscaler', metadata: meta('api'), spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, maxReplicas: 3 } });
    }));
    expect(e.findings.map((f) => [f.field, f.problem, f.fix])).toContainEqual(
      ['apiVersion', 'autoscaling/v2beta2 HorizontalPodAutoscaler was removed in Kubernetes 1.26; the cluster declares 1.29', 'use autoscaling/v2']);
  });

  test('a Rollout with an unknown field fails against its CRD schema', () => {
    const e = schemaError(appWith((scope) => {
      new ApiObject(scope, 'rollout', {
        apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: meta('api'),
        spec: { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, replicaz: 2, strategy: { canary: { steps: [{ setWeight: 10 }] } } },
      });
    }));
    expect(e.findings.filter((f) => f.folder === 'old').map((f) => [f.field, f.problem, f.fix])).toEqual([['spec.replicaz', 'unknown field, got "replicaz"', 'did you mean "replicas"?']]);
  });

  test('a custom resource with bad metadata is checked against the ObjectMeta of the target version', () => {
    const e = schemaError(appWith((scope) => {
      new ApiObject(scope, 'rollout', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: meta('api'), spec: { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' } } })
        .addJsonPatch(JsonPatch.add('/metadata/label', {}));
    }));
    expect(e.findings[0]).toMatchObject({ field: 'metadata.label', fix: 'did you mean "labels"?' });
  });

  test('Service trafficDistribution: arrives in 1.30, works by default from 1.31', () => {
    const build = (scope: Construct) => { service(scope, 'web', { trafficDistribution: 'PreferClose' }); };
    const on129 = schemaError(appWith(build, { old: '1.29', new: '1.31' }));
    expect(on129.findings.map((f) => [f.folder, f.field, f.problem, f.fix])).toEqual([[
      'old', 'spec.trafficDistribution',
      'field arrives in Kubernetes 1.30 and works by default from 1.31 (alpha behind the ServiceTrafficDistribution feature gate, off by default, in 1.30); the cluster declares 1.29',
      "remove it, or declare kubernetesVersion: '1.31' (or newer) if the cluster runs it",
    ]]);
    const on130 = schemaError(appWith(build, { old: '1.30', new: '1.36' }));
    expect(on130.findings.map((f) => [f.folder, f.problem])).toEqual([['old', 'Service spec.trafficDistribution needs Kubernetes 1.31 (alpha behind the ServiceTrafficDistribution feature gate, off by default, in 1.30); the cluster declares 1.30']]);
    expect(() => appWith(build, { old: '1.31', new: '1.36' }).synthFiles()).not.toThrow();
  });

  test('a built-in kind newer than the cluster is an error naming the version that adds it', () => {
    const e = schemaError(appWith((scope) => {
      new ApiObject(scope, 'vap', { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'vap' }, spec: {} });
    }, { old: '1.29', new: '1.30' }));
    expect(e.findings.map((f) => [f.folder, f.problem])).toEqual([['old', 'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy arrives in Kubernetes 1.30; the cluster declares 1.29']]);
  });

  test('a kind with no schema fails unless declared known with a reason', () => {
    const widget = (scope: Construct) => new ApiObject(scope, 'widget', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: meta('w'), spec: { anything: 1 } });
    const e = schemaError(appWith((scope) => { widget(scope); }));
    expect(e.findings[0]).toMatchObject({
      field: 'apiVersion',
      problem: 'no schema for example.com/v1 Widget: neither a GA built-in of Kubernetes 1.31 nor a vendored CRD',
      fix: "vendor its CRD into vendor/crds and run npm run import:schemas, or Schema.declareKnown(scope, 'example.com/v1', 'Widget', reason)",
    });
    expect(() => appWith((scope) => {
      Schema.declareKnown(scope, 'example.com/v1', 'Widget', 'the widget operator publishes no CRD schema');
      widget(scope);
    }).synthFiles()).not.toThrow();
    // a declaration for another kind does not lift it
    expect(() => appWith((scope) => { Schema.declareKnown(scope, 'example.com/v1', 'Gadget', 'x'); widget(scope); }).synthFiles()).toThrow(SchemaError);
  });

  test('Schema.declareKnown validates its input', () => {
    appWith((scope) => {
      expect(() => Schema.declareKnown(scope, 'example.com/v1', 'Widget', ' ')).toThrow(`${scope.node.path}: reason must say why example.com/v1 Widget needs no schema, got " "; pass a sentence`);
      expect(() => Schema.declareKnown(scope, 'Example/V1', 'Widget', 'r')).toThrow('apiVersion must be an API version (`<group>/<version>` or `v1`), got "Example/V1"');
      expect(() => Schema.declareKnown(scope, 'v1', 'widget', 'r')).toThrow('kind must be a kind name in PascalCase, got "widget"');
    });
  });

  test('JSON-patched objects are validated as patched', () => {
    const e = schemaError(appWith((scope) => { service(scope, 'web').addJsonPatch(JsonPatch.add('/spec/sessionAffinity', 'sticky')); }));
    expect(e.findings[0]).toMatchObject({ field: 'spec.sessionAffinity', problem: 'must be one of "ClientIP", "None", got "sticky"' });
  });

  test('a failing synth writes nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-'));
    fs.writeFileSync(path.join(dir, 'keep.txt'), 'previous');
    const app = appWith((scope) => { service(scope, 'web', { type: 'Internal' }); }, {}, dir);
    expect(() => app.synth()).toThrow(SchemaError);
    expect(fs.readdirSync(dir)).toEqual(['keep.txt']);
  });
});

describe('version-aware rendering', () => {
  let app: GitOpsApp<any, any>;
  let objects: any[];
  beforeAll(() => {
    app = appWith((scope) => {
      const ns = new PlatformNamespace(scope, 'shop', { team: 'shop' });
      new HardenedService(ns, 'api', { image: 'ghcr.io/acme/api:1.4.2', port: 8080 });
    });
    objects = app.render().map((o) => ({ folder: o.folder, manifest: o.manifest }));
  });
  const preStop = (folder: string) => objects.find((o) => o.folder === folder && o.manifest.kind === 'Deployment').manifest.spec.template.spec.containers[0].lifecycle.preStop;

  test('the preStop drain uses the sleep action from 1.30 and `exec: [sleep, N]` before', () => {
    expect(preStop('new')).toEqual({ sleep: { seconds: 5 } });
    expect(preStop('old')).toEqual({ exec: { command: ['sleep', '5'] } });
  });

  test('synth lists the fallback per target, on stderr only', () => {
    expect(compatibilityNotesOf(app.targets).map((n) => [n.target.path, n.notes.map((x) => [x.rule, x.needs, x.count])])).toEqual([['old', [['lifecycle-sleep-action', '1.30', 1]]]]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-'));
    const fresh = appWith((scope) => {
      const ns = new PlatformNamespace(scope, 'shop', { team: 'shop' });
      new HardenedService(ns, 'api', { image: 'ghcr.io/acme/api:1.4.2', port: 8080 });
    }, {}, dir);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const worker = process.env.JEST_WORKER_ID;
    try {
      // quiet under jest: every test app would repeat it
      fresh.synth();
      expect(err).not.toHaveBeenCalled();
      delete process.env.JEST_WORKER_ID;
      fresh.synth();
      expect(out).not.toHaveBeenCalled();
      expect(err).toHaveBeenCalledTimes(1);
      expect(err.mock.calls.map((c) => String(c[0])).join('')).toMatch(/^compatibility notes .*\n {2}old \(Kubernetes 1\.29\): lifecycle-sleep-action needs 1\.30, fallback used 1 time: preStop drain as `exec: \[sleep, <drainSeconds>\]`/);
    } finally {
      process.env.JEST_WORKER_ID = worker;
      err.mockRestore();
      out.mockRestore();
    }
  });
});

describe('Compatibility', () => {
  test('supports() follows the target version; unknown rule ids are library bugs', () => {
    const seen: [string, boolean][] = [];
    appWith((scope, t) => { seen.push([t.path, Compatibility.supports(scope, 'lifecycle-sleep-action')]); }, { old: '1.29', new: '1.30' });
    expect(seen).toEqual([['old', false], ['new', true]]);
    appWith((scope) => { expect(() => Compatibility.supports(scope, 'no-such-rule')).toThrow("no version rule 'no-such-rule'"); });
  });

  test('fallbacks recorded outside a GitOpsApp are kept per root construct', () => {
    const app = new App();
    const chart = new Chart(app, 'x');
    Compatibility.recordFallback(chart, 'lifecycle-sleep-action');
    Compatibility.recordFallback(chart, 'lifecycle-sleep-action');
    expect(Compatibility.notesOf(app)).toMatchObject([{ rule: 'lifecycle-sleep-action', needs: '1.30', count: 2 }]);
    expect(Compatibility.notesOf(new App())).toEqual([]);
  });
});
