// The API's unit (*.spec.ts) and integration (*.int-spec.ts) suites. Nest 12 and some of its
// companions are ES-module-only packages: they are compiled to CommonJS for Jest (see the transformer).
const preset = require('../../jest.preset.js');

const ESM_ONLY_PACKAGES = ['@nestjs/(?!throttler)[^/]+', 'file-type', 'strtok3', 'token-types', 'uint8array-extras', '@tokenizer', 'jose'];

module.exports = {
  ...preset,
  displayName: 'api',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.int-spec.ts'],
  transform: {
    ...preset.transform,
    [`node_modules/(${ESM_ONLY_PACKAGES.join('|')})/.+\\.m?js$`]: require.resolve('../../tools/jest/esm-package-transform.js'),
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY_PACKAGES.join('|')})/)`],
};
