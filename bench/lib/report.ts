/** The benchmark's outcome as data (latest.json) and as a markdown page (latest.md). */
import { cpus } from 'node:os';
import type { MemoryResult } from '../memory-per-ticket.js';
import type { RedisMemoryResult } from '../redis-memory-per-ticket.js';
import type { StopOutcome } from './child-process.js';
import type { OrderDatabaseKind } from './databases.js';
import { describeFailures, failures, type LoadResult } from './load.js';
import type { OrderRun } from './orders.js';

export interface Target {
  name: string;
  value: number | null;
  comparison: '>=' | '<=';
  limit: number;
  /** How the value was obtained. */
  basis: string;
  pass: boolean;
  /** Decimals shown in the report (2 unless said). */
  digits?: number;
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
    /** Buyers in the steady order run (with twice as many units). */
    steadyOrderBuyers: number;
    quick: boolean;
    /** The Redis measured (password hidden), or null with --skip-redis. */
    redisUrl: string | null;
    /** The servers where the order databases were created (passwords hidden), or null without orders. */
    postgresUrl: string | null;
    mariadbUrl: string | null;
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
  /** Orders through the HTTP server on each database; null with --skip-orders or --skip-server. */
  orders: OrdersReport | null;
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

export interface OrdersReport {
  connections: number;
  raceBuyers: number;
  raceUnits: number;
  steadyBuyers: number;
  steadyUnits: number;
  /** Databases earlier runs left (`wrbench_…`), dropped before this one. */
  leftoverDatabasesDropped: string[];
  databases: OrderDatabaseReport[];
  totalSeconds: number;
}

export interface OrderDatabaseReport {
  kind: OrderDatabaseKind;
  label: string;
  /** Where the orders went: DATABASE_URL with any password hidden, or SQLite's file in DATA_DIR. */
  where: string;
  /** Both runs finished and were checked. */
  measured: boolean;
  /** Why not, when not. */
  error: string | null;
  race: OrderRun | null;
  steady: OrderRun | null;
  stop: StopOutcome | null;
  /** The bench's database was dropped afterwards (null for SQLite: its data directory is removed). */
  dropped: boolean | null;
  seconds: number;
}

export function target(
  name: string,
  value: number | null,
  comparison: '>=' | '<=',
  limit: number,
  basis: string,
  digits?: number,
): Target {
  const pass =
    value !== null && Number.isFinite(value) && (comparison === '>=' ? value >= limit : value <= limit);
  return { name, value, comparison, limit, basis, pass, ...(digits === undefined ? {} : { digits }) };
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
/** Other CPU, with the share the hypervisor gave other machines (steal) when there was any. */
const otherPct = (r: Pick<LoadResult, 'otherCpuPct' | 'stealCpuPct'>) =>
  r.stealCpuPct === null || r.stealCpuPct < 0.5
    ? pct(r.otherCpuPct)
    : `${pct(r.otherCpuPct)} (steal ${pct(r.stealCpuPct)})`;
/** A server's CPU, with its main thread's share: what is left is its helper threads' (GC, compiler). */
const serverPct = (r: Pick<LoadResult, 'serverCpuPct' | 'serverMainCpuPct'>) =>
  r.serverMainCpuPct === null || r.serverCpuPct === null
    ? pct(r.serverCpuPct)
    : `${pct(r.serverCpuPct)} (main ${pct(r.serverMainCpuPct)})`;
const us = (x: number | null) => (x === null ? 'n/a' : `${fixed(x, 1)} µs`);
const count = (n: number) => n.toLocaleString('en-US');

/** The "Targets" section of a report: its heading and one row per target. */
export function targetsTable(targets: readonly Target[]): string[] {
  return [
    '## Targets',
    '',
    '| target | measured | limit | result | basis |',
    '| --- | ---: | ---: | --- | --- |',
    ...targets.map(
      (t) =>
        `| ${t.name} | ${t.value === null ? 'n/a' : fixed(t.value, t.digits ?? 2)} | ${t.comparison} ${t.limit} | ` +
        `${t.value === null ? 'not measured' : t.pass ? 'pass' : '**FAIL**'} | ${t.basis} |`,
    ),
  ];
}

/** How a scenario's server stopped, as a paragraph of its report (nothing when it was not stopped). */
export function stopParagraph(stop: StopOutcome | null): string[] {
  if (!stop) return [];
  return [
    stop.killed
      ? 'The server did not stop on SIGTERM and was killed.'
      : `The server stopped on SIGTERM in ${fixed(stop.ms)} ms (exit code ${stop.code}).`,
    '',
  ];
}

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
    ...targetsTable(report.targets),
    '',
    '## Runs',
    '',
    `| run | req/s | p50 ms | p99 ms | p99.9 ms | failures | server CPU | load-gen CPU |${withRedis ? ' Redis CPU |' : ''} other CPU | limited by |`,
    `| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |${withRedis ? ' ---: |' : ''} ---: | --- |`,
    ...report.runs.map(
      (r) =>
        `| ${r.title} | ${fixed(r.rps)} | ${fixed(r.latencyMs.p50, 2)} | ${fixed(r.latencyMs.p99, 2)} | ` +
        `${fixed(r.latencyMs.p999, 2)} | ${failures(r) === 0 ? '0' : `**${describeFailures(r)}**`} | ` +
        `${serverPct(r)} | ${pct(r.loadgenCpuPct)} |${withRedis ? ` ${pct(r.redisCpuPct)} |` : ''} ` +
        `${otherPct(r)} | ${bottleneck(r)} |`,
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
  if (report.orders) lines.push(...ordersSection(report.orders));
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

const ms = (x: number | undefined) => (x === undefined ? '·' : fixed(x, 1));
const whole = (x: number | null) => (x === null ? 'n/a' : `${count(Math.round(x))} µs`);

function ordersSection(orders: OrdersReport): string[] {
  const lines = [
    '',
    '## Orders',
    '',
    `${count(orders.raceBuyers)} admitted buyers race for ${count(orders.raceUnits)} units (one each, ` +
      `\`maxPerOrder\` 1), then ${count(orders.steadyBuyers)} buyers for ${count(orders.steadyUnits)} units ` +
      `(every order confirmed) on the same, warm server: \`POST /api/orders\` through the HTTP server, ` +
      `${orders.connections} in flight, each buyer once. Orders/s are answers per second from the first order ` +
      'sent to the last answer; the checks are read back through the operator API afterwards. CPU in shares ' +
      "of one core; the database server's is that of its processes on this machine (SQLite works inside the " +
      "waiting room's process).",
    '',
    '| database | race: orders/s | race p50 ms | race p99 ms | steady: confirmed orders/s | steady p50 ms | steady p99 ms | sold in the race | oversold units | buyers with two orders |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...orders.databases.map((d) => {
      if (!d.race || !d.steady) return `| ${d.label} | not measured | | | | | | | | |`;
      const oversold = d.race.check.oversold + d.steady.check.oversold;
      const twice = d.race.check.buyersWithTwoOrders + d.steady.check.buyersWithTwoOrders;
      return (
        `| ${d.label} | ${fixed(d.race.answersPerS)} | ${ms(d.race.latencyMs.all.p50)} | ${ms(d.race.latencyMs.all.p99)} | ` +
        `${fixed(d.steady.confirmedPerS)} | ${ms(d.steady.latencyMs.all.p50)} | ${ms(d.steady.latencyMs.all.p99)} | ` +
        `${d.race.check.sold === null ? 'n/a' : count(d.race.check.sold)} | ${oversold === 0 ? '0' : `**${oversold}**`} | ${twice === 0 ? '0' : `**${twice}**`} |`
      );
    }),
  ];
  for (const d of orders.databases) {
    lines.push('', `### ${d.label}`, '', `Orders in ${d.where}.`);
    if (d.error) lines.push('', `**Not measured:** ${d.error}`);
    const runs = [d.race, d.steady].filter((r): r is OrderRun => r !== null);
    if (runs.length === 0) continue;
    lines.push(
      '',
      '| run | answers | orders/s | p50 ms | p90 ms | p99 ms | max ms | server CPU | database CPU | load-gen CPU | other CPU | server CPU per order | database CPU per order | sold | oversold | buyers with two orders |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const r of runs) {
      const c = r.check;
      const l = r.latencyMs;
      const row = (title: string, n: number, latency: typeof l.all | null, rest: string) =>
        `| ${title} | ${count(n)} | ${fixed(n / r.seconds)} | ${ms(latency?.p50)} | ${ms(latency?.p90)} | ` +
        `${ms(latency?.p99)} | ${ms(latency?.max)} | ${rest} |`;
      // The CPU and the checks belong to the run as a whole, on its first row.
      const blank = Array(9).fill('').join(' | ');
      lines.push(
        row(
          `${r.title}, all answers`,
          r.answers,
          l.all,
          `${pct(r.serverCpuPct)} | ${pct(r.databaseCpuPct)} | ${pct(r.loadgenCpuPct)} | ${pct(r.otherCpuPct)} | ` +
            `${whole(r.serverUsPerOrder)} | ${whole(r.databaseUsPerOrder)} | ${c.sold === null ? 'n/a' : count(c.sold)} | ` +
            `${c.oversold === 0 ? '0' : `**${c.oversold}**`} | ${c.buyersWithTwoOrders === 0 ? '0' : `**${c.buyersWithTwoOrders}**`}`,
        ),
      );
      if (r.kind === 'race' || r.confirmed !== r.answers) {
        lines.push(row(`${r.title}, 201 confirmed`, r.confirmed, l.confirmed, blank));
        const refusals = Object.entries(r.errorCodes)
          .map(([code, n]) => `${n}×${code}`)
          .join(', ');
        lines.push(
          row(`${r.title}, refused (${refusals || 'none'})`, r.answers - r.confirmed, l.refused, blank),
        );
      }
    }
    const after: string[] = [];
    for (const r of runs) {
      const c = r.check;
      after.push(
        `${r.title}: ${fixed(r.seconds, 2)} s; halves ${fixed(r.halvesPerS[0])} and ${fixed(r.halvesPerS[1])} answers/s; ` +
          `${count(c.orderRows)} orders listed holding ${count(c.unitsInOrders)} units, ` +
          `${c.available === null ? 'n/a' : count(c.available)} units left, ${count(c.completedTotal)} admissions used`,
      );
    }
    if (d.stop) {
      after.push(
        d.stop.killed
          ? 'the server did not stop on SIGTERM and was killed'
          : `the server stopped on SIGTERM in ${fixed(d.stop.ms)} ms (exit code ${d.stop.code})`,
      );
    }
    if (d.dropped !== null)
      after.push(d.dropped ? 'the database was dropped after it' : '**the database could not be dropped**');
    lines.push('', `${after.join('; ')}.`);
  }
  if (orders.leftoverDatabasesDropped.length > 0)
    lines.push(
      '',
      `Dropped before the run, left by earlier ones: ${orders.leftoverDatabasesDropped.join(', ')}.`,
    );
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
        `${serverPct(run)}, load generator ${pct(run.loadgenCpuPct)}, ` +
        `${run.redisCpuPct === null ? '' : `Redis ${pct(run.redisCpuPct)}, `}other ${otherPct(run)}` +
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
        `${run.title}: other processes used ${otherPct(run)} of a core meanwhile; ` +
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
