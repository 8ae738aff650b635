import { ClusterProps, Environments, registerCapability, registeredCapabilities } from '../../lib/environments';
import { prng } from '../fixtures/prng';

const cluster = (extra: Partial<ClusterProps> = {}): ClusterProps => ({ name: 'dev', server: 'https://kubernetes.default.svc', ...extra });

describe('capability settings in the one typed Environments.define', () => {
  it('checks a capability setting at define time through its registration (tenancy: node pools)', () => {
    expect(registeredCapabilities().map((c) => c.name)).toContain('tenancy');
    expect(() => Environments.define({ dev: { clusters: [cluster({ nodePools: [{ name: 'Big', labels: { a: 'b' } }] })] } }))
      .toThrow(/^environments\.dev: clusters\[0\]\.nodePools\[0\]\.name must be a DNS-1123 label, got "Big"/);
  });

  it('gives capability fields of Environment their registered defaults (secrets, observability, scaling)', () => {
    const env = Environments.define({ dev: { clusters: [cluster()] } }).get('dev');
    expect(env.secretStores).toEqual({});
    expect(env.monitoring).toEqual({});
    expect(env.scaling).toEqual({});
    const given = { allowScaleToZero: true };
    expect(Environments.define({ dev: { clusters: [cluster()], scaling: given } }).get('dev').scaling).toBe(given);
  });

  it('keeps a capability setting without a default as given (mesh, certificate issuer)', () => {
    const env = Environments.define({ dev: { clusters: [cluster()], mesh: { istio: true } } }).get('dev');
    expect(env.mesh).toEqual({ istio: true });
    expect(env.certificateIssuer).toBeUndefined();
  });

  it('keeps type errors of the merged settings', () => {
    // @ts-expect-error storageClasses is a list of StorageClassProps
    expect(() => Environments.define({ dev: { clusters: [cluster({ storageClasses: 'fast' })] } })).not.toThrow();
    // and at run time (plain JavaScript, spread objects): a setting no capability declares fails, with a suggestion
    // @ts-expect-error a setting no capability declares
    expect(() => Environments.define({ dev: { clusters: [cluster()], nosuchSetting: 1 } })).toThrow(/^environments\.dev: nosuchSetting is not a prop of EnvironmentProps, got 1; remove it/);
    // @ts-expect-error a misspelled one
    expect(() => Environments.define({ dev: { clusters: [cluster()], prodution: true } })).toThrow("environments.dev: prodution is not a prop of EnvironmentProps, got true; did you mean 'production'?");
  });

  it('registers a capability once and refuses a second one with a taken name', () => {
    const before = registeredCapabilities().length;
    const random = prng(18);
    for (let i = 0; i < 20; i++) {
      const all = registeredCapabilities();
      const taken = all[Math.floor(random() * all.length)];
      expect(() => registerCapability({ name: taken.name })).toThrow(`registerCapability: a capability named '${taken.name}' is already registered`);
      registerCapability(taken);
    }
    expect(registeredCapabilities().length).toBe(before);
  });
});

describe('the synth pipeline and the registry', () => {
  // a fresh module registry: none of lib/capabilities.ts's registrations (test/setup-capabilities.ts) applies
  const fresh = () => ({
    env: require('../../lib/environments') as typeof import('../../lib/environments'),
    gitops: require('../../lib/gitops') as typeof import('../../lib/gitops'),
  });
  /** A fresh registry with the essential checks registered (synth refuses without them). */
  const withChecks = () => {
    const modules = fresh();
    modules.env.registerCapability(require('../../lib/schema/capability').schemaCapability);
    modules.env.registerCapability(require('../../lib/policy/capability').policyCapability);
    return modules;
  };

  it('refuses to synth when the schema or policy registration is missing, naming the fix', () => {
    jest.isolateModules(() => {
      const { env, gitops } = fresh();
      const app = new gitops.GitOpsApp({ environments: env.Environments.define({ dev: { clusters: [cluster()] } }) });
      expect(() => app.render()).toThrow("<app>: synth needs the schema and policy checks, but no capability named 'schema' or 'policy' is registered (its checks would be skipped); import the library through its entry module (lib/index.ts), or add `import '<lib>/capabilities';` once to the app");
      env.registerCapability(require('../../lib/schema/capability').schemaCapability);
      expect(() => app.render()).toThrow(/no capability named 'policy' is registered/);
      env.registerCapability(require('../../lib/policy/capability').policyCapability);
      expect(() => app.render()).not.toThrow();
    });
  });

  it('runs what a capability registers: per-target setup, checks, retention', () => {
    jest.isolateModules(() => {
      const { env, gitops } = withChecks();
      const { ApiObject } = require('cdk8s') as typeof import('cdk8s');
      const calls: string[] = [];
      env.registerCapability({
        name: 'probe',
        setupTarget: (scope, target) => {
          calls.push(`setup ${target.path}`);
          new ApiObject(scope as any, 'marker', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'marker', namespace: 'probe' }, data: { at: target.path } });
        },
        check: (objects, { targets }) => calls.push(`check ${objects.filter((o) => o.manifest.kind === 'ConfigMap' && o.manifest.metadata?.namespace === 'probe').length} ${targets.length}`),
        retain: (objects) => objects.filter((o) => o.manifest.kind === 'ConfigMap' && o.manifest.metadata?.namespace === 'probe').map((o) => ({ ...o, file: 'probe/kept.yaml', manifest: { ...o.manifest, metadata: { name: 'kept', namespace: 'probe' } } })),
      });
      const app = new gitops.GitOpsApp({ environments: env.Environments.define({ dev: { clusters: [cluster()] }, prod: { clusters: [cluster({ name: 'prod', server: 'https://prod.example' })] } }) });
      app.forEachTarget(() => undefined);
      const files = app.synthFiles();
      // once per target (its own objects), then once for the Argo CD and Flux objects
      expect(calls).toEqual(['setup dev', 'setup prod', 'check 1 2', 'check 1 2', 'check 0 2']);
      expect(files.get('dev/probe/kept.yaml')).toContain('name: kept');
      expect(files.get('prod/probe/kept.yaml')).toContain('name: kept');
    });
  });

  it('a streaming synth calls release before freeing each target, afterTargets once all are rendered, beforeWrite per batch', () => {
    jest.isolateModules(() => {
      const { env, gitops } = withChecks();
      const fs = require('fs') as typeof import('fs');
      const os = require('os') as typeof import('os');
      const path = require('path') as typeof import('path');
      const calls: string[] = [];
      env.registerCapability({
        name: 'probe',
        check: (objects) => calls.push(`check ${objects.length}`),
        // the target's chart is still in the tree when release runs
        release: (scope, target) => calls.push(`release ${target.path} ${scope.node.root.node.tryFindChild(scope.node.id) === scope}`),
        afterTargets: ({ root, targets }) => calls.push(`after ${targets.length} charts left ${root.node.children.filter((c) => c.node.id === 'dev' || c.node.id === 'prod').length}`),
        beforeWrite: (_objects, _outdir, { folders }) => calls.push(`before ${folders.join(',')}`),
      });
      const app = new gitops.GitOpsApp({ streaming: true, environments: env.Environments.define({ dev: { clusters: [cluster()] }, prod: { clusters: [cluster({ name: 'prod', server: 'https://prod.example' })] } }) });
      app.forEachTarget((scope: any) => calls.push(`build ${scope.node.id}`));
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hooks-'));
      try {
        app.synthTo(path.join(out, 'dist'));
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
      expect(calls).toEqual([
        'build dev', 'check 0', 'before dev', 'release dev true',
        'build prod', 'check 0', 'before prod', 'release prod true',
        'after 2 charts left 0', 'check 3', 'before argocd,flux',
      ]);
    });
  });
});

describe('lib/capabilities.ts', () => {
  const fs = require('fs') as typeof import('fs');
  const path = require('path') as typeof import('path');
  const LIB = path.resolve(__dirname, '../../lib');

  it('registers every capability folder that declares a registration, under the folder name, schema before policy', () => {
    const declared = fs.readdirSync(LIB, { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(LIB, e.name, 'capability.ts')) && e.name !== 'environments')
      .map((e) => e.name).sort();
    expect(declared.length).toBeGreaterThanOrEqual(10);
    const names = registeredCapabilities().map((c) => c.name);
    expect([...names].sort()).toEqual(expect.arrayContaining(declared));
    for (const folder of declared) {
      const exported = Object.values(require(path.join(LIB, folder, 'capability.ts'))).filter((v: any) => v && typeof v === 'object' && typeof v.name === 'string');
      expect(exported.map((c: any) => c.name)).toEqual([folder]);
      expect(registeredCapabilities()).toContain(exported[0]);
    }
    expect(names.indexOf('schema')).toBeLessThan(names.indexOf('policy'));
  });
});
