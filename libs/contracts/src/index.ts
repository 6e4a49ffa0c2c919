export * from './run-status';
export * from './jobs';
