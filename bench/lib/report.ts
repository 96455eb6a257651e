/** The benchmark's outcome as data (latest.json) and as a markdown page (latest.md). */
import { cpus } from 'node:os';
import type { MemoryResult } from '../memory-per-ticket.js';
import type { RedisMemoryResult } from '../redis-memory-per-ticket.js';
import type { StopOutcome } from './child-process.js';
import { describeFailures, failures, type LoadResult } from './load.js';

export interface Target {
  name: string;
  value: number | null;
  comparison: '>=' | '<=';
  limit: number;
  /** How the value was obtained. */
  basis: string;
  pass: boolean;
}

export interface BenchReport {
  startedAt: string;
  totalSeconds: number;
  machine: { node: string; cpu: string; cores: number; memoryGiB: number; platform: string };
  git: { commit: string | null; dirty: boolean | null };
  settings: {
    connections: number;
    warmupS: number;
    durationS: number;
    largeRoomTickets: number;
    memoryTickets: number;
    redisMemoryTickets: number;
    quick: boolean;
    /** The Redis measured (password hidden), or null with --skip-redis. */
    redisUrl: string | null;
  };
  runs: LoadResult[];
  rooms: { id: string; waiting: number }[];
  server: {
    /** Position read back from the last ticket of the large room, to show reads reach deep. */
    largeRoomLastPosition: number | null;
    rssBytesAfterFill: number | null;
    stop: StopOutcome | null;
  } | null;
  memory: MemoryResult | null;
  /** The waiting room on Redis and Redis's memory per ticket; null with --skip-redis. */
  redis: RedisReport | null;
  targets: Target[];
  /** Whatever makes a figure doubtful: errors, drift, a load generator at its limit. */
  notes: string[];
}

export interface RedisReport {
  /** Prefix of every key the servers made (REDIS_KEY_PREFIX), unique to the run. */
  keyPrefix: string;
  /** Keys of earlier runs (`wrbench:*`) deleted before this one. */
  leftoverKeysDeleted: number | null;
  /** This run's keys deleted after it. */
  keysDeleted: number | null;
  /** Waiting tickets in the room on Redis after the runs. */
  waiting: number | null;
  stop: StopOutcome | null;
  memory: RedisMemoryResult | null;
}

export function target(
  name: string,
  value: number | null,
  comparison: '>=' | '<=',
  limit: number,
  basis: string,
): Target {
  const pass =
    value !== null && Number.isFinite(value) && (comparison === '>=' ? value >= limit : value <= limit);
  return { name, value, comparison, limit, basis, pass };
}

/**
 * Which side ran out of CPU first: a side above 90 % of its core was the limit. When none
 * was, but together they kept every core of the machine busy, the machine was.
 */
export function bottleneck(r: LoadResult): string {
  const server = r.serverCpuPct !== null && r.serverCpuPct >= 90;
  const loadgen = r.loadgenCpuPct >= 90;
  const redis = r.redisCpuPct !== null && r.redisCpuPct >= 90;
  if (server && loadgen) return 'both';
  if (server) return 'server';
  if (loadgen) return 'load generator';
  if (redis) return 'Redis';
  const all = (r.serverCpuPct ?? 0) + r.loadgenCpuPct + (r.redisCpuPct ?? 0) + (r.otherCpuPct ?? 0);
  if (all >= 90 * cpus().length) return 'all cores busy';
  return 'neither';
}

const fixed = (x: number, digits = 0) => x.toFixed(digits);
const pct = (x: number | null) => (x === null ? 'n/a' : `${fixed(x)} %`);
const us = (x: number | null) => (x === null ? 'n/a' : `${fixed(x, 1)} µs`);
const count = (n: number) => n.toLocaleString('en-US');

export function toMarkdown(report: BenchReport): string {
  const s = report.settings;
  const m = report.machine;
  const withRedis = report.runs.some((r) => r.redisCpuPct !== null);
  const lines: string[] = [
    '# Benchmark results',
    '',
    `${report.startedAt} · commit ${report.git.commit?.slice(0, 12) ?? 'unknown'}${report.git.dirty ? ' (with uncommitted changes)' : ''} · ` +
      `Node ${m.node} · ${m.cores} × ${m.cpu} · ${m.memoryGiB} GiB · ${fixed(report.totalSeconds)} s in all`,
    '',
    `Load: autocannon in the bench process, ${s.connections} connections. Figures that are compared are measured ` +
      `in the order A B B A, ${s.durationS / 2} s a part after a ${s.warmupS} s warm-up at each switch; ` +
      `large room ${s.largeRoomTickets.toLocaleString('en-US')} tickets${s.quick ? ' (quick run)' : ''}.`,
    '',
    '## Targets',
    '',
    '| target | measured | limit | result | basis |',
    '| --- | ---: | ---: | --- | --- |',
    ...report.targets.map(
      (t) =>
        `| ${t.name} | ${t.value === null ? 'n/a' : fixed(t.value, 2)} | ${t.comparison} ${t.limit} | ${t.value === null ? 'not measured' : t.pass ? 'pass' : '**FAIL**'} | ${t.basis} |`,
    ),
    '',
    '## Runs',
    '',
    `| run | req/s | p50 ms | p99 ms | p99.9 ms | failures | server CPU | load-gen CPU |${withRedis ? ' Redis CPU |' : ''} other CPU | limited by |`,
    `| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |${withRedis ? ' ---: |' : ''} ---: | --- |`,
    ...report.runs.map(
      (r) =>
        `| ${r.title} | ${fixed(r.rps)} | ${fixed(r.latencyMs.p50, 2)} | ${fixed(r.latencyMs.p99, 2)} | ` +
        `${fixed(r.latencyMs.p999, 2)} | ${failures(r) === 0 ? '0' : `**${describeFailures(r)}**`} | ` +
        `${pct(r.serverCpuPct)} | ${pct(r.loadgenCpuPct)} |${withRedis ? ` ${pct(r.redisCpuPct)} |` : ''} ` +
        `${pct(r.otherCpuPct)} | ${bottleneck(r)} |`,
    ),
    '',
  ];
  if (report.rooms.length > 0) {
    lines.push(
      `Waiting tickets after the run: ${report.rooms.map((r) => `${r.id} ${r.waiting.toLocaleString('en-US')}`).join(', ')}.`,
    );
  }
  const srv = report.server;
  if (srv) {
    const rss = srv.rssBytesAfterFill === null ? 'n/a' : `${fixed(srv.rssBytesAfterFill / 2 ** 20)} MiB`;
    const stop = srv.stop
      ? `${srv.stop.killed ? 'did not stop on SIGTERM and was killed' : `stopped on SIGTERM in ${fixed(srv.stop.ms)} ms`} ` +
        `(exit code ${srv.stop.code}, signal ${srv.stop.signal})`
      : 'n/a';
    lines.push(
      `Last ticket of the large room read back at position ${srv.largeRoomLastPosition ?? 'n/a'}; ` +
        `server RSS after the fill ${rss}; server ${stop}.`,
    );
  }
  const mem = report.memory;
  if (mem) {
    lines.push(
      '',
      '## Memory of the in-memory store',
      '',
      '| tickets | V8 heap per ticket | typed arrays per ticket | total per ticket | join time |',
      '| ---: | ---: | ---: | ---: | ---: |',
      `| ${mem.tickets.toLocaleString('en-US')} | ${fixed(mem.heapUsedPerTicket, 1)} B | ${fixed(mem.arrayBuffersPerTicket, 1)} B | ` +
        `${fixed(mem.totalPerTicket, 1)} B | ${fixed(mem.joinSeconds, 2)} s |`,
    );
  }
  if (report.redis) lines.push(...redisSection(report, report.redis));
  lines.push('', '## Notes', '');
  if (report.notes.length === 0)
    lines.push('None: no errors, no drift, no run limited by the load generator.');
  else for (const note of report.notes) lines.push(`- ${note}`);
  lines.push('');
  return lines.join('\n');
}

function redisSection(report: BenchReport, redis: RedisReport): string[] {
  const lines = [
    '',
    '## On Redis',
    '',
    `The waiting room with \`REDIS_URL=${report.settings.redisUrl}\` and \`REDIS_KEY_PREFIX=${redis.keyPrefix}\`, ` +
      'beside the Redis ceiling (`bench/ceiling-redis-server.js`: the bare Fastify route doing one `INCR` ' +
      'through ioredis with automatic pipelining). Redis CPU is read from `INFO cpu` ' +
      '(`used_cpu_sys` + `used_cpu_user`) around each run: all of Redis, whoever else it served meanwhile.',
  ];
  const runs = report.runs.filter((r) => r.redisCpuPct !== null);
  if (runs.length > 0) {
    lines.push(
      '',
      '| run | req/s | server CPU | server CPU per request | Redis CPU | Redis CPU per request |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...runs.map(
        (r) =>
          `| ${r.title} | ${fixed(r.rps)} | ${pct(r.serverCpuPct)} | ${us(r.serverUsPerRequest)} | ` +
          `${pct(r.redisCpuPct)} | ${us(r.redisUsPerRequest)} |`,
      ),
    );
  }
  const after: string[] = [];
  if (redis.waiting !== null)
    after.push(`${count(redis.waiting)} tickets waiting in the room after the runs`);
  if (redis.stop) {
    after.push(
      redis.stop.killed
        ? 'the server did not stop on SIGTERM and was killed'
        : `the server stopped on SIGTERM in ${fixed(redis.stop.ms)} ms (exit code ${redis.stop.code})`,
    );
  }
  if (redis.keysDeleted !== null) after.push(`${count(redis.keysDeleted)} keys of the run deleted after it`);
  if (redis.leftoverKeysDeleted)
    after.push(`${count(redis.leftoverKeysDeleted)} keys of earlier runs before it`);
  if (after.length > 0) lines.push('', `${after.join('; ')}.`);
  const mem = redis.memory;
  if (mem) {
    lines.push(
      '',
      `Memory: \`used_memory\` (INFO memory) before and after joining the tickets into one room through ` +
        `\`RedisQueueStore\`, in logical database ${mem.db}, emptied before and after.`,
      '',
      '| tickets | used_memory growth | per ticket | joins/s | Redis CPU per join | last ticket read back at |',
      '| ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ${count(mem.tickets)} | ${fixed(mem.bytes / 2 ** 20, 1)} MiB | ${fixed(mem.bytesPerTicket, 1)} B | ` +
        `${fixed(mem.joinsPerSecond)} | ${us(mem.redisUsPerJoin)} | position ${mem.lastPosition ?? 'n/a'} |`,
    );
  }
  return lines;
}

/** Collects the runs as they finish, prints each, and notes whatever makes one doubtful. */
export class RunLog {
  readonly runs: LoadResult[] = [];
  readonly notes: string[] = [];
  /** A request failed or a server misbehaved: the figures are not to be trusted. */
  broken = false;

  record(run: LoadResult): LoadResult {
    this.runs.push(run);
    console.log(
      `  ${run.title}: ${run.rps.toFixed(0)} req/s, p99 ${run.latencyMs.p99.toFixed(2)} ms; CPU: server ` +
        `${pct(run.serverCpuPct)}, load generator ${pct(run.loadgenCpuPct)}, ` +
        `${run.redisCpuPct === null ? '' : `Redis ${pct(run.redisCpuPct)}, `}other ${pct(run.otherCpuPct)}` +
        (failures(run) > 0 ? `; FAILURES: ${describeFailures(run)}` : ''),
    );
    if (failures(run) > 0) this.fail(`**${run.title}** had failed requests: ${describeFailures(run)}.`);
    const limit = bottleneck(run);
    if (limit === 'load generator' || limit === 'both') {
      this.notes.push(
        `${run.title}: the load generator used ${pct(run.loadgenCpuPct)} of its core, so the server may have ` +
          'had more to give; if this is a ceiling, it is understated and the ratios against it flattering ' +
          '(the "per second of server CPU" ratio does not depend on it).',
      );
    }
    if (run.otherCpuPct !== null && run.otherCpuPct >= 20) {
      this.notes.push(
        `${run.title}: other processes used ${pct(run.otherCpuPct)} of a core meanwhile; ` +
          'the run did not have the machine to itself.',
      );
    }
    if (run.segmentRps.length > 1) {
      const spread = (Math.max(...run.segmentRps) - Math.min(...run.segmentRps)) / run.rps;
      if (spread > 0.1) {
        this.notes.push(
          `${run.title}: its parts differed by ${fixed(spread * 100)} % in req/s ` +
            `(${run.segmentRps.map((x) => fixed(x)).join(', ')}): the machine was not steady.`,
        );
      }
    }
    return run;
  }

  fail(note: string): void {
    this.broken = true;
    this.notes.push(note);
  }
}
