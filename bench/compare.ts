/**
 * Two builds of the waiting room side by side: which one spends less server CPU on a join or
 * a status read (bench/README.md, "Comparing two builds").
 *
 *   npm run bench:compare -- --base /path/to/other/checkout [--request status]
 *
 * On a shared machine a server's CPU per request moves by a fifth from one second to the
 * next, so two servers measured one after the other compare badly. Here both are loaded at
 * the same time, each by its own half of the connections, round after round, and each round
 * gives the ratio of their CPU per request measured over the same seconds: whatever slows the
 * machine slows both. `--base .` compares this build with itself, which shows how far apart
 * two equal servers measure (the two sides are not quite alike: B is started second).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type LoadResult, runLoad } from './lib/load.js';
import { median } from './lib/median.js';
import { deleteKeys, openRedis } from './lib/redis.js';
import { startWaitroom, type WaitroomServer } from './lib/servers-under-test.js';
import { createBenchRoom, fillRoom } from './lib/waitroom-api.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const HELP = `Usage: npm run bench:compare -- --base <checkout> [flags]   (the other checkout built with npm run build)

  --base <dir>      the other build (A): a checkout with apps/server/dist built; "." for this one
  --request <what>  join (default) or status (reads over 20,000 tokens spread over the room)
  --tickets <n>     for status: tickets joined into the room first (default 20,000)
  --rounds <n>      measured rounds (default 10), after one round of warm-up
  --seconds <s>     length of a round (default 2)
  --redis <url>     both servers on this Redis (each under a key prefix of its own, deleted
                    after), instead of the embedded store
  --env-a <K=V,...> settings for server A only, and --env-b for server B only; with
  --env-b <K=V,...> --base ., one build under two settings (e.g. --env-b
                    NODE_OPTIONS=--max-semi-space-size=2)
  --help

Prints, for each round, the server CPU per request of A (the base) and B (this build) and
B/A; then the medians, and the median of B/A in requests a second. B/A below 1: this build
spends less. On Redis, where a request waits for its round trip, requests a second say more.
`;

const { values: flags } = parseArgs({
  options: {
    base: { type: 'string' },
    request: { type: 'string', default: 'join' },
    rounds: { type: 'string', default: '10' },
    tickets: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '2' },
    redis: { type: 'string' },
    'env-a': { type: 'string' },
    'env-b': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help || flags.base === undefined) {
  process.stdout.write(HELP);
  process.exit(flags.help ? 0 : 2);
}
const base = resolve(flags.base);
for (const root of [base, ROOT]) {
  if (!existsSync(join(root, 'apps', 'server', 'dist', 'server.js'))) {
    process.stderr.write(`${root}: no apps/server/dist/server.js; run npm run build there first\n`);
    process.exit(2);
  }
}
const request = flags.request;
if (request !== 'join' && request !== 'status') {
  process.stderr.write('--request must be join or status\n');
  process.exit(2);
}
const rounds = Number(flags.rounds);
const tickets = Number(flags.tickets);
if (!Number.isInteger(tickets) || tickets < 1000) {
  process.stderr.write('--tickets must be a whole number of at least 1,000\n');
  process.exit(2);
}
const seconds = Number(flags.seconds);
if (!Number.isInteger(rounds) || rounds < 1 || !(seconds > 0)) {
  process.stderr.write('--rounds must be a whole number of at least 1, --seconds above 0\n');
  process.exit(2);
}

/** `K=V,K2=V2` as an object; the value is everything after the first `=`. */
function settingsOf(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (text ?? '').split(',').filter(Boolean)) {
    const at = pair.indexOf('=');
    if (at < 1) {
      process.stderr.write(`--env-a/--env-b: "${pair}" is not K=V\n`);
      process.exit(2);
    }
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}
const envOf = { A: settingsOf(flags['env-a']), B: settingsOf(flags['env-b']) };

const ROOM = 'compare';
const TOKENS = 20_000;
const CONNECTIONS = 32;
const logDir = mkdtempSync(join(tmpdir(), 'waitroom-compare-'));
const redisUrl = flags.redis;
const runId = `${Date.now().toString(36)}-${process.pid}`;
const keyPrefixOf = (name: string) => `wrcompare:${runId}-${name}:`;

interface Side {
  name: 'A' | 'B';
  server: WaitroomServer;
  tokens: string[];
}

async function side(name: Side['name'], root: string): Promise<Side> {
  const server = await startWaitroom(root, logDir, {
    name: `server ${name}`,
    logName: `compare-${name}`,
    env: envOf[name],
    ...(redisUrl === undefined ? {} : { redis: { url: redisUrl, keyPrefix: keyPrefixOf(name) } }),
  });
  const api = { baseUrl: server.child.baseUrl, adminToken: server.adminToken, roomId: ROOM };
  await createBenchRoom(api);
  const tokens =
    request === 'status'
      ? (
          await fillRoom(
            {
              ...api,
              count: tickets,
              connections: CONNECTIONS,
              serverPid: server.child.pid,
              title: 'tokens',
            },
            // TOKENS of them, spread evenly over the line.
            (index, count) => index % Math.max(1, Math.floor(count / TOKENS)) === 0,
          )
        ).tokens
      : [];
  return { name, server, tokens };
}

function load(s: Side): Promise<LoadResult> {
  const path = request === 'join' ? `/api/rooms/${ROOM}/tickets` : `/api/rooms/${ROOM}/tickets/me`;
  return runLoad(
    {
      title: s.name,
      serverPid: s.server.child.pid,
      baseUrl: s.server.child.baseUrl,
      method: request === 'join' ? 'POST' : 'GET',
      path,
      ...(s.tokens.length > 0 ? { bearers: s.tokens } : {}),
    },
    { connections: CONNECTIONS, durationS: seconds },
  );
}

const us = (r: LoadResult) => {
  if (r.serverUsPerRequest === null) throw new Error(`${r.title}: the server's CPU could not be read`);
  if (r.non2xx + r.errors + r.timeouts > 0) throw new Error(`${r.title}: failed requests in a round`);
  return r.serverUsPerRequest;
};

const a = await side('A', base);
const b = await side('B', ROOT);
try {
  const store = redisUrl === undefined ? 'embedded' : 'on Redis';
  console.log(
    `${request} (${store}): A = ${base}, B = ${ROOT}; ${rounds} rounds of ${seconds} s, both at once`,
  );
  const cpu = { A: [] as number[], B: [] as number[], ratio: [] as number[], rps: [] as number[] };
  for (let round = 0; round <= rounds; round++) {
    // Each side's load starts first every other round: whichever starts first is favoured.
    const [x, y] =
      round % 2 === 0
        ? await Promise.all([load(a), load(b)])
        : ((await Promise.all([load(b), load(a)])).reverse() as [LoadResult, LoadResult]);
    if (round === 0) continue; // warm-up
    const [ua, ub] = [us(x), us(y)];
    cpu.A.push(ua);
    cpu.B.push(ub);
    cpu.ratio.push(ub / ua);
    cpu.rps.push(y.rps / x.rps);
    console.log(
      `round ${String(round).padStart(2)}: A ${ua.toFixed(1)} µs (${x.rps.toFixed(0)}/s)  ` +
        `B ${ub.toFixed(1)} µs (${y.rps.toFixed(0)}/s)  B/A ${(ub / ua).toFixed(3)}`,
    );
  }
  console.log(
    `median: A ${median(cpu.A).toFixed(1)} µs, B ${median(cpu.B).toFixed(1)} µs of server CPU per ${request}; ` +
      `B/A ${median(cpu.ratio).toFixed(3)} (rounds from ${Math.min(...cpu.ratio).toFixed(3)} to ${Math.max(...cpu.ratio).toFixed(3)})`,
  );
  console.log(
    `requests a second, B/A: median ${median(cpu.rps).toFixed(3)} (rounds from ${Math.min(...cpu.rps).toFixed(3)} to ${Math.max(...cpu.rps).toFixed(3)})`,
  );
} finally {
  await Promise.all([a.server.child.stop(), b.server.child.stop()]);
  for (const dir of [a.server.dataDir, b.server.dataDir, logDir])
    rmSync(dir, { recursive: true, force: true });
  if (redisUrl !== undefined) {
    const client = await openRedis(redisUrl);
    for (const name of ['A', 'B']) await deleteKeys(client, `${keyPrefixOf(name)}*`);
    client.disconnect();
  }
}
