import * as fs from 'fs';
import * as path from 'path';
import * as lib from '../../lib';

const LIB = path.join(__dirname, '..', '..', 'lib');
/** Every capability folder: a folder of lib/ with an index.ts. */
const FOLDERS = fs.readdirSync(LIB).filter((f) => fs.existsSync(path.join(LIB, f, 'index.ts'))).sort();

describe('lib/index.ts, the single entry module', () => {
  test('knows the capability folders', () => {
    expect(FOLDERS).toEqual(expect.arrayContaining(['core', 'gitops', 'policy', 'workloads']));
  });

  test.each(FOLDERS)('re-exports every value of lib/%s, flat or under its namespace', (folder) => {
    const mod = require(path.join(LIB, folder));
    const namespace = (lib as any)[folder];
    const missing = Object.keys(mod).filter((key) => (lib as any)[key] !== mod[key] && namespace?.[key] !== mod[key]);
    expect(missing).toEqual([]);
  });

  test('a flat name is the same binding as in its folder (no clash silently resolved to another folder)', () => {
    for (const folder of FOLDERS.filter((f) => f !== 'policy')) {
      const mod = require(path.join(LIB, folder));
      for (const key of Object.keys(mod)) expect([folder, key, (lib as any)[key] === mod[key]]).toEqual([folder, key, true]);
    }
    expect(lib.Policy).toBe(lib.policy.Policy);
    expect(lib.HardenedService).toBeDefined();
    expect(lib.GitOpsApp).toBeDefined();
  });
});
