import * as fs from 'fs';
import * as path from 'path';
import { Lazy } from 'cdk8s';
import { ConfigError } from '../../lib/core';
import * as os from 'os';
import * as YAML from 'yaml';
import { Environments, GitOpsApp, isCdk8sStdoutMode, readTree, toStream, WriteFile } from '../../lib/gitops';
import { configMap, namespace, REPO_URL, shopApp, tempDir, twoEnvironments, unitScope } from './helpers';

function staging(outdir: string): string[] {
  return fs.readdirSync(path.dirname(outdir)).filter((f) => f.startsWith(`.${path.basename(outdir)}.`));
}

describe('GitOpsApp', () => {
  let root: string;
  beforeEach(() => {
    root = tempDir();
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reports a duplicate construct id with the environment target, the parent path and the fix, not constructs\' raw error', () => {
    const app = new GitOpsApp({ environments: twoEnvironments(), repository: { url: REPO_URL } });
    let err: any;
    try {
      app.forEachTarget((scope) => {
        const ns = namespace(scope, 'shop');
        configMap(ns, 'shop', 'a', {});
        configMap(ns, 'shop', 'a', {});
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe("dev/ns-shop: construct id 'cm-shop-a' is used twice in dev/ns-shop (environment dev, target dist/dev), first used by a construct of type ApiObject, got \"cm-shop-a\"; give each construct an id unique among its siblings (the id is the second constructor argument), e.g. 'cm-shop-a-2' or a name that says what differs");
  });

  it('detects `cdk8s synth --stdout` only from the CLI\'s temporary output folder', () => {
    const tmp = path.join(os.tmpdir(), 'cdk8s-Ab12Cd');
    expect(isCdk8sStdoutMode(tmp, { CDK8S_OUTDIR: tmp })).toBe(true);
    expect(isCdk8sStdoutMode(tmp, {})).toBe(false);
    expect(isCdk8sStdoutMode('dist', { CDK8S_OUTDIR: 'dist' })).toBe(false);
    expect(isCdk8sStdoutMode(path.join(os.tmpdir(), 'cdk8s-x'), { CDK8S_OUTDIR: path.join(os.tmpdir(), 'cdk8s-x') })).toBe(false);
    expect(isCdk8sStdoutMode(path.join(root, 'cdk8s-Ab12Cd'), { CDK8S_OUTDIR: path.join(root, 'cdk8s-Ab12Cd') })).toBe(false);
  });

  it('writes the stdout stream as every object of dist/, one document each, without kustomization.yaml', () => {
    const files = shopApp().synthFiles();
    const stream = toStream(files);
    const docs = YAML.parseAllDocuments(stream).map((d) => d.toJS());
    const expected = [...files].filter(([f]) => !f.endsWith('kustomization.yaml')).flatMap(([, text]) => YAML.parseAllDocuments(text).map((d) => d.toJS()));
    expect(docs).toEqual(expected);
    expect(docs.some((d) => d.kind === 'Kustomization' && d.apiVersion.startsWith('kustomize.config'))).toBe(false);
  });

  it('creates one chart per target, named after the environment or, for multi-cluster environments, the cluster', () => {
    const app = shopApp();
    expect(app.targets.map((t) => t.path)).toEqual(['dev', 'prod/prod-eu-1', 'prod/prod-us-1']);
    expect(app.targets.map((t) => app.chartFor(t).node.path)).toEqual(['dev', 'prod-eu-1', 'prod-us-1']);
    expect(app.targetsOf(app.environments.get('prod')).map((t) => t.cluster.name)).toEqual(['prod-eu-1', 'prod-us-1']);
  });

  it('writes the same bytes on every run (two apps, two folders)', () => {
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    shopApp({ outdir: a }).synth();
    shopApp({ outdir: b }).synth();
    const ta = readTree(a);
    const tb = readTree(b);
    expect(ta.size).toBeGreaterThan(20);
    expect([...tb.keys()]).toEqual([...ta.keys()]);
    for (const [file, bytes] of ta) expect({ file, bytes: tb.get(file) }).toEqual({ file, bytes });
  });

  it('removes the file of a unit that was removed from the code on the next synth', () => {
    const out = path.join(root, 'dist');
    shopApp({ outdir: out }).synth();
    expect(fs.existsSync(path.join(out, 'dev/shop/cache.yaml'))).toBe(true);
    shopApp({ outdir: out }, { withoutCache: true }).synth();
    expect(fs.existsSync(path.join(out, 'dev/shop/cache.yaml'))).toBe(false);
    expect(fs.readFileSync(path.join(out, 'dev/kustomization.yaml'), 'utf8')).not.toContain('cache.yaml');
    expect(staging(out)).toEqual([]);
  });

  it('leaves an existing dist/ byte-identical and throws when a construct fails inside a Lazy at render time', () => {
    const out = path.join(root, 'dist');
    shopApp({ outdir: out }).synth();
    const before = readTree(out);
    const app = shopApp({ outdir: out });
    app.forEachTarget((scope) => {
      configMap(unitScope(scope, 'late'), 'shop', 'late', { value: Lazy.any({ produce: () => { throw new Error('late value failed'); } }) });
    });
    expect(() => app.synth()).toThrow('late value failed');
    expect(readTree(out)).toEqual(before);
    expect(staging(out)).toEqual([]);
  });

  it('leaves an existing dist/ byte-identical and no staging folder when the writer hits ENOSPC after a few files', () => {
    const out = path.join(root, 'dist');
    shopApp({ outdir: path.join(root, 'other') }).synth();
    shopApp({ outdir: out }, { withoutCache: true }).synth();
    const before = readTree(out);
    let n = 0;
    const full: WriteFile = (file, data) => {
      if (++n > 3) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      fs.writeFileSync(file, data);
    };
    // a different app, so that more than three files change and must be written
    expect(() => shopApp({}).synthTo(out, full)).toThrow('ENOSPC');
    expect(n).toBe(4);
    expect(readTree(out)).toEqual(before);
    expect(staging(out)).toEqual([]);
  });

  it('rejects two targets that deploy the same object to the same cluster', () => {
    const environments = Environments.define({
      dev: { clusters: [{ name: 'dev', server: 'https://shared.example.com' }] },
      staging: { clusters: [{ name: 'staging', server: 'https://shared.example.com' }] },
    });
    const app = new GitOpsApp({ environments, repository: { url: REPO_URL } });
    app.forEachTarget((scope, { env }) => {
      const u = unitScope(scope, 'shop');
      namespace(u, `shop-${env.name}`);
      configMap(u, 'monitoring', 'shop-dashboard', {});
    });
    expect(() => app.render()).toThrow(ConfigError);
    expect(() => app.render()).toThrow('staging/shop/cm-monitoring-shop-dashboard: ConfigMap monitoring/shop-dashboard is also rendered by dev/shop/cm-monitoring-shop-dashboard for target \'dev\', and both targets deploy to https://shared.example.com');
  });

  it('allows the same object in two targets on different clusters', () => {
    expect(() => shopApp().render()).not.toThrow();
  });

  it("rejects an environment named like the 'argocd' or 'flux' folder", () => {
    const environments = Environments.define({ flux: { clusters: [{ name: 'flux', server: 'https://f.example.com' }] } });
    expect(() => new GitOpsApp({ environments })).toThrow("<app>: environments must not use the folder names 'argocd' and 'flux' (they hold the Argo CD and Flux objects), got \"flux\"; rename the environment");
  });

  it('validates the repository and normalizes its path', () => {
    const environments = twoEnvironments();
    expect(() => new GitOpsApp({ environments, repository: { url: 'github.com/acme' } })).toThrow('<app>: repository.url must be a Git clone URL, got "github.com/acme"; use e.g. \'https://github.com/acme/platform-gitops.git\'');
    expect(() => new GitOpsApp({ environments, repository: { url: REPO_URL, path: '../dist' } })).toThrow(/repository\.path must be a relative folder inside the repository, got "\.\.\/dist"/);
    expect(() => new GitOpsApp({ environments, repository: { url: REPO_URL, revision: 'HEAD' } })).toThrow(/repository\.revision must name a branch, tag or commit \(Flux has no HEAD\)/);
    expect(new GitOpsApp({ environments, repository: { url: REPO_URL, path: './deploy/dist/' } }).repository).toEqual({ url: REPO_URL, revision: 'main', path: 'deploy/dist' });
    expect(new GitOpsApp({ environments }).repository.url).toBe('https://example.invalid/platform.git');
  });

  it('renders the Argo CD and Flux objects only through render(), which knows what the targets hold', () => {
    const app = shopApp();
    expect(() => app.argoCd!.toJson()).toThrow(/the Argo CD and Flux objects depend on what the targets render; render them with app\.render\(\)/);
    // the project, argocd-cm's Application health check, the Applications
    expect(app.render().filter((o) => o.folder === 'argocd').length).toBe(5);
    // render() can run again (synth after a test render)
    expect(app.render().filter((o) => o.folder === 'flux').length).toBe(4);
  });

  it('writes nothing for the Argo CD and Flux folders when both are turned off', () => {
    const files = shopApp({ argoCd: false, flux: false }).synthFiles();
    expect([...files.keys()].filter((f) => f.startsWith('argocd/') || f.startsWith('flux/'))).toEqual([]);
  });
});
