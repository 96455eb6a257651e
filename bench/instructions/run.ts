/**
 * Instructions a join costs the server, counted by valgrind (bench/README.md, "Counting
 * instructions"). Seconds on a shared machine move by a fifth from one minute to the next;
 * instructions do not depend on the neighbours, so two builds can be told apart by a few per
 * cent. The join's lane of a built checkout is driven in one process on fake sockets
 * (join-driver.mjs), under `valgrind --tool=callgrind` with instrumentation off; it is turned
 * on for the last round only, the rounds before warming the JIT up.
 *
 *   npm run bench:instructions -- [--root <checkout>] [--joins 5000] [--rounds 3] [--runs 3]
 *
 * Needs valgrind (Debian's package `valgrind`). A count takes about 25 seconds.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from '../lib/median.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const HELP = `Usage: npm run bench:instructions -- [flags]

  --root <dir>    the checkout whose build is counted (default: this one; run npm run build there)
  --joins <n>     joins in each round (default 5000); the last round is counted
  --rounds <n>    rounds, the last one counted (default 2)
  --runs <n>      times to count it (default 3), to see how far two counts of one build differ
  --help

Prints the instructions per join of each run and their median.
`;

const { values: flags } = parseArgs({
  options: {
    root: { type: 'string', default: resolve(HERE, '..', '..') },
    joins: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '3' },
    runs: { type: 'string', default: '3' },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const joins = Number(flags.joins);
const rounds = Number(flags.rounds);
const runs = Number(flags.runs);
if (![joins, rounds, runs].every((x) => Number.isInteger(x) && x >= 1) || rounds < 2) {
  process.stderr.write('--joins and --runs must be whole numbers of at least 1, --rounds at least 2\n');
  process.exit(2);
}
for (const tool of ['valgrind', 'callgrind_control']) {
  if (spawnSync(tool, ['--version']).error) {
    process.stderr.write(`${tool} is not installed (apt-get install valgrind)\n`);
    process.exit(2);
  }
}

/** One count: the instructions of the last round, divided by its joins. */
async function count(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'waitroom-callgrind-'));
  const out = join(dir, 'callgrind.out');
  try {
    const child = spawn(
      'valgrind',
      [
        '--tool=callgrind',
        '--instr-atstart=no',
        `--callgrind-out-file=${out}`,
        process.execPath,
        join(HERE, 'join-driver.mjs'),
        resolve(flags.root),
        String(joins),
        String(rounds),
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    const last = rounds - 1;
    const control = (on: boolean) => {
      const result = spawnSync('callgrind_control', ['-i', on ? 'on' : 'off', String(child.pid)]);
      if (result.status !== 0) throw new Error(`callgrind_control failed: ${result.stderr}`);
    };
    for await (const line of createInterface({ input: child.stdout })) {
      if (line === `round ${last}`) control(true);
      if (line === `done ${last}`) control(false);
      if (line.startsWith('round ')) child.stdin.write('go\n');
    }
    const code = await new Promise<number | null>((done) => child.on('close', done));
    if (code !== 0) throw new Error(`the driver exited with ${code}:\n${errors.slice(-2000)}`);
    const totals = /^totals: (\d+)/m.exec(readFileSync(out, 'utf8'));
    if (!totals) throw new Error('no totals in the callgrind output');
    return Number(totals[1]) / joins;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const counts: number[] = [];
for (let run = 1; run <= runs; run++) {
  const perJoin = await count();
  counts.push(perJoin);
  console.log(`run ${run}: ${Math.round(perJoin).toLocaleString('en-US')} instructions a join`);
}
console.log(
  `median: ${Math.round(median(counts)).toLocaleString('en-US')} instructions a join ` +
    `(${resolve(flags.root)}, ${joins} joins counted after ${rounds - 1} round(s) of warm-up)`,
);
