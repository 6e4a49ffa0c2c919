// Test-only helpers (`@netplay/db/testing`): databases for integration suites.
export * from './test-database';
