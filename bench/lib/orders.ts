/**
 * The order figures: admitted buyers each placing their one order through the real HTTP
 * server, as fast as the connections allow, on one order database at a time. The race is the
 * flash sale of the issue: 2,000 buyers, 500 units, one unit each; the steady run has stock
 * for everyone, so that every answer is a confirmed order. After each run the operator API is
 * asked what was sold and which orders exist: never more units than the stock, never two
 * orders for one buyer.
 */
import autocannon from 'autocannon';
import { cpuSeconds, cpuSecondsSince, machineBusySeconds } from './child-process.js';
import { databaseCpuSnapshot, type OrderDatabaseKind } from './databases.js';
import { describeFailures, failures, type Latency, LatencyLog, runLoad } from './load.js';
import type { RunLog } from './report.js';
import type { WaitroomServer } from './servers-under-test.js';
import {
  admitAll,
  type BenchRoomOptions,
  createBenchRoom,
  fillRoom,
  putProducts,
  roomOrders,
  roomProducts,
  roomStats,
} from './waitroom-api.js';

export const RACE_BUYERS = 2_000;
export const RACE_UNITS = 500;
const PRODUCT_ID = 'sneaker';

/** An admitted shopper, ready to buy. */
interface Buyer {
  ticketId: string;
  admissionToken: string;
}

/** What the operator API says after a run: the stock, the orders, the admissions used. */
export interface OrderCheck {
  /** Units sold and left of the product. */
  sold: number | null;
  available: number | null;
  /** Orders listed for the room (GET /api/admin/orders, page by page) and the units in them. */
  orderRows: number;
  unitsInOrders: number;
  /** Units sold beyond the stock, by the product's counters or by the orders: must be 0. */
  oversold: number;
  /** Tickets with more than one order among the rows: must be 0. */
  buyersWithTwoOrders: number;
  /** Orders answered 201 but not listed, and listed but never answered 201. */
  confirmedNotListed: number;
  listedNotConfirmed: number;
  /** Admissions the room counts as used up by an order (stats: completedTotal). */
  completedTotal: number;
}

export interface OrderRun {
  title: string;
  kind: 'race' | 'steady';
  buyers: number;
  units: number;
  connections: number;
  /** Seconds from the first order sent to the last answer. */
  seconds: number;
  answers: number;
  /** Answers per second over the burst, whatever they said. */
  answersPerS: number;
  /** 201 answers, and per second over the burst. */
  confirmed: number;
  confirmedPerS: number;
  /** Answers per second in the first and in the second half of the burst's time. */
  halvesPerS: [number, number];
  statusCodes: Record<string, number>;
  /** The `error.code` of answers that were not 201 (SOLD_OUT…), by count. */
  errorCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  firstFailure: { status: number; body: string } | null;
  /** POST /api/orders: every answer, the 201s, and the others (in the race, the 409 SOLD_OUTs). */
  latencyMs: { all: Latency; confirmed: Latency | null; refused: Latency | null };
  /** Shares of one core over the burst (100 = one core busy). */
  serverCpuPct: number | null;
  /** The database server's processes (PostgreSQL, MariaDB); null for SQLite, inside the server. */
  databaseCpuPct: number | null;
  loadgenCpuPct: number;
  otherCpuPct: number | null;
  /** CPU per answer, in microseconds. */
  serverUsPerOrder: number | null;
  databaseUsPerOrder: number | null;
  check: OrderCheck;
}

export interface OrderScenarioOptions {
  kind: OrderDatabaseKind;
  /** 'SQLite', 'PostgreSQL'…, for titles and messages. */
  label: string;
  connections: number;
  steadyBuyers: number;
  steadyUnits: number;
  log: RunLog;
}

export interface OrderFigures {
  race: OrderRun;
  steady: OrderRun;
}

const count = (n: number) => n.toLocaleString('en-US');

/** The race, then the steady run on the same (now warm) server; `figures` keeps what finished. */
export async function runOrderScenario(
  waitroom: WaitroomServer,
  options: OrderScenarioOptions,
  figures: Partial<OrderFigures>,
): Promise<void> {
  const { label } = options;
  console.log(
    `  ${label}: ${count(RACE_BUYERS)} admitted buyers race for ${count(RACE_UNITS)} units, ` +
      `${options.connections} orders in flight`,
  );
  figures.race = await measureOrders(waitroom, options, {
    roomId: 'orders-race',
    kind: 'race',
    title: `race: ${count(RACE_BUYERS)} buyers, ${count(RACE_UNITS)} units`,
    buyers: RACE_BUYERS,
    units: RACE_UNITS,
  });
  console.log(
    `  ${label}: ${count(options.steadyBuyers)} admitted buyers, ${count(options.steadyUnits)} units (enough for all)`,
  );
  figures.steady = await measureOrders(waitroom, options, {
    roomId: 'orders-steady',
    kind: 'steady',
    title: `steady: ${count(options.steadyBuyers)} buyers, ${count(options.steadyUnits)} units`,
    buyers: options.steadyBuyers,
    units: options.steadyUnits,
  });
}

interface RunPlan {
  roomId: string;
  kind: OrderRun['kind'];
  title: string;
  buyers: number;
  units: number;
}

async function measureOrders(
  waitroom: WaitroomServer,
  options: OrderScenarioOptions,
  plan: RunPlan,
): Promise<OrderRun> {
  const room: BenchRoomOptions = {
    baseUrl: waitroom.child.baseUrl,
    adminToken: waitroom.adminToken,
    roomId: plan.roomId,
  };
  const buyers = await admittedBuyers(waitroom, room, plan, options.connections);
  alive(waitroom);
  const burst = await fireOrders(waitroom, room, buyers, plan, options);
  alive(waitroom);
  const { confirmedIds, ...figures } = burst;
  const run: OrderRun = { ...figures, check: await checkRoom(room, confirmedIds) };
  judge(run, options);
  return run;
}

function alive(waitroom: WaitroomServer): void {
  const child = waitroom.child;
  if (child.exited) {
    throw new Error(
      `${child.name} exited (code ${child.exited.code}, signal ${child.exited.signal}); see ${child.logFile}`,
    );
  }
}

/**
 * A room that admits nobody by itself, with one product; `plan.buyers` tickets joined through
 * HTTP, all admitted by the operator, and each one's admission token read from its status, as
 * a shopper's page reads it. None of this is measured.
 */
async function admittedBuyers(
  waitroom: WaitroomServer,
  room: BenchRoomOptions,
  plan: RunPlan,
  connections: number,
): Promise<Buyer[]> {
  const n = plan.buyers;
  const inFlight = Math.min(connections, n);
  await createBenchRoom(room, { admissionTtlSeconds: 3600 });
  await putProducts(room, [
    {
      id: PRODUCT_ID,
      name: 'Sneaker',
      priceCents: 18_000,
      currency: 'EUR',
      stock: plan.units,
      maxPerOrder: 1,
    },
  ]);
  const joined = await fillRoom(
    {
      ...room,
      count: n,
      connections: inFlight,
      serverPid: waitroom.child.pid,
      title: `joins for ${plan.title}`,
    },
    () => true,
  );
  if (failures(joined.result) > 0 || joined.tokens.length !== n) {
    throw new Error(
      `joining ${count(n)} buyers: ${joined.tokens.length} tokens; ${describeFailures(joined.result)}`,
    );
  }
  await admitAll(room, n);
  const buyers = new Map<string, string>();
  const read = await runLoad(
    {
      title: `admission tokens for ${plan.title}`,
      serverPid: waitroom.child.pid,
      baseUrl: room.baseUrl,
      method: 'GET',
      path: `/api/rooms/${room.roomId}/tickets/me`,
      bearers: joined.tokens,
      onBody: (_index, status, body) => {
        if (status !== 200) return;
        const ticket = JSON.parse(body) as { ticketId: string; admissionToken?: string };
        if (ticket.admissionToken) buyers.set(ticket.ticketId, ticket.admissionToken);
      },
    },
    { connections: inFlight, amount: n },
  );
  if (failures(read) > 0 || buyers.size !== n) {
    throw new Error(
      `reading the admission tokens: ${count(buyers.size)} of ${count(n)}; ${describeFailures(read)}`,
    );
  }
  return [...buyers].map(([ticketId, admissionToken]) => ({ ticketId, admissionToken }));
}

/** Distinct, valid contact details for buyer `i`. */
function customer(i: number) {
  return {
    firstName: `Ada${i}`,
    lastName: `Lovelace${i}`,
    email: `ada.${i}@example.org`,
    phone: `+4477${String(i).padStart(8, '0')}`,
  };
}

type Burst = Omit<OrderRun, 'check'> & { confirmedIds: Set<string> };

/**
 * Every buyer sends POST /api/orders once, `connections` at a time: the buyers are dealt out
 * to the connections in turn, each connection sending its own share one after the other
 * (autocannon with `amount` set to the number of buyers gives each connection exactly its
 * share), with its Idempotency-Key, its contact details and one unit of the product.
 */
async function fireOrders(
  waitroom: WaitroomServer,
  room: BenchRoomOptions,
  buyers: Buyer[],
  plan: RunPlan,
  options: OrderScenarioOptions,
): Promise<Burst> {
  const n = buyers.length;
  const connections = Math.min(options.connections, n);
  const confirmedIds = new Set<string>();
  const errorCodes: Record<string, number> = {};
  let firstFailure: OrderRun['firstFailure'] = null;
  const onResponse = (status: number, body: string) => {
    if (status === 201) {
      confirmedIds.add((JSON.parse(body) as { id: string }).id);
      return;
    }
    let code = `HTTP ${status}`;
    try {
      code = (JSON.parse(body) as { error: { code: string } }).error.code;
    } catch {
      // Not the API's error body: the status says it.
    }
    errorCodes[code] = (errorCodes[code] ?? 0) + 1;
    const expected = plan.kind === 'race' && status === 409 && code === 'SOLD_OUT';
    if (!expected && firstFailure === null) firstFailure = { status, body: body.slice(0, 300) };
  };
  const requests: autocannon.Request[] = buyers.map((buyer, i) => ({
    method: 'POST',
    path: '/api/orders',
    headers: {
      authorization: `Bearer ${buyer.admissionToken}`,
      'idempotency-key': `bench-${room.roomId}-${buyer.ticketId}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ customer: customer(i), items: [{ productId: PRODUCT_ID, quantity: 1 }] }),
    onResponse,
  }));
  let clients = 0;
  const all = new LatencyLog();
  const confirmed = new LatencyLog();
  const refused = new LatencyLog();
  const answeredAt = new Float64Array(n);
  let answered = 0;

  const serverPid = waitroom.child.pid;
  const databaseBefore = databaseCpuSnapshot(options.kind);
  const cpuBefore = process.cpuUsage();
  const serverBefore = cpuSeconds(serverPid);
  const machineBefore = machineBusySeconds();
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: room.baseUrl,
        connections,
        amount: n,
        timeout: 10,
        requests: [requests[0]!],
        setupClient: (client: autocannon.Client) => {
          const k = clients++;
          const own: autocannon.Request[] = [];
          for (let i = k; i < n; i += connections) own.push(requests[i]!);
          client.setRequests(own);
        },
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on('response', (_client, status, _bytes, responseTime) => {
      all.add(responseTime);
      (status === 201 ? confirmed : refused).add(responseTime);
      if (answered < n) answeredAt[answered++] = performance.now();
    });
  });
  const finished = performance.now();
  const serverAfter = cpuSeconds(serverPid);
  const machineAfter = machineBusySeconds();
  const cpu = process.cpuUsage(cpuBefore);
  const databaseAfter = databaseBefore === null ? null : databaseCpuSnapshot(options.kind);

  const seconds = (finished - started) / 1000;
  const loadgenS = (cpu.user + cpu.system) / 1e6;
  const serverS = serverBefore === null || serverAfter === null ? null : serverAfter - serverBefore;
  const databaseS =
    databaseBefore === null || databaseAfter === null ? null : cpuSecondsSince(databaseBefore, databaseAfter);
  const otherS =
    machineBefore === null || machineAfter === null || serverS === null
      ? null
      : Math.max(0, machineAfter - machineBefore - serverS - loadgenS - (databaseS ?? 0));
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
    statusCodes[code] = stat.count ?? 0;
  const middle = started + (finished - started) / 2;
  let firstHalf = 0;
  while (firstHalf < answered && answeredAt[firstHalf]! < middle) firstHalf++;
  const halfS = seconds / 2;
  const per = (cpuS: number | null) => (cpuS === null || answered === 0 ? null : (cpuS / answered) * 1e6);
  const pct = (cpuS: number | null) => (cpuS === null ? null : (cpuS / seconds) * 100);
  return {
    title: plan.title,
    kind: plan.kind,
    buyers: n,
    units: plan.units,
    connections,
    seconds,
    answers: answered,
    answersPerS: answered / seconds,
    confirmed: confirmedIds.size,
    confirmedPerS: confirmedIds.size / seconds,
    halvesPerS: [firstHalf / halfS, (answered - firstHalf) / halfS],
    statusCodes,
    errorCodes,
    errors: result.errors,
    timeouts: result.timeouts,
    firstFailure,
    latencyMs: {
      all: all.summary(),
      confirmed: confirmed.size > 0 ? confirmed.summary() : null,
      refused: refused.size > 0 ? refused.summary() : null,
    },
    serverCpuPct: pct(serverS),
    databaseCpuPct: pct(databaseS),
    loadgenCpuPct: (loadgenS / seconds) * 100,
    otherCpuPct: pct(otherS),
    serverUsPerOrder: per(serverS),
    databaseUsPerOrder: per(databaseS),
    confirmedIds,
  };
}

/** The stock, the orders and the admissions used, as the operator API reads them after the run. */
async function checkRoom(room: BenchRoomOptions, confirmedIds: Set<string>): Promise<OrderCheck> {
  const product = (await roomProducts(room)).find((p) => p.id === PRODUCT_ID);
  const rows = await roomOrders(room);
  const stats = await roomStats(room);
  const perTicket = new Map<string, number>();
  for (const row of rows) perTicket.set(row.ticketId, (perTicket.get(row.ticketId) ?? 0) + 1);
  const listed = new Set(rows.map((r) => r.id));
  const unitsInOrders = rows.reduce(
    (n, row) => n + row.items.reduce((m, item) => m + (item.productId === PRODUCT_ID ? item.quantity : 0), 0),
    0,
  );
  return {
    sold: product?.sold ?? null,
    available: product?.available ?? null,
    orderRows: rows.length,
    unitsInOrders,
    oversold: 0, // filled in by judge(), which knows the stock
    buyersWithTwoOrders: [...perTicket.values()].filter((n) => n > 1).length,
    confirmedNotListed: [...confirmedIds].filter((id) => !listed.has(id)).length,
    listedNotConfirmed: [...listed].filter((id) => !confirmedIds.has(id)).length,
    completedTotal: stats.completedTotal,
  };
}

/**
 * What must hold after a run: no unit sold beyond the stock, no buyer with two orders, and
 * exactly as many confirmed orders as the stock allows, each one listed once; anything else
 * fails the bench.
 */
function judge(run: OrderRun, { label, log }: OrderScenarioOptions): void {
  const c = run.check;
  c.oversold = Math.max(0, (c.sold ?? 0) - run.units, c.unitsInOrders - run.units, -(c.available ?? 0));
  const expected = Math.min(run.buyers, run.units);
  const problems: string[] = [];
  if (c.oversold > 0) problems.push(`${count(c.oversold)} units oversold`);
  if (c.buyersWithTwoOrders > 0) problems.push(`${count(c.buyersWithTwoOrders)} buyers with two orders`);
  if (run.confirmed !== expected)
    problems.push(`${count(run.confirmed)} orders confirmed, not ${count(expected)}`);
  const soldOut = run.errorCodes.SOLD_OUT ?? 0;
  if (soldOut !== run.buyers - expected)
    problems.push(`${count(soldOut)} SOLD_OUT answers, not ${count(run.buyers - expected)}`);
  const other = Object.entries(run.errorCodes).filter(([code]) => code !== 'SOLD_OUT');
  if (other.length > 0)
    problems.push(`other answers: ${other.map(([code, n]) => `${n}×${code}`).join(', ')}`);
  if (run.errors > 0 || run.timeouts > 0)
    problems.push(`${run.errors} connection errors, ${run.timeouts} timeouts`);
  if (run.answers !== run.buyers)
    problems.push(`${count(run.answers)} answers to ${count(run.buyers)} orders`);
  if (c.sold !== expected || c.available !== run.units - expected)
    problems.push(
      `the product shows ${c.sold} sold and ${c.available} left, not ${expected} and ${run.units - expected}`,
    );
  if (c.unitsInOrders !== c.sold) problems.push(`${c.unitsInOrders} units in orders but ${c.sold} sold`);
  if (c.orderRows !== run.confirmed || c.confirmedNotListed > 0 || c.listedNotConfirmed > 0)
    problems.push(
      `${count(c.orderRows)} orders listed for ${count(run.confirmed)} confirmed ` +
        `(${c.confirmedNotListed} confirmed but not listed, ${c.listedNotConfirmed} listed but not confirmed)`,
    );
  if (c.completedTotal !== run.confirmed)
    problems.push(`${count(c.completedTotal)} admissions used for ${count(run.confirmed)} orders`);
  if (problems.length > 0) {
    const first = run.firstFailure
      ? ` First unexpected answer: ${run.firstFailure.status} ${run.firstFailure.body}`
      : '';
    log.fail(`**Orders on ${label}, ${run.title}:** ${problems.join('; ')}.${first}`);
  }
  if (run.otherCpuPct !== null && run.otherCpuPct >= 20) {
    log.notes.push(
      `Orders on ${label}, ${run.title}: other processes used ${Math.round(run.otherCpuPct)} % of a core meanwhile; ` +
        'the run did not have the machine to itself.',
    );
  }
  console.log(
    `    ${run.title}: ${count(run.answers)} answers in ${run.seconds.toFixed(2)} s, ` +
      `${run.answersPerS.toFixed(0)}/s (${count(run.confirmed)} confirmed, ${run.confirmedPerS.toFixed(0)}/s); ` +
      `p50 ${run.latencyMs.all.p50.toFixed(1)} ms, p99 ${run.latencyMs.all.p99.toFixed(1)} ms; ` +
      `sold ${c.sold}, oversold ${c.oversold}, buyers with two orders ${c.buyersWithTwoOrders}` +
      (problems.length > 0 ? `; FAILED: ${problems.join('; ')}` : ''),
  );
}
