// The server as a real process of its own (`src/main.ts` through scripts/ts-register.js), for the tests that kill it.
import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface ServerProcess {
  url: string;
  pid: number;
  /** Sends `signal` and waits for the process to end. */
  stop(signal: NodeJS.Signals): Promise<void>;
  /** Whether the process has ended (of itself or by a signal). */
  readonly exited: boolean;
  /** What the process wrote (its last 20 kB of stdout and stderr), for a failure's message. */
  readonly stderr: string;
}

export interface ServerProcessOptions {
  timeoutMs?: number;
  /** Run the built app (`dist/src/main.js`, as `npm start` does) instead of the sources. */
  built?: boolean;
}

const ROOT = join(__dirname, '..', '..');

export async function startServerProcess(env: Record<string, string>, options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const { timeoutMs = 60000, built = false } = options;
  const port = await freePort();
  const entry = built ? [join(ROOT, 'dist', 'src', 'main.js')] : ['-r', join(ROOT, 'scripts', 'ts-register.js'), join(ROOT, 'src', 'main.ts')];
  const child = spawn(process.execPath, entry, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const keep = (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (!(await healthy(url))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The server process did not start (exit code ${child.exitCode}): ${stderr.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid!,
    stop: (signal) => stop(child, signal),
    get exited() {
      return child.exitCode !== null || child.signalCode !== null;
    },
    get stderr() {
      return stderr;
    },
  };
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`)).ok;
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
