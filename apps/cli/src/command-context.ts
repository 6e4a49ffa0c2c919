import type { CliIO, Output } from './cli-io';

/** Shared by every command: where to read and print, and how to set the exit status. */
export interface CommandContext {
  io: CliIO;
  output: Output;
  exit: (code: number) => void;
}
