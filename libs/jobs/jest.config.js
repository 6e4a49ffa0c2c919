module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'jobs',
  rootDir: __dirname,
  // jose 6 (through @netplay/webhooks) ships ES modules only, which Jest cannot require: compiled to CommonJS.
  transform: {
    ...require('../../jest.preset.js').transform,
    'node_modules/jose/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  // Integration suites (*.int-spec.ts) run against real Postgres/Redis (and PGlite) and skip
  // themselves, saying why, when they cannot run here.
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.int-spec.ts'],
};
