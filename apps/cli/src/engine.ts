/** The engine API the CLI uses, through the workspace alias. */
export * from '@netplay/engine';
