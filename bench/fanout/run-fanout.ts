/**
 * Fan-out: many open event streams on one server process, and how long one change takes to
 * reach all of them. The streams' tickets wait in one room that admits nobody by itself
 * (rate 0) behind a few tickets without a stream; each round the operator admits the first of
 * those (`POST /api/admin/rooms/{id}/admit {count: 1}`), which moves every streamed ticket up
 * by one, and the time from that call to each stream's event with the new position is taken.
 * The server's RSS is read with the streams open. `runFanout` returns the report.
 */
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Pool } from 'undici';
import { cpuSeconds, machineBusySeconds, rssBytes, type StopOutcome } from '../lib/child-process.js';
import { gitState } from '../lib/git-state.js';
import { type Latency, LatencyLog } from '../lib/load.js';
import { deleteKeys, safeUrl } from '../lib/redis.js';
import { type Target, target } from '../lib/report.js';
import { startScenarioWaitroom } from '../lib/servers-under-test.js';
import { SseStream } from '../lib/sse-client.js';
import { type BenchRoomOptions, createBenchRoom } from '../lib/waitroom-api.js';

export interface FanoutOptions {
  root: string;
  logDir: string;
  streams: number;
  rounds: number;
  /** Streams being opened at once (their first event not yet in). */
  openConcurrency: number;
  /** Local addresses 127.0.0.1… the streams connect from, in turn (1: the system's choice). */
  sourceAddresses: number;
  redisUrl: string | null;
}

export const FANOUT_DEFAULTS: Omit<FanoutOptions, 'root' | 'logDir'> = {
  streams: 10_000,
  rounds: 5,
  openConcurrency: 200,
  sourceAddresses: 1,
  redisUrl: null,
};

export interface FanoutRound {
  round: number;
  /** Streams that got the new position, and those that did not within the wait. */
  delivered: number;
  missing: number;
  /** From the admit call to each stream's event, ms; the first event's apart. */
  latencyMs: Latency;
  firstMs: number;
  withinOneSecond: number;
  /** How long the admit call itself took to answer, ms. */
  triggerAnswerMs: number;
  /** Shares of one core over the round (from the call to the last event). */
  serverCpuPct: number | null;
  clientCpuPct: number;
  /** Everything else on the machine meanwhile (other processes, the kernel). */
  otherCpuPct: number | null;
}

export interface FanoutReport {
  startedAt: string;
  totalSeconds: number;
  machine: { node: string; cpu: string; cores: number; loadAverageBefore: number[] };
  git: { commit: string | null; dirty: boolean | null; serverBuiltAt: string | null };
  settings: Omit<FanoutOptions, 'root' | 'logDir' | 'redisUrl'> & { store: string };
  joinSeconds: number;
  open: { seconds: number; firstEventMs: Latency | null; failed: number; firstFailure: string | null };
  serverRssMiB: { beforeStreams: number | null; withStreams: number | null; afterRounds: number | null };
  rounds: FanoutRound[];
  /** Every delivery of every round together. */
  all: Latency | null;
  stop: StopOutcome | null;
  targets: Target[];
  notes: string[];
}

const ROOM_ID = 'fanout';
const now = () => performance.timeOrigin + performance.now();
const count = (n: number) => n.toLocaleString('en-US');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (bytes: number | null) => (bytes === null ? null : bytes / 2 ** 20);
const POSITION = /"position":(\d+)/;

interface Watcher {
  stream: SseStream | null;
  position: number;
  /** ms from the round's trigger to the event that moved it, NaN until then. */
  deliveredMs: number;
}

export async function runFanout(options: FanoutOptions): Promise<FanoutReport> {
  const startedAt = new Date();
  const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
  const notes: string[] = [];
  const { waitroom, redis, keyPrefix } = await startScenarioWaitroom(
    options.root,
    options.logDir,
    options.redisUrl,
    'server-fanout',
    'waitroom server (fan-out)',
  );
  const room: BenchRoomOptions = {
    baseUrl: waitroom.child.baseUrl,
    adminToken: waitroom.adminToken,
    roomId: ROOM_ID,
  };
  const url = new URL(room.baseUrl);
  const pool = new Pool(room.baseUrl, { connections: 64 });
  const watchers: Watcher[] = [];
  let stop: StopOutcome | null = null;
  let current: { start: number; pending: number; done: () => void } | null = null;
  try {
    await createBenchRoom(room); // rate 0: only the operator admits
    console.log(
      `fan-out: ${count(options.rounds)} head tickets, then ${count(options.streams)} tickets to stream`,
    );
    const joinStart = now();
    for (let k = 0; k < options.rounds; k++) await join(pool, ROOM_ID);
    const tokens: string[] = new Array(options.streams);
    let next = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < options.streams) {
          const k = next++;
          tokens[k] = await join(pool, ROOM_ID);
        }
      }),
    );
    const joinSeconds = (now() - joinStart) / 1000;
    await sleep(1000);
    const rssBefore = rssBytes(waitroom.child.pid);

    // Open the streams, a bounded number at a time (the server's accept backlog is finite).
    console.log(`  opening ${count(options.streams)} event streams, ${options.openConcurrency} at a time`);
    const firstEvent = new LatencyLog();
    let failed = 0;
    let firstFailure: string | null = null;
    const openStart = now();
    let opened = 0;
    await Promise.all(
      Array.from({ length: Math.min(options.openConcurrency, options.streams) }, async () => {
        while (opened < options.streams) {
          const k = opened++;
          const watcher: Watcher = { stream: null, position: -1, deliveredMs: Number.NaN };
          watchers[k] = watcher;
          await new Promise<void>((resolve) => {
            const began = now();
            let first = true;
            watcher.stream = new SseStream(
              {
                host: url.hostname,
                port: Number(url.port),
                path: `/api/rooms/${ROOM_ID}/tickets/me/events`,
                headers: { authorization: `Bearer ${tokens[k]}` },
                ...(options.sourceAddresses > 1
                  ? { localAddress: `127.0.0.${(k % options.sourceAddresses) + 1}` }
                  : {}),
              },
              {
                onEvent: (event, data) => {
                  if (event !== 'status') return;
                  const at = now();
                  const position = Number(POSITION.exec(data)?.[1] ?? Number.NaN);
                  if (first) {
                    first = false;
                    firstEvent.add(at - began);
                    watcher.position = position;
                    resolve();
                    return;
                  }
                  if (current && Number.isNaN(watcher.deliveredMs) && position < watcher.position) {
                    watcher.deliveredMs = at - current.start;
                    if (--current.pending === 0) current.done();
                  }
                  watcher.position = position;
                },
                onClose: ({ status, body, error }) => {
                  watcher.stream = null;
                  if (first) {
                    failed++;
                    firstFailure ??= `HTTP ${status} ${error?.message ?? body}`.slice(0, 300);
                    first = false;
                    resolve();
                  }
                },
              },
            );
          });
        }
      }),
    );
    const openSeconds = (now() - openStart) / 1000;
    const live = watchers.filter((w) => w.stream !== null).length;
    console.log(`  ${count(live)} streams open in ${openSeconds.toFixed(1)} s (${failed} failed)`);
    await sleep(2000);
    const rssWith = rssBytes(waitroom.child.pid);

    const rounds: FanoutRound[] = [];
    const all = new LatencyLog();
    for (let r = 1; r <= options.rounds; r++) {
      await sleep(1500);
      const open = watchers.filter((w) => w.stream !== null);
      for (const w of open) w.deliveredMs = Number.NaN;
      const serverBefore = cpuSeconds(waitroom.child.pid);
      const clientBefore = process.cpuUsage();
      const machineBefore = machineBusySeconds();
      const start = now();
      const finished = new Promise<void>((resolve) => {
        current = { start, pending: open.length, done: resolve };
      });
      const res = await fetch(`${room.baseUrl}/api/admin/rooms/${ROOM_ID}/admit`, {
        method: 'POST',
        headers: { authorization: `Bearer ${room.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ count: 1 }),
      });
      const triggerAnswerMs = now() - start;
      const answer = (await res.json()) as { admitted?: number };
      if (res.status !== 200 || answer.admitted !== 1)
        throw new Error(`admit: HTTP ${res.status} ${JSON.stringify(answer)}`);
      await Promise.race([finished, sleep(10_000)]);
      const end = now();
      current = null;
      const serverAfter = cpuSeconds(waitroom.child.pid);
      const client = process.cpuUsage(clientBefore);
      const machineAfter = machineBusySeconds();
      const log = new LatencyLog();
      let within = 0;
      let firstMs = Number.POSITIVE_INFINITY;
      for (const w of open) {
        if (Number.isNaN(w.deliveredMs)) continue;
        firstMs = Math.min(firstMs, w.deliveredMs);
        log.add(w.deliveredMs);
        all.add(w.deliveredMs);
        if (w.deliveredMs <= 1000) within++;
      }
      const seconds = (end - start) / 1000;
      const serverPct =
        serverBefore === null || serverAfter === null ? null : ((serverAfter - serverBefore) / seconds) * 100;
      const clientPct = ((client.user + client.system) / 1e6 / seconds) * 100;
      const machinePct =
        machineBefore === null || machineAfter === null
          ? null
          : ((machineAfter - machineBefore) / seconds) * 100;
      const round: FanoutRound = {
        round: r,
        delivered: log.size,
        missing: open.length - log.size,
        latencyMs: log.summary(),
        firstMs,
        withinOneSecond: within,
        triggerAnswerMs,
        serverCpuPct: serverPct,
        clientCpuPct: clientPct,
        otherCpuPct: machinePct === null ? null : Math.max(0, machinePct - (serverPct ?? 0) - clientPct),
      };
      rounds.push(round);
      console.log(
        `  round ${r}: ${count(round.delivered)} of ${count(open.length)} streams got the new position; ` +
          `p50 ${round.latencyMs.p50.toFixed(0)} ms, p99 ${round.latencyMs.p99.toFixed(0)} ms, max ` +
          `${round.latencyMs.max.toFixed(0)} ms; CPU server ${round.serverCpuPct?.toFixed(0)} %, client ` +
          `${round.clientCpuPct.toFixed(0)} %, other ${round.otherCpuPct?.toFixed(0)} %`,
      );
    }
    const rssAfter = rssBytes(waitroom.child.pid);
    for (const w of watchers) w.stream?.close();
    await sleep(500);
    stop = await waitroom.child.stop();
    if (redis && keyPrefix) await deleteKeys(redis, `${keyPrefix}*`);

    const overall = all.size > 0 ? all.summary() : null;
    const busy = rounds.filter((r) => (r.otherCpuPct ?? 0) >= 20);
    if (busy.length > 0) {
      notes.push(
        `Other processes took ${busy.map((r) => `${r.otherCpuPct?.toFixed(0)} %`).join(', ')} of a core during ` +
          `round${busy.length > 1 ? 's' : ''} ${busy.map((r) => r.round).join(', ')}: the server and this client waited for ` +
          'the CPU, and the delivery times show it.',
      );
    }
    const expected = options.streams * options.rounds;
    const missing = rounds.reduce((a, r) => a + r.missing, 0) + failed * options.rounds;
    const within = rounds.reduce((a, r) => a + r.withinOneSecond, 0);
    const targets: Target[] = [
      target('streams open', live, '>=', options.streams, `event streams opened (${failed} failed)`, 0),
      target(
        'slowest delivery of a change to every stream, ms',
        overall?.max ?? null,
        '<=',
        1000,
        `${count(options.rounds)} rounds of one admission at the head, ${count(live)} streams each; from the operator's call to the event, taken in the client`,
        0,
      ),
      target(
        'deliveries later than 1 s or missing',
        expected - within,
        '<=',
        0,
        `of ${count(expected)} (${count(missing)} missing)`,
        0,
      ),
      target(
        'server RSS with the streams open, MiB',
        mib(rssWith),
        '<=',
        1024,
        `VmRSS from /proc; ${mib(rssBefore)?.toFixed(0) ?? 'n/a'} MiB before the streams (tickets joined)`,
        0,
      ),
    ];
    return {
      startedAt: startedAt.toISOString(),
      totalSeconds: (Date.now() - startedAt.getTime()) / 1000,
      machine: {
        node: process.versions.node,
        cpu: cpus()[0]?.model.trim() ?? 'unknown',
        cores: cpus().length,
        loadAverageBefore: loadBefore,
      },
      git: gitState(options.root),
      settings: {
        streams: options.streams,
        rounds: options.rounds,
        openConcurrency: options.openConcurrency,
        sourceAddresses: options.sourceAddresses,
        store: options.redisUrl ? `Redis ${safeUrl(options.redisUrl)}` : 'embedded',
      },
      joinSeconds,
      open: {
        seconds: openSeconds,
        firstEventMs: firstEvent.size ? firstEvent.summary() : null,
        failed,
        firstFailure,
      },
      serverRssMiB: { beforeStreams: mib(rssBefore), withStreams: mib(rssWith), afterRounds: mib(rssAfter) },
      rounds,
      all: overall,
      stop,
      targets,
      notes,
    };
  } finally {
    for (const w of watchers) w?.stream?.close();
    if (!stop) await waitroom.child.stop();
    await pool.close();
    rmSync(waitroom.dataDir, { recursive: true, force: true });
    redis?.disconnect();
  }
}

async function join(pool: Pool, roomId: string): Promise<string> {
  const res = await pool.request({ path: `/api/rooms/${roomId}/tickets`, method: 'POST' });
  const text = await res.body.text();
  if (res.statusCode !== 201) throw new Error(`join: HTTP ${res.statusCode} ${text}`);
  return (JSON.parse(text) as { queueToken: string }).queueToken;
}
