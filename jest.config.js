/** Jest transpiles with swc (no type-check); `npm run typecheck` type-checks once for the whole tree. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  snapshotResolver: '<rootDir>/test/snapshot-resolver.js',
  // synth tests spawn processes and write folders; two workers suit a 2-core machine
  maxWorkers: 2,
};
