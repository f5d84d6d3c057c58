/** What every project shares. */
const common = {
  testEnvironment: 'node',
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
};

/** The example mini programs' own tests: examples/miniprogram*\/test (a regular expression). */
const MINIPROGRAM_TESTS = '<rootDir>/examples/miniprogram[^/]*/test/';

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 20000,
  projects: [
    {
      ...common,
      displayName: 'rxroom',
      roots: ['<rootDir>/test', '<rootDir>/examples'],
      testPathIgnorePatterns: ['/node_modules/', MINIPROGRAM_TESTS],
      // Examples import the package by name, as users do (tsconfig.json maps it the same way).
      moduleNameMapper: { '^rxroom$': '<rootDir>/src/index.ts' },
    },
    {
      ...common,
      // The example mini programs run over what WeChat's own tool packed into miniprogram_npm/
      // (`npm run examples:pack`), resolved the way a mini program resolves it.
      displayName: 'mini programs (packed)',
      roots: ['<rootDir>/examples'],
      testMatch: ['<rootDir>/examples/miniprogram*/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/miniprogram_npm/'],
      resolver: '<rootDir>/test/support/miniprogram-resolver.cjs',
      globalSetup: '<rootDir>/test/support/packed-examples-setup.cjs',
    },
  ],
};
