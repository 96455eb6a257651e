/**
 * Many open event streams on one server process, and one change delivered to all of them
 * (bench/README.md, "Fan-out").
 *
 *   npm run bench:fanout                         # 10,000 streams, 5 rounds, into bench/results/fanout-latest.*
 *   npm run bench:fanout -- --streams 1000       # a smaller run, into bench/results/tmp/
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_REDIS_URL } from '../lib/redis.js';
import { fanoutMarkdown, writeFanoutReport } from './fanout-report.js';
import { FANOUT_DEFAULTS, type FanoutOptions, runFanout } from './run-fanout.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const d = FANOUT_DEFAULTS;
const HELP = `Usage: npm run bench:fanout -- [flags]   (after npm run build: npx tsx bench/fanout/main.ts [flags])

  --streams <n>           open event streams (default ${d.streams}); fewer writes into bench/results/tmp/
  --rounds <n>            admissions at the head, each moving every stream (default ${d.rounds})
  --open-concurrency <n>  streams being opened at once (default ${d.openConcurrency})
  --source-addresses <n>  connect from 127.0.0.1…127.0.0.n in turn (default 1: the system's choice)
  --redis                 run the server on Redis (keys under a prefix of the run, deleted after)
  --redis-url <url>       the Redis for --redis (default ${DEFAULT_REDIS_URL})
  --help
`;

const { values: flags } = parseArgs({
  options: {
    streams: { type: 'string' },
    rounds: { type: 'string' },
    'open-concurrency': { type: 'string' },
    'source-addresses': { type: 'string' },
    redis: { type: 'boolean', default: false },
    'redis-url': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (flags.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

function int(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const x = Number(value);
  if (!Number.isInteger(x) || x < min || x > max) {
    process.stderr.write(`--${name} must be a whole number from ${min} to ${max}\n`);
    process.exit(2);
  }
  return x;
}

const options: FanoutOptions = {
  root: ROOT,
  logDir: join(ROOT, 'bench', 'results', 'tmp'),
  streams: int('streams', flags.streams, d.streams, 1, 100_000),
  rounds: int('rounds', flags.rounds, d.rounds, 1, 100),
  openConcurrency: int('open-concurrency', flags['open-concurrency'], d.openConcurrency, 1, 10_000),
  sourceAddresses: int('source-addresses', flags['source-addresses'], d.sourceAddresses, 1, 254),
  redisUrl: flags.redis || flags['redis-url'] ? (flags['redis-url'] ?? DEFAULT_REDIS_URL) : null,
};

async function main(): Promise<void> {
  let limit: number | null = null;
  try {
    limit = Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim()) || null;
  } catch {
    // Unknown: try anyway.
  }
  if (limit !== null && limit < options.streams + 200) {
    process.stderr.write(
      `${options.streams} streams need as many open sockets but \`ulimit -n\` is ${limit}: raise it (ulimit -n 65536).\n`,
    );
    process.exit(2);
  }
  mkdirSync(options.logDir, { recursive: true });
  const report = await runFanout(options);
  // Only the full figure (10,000 streams or more, on the embedded store) replaces the kept results.
  const kept = options.streams >= 10_000;
  const dir = kept ? join(ROOT, 'bench', 'results') : options.logDir;
  const files = writeFanoutReport(report, dir, options.redisUrl ? 'fanout-redis-latest' : 'fanout-latest');
  console.log(`\n${fanoutMarkdown(report)}`);
  console.log(`written to ${files.map((f) => relative(ROOT, join(dir, f))).join(', ')}`);
  if (report.targets.some((t) => t.value !== null && !t.pass)) process.exitCode = 1;
}

await main();
