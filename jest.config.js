// `npm test` runs every project's suites in one Jest process.
module.exports = {
  projects: ['<rootDir>/libs/engine', '<rootDir>/apps/cli', '<rootDir>/test',
    '<rootDir>/libs/contracts', '<rootDir>/libs/db', '<rootDir>/libs/queue', '<rootDir>/libs/jobs', '<rootDir>/apps/worker', '<rootDir>/test/e2e', '<rootDir>/libs/grading', '<rootDir>/libs/webhooks', '<rootDir>/apps/api'],
};
