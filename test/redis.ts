// A real redis-server for the queue tests: Debian's package (`npm test`'s pretest installs it), each test's
// own on a free localhost port and in a temporary folder of its own (other suites may run beside it), stopped
// after the tests. A test can kill it as a crash does and start it again on the same port.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REDIS_SERVER = '/usr/bin/redis-server';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface TestRedis {
  url: string;
  /** Ends it as a crash does (SIGKILL): its clients see their connections drop. */
  kill(): Promise<void>;
  /** Starts it again on the same port and folder: with `persist`, with every write it had acknowledged. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisOptions {
  /** More redis-server arguments, e.g. a password. */
  extra?: string[];
  /** Keep every write in an append-only file (fsync'd at each), so a restart after a kill loses nothing. */
  persist?: boolean;
}

/** Starts a redis-server; resolves once it accepts connections. */
export async function startRedis({ extra = [], persist = false }: RedisOptions = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'minima-redis-'));
  const saving = persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...saving, ...extra];
  let child: ChildProcess = await serve(args);
  const ended = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  return {
    url: `redis://127.0.0.1:${port}`,
    kill: () => ended('SIGKILL'),
    restart: async () => {
      child = await serve(args);
    },
    stop: () => ended('SIGTERM'),
  };
}

function serve(args: string[]): Promise<ChildProcess> {
  const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${seen}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${seen}`)));
  });
}
