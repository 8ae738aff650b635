import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildLedgerApp } from '../../apps/ledger';
import { buildApp, environments } from '../../apps/main';
import { checkSharedRepository, Environments, GitOpsApp, HardenedService, PlatformNamespace, readTree } from '../../lib';
import { prng } from '../fixtures/prng';

// the README's second app as it was: the example's environments (so its StorageClasses and stores) and the
// payments namespace the example's payments team owns
function readmePayments(outdir: string): GitOpsApp<'dev' | 'staging' | 'prod'> {
  const app = new GitOpsApp({
    environments,
    outdir,
    repository: { url: 'https://github.com/acme/payments-gitops.git', revision: 'main', path: 'dist-payments' },
    argoCd: { project: 'payments' },
    flux: { name: 'payments' },
  });
  app.forEachTarget((scope) => {
    const ns = new PlatformNamespace(scope, 'payments', { team: 'payments' });
    new HardenedService(ns, 'ledger', { image: 'ghcr.io/acme/ledger:1.0.0', port: 8080 });
  });
  return app;
}

describe('several apps, one repository', () => {
  let root: string;
  beforeAll(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-repo-')); });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test("the README's second app as written re-renders the platform's cluster-wide objects and claims a team's namespace: an error naming both apps", () => {
    let message = '';
    try {
      checkSharedRepository([{ name: 'storefront', app: buildApp(path.join(root, 'a')) }, { name: 'payments', app: readmePayments(path.join(root, 'b')) }]);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('payments: StorageClass fast-ssd on https://dev.k8s.acme.example is rendered by storefront too (dev/_platform/_cluster/storageclass-fast-ssd.yaml); one owner');
    expect(message).toContain('payments: namespace payments on https://dev.k8s.acme.example is storefront\'s');
    expect(message).toContain('payments: ConfigMap argocd/argocd-cm on the argocd folder is rendered by storefront too');
  });

  test('the ledger app (apps/ledger.ts) refers instead: both apps render side by side, each into its own folder', () => {
    const main = buildApp(path.join(root, 'dist'));
    const ledger = buildLedgerApp(path.join(root, 'dist-ledger'));
    expect(() => checkSharedRepository([{ name: 'storefront', app: main }, { name: 'ledger', app: ledger }])).not.toThrow();
    main.synth();
    const before = readTree(path.join(root, 'dist'));
    ledger.synth();
    expect(readTree(path.join(root, 'dist'))).toEqual(before);
    const files = [...readTree(path.join(root, 'dist-ledger')).keys()];
    expect(files).toContain('dev/ledger/ledger.yaml');
    expect(files.filter((f) => f.includes('storageclass'))).toEqual([]);
    expect(files.filter((f) => f.includes('argocd-cm'))).toEqual([]);
  });

  test('same outdir, repository path, project or Flux name are errors', () => {
    const a = buildLedgerApp(path.join(root, 'x'));
    const b = buildLedgerApp(path.join(root, 'x'));
    let message = '';
    try { checkSharedRepository([{ name: 'a', app: a }, { name: 'b', app: b }]); } catch (e) { message = (e as Error).message; }
    expect(message).toContain('b: writes the output folder of a');
    expect(message).toContain('b: repository.path "dist-ledger" is a\'s too');
    expect(message).toContain('b: Argo CD project "ledger" is a\'s too; set argoCd.project');
    expect(message).toContain('b: Flux name "ledger" is a\'s too; set flux.name');
  });

  test('generated: two apps conflict exactly when they share a namespace on a cluster', () => {
    const rand = prng(99);
    const envs = Environments.define({ dev: { clusters: [{ name: 'dev', server: 'https://dev.example' }] } });
    for (let round = 0; round < 8; round++) {
      const pick = () => ['a', 'b', 'c', 'd'].filter(() => rand() < 0.5);
      const [first, second] = [pick(), pick()];
      const app = (name: string, namespaces: string[]) => {
        const g = new GitOpsApp({ environments: envs, outdir: path.join(root, `g-${round}-${name}`), repository: { url: 'https://example.com/r.git', path: `d-${name}` }, argoCd: { project: name, applicationHealthCheck: name === 'one' }, flux: { name } });
        g.forEachTarget((scope) => {
          for (const n of namespaces) new HardenedService(new PlatformNamespace(scope, n), 'svc', { image: 'ghcr.io/acme/s:1.0.0', port: 8080 });
        });
        return g;
      };
      const shared = first.filter((n) => second.includes(n));
      const check = () => checkSharedRepository([{ name: 'one', app: app('one', first) }, { name: 'two', app: app('two', second) }]);
      if (shared.length === 0) expect(check).not.toThrow();
      else for (const n of shared) expect(check).toThrow(`two: namespace ${n} on https://dev.example is one's`);
    }
  });
});
