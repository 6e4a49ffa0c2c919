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

/** Runs a command in a namespace, feeding it stdin, without blocking the event loop. */
export function runInNsAsync(
  ns: string,
  command: string,
  args: string[],
  input: string,
): Promise<string> {
  const child = spawn('ip', ['netns', 'exec', ns, command, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} in ${ns} took longer than 30 s`));
    }, 30_000);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${command} in ${ns} exited with ${code}: ${err}`));
    });
    child.stdin.end(input);
  });
}
