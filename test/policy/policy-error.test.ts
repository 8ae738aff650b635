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
    expect(lines.join('\n')).toContain('r'.repeat(64));
  });
});
