// `npm test` runs every project's suites in one Jest process.
module.exports = {
  projects: ['<rootDir>/libs/engine', '<rootDir>/apps/cli', '<rootDir>/test'],
};
