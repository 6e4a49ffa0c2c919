/** What a command needs from the outside world, so tests can run the CLI in-process. */
export interface CliIO {
  /** Directory relative paths are resolved against. */
  cwd: string;
  /** Contents of standard input (read only when a FILE is `-`). */
  readStdin: () => string;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Exit statuses a CI job can tell apart (docs/cli.md "Exit status"): 1 when the answer is not the
 * one asked for with --expect, --assert-open/--assert-closed or diff --exit-code; 2 for bad input
 * (unreadable files, invalid manifests, unknown flags, a bad --from); 3 when an output file cannot
 * be written; 70 (sysexits' EX_SOFTWARE) for a fault of netplay itself.
 */
export const EXIT_EXPECTATION_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_WRITE_FAILED = 3;
export const EXIT_INTERNAL_ERROR = 70;

/** Collects what a command prints. */
export class Output {
  stdout = '';
  stderr = '';
  out(text: string): void {
    this.stdout += text.endsWith('\n') ? text : `${text}\n`;
  }
  err(text: string): void {
    this.stderr += text.endsWith('\n') ? text : `${text}\n`;
  }
}
