import { combineErrors, ConfigError, isFindingsError } from '../../lib/core';
import { PolicyError } from '../../lib/policy';
import { SchemaError } from '../../lib/schema';
import { prng } from '../fixtures/prng';

// Synth checks one target at a time and reports the findings of every target in one error (combineErrors).
describe('combineErrors', () => {
  const finding = (folder: string, name: string): any => ({ rule: 'hygiene-probes', object: { kind: 'Deployment', namespace: 'shop', name }, field: 'spec', message: 'm', fix: 'f', folder });

  it('merges findings errors of one kind in folder order, keeping each folder\'s own order (generated)', () => {
    const random = prng(7);
    const folders = ['dev', 'prod/eu', 'prod/us', 'staging', 'argocd'];
    for (let run = 0; run < 50; run++) {
      const errors = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
        const folder = folders[Math.floor(random() * folders.length)];
        return new PolicyError(Array.from({ length: 1 + Math.floor(random() * 3) }, () => finding(folder, `w${Math.floor(random() * 100)}`)));
      });
      const combined = combineErrors(errors) as PolicyError;
      expect(combined).toBeInstanceOf(PolicyError);
      const all = errors.flatMap((e) => [...e.findings]);
      expect(combined.findings.length).toBe(all.length);
      // sorted by folder; within a folder, the order the errors gave
      const expected = [...folders].sort().flatMap((f) => all.filter((x) => x.folder === f));
      expect(combined.findings).toEqual(expected);
      expect(combined.message).toMatch(new RegExp(`^policy check failed with ${all.length} finding`));
    }
  });

  it('keeps the first error when the kinds differ or an error lists no findings', () => {
    const policy = new PolicyError([finding('dev', 'a')]);
    const schema = new SchemaError([{ ...finding('prod', 'b'), version: '1.34', problem: 'p' } as any]);
    const plain = new ConfigError('dev/x', 'prop', 'dev/x: prop is wrong');
    expect(combineErrors([schema, policy])).toBe(schema);
    expect(combineErrors([plain, policy])).toBe(plain);
    expect(combineErrors([policy])).toBeInstanceOf(PolicyError);
    expect(isFindingsError(policy)).toBe(true);
    expect(isFindingsError(plain)).toBe(false);
  });
});
