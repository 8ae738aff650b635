import * as YAML from 'yaml';
import { buildApp } from '../../apps/main';
import { restoreDrillYaml } from '../../scripts/restore-drill';

describe('npm run restore-drill', () => {
  const app = buildApp();

  test('prints the Restore of the named backup of a prod workload into a scratch namespace', () => {
    const text = restoreDrillYaml(app, { env: 'prod', workload: 'db', backup: 'storefront-db-20260301030000' });
    expect(text.split('\n')[0]).toBe('# restore drill for prod/prod-eu-west-1: storefront/db from backup storefront-db-20260301030000');
    const restore = YAML.parse(text);
    expect(restore).toMatchObject({
      apiVersion: 'velero.io/v1', kind: 'Restore', metadata: { namespace: 'velero' },
      spec: { backupName: 'storefront-db-20260301030000', includedNamespaces: ['storefront'], namespaceMapping: { storefront: 'storefront-drill' }, restorePVs: true },
    });
    expect(YAML.parse(restoreDrillYaml(app, { env: 'prod', cluster: 'prod-us-east-1', workload: 'db', backup: 'b', into: 'scratch' })).spec.namespaceMapping).toEqual({ storefront: 'scratch' });
  });

  test('errors: an unknown environment or workload, a workload without backups', () => {
    expect(() => restoreDrillYaml(app, { env: 'qa', workload: 'db', backup: 'b' })).toThrow('no target for --env qa; environments: dev, staging, prod');
    expect(() => restoreDrillYaml(app, { env: 'prod', workload: 'cache', backup: 'b' })).toThrow("no stateful workload 'cache' in prod/prod-eu-west-1");
    expect(() => restoreDrillYaml(app, { env: 'dev', workload: 'db', backup: 'b' })).toThrow('dev/storefront/storefront/db has no backup schedule in dev');
  });
});
