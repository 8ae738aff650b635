/** Jest transpiles with esbuild (no type-check); `npm test` type-checks the whole tree once, beside jest (scripts/test.js). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': '<rootDir>/test/esbuild-transform.js',
  },
  setupFiles: ['<rootDir>/test/setup-capabilities.ts'],
  snapshotResolver: '<rootDir>/test/snapshot-resolver.js',
  testSequencer: '<rootDir>/test/sequencer.js',
  // synth tests spawn processes and write folders; two workers suit a 2-core machine
  maxWorkers: 2,
};
