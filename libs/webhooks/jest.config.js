module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'webhooks',
  rootDir: __dirname,
  // Integration suites (*.int-spec.ts) run against real Postgres/Redis and skip themselves,
  // saying why, when DATABASE_URL/REDIS_URL are not set.
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.int-spec.ts'],
};
