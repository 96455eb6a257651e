/**
 * Starts a throwaway Redis Cluster for tests: `masters` redis-server processes
 * on free local ports, joined with `redis-cli --cluster create`, no replicas
 * and no persistence. Everything lives in a fresh temp folder that `stop()`
 * removes; the processes are also killed when the test process exits.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { findRedisExecutable } from './redis-available.js';

export interface RedisClusterHandle {
  /** The masters, in the order they were started. */
  nodes: { host: string; port: number }[];
  /** The nodes as a comma-separated list: `redis://127.0.0.1:p1,redis://127.0.0.1:p2,...`. */
  url: string;
  /** Stops every node and removes the temp folder. Safe to call more than once. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
/** Redis Cluster's bus port is always the client port plus this. */
const BUS_PORT_OFFSET = 10_000;
const SLOT_COUNT = 16_384;
/** How long a cluster may take from the first spawn to `cluster_state:ok` everywhere. */
const START_TIMEOUT_MS = 20_000;
/** How long `stop()` waits after SIGTERM before it sends SIGKILL. */
const KILL_GRACE_MS = 3_000;
/** Fresh ports are tried this many times when another process takes one first. */
const START_ATTEMPTS = 3;
const LOG_TAIL_LINES = 25;

/**
 * Client ports are drawn from 20000-22767, so the bus ports fall in
 * 30000-32767: both below Linux's ephemeral range (32768+), where outgoing
 * connections would otherwise keep taking ports. The bind test decides.
 */
const PORT_RANGE = { first: 20_000, last: 32_767 - BUS_PORT_OFFSET };

/** A start failure; `portTaken` says a retry on other ports may succeed. */
class StartError extends Error {
  portTaken = false;
}

interface RedisNode {
  port: number;
  logPath: string;
  child: ChildProcess;
  /** Set once the process has exited (or failed to spawn). */
  exited: boolean;
  /** Resolves when the process has exited (or failed to spawn); never rejects. */
  exit: Promise<void>;
  /** Why the spawn failed, e.g. ENOENT. */
  spawnError?: Error;
}

/* ------------------------------------------------------------------ */
/* Keeping processes from outliving the test run                       */
/* ------------------------------------------------------------------ */

const liveProcesses = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let exitHookInstalled = false;

/**
 * On process exit, SIGKILL whatever is still running and remove its folder.
 * ('exit' handlers must be synchronous; a single handler serves every cluster.)
 * This covers a normal exit without `stop()`; a process killed by a signal
 * runs no handlers, but its children then share its fate via the terminal's
 * process group in the interactive case.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of liveProcesses) child.kill('SIGKILL');
    for (const dir of liveDirs) {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // Best effort: the process is going away anyway.
      }
    }
  });
}

/* ------------------------------------------------------------------ */
/* Ports                                                               */
/* ------------------------------------------------------------------ */

/** Whether `port` can be bound on 127.0.0.1 right now. */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: HOST, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/** `count` distinct ports whose port and bus port (port + 10000) are both free. */
async function findFreePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  const tried = new Set<number>();
  const span = PORT_RANGE.last - PORT_RANGE.first + 1;
  while (ports.length < count) {
    if (tried.size >= span) {
      throw new Error(`No ${count} free port pairs in ${PORT_RANGE.first}-${PORT_RANGE.last}`);
    }
    const port = PORT_RANGE.first + Math.floor(Math.random() * span);
    if (tried.has(port)) continue;
    tried.add(port);
    if ((await canBind(port)) && (await canBind(port + BUS_PORT_OFFSET))) ports.push(port);
  }
  return ports;
}

/* ------------------------------------------------------------------ */
/* Processes                                                           */
/* ------------------------------------------------------------------ */

function spawnNode(redisServer: string, dir: string, port: number): RedisNode {
  const logPath = join(dir, `redis-${port}.log`);
  const logFd = openSync(logPath, 'a');
  const args = [
    '--port',
    String(port),
    '--bind',
    HOST,
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    join(dir, `nodes-${port}.conf`),
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
  ];
  let child: ChildProcess;
  try {
    child = spawn(redisServer, args, { stdio: ['ignore', logFd, logFd] });
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(logFd);
  }

  let markExited = () => {};
  const node: RedisNode = {
    port,
    logPath,
    child,
    exited: false,
    exit: new Promise<void>((resolve) => {
      markExited = resolve;
    }),
  };
  const onGone = () => {
    node.exited = true;
    liveProcesses.delete(child);
    markExited();
  };
  child.once('exit', onGone);
  // A failed spawn (e.g. ENOENT) emits 'error' and perhaps no 'exit'.
  child.once('error', (error) => {
    node.spawnError = error;
    onGone();
  });
  liveProcesses.add(child);
  return node;
}

/** Stops one node: SIGTERM, then SIGKILL if it is still there after the grace period. */
async function stopNode(node: RedisNode): Promise<void> {
  if (node.exited) return;
  node.child.kill('SIGTERM');
  const timeout = new AbortController();
  const stoppedInTime = await Promise.race([
    node.exit.then(() => true),
    sleep(KILL_GRACE_MS, false, { signal: timeout.signal }).catch(() => true),
  ]);
  timeout.abort();
  if (!stoppedInTime && !node.exited) {
    node.child.kill('SIGKILL');
    await node.exit;
  }
}

function logTail(node: RedisNode): string {
  let text: string;
  try {
    text = readFileSync(node.logPath, 'utf8');
  } catch (error) {
    text = `(no log: ${(error as Error).message})`;
  }
  const tail = text.trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
  return `--- redis-server ${HOST}:${node.port} (log tail) ---\n${tail}`;
}

/* ------------------------------------------------------------------ */
/* Talking to the nodes                                                */
/* ------------------------------------------------------------------ */

/** Sends one command to one node over a fresh connection; rejects on any failure. */
async function ask(port: number, command: string, ...args: string[]): Promise<string> {
  const client = new Redis({
    host: HOST,
    port,
    lazyConnect: true,
    connectTimeout: 1_000,
    commandTimeout: 1_000,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return String(await client.call(command, ...args));
  } finally {
    client.disconnect();
  }
}

/** Parses the `key:value` lines of CLUSTER INFO / INFO output. */
function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

/**
 * Polls `check` until it returns true. Throws with the last reason when the
 * deadline passes, or at once when a node has exited.
 */
async function waitUntil(
  what: string,
  deadline: number,
  nodes: RedisNode[],
  check: () => Promise<true | string>,
): Promise<void> {
  let lastReason = 'not checked yet';
  for (;;) {
    const dead = nodes.find((node) => node.exited);
    if (dead) {
      const cause = dead.spawnError ? `failed to start (${dead.spawnError.message})` : 'exited';
      throw new StartError(`redis-server on port ${dead.port} ${cause} while waiting for ${what}`);
    }
    try {
      const result = await check();
      if (result === true) return;
      lastReason = result;
    } catch (error) {
      lastReason = (error as Error).message;
    }
    if (Date.now() >= deadline) throw new StartError(`timed out waiting for ${what} (last: ${lastReason})`);
    await sleep(100);
  }
}

function runClusterCreate(redisCli: string, ports: number[], timeoutMs: number): Promise<void> {
  const args = [
    '--cluster',
    'create',
    ...ports.map((port) => `${HOST}:${port}`),
    '--cluster-replicas',
    '0',
    '--cluster-yes',
  ];
  return new Promise((resolve, reject) => {
    execFile(redisCli, args, { timeout: Math.max(timeoutMs, 1) }, (error, stdout, stderr) => {
      if (!error) return resolve();
      const output = `${stdout}${stderr}`.trim();
      reject(new StartError(`redis-cli --cluster create failed: ${error.message}\n${output}`));
    });
  });
}

/* ------------------------------------------------------------------ */
/* Starting                                                            */
/* ------------------------------------------------------------------ */

async function startOnce(
  masters: number,
  redisServer: string,
  redisCli: string,
): Promise<RedisClusterHandle> {
  installExitHook();
  const deadline = Date.now() + START_TIMEOUT_MS;
  const dir = await mkdtemp(join(tmpdir(), 'waitroom-redis-cluster-'));
  liveDirs.add(dir);
  const nodes: RedisNode[] = [];

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await Promise.all(nodes.map(stopNode));
      await rm(dir, { recursive: true, force: true });
      liveDirs.delete(dir);
    })();
    return stopping;
  };

  try {
    const ports = await findFreePorts(masters);
    for (const port of ports) nodes.push(spawnNode(redisServer, dir, port));

    await waitUntil('every node to answer PING', deadline, nodes, async () => {
      for (const node of nodes) {
        const reply = await ask(node.port, 'PING');
        if (reply !== 'PONG') return `port ${node.port} answered ${reply}`;
      }
      return true;
    });

    await runClusterCreate(redisCli, ports, deadline - Date.now());

    await waitUntil('cluster_state:ok on every node', deadline, nodes, async () => {
      for (const node of nodes) {
        const info = parseInfo(await ask(node.port, 'CLUSTER', 'INFO'));
        const state = info.get('cluster_state');
        const assigned = Number(info.get('cluster_slots_assigned'));
        const known = Number(info.get('cluster_known_nodes'));
        if (state !== 'ok' || assigned !== SLOT_COUNT || known !== masters) {
          return `port ${node.port}: state ${state}, ${assigned} slots assigned, ${known} nodes known`;
        }
      }
      return true;
    });
  } catch (error) {
    const logs = nodes.map(logTail).join('\n');
    const failure = new StartError(
      `Could not start a ${masters}-master Redis Cluster within ${START_TIMEOUT_MS} ms: ` +
        `${(error as Error).message}\n${logs}`,
    );
    failure.portTaken = logs.includes('Address already in use');
    await stop();
    throw failure;
  }

  return {
    nodes: nodes.map((node) => ({ host: HOST, port: node.port })),
    url: nodes.map((node) => `redis://${HOST}:${node.port}`).join(','),
    stop,
  };
}

/**
 * Starts a Redis Cluster of `masters` (default 3, at least 3) masters without
 * replicas on 127.0.0.1 and resolves once every node reports
 * `cluster_state:ok` with all 16384 slots assigned. Call `stop()` when done.
 */
export async function startRedisCluster(options: { masters?: number } = {}): Promise<RedisClusterHandle> {
  const masters = options.masters ?? 3;
  if (!Number.isInteger(masters) || masters < 3) {
    // redis-cli --cluster create refuses fewer than three masters.
    throw new RangeError(`A Redis Cluster needs at least 3 masters, got ${masters}`);
  }
  const redisServer = findRedisExecutable('redis-server');
  const redisCli = findRedisExecutable('redis-cli');
  if (!redisServer || !redisCli) {
    throw new Error('startRedisCluster needs redis-server and redis-cli in /usr/bin or on PATH');
  }

  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(masters, redisServer, redisCli);
    } catch (error) {
      // Another process can take a port between the bind test and redis-server's
      // own bind; only that case is worth another try on fresh ports.
      const retry = error instanceof StartError && error.portTaken && attempt < START_ATTEMPTS;
      if (!retry) throw error;
    }
  }
}
