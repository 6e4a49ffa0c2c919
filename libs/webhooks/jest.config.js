const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'webhooks',
  rootDir: __dirname,
  // jose 6 ships ES modules only. Node (>= 20.19) loads it with require(esm), but Jest's module
  // system does not, so its files are compiled to CommonJS like ours.
  transform: {
    ...preset.transform,
    'node_modules/jose/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  // Integration suites (*.int-spec.ts) run against real Postgres/Redis and skip themselves,
  // saying why, when DATABASE_URL/REDIS_URL are not set.
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.int-spec.ts'],
};
