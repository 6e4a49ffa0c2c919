// End-to-end suites: the API and workers as real, compiled child processes against the machine's
// PostgreSQL and Redis. `.ci/run` builds them first (npm run build:api build:worker).
const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  // The SDK as it is published (libs/sdk/dist, `npm run build:sdk`), not its sources.
  moduleNameMapper: {
    ...preset.moduleNameMapper,
    '^@netplay/sdk$': require('node:path').join(__dirname, '../../libs/sdk/dist/index.js'),
  },
  displayName: 'e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.e2e-spec.ts'],
  // Starting processes and pushing hundreds of runs through them takes far longer than a unit test;
  // every wait inside has its own, shorter timeout that names what it waited for.
  testTimeout: 240_000,
};
