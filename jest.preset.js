// Shared Jest settings: TypeScript through SWC (fast, keeps decorator metadata for Nest)
// and the workspace aliases from tsconfig.base.json.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias}$`] = path.join(__dirname, target);
}

// Packages that ship ES modules only (Nest 12 and its companions, jose 6): Node 20 loads them with
// require(esm), Jest's module system does not, so they are compiled to CommonJS for every project.
const ESM_ONLY_PACKAGES = [
  '@nestjs/(?!throttler)[^/]+',
  'file-type',
  'strtok3',
  'token-types',
  'uint8array-extras',
  '@tokenizer',
  'jose',
];
const ESM_ONLY = ESM_ONLY_PACKAGES.join('|');

module.exports = {
  testEnvironment: 'node',
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY})/)`],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
        module: { type: 'commonjs' },
      },
    ],
    [`node_modules/(${ESM_ONLY})/.+\\.m?js$`]:
      require.resolve('./tools/jest/esm-package-transform.js'),
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
};
