/**
 * A Redis server of a test's own, from the machine's redis-server, on a free port: a test
 * may pause it (SIGSTOP: a Redis that hangs), kill it (SIGKILL: a crash) and start it again
 * on the same port and folder, without disturbing the machine's Redis that other tests use.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { findRedisExecutable } from './redis-available.js';

export interface RedisServerHandle {
  port: number;
  url: string;
  /** Stops the process without letting it answer (SIGSTOP): commands hang. */
  pause(): void;
  resume(): void;
  /** Kills the process at once (SIGKILL); what it kept on disk stays. */
  kill(): Promise<void>;
  /** Starts it again on the same port and folder (after `kill`). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  /** Keep every write in an append-only file, synced on each write (default false). */
  appendOnly?: boolean;
}

const live = new Set<ChildProcess>();
let hooked = false;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPing(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return;
    } catch {
      // not up yet
    } finally {
      client.disconnect();
    }
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServerHandle> {
  const binary = findRedisExecutable('redis-server');
  if (!binary) throw new Error('redis-server is not installed');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'waitroom-redis-'));
  let child: ChildProcess | null = null;
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const p of live) p.kill('SIGKILL');
    });
  }

  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''];
    args.push('--appendonly', options.appendOnly ? 'yes' : 'no');
    if (options.appendOnly) args.push('--appendfsync', 'always');
    const p = spawn(binary, args, { stdio: 'ignore' });
    live.add(p);
    p.once('exit', () => live.delete(p));
    child = p;
    await waitForPing(port, 10_000);
  };

  const kill = async () => {
    const p = child;
    child = null;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGCONT');
    p.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    kill,
    restart: start,
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
