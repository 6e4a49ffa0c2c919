// @netplay/testing: helpers shared by the test suites of every project (test code only; the import
// rules in .dependency-cruiser.cjs keep it out of production code). Helpers one project's tests use
// alone stay beside those tests.
export * from './wait';
export * from './redis';
export * from './test-database';
export * from './test-receiver';
export * from './throwaway-redis';
export * from './lti-platform-stand-in';
