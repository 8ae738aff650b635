import { ConfigError } from '../../lib/core';
import { evaluateManifests, formatFindings, PolicyError, PolicyFinding } from '../../lib/policy';
import { bundle, containerOf, manifestsOf, podOf } from './fixtures';

function someFindings(): PolicyFinding[] {
  const b = bundle();
  containerOf(b).securityContext.privileged = true;
  delete podOf(b).securityContext.runAsNonRoot;
  containerOf(b).image = 'web';
  b.pdb = undefined;
  return evaluateManifests(manifestsOf(b).map((manifest) => ({ folder: 'prod/prod-eu-1', manifest })));
}

describe('PolicyError', () => {
  test('is a ConfigError that carries its findings', () => {
    const findings = someFindings();
    const err = new PolicyError(findings);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.name).toBe('PolicyError');
    expect(err.prop).toBe('policy');
    expect(err.findings).toBe(findings);
    expect(err.message.split('\n')[0]).toBe('policy check failed with 4 findings; fix them, or exempt a construct with Policy.exempt(scope, rule, reason)');
  });

  test('renders one table row per finding, wrapped within fixed columns', () => {
    expect(formatFindings(someFindings())).toMatchSnapshot();
  });

  test('groups a finding repeated in every target into one row listing the targets, and counts both', () => {
    const folders = ['dev', 'staging', 'prod/prod-eu-1', 'prod/prod-us-1'];
    const findings = folders.flatMap((folder) => someFindings().map((f) => ({ ...f, folder, constructPath: `${folder.split('/').pop()}/shop/web/Deployment` })));
    expect(findings).toHaveLength(16);
    const text = formatFindings(findings);
    expect(text.match(/^Deployment\/shop\/web/gm)).toHaveLength(4);
    expect(text.match(/^targets: dev, staging,\s+.*\nprod\/prod-eu-1, prod\/prod-us-1/gm)).toHaveLength(4);
    expect(text).toContain('construct: <target>/shop/web/');
    expect(new PolicyError(findings).message.split('\n')[0]).toBe('policy check failed with 16 findings (4 distinct, grouped across targets); fix them, or exempt a construct with Policy.exempt(scope, rule, reason)');
    // a finding that differs in one target stays its own row
    const odd = { ...findings[0], message: 'something else', folder: 'staging' };
    expect(formatFindings([findings[0], odd]).match(/^Deployment\/shop\/web/gm)).toHaveLength(2);
  });

  test('fits a 120-column terminal for generated findings of any length', () => {
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const word = () => Array.from({ length: 1 + Math.floor(rnd() * 90) }, () => 'abcdefghij.,/-_ "'[Math.floor(rnd() * 17)]).join('');
    for (let i = 0; i < 200; i++) {
      const f: PolicyFinding = {
        rule: word(), object: { kind: word(), namespace: rnd() < 0.5 ? word() : undefined, name: word() }, folder: word(),
        field: word(), message: `${word()} ${word()}`, fix: `${word()} ${word()}`, constructPath: rnd() < 0.8 ? `${word()}/${word()}` : undefined,
      };
      for (const line of formatFindings([f, { ...f, folder: word() }]).split('\n')) expect(line.length).toBeLessThanOrEqual(120);
    }
  });

  test('keeps every line within the table width however long a value is', () => {
    const long: PolicyFinding = {
      rule: 'hygiene-image-pinned',
      object: { kind: 'Deployment', namespace: 'n', name: 'x'.repeat(60) },
      folder: 'dev',
      field: 'spec.template.spec.containers[0].image',
      message: `container "a" image uses the moving tag latest, got "${'r'.repeat(150)}:latest"`,
      fix: 'pin it',
      constructPath: 'dev/x',
    };
    const lines = formatFindings([long]).split('\n');
    const widths = new Set(lines.slice(2).map((l) => l.length));
    expect(Math.max(...widths)).toBeLessThanOrEqual(lines[1].length);
    expect(lines.join('\n')).toContain('r'.repeat(50));
  });
});
