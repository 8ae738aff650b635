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
    // @ts-expect-error a setting no capability declares
    Environments.define({ dev: { clusters: [cluster()], nosuchSetting: 1 } });
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
