/**
 * The waiting room's benchmark: every figure is taken in one run, on one machine, with one
 * load generator, and the speed targets are ratios to a bare Fastify app measured beside them
 * in the same run: on the embedded store against the bare route, on Redis against the bare
 * route doing one Redis INCR. Orders are raced through the HTTP server on SQLite, PostgreSQL
 * and MariaDB, their figures written down and their correctness checked. See bench/README.md
 * for what each figure means.
 *
 * Then a whole sale is simulated (bench/sale) and one change is pushed to 10,000 open event
 * streams (bench/fanout), and their figures join the same report.
 *
 *   npm run bench                      # the short run (under 5 minutes), into bench/results/tmp/
 *   npm run bench -- --full            # the full run, into bench/results/latest.{json,md}
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { writeFanoutReport } from './fanout/fanout-report.js';
import { FANOUT_DEFAULTS, type FanoutReport, runFanout } from './fanout/run-fanout.js';
import { machineBusySeconds, type ServerChild, type StopOutcome } from './lib/child-process.js';
import {
  type BenchDatabase,
  createBenchDatabase,
  DATABASE_NAMES,
  DEFAULT_MARIADB_URL,
  DEFAULT_POSTGRES_URL,
  dropLeftoverDatabases,
  ORDER_DATABASES,
  type OrderDatabaseKind,
} from './lib/databases.js';
import { gitState } from './lib/git-state.js';
import type { LoadResult } from './lib/load.js';
import { type OrderFigures, RACE_BUYERS, RACE_UNITS, runOrderScenario } from './lib/orders.js';
import {
  BENCH_KEY_PREFIX,
  DEFAULT_REDIS_URL,
  deleteKeys,
  openRedis,
  redisCpuSeconds,
  runKeyPrefix,
  safeUrl,
} from './lib/redis.js';
import {
  type BenchReport,
  type OrderDatabaseReport,
  type OrdersReport,
  type RedisReport,
  RunLog,
  type Target,
  target,
  toMarkdown,
} from './lib/report.js';
import {
  READ_TOKENS,
  type RedisScenarioFigures,
  runRedisScenario,
  runScenario,
  type ScenarioFigures,
  SMALL_ROOM_TICKETS,
} from './lib/scenario.js';
import {
  startCeiling,
  startRedisCeiling,
  startWaitroom,
  type WaitroomServer,
} from './lib/servers-under-test.js';
import type { MemoryResult } from './memory-per-ticket.js';
import type { RedisMemoryResult } from './redis-memory-per-ticket.js';
import { runSale, SALE_DEFAULTS, SALE_FULL, type SaleReport } from './sale/run-sale.js';
import { chartFiles, writeSaleReport } from './sale/sale-report.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const HELP = `Usage: npm run bench -- [flags]   (or, after npm run build: npx tsx bench/run.ts [flags])

  --full                the full run: 10 s figures, 3 s warm-ups, 1,000,000 tickets, a sale of
                        100,000 shoppers; results replace bench/results/latest.* and the sale's
                        and fan-out's reports there. Without it: the short run (2 s figures,
                        100,000 tickets, a sale of 2,000 shoppers), into bench/results/tmp/
  --duration <s>        measured seconds per figure, taken in two halves (default 10; short: 2)
  --warmup <s>          warm-up seconds before each measured part (default 3; short: 1)
  --connections <n>     concurrent connections (default 64)
  --tickets <n>         waiting tickets in the large room (default 1000000; short: 100000)
  --memory-tickets <n>  tickets joined for the memory figure (default 1000000; short: 200000)
  --redis-memory-tickets <n>
                        tickets joined for the Redis memory figure (default 1000000; short: 100000)
  --redis-url <url>     the Redis to measure on (default ${DEFAULT_REDIS_URL}); its database 9 is
                        emptied for the memory figure
  --steady-orders <n>   buyers in the steady order run, with twice as many units (default 3000;
                        short: 1000)
  --postgres-url <url>  the PostgreSQL where the bench creates its order database
                        (default ${DEFAULT_POSTGRES_URL})
  --mariadb-url <url>   the MariaDB where the bench creates its order database
                        (default ${DEFAULT_MARIADB_URL})
  --quick               the short run (the default; kept for old scripts)
  --skip-server         only the memory figures, no HTTP (results go to bench/results/tmp/)
  --skip-redis          nothing on Redis (results go to bench/results/tmp/)
  --skip-orders         no orders (results go to bench/results/tmp/)
  --skip-sale           no simulated sale and no fan-out (results go to bench/results/tmp/)
  --help`;

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    tickets: { type: 'string' },
    'memory-tickets': { type: 'string' },
    'redis-memory-tickets': { type: 'string' },
    'redis-url': { type: 'string' },
    'steady-orders': { type: 'string' },
    'postgres-url': { type: 'string' },
    'mariadb-url': { type: 'string' },
    full: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    'skip-sale': { type: 'boolean', default: false },
    'skip-server': { type: 'boolean', default: false },
    'skip-redis': { type: 'boolean', default: false },
    'skip-orders': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  console.log(HELP);
  process.exit(0);
}

function numberFlag(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not '${raw}'`);
  return n;
}

const quick = !(flags.full ?? false);
const skipServer = flags['skip-server'] ?? false;
const skipRedis = flags['skip-redis'] ?? false;
const redisUrl = flags['redis-url'] ?? DEFAULT_REDIS_URL;
// Orders go through the HTTP server: --skip-server leaves them out too.
const skipOrders = (flags['skip-orders'] ?? false) || skipServer;
const skipSale = (flags['skip-sale'] ?? false) || skipServer;
const databaseUrls: Record<Exclude<OrderDatabaseKind, 'sqlite'>, string> = {
  postgres: flags['postgres-url'] ?? DEFAULT_POSTGRES_URL,
  mariadb: flags['mariadb-url'] ?? DEFAULT_MARIADB_URL,
};
const settings: BenchReport['settings'] = {
  connections: Math.round(numberFlag('connections', flags.connections, 64)),
  warmupS: numberFlag('warmup', flags.warmup, quick ? 1 : 3),
  durationS: numberFlag('duration', flags.duration, quick ? 2 : 10),
  largeRoomTickets: Math.round(numberFlag('tickets', flags.tickets, quick ? 100_000 : 1_000_000)),
  memoryTickets: Math.round(
    numberFlag('memory-tickets', flags['memory-tickets'], quick ? 200_000 : 1_000_000),
  ),
  redisMemoryTickets: Math.round(
    numberFlag('redis-memory-tickets', flags['redis-memory-tickets'], quick ? 100_000 : 1_000_000),
  ),
  steadyOrderBuyers: Math.round(numberFlag('steady-orders', flags['steady-orders'], quick ? 1_000 : 3_000)),
  quick,
  redisUrl: skipRedis ? null : safeUrl(redisUrl),
  postgresUrl: skipOrders ? null : safeUrl(databaseUrls.postgres),
  mariadbUrl: skipOrders ? null : safeUrl(databaseUrls.mariadb),
};
const logDir = join(ROOT, 'bench', 'results', 'tmp');
const count = (n: number) => n.toLocaleString('en-US');

/** CPU the machine spends on other work while the bench does nothing (100 = one core). */
async function idleLoadPct(): Promise<number | null> {
  const before = machineBusySeconds();
  const cpu = process.cpuUsage();
  await new Promise((done) => setTimeout(done, 2000));
  const after = machineBusySeconds();
  const own = process.cpuUsage(cpu);
  if (before === null || after === null) return null;
  return ((after - before - (own.user + own.system) / 1e6) / 2) * 100;
}

async function measureServers(log: RunLog, figures: Partial<ScenarioFigures>): Promise<StopOutcome | null> {
  let ceiling: ServerChild | null = null;
  let waitroom: WaitroomServer | null = null;
  let stop: StopOutcome | null = null;
  try {
    ceiling = await startCeiling(ROOT, logDir);
    waitroom = await startWaitroom(ROOT, logDir);
    const shape = {
      connections: settings.connections,
      warmupS: settings.warmupS,
      durationS: settings.durationS,
    };
    await runScenario(
      ceiling,
      waitroom,
      { shape, largeRoomTickets: settings.largeRoomTickets, log },
      figures,
    );
  } catch (error) {
    log.fail(`**The run stopped early:** ${(error as Error).message}`);
    console.error(error);
  } finally {
    await ceiling?.stop();
    if (waitroom) stop = await stopWaitroom(waitroom, log);
  }
  return stop;
}

/** SIGTERM, as an orchestrator stops it: a server that lingers or exits with an error fails the run. */
async function stopWaitroom(waitroom: WaitroomServer, log: RunLog): Promise<StopOutcome> {
  const crashed = waitroom.child.exited;
  const stop = await waitroom.child.stop(30_000);
  rmSync(waitroom.dataDir, { recursive: true, force: true });
  const logFile = relative(ROOT, waitroom.child.logFile);
  const name = waitroom.child.name;
  if (stop.killed)
    log.fail(`**The ${name} did not stop within 30 s of SIGTERM** and was killed; see ${logFile}.`);
  else if (!crashed && stop.code !== 0)
    log.fail(`**The ${name} exited with code ${stop.code}** on SIGTERM; see ${logFile}.`);
  return stop;
}

/**
 * The joins and status reads again with the waiting room on Redis, beside the ceiling doing
 * one INCR, then Redis's memory per ticket. Every key the servers make starts with a prefix
 * unique to the run, deleted afterwards (and leftovers of earlier runs before).
 */
async function measureRedis(
  log: RunLog,
  figures: Partial<RedisScenarioFigures>,
): Promise<RedisReport | null> {
  let admin: Redis;
  try {
    admin = await openRedis(redisUrl);
  } catch (error) {
    log.fail(
      `**${(error as Error).message}**: the Redis figures were not measured (--skip-redis leaves them out).`,
    );
    return null;
  }
  const report: RedisReport = {
    keyPrefix: runKeyPrefix(),
    leftoverKeysDeleted: null,
    keysDeleted: null,
    waiting: null,
    stop: null,
    memory: null,
  };
  try {
    if (!skipServer) {
      report.leftoverKeysDeleted = await deleteKeys(admin, `${BENCH_KEY_PREFIX}*`);
      if (report.leftoverKeysDeleted > 0)
        console.log(
          `  deleted ${count(report.leftoverKeysDeleted)} keys left by earlier runs (${BENCH_KEY_PREFIX}*)`,
        );
      await measureRedisServers(admin, report, log, figures);
      report.waiting = figures.waiting ?? null;
      report.keysDeleted = await deleteKeys(admin, `${report.keyPrefix}*`);
    }
    console.log(
      `Redis memory per waiting ticket (${count(settings.redisMemoryTickets)} tickets, own process)`,
    );
    try {
      const memory = await measureRedisMemory(settings.redisMemoryTickets);
      report.memory = memory;
      console.log(
        `  ${memory.bytesPerTicket.toFixed(1)} B per ticket; ${memory.joinsPerSecond.toFixed(0)} joins/s; ` +
          `last ticket at position ${memory.lastPosition}`,
      );
      if (memory.lastPosition !== memory.tickets || memory.waiting !== memory.tickets) {
        log.fail(
          `**The Redis memory room is not whole:** ${count(memory.waiting)} waiting, the last ticket at ` +
            `position ${memory.lastPosition}, after ${count(memory.tickets)} joins.`,
        );
      }
    } catch (error) {
      log.fail(`**The Redis memory figure failed:** ${(error as Error).message}`);
    }
  } catch (error) {
    log.fail(`**Redis failed the bench's own calls:** ${(error as Error).message}`);
  } finally {
    admin.disconnect();
  }
  return report;
}

async function measureRedisServers(
  admin: Redis,
  report: RedisReport,
  log: RunLog,
  figures: Partial<RedisScenarioFigures>,
): Promise<void> {
  let ceiling: ServerChild | null = null;
  let waitroom: WaitroomServer | null = null;
  const redis = { url: redisUrl, keyPrefix: report.keyPrefix };
  try {
    ceiling = await startRedisCeiling(ROOT, logDir, redis);
    waitroom = await startWaitroom(ROOT, logDir, { redis });
    const shape = {
      connections: settings.connections,
      warmupS: settings.warmupS,
      durationS: settings.durationS,
    };
    await runRedisScenario(
      ceiling,
      waitroom,
      { shape, log, redisCpu: () => redisCpuSeconds(admin) },
      figures,
    );
  } catch (error) {
    log.fail(`**The run on Redis stopped early:** ${(error as Error).message}`);
    console.error(error);
  } finally {
    await ceiling?.stop();
    if (waitroom) report.stop = await stopWaitroom(waitroom, log);
  }
}

/**
 * Orders on each database in turn: a database of the bench's own (none for SQLite), a server
 * of its own with DATABASE_URL pointing there, the race and the steady run, then the server
 * stopped and the database dropped. A database server that does not answer fails the run.
 */
async function measureOrders(log: RunLog): Promise<OrdersReport> {
  const started = performance.now();
  const report: OrdersReport = {
    connections: settings.connections,
    raceBuyers: RACE_BUYERS,
    raceUnits: RACE_UNITS,
    steadyBuyers: settings.steadyOrderBuyers,
    steadyUnits: settings.steadyOrderBuyers * 2,
    leftoverDatabasesDropped: [],
    databases: [],
    totalSeconds: 0,
  };
  console.log('orders through the HTTP server, on each database');
  for (const kind of ORDER_DATABASES) report.databases.push(await measureOrdersOn(kind, report, log));
  report.totalSeconds = (performance.now() - started) / 1000;
  console.log(`  orders took ${report.totalSeconds.toFixed(0)} s`);
  return report;
}

async function measureOrdersOn(
  kind: OrderDatabaseKind,
  report: OrdersReport,
  log: RunLog,
): Promise<OrderDatabaseReport> {
  const started = performance.now();
  const label = DATABASE_NAMES[kind];
  const entry: OrderDatabaseReport = {
    kind,
    label,
    where:
      kind === 'sqlite'
        ? "`orders.sqlite` in the server's fresh `DATA_DIR` (WAL, each commit synced before it is answered, by a group commit off the event loop)"
        : `a database to be created at ${safeUrl(databaseUrls[kind])}`,
    measured: false,
    error: null,
    race: null,
    steady: null,
    stop: null,
    dropped: null,
    seconds: 0,
  };
  let database: BenchDatabase | null = null;
  let waitroom: WaitroomServer | null = null;
  const figures: Partial<OrderFigures> = {};
  try {
    if (kind !== 'sqlite') {
      const adminUrl = databaseUrls[kind];
      try {
        const leftovers = await dropLeftoverDatabases(kind, adminUrl);
        if (leftovers.length > 0) console.log(`  dropped ${leftovers.join(', ')}, left by earlier runs`);
        report.leftoverDatabasesDropped.push(...leftovers);
        database = await createBenchDatabase(kind, adminUrl);
      } catch (error) {
        entry.error = (error as Error).message;
        log.fail(
          `**${entry.error}**: the order figures on ${label} were not measured (--skip-orders leaves orders out).`,
        );
        console.error(`  ${entry.error}`);
        return entry;
      }
      entry.where = `the database \`${database.name}\` at ${safeUrl(database.url)}, created for the run`;
    }
    waitroom = await startWaitroom(ROOT, logDir, {
      ...(database ? { databaseUrl: database.url } : {}),
      name: `waitroom server, orders on ${label}`,
      logName: `server-orders-${kind}`,
    });
    await runOrderScenario(
      waitroom,
      {
        kind,
        label,
        connections: settings.connections,
        steadyBuyers: report.steadyBuyers,
        steadyUnits: report.steadyUnits,
        log,
      },
      figures,
    );
    entry.measured = true;
  } catch (error) {
    entry.error = (error as Error).message;
    log.fail(`**The orders on ${label} stopped early:** ${entry.error}`);
    console.error(error);
  } finally {
    entry.race = figures.race ?? null;
    entry.steady = figures.steady ?? null;
    if (waitroom) entry.stop = await stopWaitroom(waitroom, log);
    if (database) {
      try {
        await database.drop();
        entry.dropped = true;
      } catch (error) {
        entry.dropped = false;
        log.notes.push(`The database ${database.name} could not be dropped: ${(error as Error).message}`);
      }
    }
    entry.seconds = (performance.now() - started) / 1000;
  }
  return entry;
}

async function measureMemory(tickets: number): Promise<MemoryResult> {
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(ROOT, 'bench', 'memory-per-ticket.ts'), String(tickets)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0) throw new Error(`memory-per-ticket exited with code ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1) ?? '') as MemoryResult;
}

/**
 * A whole sale (bench/sale): the short run's 2,000 shoppers, or the full run's 100,000, on
 * the embedded store, through the real server.
 */
async function measureSale(log: RunLog): Promise<SaleReport | null> {
  const options = {
    ...SALE_DEFAULTS,
    ...(quick ? { shoppers: 2_000, rampSeconds: 10, saleMinutes: 0.5 } : SALE_FULL),
    root: ROOT,
    logDir,
  };
  console.log(`a whole sale: ${count(options.shoppers)} shoppers`);
  try {
    return (await runSale(options, !quick)).report;
  } catch (error) {
    log.fail(`**The simulated sale stopped early:** ${(error as Error).message}`);
    return null;
  }
}

/** One change pushed to 10,000 open event streams on one process (bench/fanout). */
async function measureFanout(log: RunLog): Promise<FanoutReport | null> {
  console.log(`fan-out: ${count(FANOUT_DEFAULTS.streams)} open event streams`);
  try {
    return await runFanout({ ...FANOUT_DEFAULTS, root: ROOT, logDir });
  } catch (error) {
    log.fail(`**The fan-out run stopped early:** ${(error as Error).message}`);
    return null;
  }
}

async function measureRedisMemory(tickets: number): Promise<RedisMemoryResult> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench', 'redis-memory-per-ticket.ts'), String(tickets), redisUrl],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0) throw new Error(`redis-memory-per-ticket exited with code ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1) ?? '') as RedisMemoryResult;
}

const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? null : a / b;
// Requests per second of server CPU: what a request costs the server, whichever side was the limit.
const perCpu = (a: LoadResult | undefined, b: LoadResult | undefined) =>
  a?.serverCpuPct && b?.serverCpuPct
    ? `; per second of server CPU: ${(a.rps / a.serverCpuPct / (b.rps / b.serverCpuPct)).toFixed(2)}`
    : '';
/** CPU per request of the server and of Redis, on each side: which of the two grew. */
const perRequest = (a: LoadResult | undefined, b: LoadResult | undefined) => {
  const us = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${x.toFixed(1)} µs`);
  return a && b
    ? `; CPU per request, server: ${us(a.serverUsPerRequest)} vs ${us(b.serverUsPerRequest)}, ` +
        `Redis: ${us(a.redisUsPerRequest)} vs ${us(b.redisUsPerRequest)}`
    : '';
};

/** The correctness targets of the orders, per database: over the race and the steady run. */
function orderTargets(orders: OrdersReport | null): Target[] {
  return ORDER_DATABASES.flatMap((kind) => {
    const d = orders?.databases.find((x) => x.kind === kind);
    const runs = [d?.race, d?.steady].filter((r) => r != null);
    const sum = (f: (r: (typeof runs)[number]) => number) =>
      runs.length === 0 ? null : runs.reduce((n, r) => n + f(r), 0);
    const basis = (what: string) =>
      `${what}, read back through the operator API after the race (${count(RACE_BUYERS)} buyers, ` +
      `${count(RACE_UNITS)} units) and the steady run, added up`;
    const label = DATABASE_NAMES[kind];
    return [
      target(
        `oversold units, orders on ${label}`,
        sum((r) => r.check.oversold),
        '<=',
        0,
        basis("units sold beyond the stock, by the product's sold and available and by the listed orders"),
        0,
      ),
      target(
        `buyers with two orders, orders on ${label}`,
        sum((r) => r.check.buyersWithTwoOrders),
        '<=',
        0,
        basis('tickets with more than one order among GET /api/admin/orders'),
        0,
      ),
    ];
  });
}

function targets(
  f: Partial<ScenarioFigures>,
  memory: MemoryResult,
  r: Partial<RedisScenarioFigures>,
  redisMemory: RedisMemoryResult | null,
  orders: OrdersReport | null,
): Target[] {
  return [
    target(
      'join req/s ÷ ceiling req/s',
      ratio(f.join?.rps, f.ceiling?.rps),
      '>=',
      0.6,
      `ceiling: GET / measured A B B A with the joins${perCpu(f.join, f.ceiling)}`,
    ),
    target(
      'status req/s ÷ ceiling req/s',
      ratio(f.status?.rps, f.ceilingBearer?.rps),
      '>=',
      0.7,
      'ceiling: GET / sent the same rotating bearer tokens, A B B A with the reads' +
        perCpu(f.status, f.ceilingBearer) +
        (f.status && f.ceiling
          ? `; against the plain GET / ceiling: ${(f.status.rps / f.ceiling.rps).toFixed(2)}`
          : ''),
    ),
    target(
      `status p99, room of ${count(settings.largeRoomTickets)} ÷ room of ${count(SMALL_ROOM_TICKETS)}`,
      ratio(f.statusLargeRoom?.latencyMs.p99, f.statusSmallRoom?.latencyMs.p99),
      '<=',
      1.5,
      `one server, same load, ${count(READ_TOKENS)} tokens in each room, A B B A`,
    ),
    target(
      'bytes per waiting ticket, memory store',
      memory.totalPerTicket,
      '<=',
      200,
      `${count(memory.tickets)} tickets; V8 heap plus typed arrays (V8 heap alone: ${memory.heapUsedPerTicket.toFixed(1)} B)`,
    ),
    target(
      'join req/s ÷ Redis ceiling req/s',
      ratio(r.join?.rps, r.ceiling?.rps),
      '>=',
      0.6,
      'the waiting room on Redis; Redis ceiling: GET / doing one INCR, A B B A with the joins' +
        perCpu(r.join, r.ceiling) +
        perRequest(r.join, r.ceiling),
    ),
    target(
      'status req/s ÷ Redis ceiling req/s',
      ratio(r.status?.rps, r.ceilingBearer?.rps),
      '>=',
      0.7,
      'the waiting room on Redis; Redis ceiling: GET / doing one INCR, sent the same rotating bearer ' +
        `tokens, A B B A with the reads${perCpu(r.status, r.ceilingBearer)}${perRequest(r.status, r.ceilingBearer)}`,
    ),
    target(
      'bytes per waiting ticket, Redis store',
      redisMemory?.bytesPerTicket ?? null,
      '<=',
      160,
      redisMemory
        ? `${count(redisMemory.tickets)} tickets in one room; growth of used_memory (INFO memory), ` +
            `database ${redisMemory.db}; the last ticket read back at position ${redisMemory.lastPosition}` +
            (redisMemory.tickets < 1_000_000
              ? '; with fewer than 1,000,000 tickets the slack of the grown strings and hash tables ' +
                'weighs more per ticket: the figure is higher than at 1,000,000'
              : '')
        : 'growth of used_memory (INFO memory)',
    ),
    ...orderTargets(orders),
  ];
}

async function main(): Promise<void> {
  const startedAt = new Date();
  mkdirSync(logDir, { recursive: true });
  console.log(
    `waitroom bench: ${settings.connections} connections; each figure ${settings.durationS} s in two halves, ` +
      `${settings.warmupS} s warm-ups; large room ${count(settings.largeRoomTickets)}`,
  );
  const log = new RunLog();
  const busy = await idleLoadPct();
  if (busy !== null && busy >= 20) {
    console.warn(`  the machine is busy before the run: other processes use ${busy.toFixed(0)} % of a core`);
    log.notes.push(
      `Before the run, other processes used ${busy.toFixed(0)} % of a core: figures will be noisy.`,
    );
  }
  const figures: Partial<ScenarioFigures> = {};
  const stop = skipServer ? null : await measureServers(log, figures);

  console.log(`memory per waiting ticket (${count(settings.memoryTickets)} tickets, own process)`);
  const memory = await measureMemory(settings.memoryTickets);
  console.log(
    `  ${memory.totalPerTicket.toFixed(1)} B per ticket (${memory.heapUsedPerTicket.toFixed(1)} B of V8 heap)`,
  );

  const redisFigures: Partial<RedisScenarioFigures> = {};
  const redis = skipRedis ? null : await measureRedis(log, redisFigures);

  const orders = skipOrders ? null : await measureOrders(log);
  const sale = skipSale ? null : await measureSale(log);
  const fanout = skipSale ? null : await measureFanout(log);

  if (settings.largeRoomTickets < 1_000_000) {
    log.notes.push(
      `The large room had ${count(settings.largeRoomTickets)} tickets, not the 1,000,000 the target names.`,
    );
  }
  if (settings.memoryTickets < 1_000_000) {
    log.notes.push(`The memory figure is for ${count(settings.memoryTickets)} tickets, not 1,000,000.`);
  }
  if (redis?.memory && settings.redisMemoryTickets < 1_000_000) {
    log.notes.push(
      `The Redis memory figure is for ${count(settings.redisMemoryTickets)} tickets, not 1,000,000.`,
    );
  }
  const repository = gitState(ROOT);
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    totalSeconds: (Date.now() - startedAt.getTime()) / 1000,
    machine: {
      node: process.versions.node,
      cpu: cpus()[0]?.model.trim() ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      platform: `${process.platform}-${process.arch}`,
    },
    git: { commit: repository.commit, dirty: repository.dirty ?? false },
    settings,
    runs: log.runs,
    rooms: figures.rooms ?? [],
    server: skipServer
      ? null
      : {
          largeRoomLastPosition: figures.largeRoomLastPosition ?? null,
          rssBytesAfterFill: figures.rssBytesAfterFill ?? null,
          stop,
        },
    memory,
    redis,
    orders,
    targets: [
      ...targets(figures, memory, redisFigures, redis?.memory ?? null, orders),
      ...(sale?.targets ?? []).map((t) => ({ ...t, name: `sale: ${t.name}` })),
      ...(fanout?.targets ?? []).map((t) => ({ ...t, name: `fan-out: ${t.name}` })),
    ],
    notes: log.notes,
  };
  // Only a full, complete run replaces the results kept in the repository.
  const complete =
    !quick &&
    !skipServer &&
    !skipRedis &&
    figures.rooms !== undefined &&
    redisFigures.waiting !== undefined &&
    redis?.memory != null &&
    !skipOrders &&
    orders?.databases.every((d) => d.measured) === true &&
    sale !== null &&
    fanout !== null;
  const outDir = join(ROOT, 'bench', 'results', complete ? '' : 'tmp');
  mkdirSync(outDir, { recursive: true });
  const sections: string[] = [];
  if (sale) {
    const files = writeSaleReport(sale, outDir, 'sale-latest');
    const charts = chartFiles('sale-latest');
    sections.push(
      '## A whole sale',
      '',
      `${count(sale.settings.shoppers)} simulated shoppers through the real server; every figure, ` +
        `and the charts, in [sale-latest.md](sale-latest.md) (${files.join(', ')}).`,
      '',
      `![queue length](${charts.queue}) ![outflow](${charts.outflow}) ![estimate error](${charts.error})`,
      '',
    );
  }
  if (fanout) {
    writeFanoutReport(fanout, outDir, 'fanout-latest');
    sections.push(
      '## Fan-out to open event streams',
      '',
      `${count(fanout.settings.streams)} streams on one process; every figure in [fanout-latest.md](fanout-latest.md).`,
      '',
    );
  }
  const markdown = `${toMarkdown(report)}${sections.length > 0 ? `\n${sections.join('\n')}` : ''}`;
  writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, 'latest.md'), markdown);
  console.log(`\n${markdown}`);
  console.log(`written to ${relative(ROOT, join(outDir, 'latest.md'))} and latest.json`);
  const missed = report.targets.some((t) => t.value !== null && !t.pass);
  if (log.broken || missed) process.exitCode = 1;
}

await main();
