/**
 * Real server processes for multi-instance tests: N copies of `apps/server/src/server.ts`,
 * each its own Node process on its own port and data folder, sharing one Redis (key prefix),
 * one operator token, one queue-token secret and one signing key, like a deployment behind a
 * load balancer. Each process is `process.execPath` itself (tsx loaded with `--import`), so a
 * signal reaches the server and not a wrapper.
 *
 * Processes never outlive the tests: `stopAll()` (SIGTERM, then SIGKILL) belongs in a
 * `finally` or `afterAll`, and an exit hook SIGKILLs whatever is still running when the test
 * process exits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { RoomSettings, RoomStats } from '@waitroom/core';
import { newPrivateJwk } from '../../src/security/signing-keys.js';
import type { JoinedTicket, TicketStatus } from '../helper.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SERVER_ENTRY = join(REPO_ROOT, 'apps/server/src/server.ts');
const HOST = '127.0.0.1';
/** How much of each process's stdout and stderr (together) is kept for error messages. */
const OUTPUT_KEPT = 16 * 1024;
const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

export interface InstancesOptions {
  /** How many server processes (default 3). */
  count?: number;
  /** REDIS_URL: one node, or a cluster's nodes separated by commas. */
  redisUrl: string;
  /** REDIS_KEY_PREFIX, unique to the test; default `mi-<random>:`. */
  keyPrefix?: string;
  /** ADMIT_TICK_MS (default 100). */
  tickMs?: number;
  /** More environment variables, on top of the defaults (and of the parent's environment). */
  env?: Record<string, string>;
}

export interface Instance {
  readonly index: number;
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly child: ChildProcess;
  readonly dataDir: string;
  /** False once the process has exited. */
  alive: boolean;
  /** The exit code and signal, once exited. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | null;
  /** The last OUTPUT_KEPT characters the process wrote to stdout and stderr. */
  output: string;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<void>;
  /** A fetch-based client of this instance's API. */
  readonly api: ApiClient;
}

export interface Instances {
  readonly instances: Instance[];
  readonly keyPrefix: string;
  readonly adminToken: string;
  readonly tickMs: number;
  /** Waits until every live instance answers GET /readyz with 200; throws with the output tails. */
  ready(timeoutMs?: number): Promise<void>;
  /** Sends `signal` to instance `i` and waits for its exit (SIGKILL after a grace period). */
  kill(i: number, signal?: NodeJS.Signals): Promise<void>;
  /** The live instances. */
  alive(): Instance[];
  /** A live instance at random, optionally other than `except`. */
  randomAlive(except?: number): Instance;
  /** The tail of every instance's output, for a failure message. */
  describe(): string;
  /** SIGTERM to every live process, SIGKILL to those still there after a grace period; removes the data folders. Idempotent. */
  stopAll(): Promise<void>;
}

/* ------------------------------------------------------------------ */
/* Never outliving the test process                                    */
/* ------------------------------------------------------------------ */

const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
  });
}

/* ------------------------------------------------------------------ */
/* Ports and secrets                                                   */
/* ------------------------------------------------------------------ */

/** `count` distinct free ports on 127.0.0.1 (held together, then released). */
async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port: 0, host: HOST, exclusive: true }, () => resolve());
      });
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/* ------------------------------------------------------------------ */
/* Starting and stopping                                               */
/* ------------------------------------------------------------------ */

/** Spawns the processes (it does not wait for them: call `ready()`). */
export async function startInstances(options: InstancesOptions): Promise<Instances> {
  installExitHook();
  const count = options.count ?? 3;
  const tickMs = options.tickMs ?? 100;
  const keyPrefix = options.keyPrefix ?? `mi-${randomToken(6).replace(/[^A-Za-z0-9]/g, 'x')}:`;
  const adminToken = `mi-admin-${randomToken(18)}`;
  const shared: Record<string, string> = {
    HOST,
    REDIS_URL: options.redisUrl,
    REDIS_KEY_PREFIX: keyPrefix,
    ADMIN_TOKEN: adminToken,
    QUEUE_TOKEN_SECRET: randomToken(48),
    SIGNING_KEYS: JSON.stringify([await newPrivateJwk('EdDSA')]),
    DEMO_ROOM: 'false',
    JOIN_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'warn',
    ADMIT_TICK_MS: String(tickMs),
    ...options.env,
  };
  const ports = await freePorts(count);
  const instances: Instance[] = [];
  const handle: Instances = {
    instances,
    keyPrefix,
    adminToken,
    tickMs,
    ready: (timeoutMs = READY_TIMEOUT_MS) => readyAll(handle, timeoutMs),
    kill: (i, signal = 'SIGKILL') => stopOne(instanceAt(instances, i), signal),
    alive: () => instances.filter((x) => x.alive),
    randomAlive: (except) => {
      const live = instances.filter((x) => x.alive && x.index !== except);
      const pick = live[Math.floor(Math.random() * live.length)];
      if (!pick) throw new Error(`no live instance (other than ${except})\n${handle.describe()}`);
      return pick;
    },
    describe: () => instances.map(describeInstance).join('\n'),
    stopAll: async () => {
      await Promise.all(instances.map((x) => stopOne(x, 'SIGTERM')));
      await Promise.all(instances.map((x) => rm(x.dataDir, { recursive: true, force: true })));
    },
  };
  try {
    for (let index = 0; index < count; index++) {
      const port = ports[index]!;
      const dataDir = await mkdtemp(join(tmpdir(), `waitroom-mi-${index}-`));
      const env = { ...shared, PORT: String(port), DATA_DIR: dataDir };
      instances.push(spawnInstance(index, port, dataDir, env, () => handle.describe()));
    }
  } catch (error) {
    await handle.stopAll();
    throw error;
  }
  return handle;
}

function instanceAt(instances: Instance[], i: number): Instance {
  const instance = instances[i];
  if (!instance) throw new Error(`no instance ${i}`);
  return instance;
}

function spawnInstance(
  index: number,
  port: number,
  dataDir: string,
  env: Record<string, string>,
  describeAll: () => string,
): Instance {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER_ENTRY], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveChildren.add(child);
  const url = `http://${HOST}:${port}`;
  let resolveExit: () => void = () => {};
  const exited = new Promise<void>((resolve) => {
    resolveExit = resolve;
  });
  const instance: Instance = {
    index,
    port,
    url,
    child,
    dataDir,
    alive: true,
    exit: null,
    output: '',
    exited,
    api: new ApiClient(url, env.ADMIN_TOKEN ?? '', `instance ${index}`, describeAll),
  };
  const keep = (chunk: Buffer) => {
    instance.output = (instance.output + chunk.toString('utf8')).slice(-OUTPUT_KEPT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
    if (!instance.alive) return;
    instance.alive = false;
    instance.exit = { code, signal };
    liveChildren.delete(child);
    resolveExit();
  };
  child.once('exit', onExit);
  child.once('error', (error) => {
    keep(Buffer.from(`\n[spawn error] ${error.message}\n`));
    onExit(null, null);
  });
  return instance;
}

function describeInstance(instance: Instance): string {
  const state = instance.alive
    ? `running (pid ${instance.child.pid})`
    : `exited (code ${instance.exit?.code}, signal ${instance.exit?.signal})`;
  const tail = instance.output.trim().split('\n').slice(-20).join('\n    ');
  return `  instance ${instance.index} on ${instance.url}: ${state}${tail ? `\n    ${tail}` : ''}`;
}

async function stopOne(instance: Instance, signal: NodeJS.Signals): Promise<void> {
  if (!instance.alive) return;
  instance.child.kill(signal);
  const timer = sleep(STOP_GRACE_MS, 'timeout' as const);
  if ((await Promise.race([instance.exited.then(() => 'exited' as const), timer])) === 'timeout') {
    instance.child.kill('SIGKILL');
    await instance.exited;
  }
}

async function readyAll(handle: Instances, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await Promise.all(
    handle.alive().map(async (instance) => {
      for (;;) {
        if (!instance.alive) {
          throw new Error(`instance ${instance.index} exited before it was ready\n${handle.describe()}`);
        }
        try {
          const res = await fetch(`${instance.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
          await res.arrayBuffer();
          if (res.status === 200) return;
        } catch {
          // Not listening yet.
        }
        if (Date.now() > deadline) {
          throw new Error(`instance ${instance.index} not ready after ${timeoutMs} ms\n${handle.describe()}`);
        }
        await sleep(100);
      }
    }),
  );
}

/* ------------------------------------------------------------------ */
/* The API client                                                      */
/* ------------------------------------------------------------------ */

/** An API answer that was not the expected status, or no answer at all. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A small fetch-based client of one instance: the shopper's calls and the operator's. */
export class ApiClient {
  constructor(
    readonly url: string,
    private readonly adminToken: string,
    private readonly name: string,
    /** Every instance's output tail, added to the message when a request gets no answer. */
    private readonly describeServer: () => string = () => '',
  ) {}

  async request<T>(
    method: string,
    path: string,
    expected: number,
    options: { token?: string; body?: unknown } = {},
  ): Promise<T> {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.url}${path}`, { method, headers, body, signal: AbortSignal.timeout(15_000) });
      text = await res.text();
    } catch (error) {
      const why = error instanceof Error ? `${error.message}${causeOf(error)}` : String(error);
      throw new ApiError(`${method} ${path} on ${this.name}: ${why}\n${this.describeServer()}`, null, null);
    }
    const parsed: unknown =
      text !== '' && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text;
    if (res.status !== expected) {
      throw new ApiError(
        `${method} ${path} on ${this.name}: expected ${expected}, got ${res.status} ${text.slice(0, 500)}`,
        res.status,
        parsed,
      );
    }
    return parsed as T;
  }

  join(roomId: string): Promise<JoinedTicket> {
    return this.request('POST', `/api/rooms/${roomId}/tickets`, 201);
  }

  status(roomId: string, queueToken: string): Promise<TicketStatus> {
    return this.request('GET', `/api/rooms/${roomId}/tickets/me`, 200, { token: queueToken });
  }

  createRoom(room: Partial<RoomSettings> & { id: string }): Promise<RoomSettings> {
    return this.request('POST', '/api/admin/rooms', 201, {
      token: this.adminToken,
      body: { name: `Room ${room.id}`, ...room },
    });
  }

  patchRoom(roomId: string, patch: Partial<Omit<RoomSettings, 'id'>>): Promise<RoomSettings> {
    return this.request('PATCH', `/api/admin/rooms/${roomId}`, 200, { token: this.adminToken, body: patch });
  }

  stats(roomId: string): Promise<RoomStats> {
    return this.request('GET', `/api/admin/rooms/${roomId}/stats`, 200, { token: this.adminToken });
  }
}

function causeOf(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? ` (${cause.message})` : '';
}

/** Runs `task` over `items` with at most `concurrency` at a time; results in the items' order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
