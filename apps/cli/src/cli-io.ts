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

/** Exit status for bad input: unreadable files, invalid manifests, unknown flags, a bad --from. */
export const EXIT_BAD_INPUT = 2;

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
