// The SDK's unit suites: the generated types match the committed OpenAPI document, and the helpers.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'sdk',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
