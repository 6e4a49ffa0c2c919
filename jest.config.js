// `npm test` runs every project's suites in one Jest process.
module.exports = {
  // A handle left open after the last suite (a leak the suites should not have) must fail fast in CI
  // rather than hold the run until its time limit; locally Jest keeps waiting and says so, which is
  // how such a leak is found.
  forceExit: Boolean(process.env.CI),
  // Jest reads the test timeout from this root configuration only (a project's `testTimeout` is
  // ignored when it runs through `projects`): hooks share it, and opening a migrated PGlite or
  // PostgreSQL database takes 3-7 s when the suite runs on a loaded 2-core machine. Projects that
  // need longer call jest.setTimeout in a setup file (test/kernel).
  testTimeout: 30_000,
  projects: [
    '<rootDir>/libs/engine',
    '<rootDir>/apps/cli',
    '<rootDir>/test',
    '<rootDir>/libs/contracts',
    '<rootDir>/libs/config',
    '<rootDir>/libs/logging',
    '<rootDir>/libs/db',
    '<rootDir>/libs/queue',
    '<rootDir>/libs/jobs',
    '<rootDir>/apps/worker',
    '<rootDir>/test/e2e',
    '<rootDir>/test/hostile',
    '<rootDir>/test/faults',
    '<rootDir>/test/kernel',
    '<rootDir>/libs/grading',
    '<rootDir>/libs/webhooks',
    '<rootDir>/libs/testing',
    '<rootDir>/libs/sdk',
    '<rootDir>/apps/api',
    '<rootDir>/apps/web',
  ],
};
