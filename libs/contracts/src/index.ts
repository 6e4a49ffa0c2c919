export * from './run-status';
export * from './jobs';
export * from './run-events';
export * from './ids';
