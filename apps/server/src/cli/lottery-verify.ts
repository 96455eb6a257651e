/**
 * Checks a lottery room's published draw (docs/SECURITY.md, "A lottery anyone can check"):
 *
 *   npm run lottery-verify -- https://shop.example/api/rooms/spring-sale/lottery
 *   npm run lottery-verify -- https://shop.example --room spring-sale
 *   npm run lottery-verify -- saved-draw.json [--commitment <hex noted before the opening>]
 *
 * It fetches the draw (plain fetch, no credentials) or reads a saved copy of the same JSON,
 * checks that SHA-256(seed) is the commitment, recomputes the order from the seed and the
 * pre-queue's ticket ids, and compares it with the order published. Exit code 0 when all
 * holds, 1 when anything does not, 2 when the draw cannot be had or the arguments are wrong.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { lotteryOrder, seedCommitment } from '@waitroom/core';

const USAGE = [
  'usage: npm run lottery-verify -- <url-or-file> [--room <roomId>] [--commitment <hex>]',
  '  <url-or-file>   the draw, GET /api/rooms/<roomId>/lottery (or the server with --room), or a saved copy',
  '  --room          the room, when <url-or-file> is the server address',
  '  --commitment    the commitment you noted before the room opened, to compare with the published one',
].join('\n');

/** The published draw (GET /api/rooms/{roomId}/lottery), as read from the wire or a file. */
export interface DrawRecord {
  roomId?: string;
  commitment: string;
  drawnAt?: string;
  seed: string;
  ticketIds: string[];
  order: string[];
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface Verdict {
  ok: boolean;
  checks: Check[];
}

interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

class CannotLoad extends Error {}

/**
 * Every check of a draw: the seed against its commitment (and against the one noted before
 * the opening, if given), the ticket list, and the order recomputed from both.
 */
export function verifyDraw(draw: DrawRecord, notedCommitment?: string): Verdict {
  const checks: Check[] = [];
  const hashed = seedCommitment(draw.seed);
  checks.push({
    name: 'commitment',
    ok: hashed === draw.commitment.toLowerCase(),
    detail:
      hashed === draw.commitment.toLowerCase()
        ? `SHA-256(seed) = ${hashed}, the commitment published`
        : `SHA-256(seed) = ${hashed}, but the commitment published is ${draw.commitment}`,
  });
  if (notedCommitment !== undefined) {
    const same = notedCommitment.toLowerCase() === draw.commitment.toLowerCase();
    checks.push({
      name: 'noted',
      ok: same,
      detail: same
        ? 'the commitment is the one you noted before the opening'
        : `the commitment published (${draw.commitment}) is not the one you noted (${notedCommitment})`,
    });
  }
  const unique = new Set(draw.ticketIds).size === draw.ticketIds.length;
  const sorted = draw.ticketIds.every((id, k) => k === 0 || draw.ticketIds[k - 1]! < id);
  checks.push({
    name: 'tickets',
    ok: unique && sorted,
    detail: !unique
      ? 'the ticket list names a ticket twice'
      : sorted
        ? `${draw.ticketIds.length} ticket ids in the pre-queue, sorted, none twice`
        : 'the ticket list is not sorted by ticket id',
  });
  const expected = lotteryOrder(draw.seed, draw.ticketIds);
  const firstDifference = expected.findIndex((id, k) => draw.order[k] !== id);
  const sameOrder = expected.length === draw.order.length && firstDifference === -1;
  checks.push({
    name: 'order',
    ok: sameOrder,
    detail: sameOrder
      ? 'the order recomputed from the seed and the ticket ids is the order published'
      : expected.length !== draw.order.length
        ? `the order published has ${draw.order.length} tickets, the ticket list ${expected.length}`
        : `the order published differs from the recomputed one from place ${firstDifference + 1} ` +
          `(published ${draw.order[firstDifference]}, recomputed ${expected[firstDifference]})`,
  });
  return { ok: checks.every((c) => c.ok), checks };
}

/** Reads a draw from its URL (or a server's address and a room) or from a saved JSON file. */
export async function loadDraw(
  source: string,
  room: string | undefined,
  fetcher: typeof fetch = fetch,
): Promise<DrawRecord> {
  let text: string;
  if (/^https?:\/\//i.test(source)) {
    const url = room === undefined ? new URL(source) : drawUrl(source, room);
    let res: Response;
    try {
      res = await fetcher(url, { headers: { accept: 'application/json' } });
    } catch (error) {
      throw new CannotLoad(`${url} did not answer (${(error as Error).message})`);
    }
    text = await res.text();
    if (!res.ok) {
      const message = errorMessage(text);
      throw new CannotLoad(`${url} answered ${res.status}${message ? `: ${message}` : ''}`);
    }
  } else {
    try {
      text = await readFile(source, 'utf8');
    } catch (error) {
      throw new CannotLoad(`cannot read ${source} (${(error as Error).message})`);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CannotLoad(`${source} is not JSON`);
  }
  const draw = asDraw(value);
  if (room !== undefined && draw.roomId !== undefined && draw.roomId !== room) {
    throw new CannotLoad(`the draw is of room '${draw.roomId}', not '${room}'`);
  }
  return draw;
}

/** `https://host[/prefix]` and a room → that room's draw. */
function drawUrl(base: string, room: string): URL {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/rooms/${encodeURIComponent(room)}/lottery`;
  return url;
}

function errorMessage(text: string): string | null {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = body.error ?? {};
    return typeof code === 'string' ? `${code}${typeof message === 'string' ? ` (${message})` : ''}` : null;
  } catch {
    return null;
  }
}

function asDraw(value: unknown): DrawRecord {
  const v = value as Record<string, unknown> | null;
  const strings = (x: unknown) => Array.isArray(x) && x.every((s) => typeof s === 'string');
  if (
    typeof v !== 'object' ||
    v === null ||
    typeof v.commitment !== 'string' ||
    typeof v.seed !== 'string' ||
    !strings(v.ticketIds) ||
    !strings(v.order)
  ) {
    throw new CannotLoad('this is not a published draw: it needs commitment, seed, ticketIds and order');
  }
  return {
    ...(typeof v.roomId === 'string' ? { roomId: v.roomId } : {}),
    ...(typeof v.drawnAt === 'string' ? { drawnAt: v.drawnAt } : {}),
    commitment: v.commitment,
    seed: v.seed,
    ticketIds: v.ticketIds as string[],
    order: v.order as string[],
  };
}

/** The command itself; returns the exit code. */
export async function runLotteryVerify(
  args: string[],
  output: Output,
  fetcher: typeof fetch = fetch,
): Promise<number> {
  let source: string;
  let room: string | undefined;
  let noted: string | undefined;
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { room: { type: 'string' }, commitment: { type: 'string' } },
    });
    if (positionals.length !== 1) throw new Error('name one URL or file');
    source = positionals[0]!;
    room = values.room;
    noted = values.commitment;
    if (noted !== undefined && !/^[0-9a-fA-F]{64}$/.test(noted)) {
      throw new Error('--commitment must be 64 hexadecimal digits');
    }
  } catch (error) {
    output.err(`lottery-verify: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  let draw: DrawRecord;
  try {
    draw = await loadDraw(source, room, fetcher);
  } catch (error) {
    if (!(error instanceof CannotLoad)) throw error;
    output.err(`lottery-verify: ${error.message}\n`);
    return 2;
  }
  const verdict = verifyDraw(draw, noted);
  const what = draw.roomId === undefined ? 'the draw' : `the draw of room '${draw.roomId}'`;
  output.out(`${what}${draw.drawnAt === undefined ? '' : `, made at ${draw.drawnAt}`}\n`);
  for (const check of verdict.checks) {
    output.out(`  ${check.ok ? 'ok  ' : 'FAIL'}  ${check.name.padEnd(10)}  ${check.detail}\n`);
  }
  output.out(
    verdict.ok
      ? 'VERIFIED: the order is the one the committed seed gives for these tickets.\n'
      : 'NOT VERIFIED: this draw does not match its commitment or its order.\n',
  );
  return verdict.ok ? 0 : 1;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  runLotteryVerify(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`lottery-verify: failed: ${(error as Error).message ?? error}\n`);
      process.exit(2);
    },
  );
}
