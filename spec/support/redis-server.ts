import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real `redis-server` started for tests. */
export interface RedisServer {
  readonly port: number;
  /** The server's process id (a test can SIGSTOP it to stall it). */
  readonly pid: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Stops the server (no save) and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts Debian's `redis-server` on a free port of 127.0.0.1, in its own temporary
 * directory, with persistence off. Resolves once it accepts connections.
 * `REDIS_SERVER` overrides the binary's path.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'rxjs-agents-redis-'));
  // Another process may take the free port between probe and bind: try a few.
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    try {
      const child = await launch(port, dir);
      return server(child, port, dir);
    } catch (error) {
      if (attempt >= 4) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

function launch(port: number, dir: string): Promise<ChildProcess> {
  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
    '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'notice',
  ];
  const child = spawn(process.env['REDIS_SERVER'] ?? 'redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let log = '';
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Ready to accept connections')) {
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        child.stdout!.resume();
        resolve(child);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${log}`));
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.once('exit', onExit);
    child.once('error', (error) => reject(new Error(`redis-server could not start (${error.message}); install it: apt-get install -y redis-server`)));
  });
}

function server(child: ChildProcess, port: number, dir: string): RedisServer {
  let stopped: Promise<void> | undefined;
  return {
    port,
    pid: child.pid!,
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      (stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGCONT'); // a stalled server would not hear the SIGTERM
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
          await exited;
          clearTimeout(timer);
        }
        await rm(dir, { recursive: true, force: true });
      })()),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
