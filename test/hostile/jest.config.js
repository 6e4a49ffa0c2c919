// The hostile-input suite: the corpus of test/hostile/corpus against the compiled API (production
// mode) and a worker as real processes, with a second tenant's latency measured meanwhile.
// `.ci/run` builds them first (npm run build:api build:worker).
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'hostile',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.hostile-spec.ts'],
};
