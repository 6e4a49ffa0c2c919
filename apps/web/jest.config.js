// The playground page's suites: unit tests of the view logic (src/**/*.spec.ts, no browser) and
// the browser tests (e2e/*.browser-spec.ts): the compiled API in embedded mode, the built page,
// and Debian's Chromium driven by playwright-core.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'web',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/e2e/**/*.browser-spec.ts'],
};
