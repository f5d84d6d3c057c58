/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/examples'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': [
      'ts-jest',
      { tsconfig: 'tsconfig.json', isolatedModules: false, diagnostics: { warnOnly: false } },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Integration tests open real sockets on 127.0.0.1; keep them from hiding each other's leaks.
  testTimeout: 20000,
};
