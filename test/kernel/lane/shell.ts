import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

/** Runs a command and returns its stdout; throws with the command and its stderr when it fails. */
export function run(command: string, args: string[], input?: string): string {
  try {
    return execFileSync(command, args, {
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 20_000,
    });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${e.stderr?.trim() || e.message}`);
  }
}

/** `ip netns exec NS command ...`. */
export function inNs(ns: string, command: string, args: string[], input?: string): string {
  return run('ip', ['netns', 'exec', ns, command, ...args], input);
}

/**
 * Runs a command without blocking the event loop (scenarios run side by side), feeding it stdin;
 * resolves with its stdout, rejects with its stderr when it fails or outlives `timeoutMs`.
 */
export function exec(
  command: string,
  args: string[],
  input = '',
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: options.env });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} took longer than ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${err.trim()}`));
    });
    child.stdin.on('error', () => {
      // the command exited before reading its input; its exit code tells
    });
    child.stdin.end(input);
  });
}

/** `ip netns exec NS command ...`, asynchronously. */
export function execInNs(
  ns: string,
  command: string,
  args: string[],
  input = '',
  options: { timeoutMs?: number } = {},
): Promise<string> {
  return exec('ip', ['netns', 'exec', ns, command, ...args], input, options);
}

/** Starts a long-running process inside a namespace and resolves once it prints `ready`. */
export function startInNs(ns: string, command: string, args: string[]): Promise<ChildProcess> {
  const child = spawn('ip', ['netns', 'exec', ns, command, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} in ${ns} did not print ready within 10 s: ${err}`));
    }, 10_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} in ${ns} exited with ${code} before ready: ${err}`));
    });
  });
}
