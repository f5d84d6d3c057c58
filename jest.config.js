/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/examples'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // tsconfig.test.json turns isolatedModules off so ts-jest type-checks every test file:
    // the type-level tests in test/types depend on it.
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.test.json', diagnostics: { warnOnly: false } }],
    // jose (used by the reference server) ships ESM only; see the transform for why it is not ts-jest.
    '/node_modules/jose/.+\\.js$': '<rootDir>/test/server/esm-to-cjs.cjs',
  },
  // Jest does not transform node_modules, except the ESM-only packages above.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Examples import the package by name, as users do (tsconfig.json maps it the same way).
  moduleNameMapper: { '^rxroom$': '<rootDir>/src/index.ts' },
  testTimeout: 20000,
};
