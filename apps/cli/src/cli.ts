import { Command, CommanderError } from 'commander';
import { version } from '../package.json';
import { EXIT_BAD_INPUT, EXIT_INTERNAL_ERROR, Output, type CliIO, type CliResult } from './cli-io';
import type { CommandContext } from './command-context';
import { dnsCommand } from './commands/dns.command';
import { explainCommand } from './commands/explain.command';
import { lintCommand } from './commands/lint.command';
import { diffCommand } from './commands/diff.command';
import { getCommand } from './commands/get.command';
import { matrixCommand } from './commands/matrix.command';
import { runCommand } from './commands/run.command';
import { traceCommand } from './commands/trace.command';

/**
 * Runs `netplay ARGS…` in-process and returns what it printed and its exit status instead of
 * exiting: 0 on success whatever the verdict unless an expectation was given, 2 on bad input
 * (errors on stderr, never a stack); the full table is in cli-io.ts.
 */
export function runCli(argv: string[], io: CliIO): CliResult {
  const output = new Output();
  let code = 0;
  // The most serious status wins: a file that could not be written outranks an unmet --expect.
  const ctx: CommandContext = { io, output, exit: (c) => (code = Math.max(code, c)) };
  const program = new Command('netplay')
    .description(
      'Kubernetes networking playground: real manifests in, hop-by-hop packet and DNS traces out',
    )
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => (output.stdout += s),
      writeErr: (s) => (output.stderr += s),
    })
    .exitOverride();
  for (const command of [
    traceCommand(ctx),
    dnsCommand(ctx),
    getCommand(ctx),
    runCommand(ctx),
    explainCommand(ctx),
    lintCommand(ctx),
    matrixCommand(ctx),
    diffCommand(ctx),
  ]) {
    program.addCommand(
      command
        .configureOutput({
          writeOut: (s) => (output.stdout += s),
          writeErr: (s) => (output.stderr += s),
        })
        .exitOverride(),
    );
  }
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) {
      output.err(`error: ${error instanceof Error ? error.message : String(error)}`);
      return { code: EXIT_INTERNAL_ERROR, stdout: output.stdout, stderr: output.stderr };
    }
    const informational = [
      'commander.helpDisplayed',
      'commander.version',
      'commander.help',
    ].includes(error.code);
    code = informational ? 0 : EXIT_BAD_INPUT;
  }
  return { code, stdout: output.stdout, stderr: output.stderr };
}
