import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, GitOpsApp, HardenedService, NetworkPeer, PlatformNamespace, readTree } from '../../lib';
import { environments } from '../../apps/main';

// What the README's "A second app" shows: an app with its own outdir, repository path, Argo CD project and Flux
// name writes beside dist/ and never touches it.
function payments(outdir: string): GitOpsApp<'dev' | 'staging' | 'prod'> {
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

describe('a second app', () => {
  let root: string;
  beforeAll(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'second-app-')); });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('writes its own folder and leaves the first app\'s output as it was', () => {
    const { buildApp } = require('../../apps/main');
    const main = path.join(root, 'dist');
    buildApp(main).synth();
    const before = readTree(main);
    payments(path.join(root, 'dist-payments')).synth();
    expect(readTree(main)).toEqual(before);
    const files = [...readTree(path.join(root, 'dist-payments')).keys()];
    expect(files).toContain('dev/payments/ledger.yaml');
    // Argo CD objects named after the app's own project, so two apps can share one Argo CD
    const argo = files.filter((f) => f.startsWith('argocd/')).join('\n');
    expect(argo).toContain('payments');
    expect(argo).not.toMatch(/platform/);
  });

  test('its bad input fails with the same one-line messages', () => {
    const app = payments(path.join(root, 'unused'));
    app.forEachTarget((scope) => {
      expect(() => new HardenedService(scope, 'bad', { image: 'ghcr.io/acme/x:1', port: 8080, namespace: 'payments', egress: [{ peer: NetworkPeer.ipBlock('10.0.0.0/33') }] }))
        .toThrow(ConfigError);
    });
  });
});
