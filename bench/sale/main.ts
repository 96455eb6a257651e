/**
 * A whole sale simulated against the real server (bench/README.md, "A whole sale").
 *
 *   npm run bench:sale                          # 2,000 shoppers, a minute's sale, into bench/results/tmp/
 *   npm run bench:sale -- --full                # 100,000 shoppers, into bench/results/sale-latest.*
 *   npm run bench:sale -- --shoppers 20000 --redis
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_REDIS_URL } from '../lib/redis.js';
import { runSale, SALE_DEFAULTS, SALE_FULL, type SaleOptions, saleRate } from './run-sale.js';
import { chartFiles, saleMarkdown, writeSaleReport, writeShopperCsv } from './sale-report.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const d = SALE_DEFAULTS;
const HELP = `Usage: npm run bench:sale -- [flags]   (after npm run build: npx tsx bench/sale/main.ts [flags])

  --shoppers <n>        simulated shoppers (default ${d.shoppers}; --full: ${SALE_FULL.shoppers})
  --ramp <s>            seconds over which they join (default ${d.rampSeconds}; --full: ${SALE_FULL.rampSeconds})
  --rate <n>            the room's admitRatePerMinute (default: what admits everyone in --sale-minutes)
  --sale-minutes <m>    how long admitting everyone should take, for the default rate (default ${d.saleMinutes}; --full: ${SALE_FULL.saleMinutes})
  --stock <n>           units of the one product (default: half the shoppers)
  --stream-share <f>    share keeping their place by an event stream (default ${d.streamShare})
  --abandon-share <f>   share who stop polling at some point (default ${d.abandonShare})
  --leave-share <f>     share who leave with DELETE at some point (default ${d.leaveShare})
  --think <s>           longest pause between admission and order (default ${d.thinkSeconds})
  --connections <n>     keep-alive connections of the simulator's pool (default ${d.connections})
  --min-wait <s>        shorter waits are left out of the estimate error (default ${d.minWaitSeconds})
  --source-addresses <n> event streams connect from 127.0.0.1…127.0.0.n in turn (default 1: the system's choice)
  --seed <n>            seed of the crowd's draws (default ${d.seed})
  --redis               run the server on Redis (REDIS_URL; keys under a prefix of the run, deleted after)
  --redis-url <url>     the Redis for --redis (default ${DEFAULT_REDIS_URL})
  --full                100,000 shoppers over 60 s, the line drained in about 5 minutes; results into
                        bench/results/sale-latest.* (sale-redis-latest.* with --redis)
  --dump-reads          also write every status read to bench/results/tmp/sale-reads.csv
  --help
`;

const { values: flags } = parseArgs({
  options: {
    shoppers: { type: 'string' },
    ramp: { type: 'string' },
    rate: { type: 'string' },
    'sale-minutes': { type: 'string' },
    stock: { type: 'string' },
    'stream-share': { type: 'string' },
    'abandon-share': { type: 'string' },
    'leave-share': { type: 'string' },
    think: { type: 'string' },
    connections: { type: 'string' },
    'min-wait': { type: 'string' },
    'source-addresses': { type: 'string' },
    seed: { type: 'string' },
    redis: { type: 'boolean', default: false },
    'redis-url': { type: 'string' },
    full: { type: 'boolean', default: false },
    'dump-reads': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (flags.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

function num(
  name: string,
  value: string | undefined,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  const x = Number(value);
  if (!Number.isFinite(x) || x < min || x > max) {
    process.stderr.write(`--${name} must be a number from ${min} to ${max}\n`);
    process.exit(2);
  }
  return x;
}

const base = { ...SALE_DEFAULTS, ...(flags.full ? SALE_FULL : {}) };
const options: SaleOptions = {
  ...base,
  root: ROOT,
  logDir: join(ROOT, 'bench', 'results', 'tmp'),
  shoppers: Math.round(num('shoppers', flags.shoppers, base.shoppers, 1, 1_000_000)),
  rampSeconds: num('ramp', flags.ramp, base.rampSeconds, 0),
  ratePerMinute: flags.rate === undefined ? null : Math.round(num('rate', flags.rate, 0, 1)),
  saleMinutes: num('sale-minutes', flags['sale-minutes'], base.saleMinutes, 0.1),
  stock: flags.stock === undefined ? null : Math.round(num('stock', flags.stock, 0, 0)),
  streamShare: num('stream-share', flags['stream-share'], base.streamShare, 0, 1),
  abandonShare: num('abandon-share', flags['abandon-share'], base.abandonShare, 0, 1),
  leaveShare: num('leave-share', flags['leave-share'], base.leaveShare, 0, 1),
  thinkSeconds: num('think', flags.think, base.thinkSeconds, 0),
  connections: Math.round(num('connections', flags.connections, base.connections, 1, 10_000)),
  minWaitSeconds: num('min-wait', flags['min-wait'], base.minWaitSeconds, 0),
  sourceAddresses: Math.round(
    num('source-addresses', flags['source-addresses'], base.sourceAddresses, 1, 254),
  ),
  seed: Math.round(num('seed', flags.seed, base.seed)),
  redisUrl: flags.redis || flags['redis-url'] ? (flags['redis-url'] ?? DEFAULT_REDIS_URL) : null,
};

/** Open files this process may hold (`ulimit -n`), or null when it cannot be told. */
function openFileLimit(): number | null {
  try {
    return Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim()) || null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const limit = openFileLimit();
  const need = Math.ceil(options.shoppers * options.streamShare) + options.connections + 200;
  if (limit !== null && limit < need) {
    process.stderr.write(
      `About ${need} sockets may be open at once (event streams and the pool) but \`ulimit -n\` is ${limit}: ` +
        'raise it (ulimit -n 65536) or lower --stream-share.\n',
    );
    process.exit(2);
  }
  mkdirSync(options.logDir, { recursive: true });
  console.log(`rate ${saleRate(options).toLocaleString('en-US')}/min`);
  const { report, crowd } = await runSale(options, flags.full);
  const dir = flags.full ? join(ROOT, 'bench', 'results') : options.logDir;
  const name = options.redisUrl ? 'sale-redis-latest' : 'sale-latest';
  const files = writeSaleReport(report, dir, name);
  await writeShopperCsv(crowd, options.logDir, flags['dump-reads']);
  console.log(`\n${saleMarkdown(report, chartFiles(name))}`);
  console.log(
    `written to ${files.map((f) => relative(ROOT, join(dir, f))).join(', ')}; per shopper: ` +
      `${relative(ROOT, join(options.logDir, 'sale-shoppers.csv'))}`,
  );
  if (report.targets.some((t) => t.value !== null && !t.pass)) process.exitCode = 1;
}

await main();
