// The fault matrix (docs/reliability.md): the compiled API and workers as child processes against a
// throwaway PostgreSQL cluster and redis-server of each suite's own, which the tests kill, pause,
// flush and restart. `.ci/run` builds the apps first (npm run build:api build:worker).
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'faults',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.fault-spec.ts'],
  setupFilesAfterEnv: ['<rootDir>/jest.setup.ts'],
};
