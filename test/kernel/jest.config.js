// The kernel lane: the engine's views loaded into real network namespaces and compared with its
// traces (docs/kernel-lane.md). Needs root and `ip netns`; skipped, with the reason in the test
// name, where namespaces cannot be created.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'kernel',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.kernel-spec.ts'],
  // A scenario builds namespaces and starts servers: up to a couple of minutes on a loaded machine.
  setupFilesAfterEnv: ['<rootDir>/jest.setup.ts'],
};
