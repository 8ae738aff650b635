// Keeps every snapshot under the top-level __snapshots__/, mirroring test/:
// test/workloads/hardened-service.test.ts -> __snapshots__/workloads/hardened-service.test.ts.snap
const path = require('path');

const root = path.resolve(__dirname, '..');
const testDir = path.join(root, 'test');
const snapDir = path.join(root, '__snapshots__');

module.exports = {
  resolveSnapshotPath: (testPath, ext) => path.join(snapDir, path.relative(testDir, testPath) + ext),
  resolveTestPath: (snapshotPath, ext) => path.join(testDir, path.relative(snapDir, snapshotPath).slice(0, -ext.length)),
  testPathForConsistencyCheck: path.join(testDir, 'workloads', 'example.test.ts'),
};
