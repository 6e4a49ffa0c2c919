module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'jobs',
  rootDir: __dirname,
  // Integration suites (*.int-spec.ts) run against real Postgres/Redis (and PGlite) and skip
  // themselves, saying why, when they cannot run here.
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.int-spec.ts'],
};
