/** The simulated sale's report: JSON for tools, markdown for people, SVG charts, and a CSV per shopper. */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Latency } from '../lib/load.js';
import { stopParagraph, targetsTable } from '../lib/report.js';
import { type ChartSeries, lineChartSvg } from '../lib/svg-chart.js';
import { type Crowd, OUTCOME_NAMES } from './crowd.js';
import type { SaleReport } from './run-sale.js';

const fixed = (x: number | null | undefined, digits = 0) =>
  x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits);
const count = (n: number | null | undefined) =>
  n === null || n === undefined ? 'n/a' : n.toLocaleString('en-US');
const pct = (x: number | null | undefined, digits = 0) =>
  x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(digits)} %`;
const ms = (l: Latency | null, key: keyof Latency) => (l ? l[key].toFixed(1) : '·');

/** File names of the charts, beside the report (`<base>-queue.svg`…). */
export function chartFiles(base: string): Record<'queue' | 'outflow' | 'error' | 'cpu', string> {
  return {
    queue: `${base}-queue.svg`,
    outflow: `${base}-outflow.svg`,
    error: `${base}-estimate-error.svg`,
    cpu: `${base}-cpu.svg`,
  };
}

export function saleCharts(report: SaleReport): Record<'queue' | 'outflow' | 'error' | 'cpu', string> {
  const tl = report.timeline;
  const rate = report.settings.ratePerMinute;
  const flow = report.admissions.perTenSeconds;
  const queue = lineChartSvg({
    title: 'Waiting tickets over time',
    xLabel: 'seconds from the first join',
    yLabel: 'tickets',
    series: [
      {
        name: 'waiting (operator stats)',
        color: '#1f77b4',
        points: tl.map((s) => [s.t, s.waiting ?? Number.NaN]),
      },
      {
        name: 'open event streams',
        color: '#2ca02c',
        dashed: true,
        points: tl.map((s) => [s.t, s.streamsOpen]),
      },
    ],
  });
  const outflow = lineChartSvg({
    title: `Admissions per 10 s against the rate (${rate.toLocaleString('en-US')}/min)`,
    xLabel: 'seconds from the first join',
    yLabel: 'per 10 s',
    series: [
      { name: 'admissions', color: '#d62728', steps: true, points: stepPoints(flow) },
      {
        name: 'the rate, per 10 s',
        color: '#555',
        dashed: true,
        points: [
          [0, rate / 6],
          [flow.length * 10, rate / 6],
        ],
      },
      {
        name: 'joins answered, per 10 s',
        color: '#1f77b4',
        steps: true,
        points: stepPoints(perTen(tl.map((s) => [s.t, s.joins]))),
      },
    ],
  });
  const over = report.estimates.overTime;
  const end = over.length * 10;
  const error = lineChartSvg({
    title: 'Wait estimate error over time: |announced − actual| / actual, per read',
    xLabel: 'seconds from the first join (time of the read)',
    yLabel: 'relative error',
    yMax: Math.min(1, Math.max(0.3, ...over.map((b) => b.p90 ?? 0))),
    series: [
      { name: 'median', color: '#1f77b4', points: over.map((b) => [b.startS + 5, b.median ?? Number.NaN]) },
      { name: 'p90', color: '#ff7f0e', points: over.map((b) => [b.startS + 5, b.p90 ?? Number.NaN]) },
      {
        name: 'target, median (0.10)',
        color: '#1f77b4',
        dashed: true,
        points: [
          [0, 0.1],
          [end, 0.1],
        ],
      },
      {
        name: 'target, p90 (0.25)',
        color: '#ff7f0e',
        dashed: true,
        points: [
          [0, 0.25],
          [end, 0.25],
        ],
      },
    ],
  });
  const cpuSeries: ChartSeries[] = [
    { name: 'server', color: '#d62728', points: tl.map((s) => [s.t, s.serverCpuPct ?? Number.NaN]) },
    { name: 'simulator', color: '#1f77b4', points: tl.map((s) => [s.t, s.simulatorCpuPct]) },
    {
      name: 'other processes',
      color: '#999',
      dashed: true,
      points: tl.map((s) => [s.t, s.otherCpuPct ?? Number.NaN]),
    },
  ];
  if (tl.some((s) => s.redisCpuPct !== null)) {
    cpuSeries.push({
      name: 'Redis',
      color: '#2ca02c',
      points: tl.map((s) => [s.t, s.redisCpuPct ?? Number.NaN]),
    });
  }
  const cpu = lineChartSvg({
    title: 'CPU over time (100 % = one core)',
    xLabel: 'seconds from the first join',
    yLabel: '% of one core',
    series: cpuSeries,
  });
  return { queue, outflow, error, cpu };
}

/** Counts per 10 s as steps: each bucket's value from its start to its end. */
function stepPoints(perTen: number[]): [number, number][] {
  const out: [number, number][] = perTen.map((v, b) => [b * 10, v]);
  if (perTen.length > 0) out.push([perTen.length * 10, perTen[perTen.length - 1]!]);
  return out;
}

/** Per-second rates summed into 10 s buckets. */
function perTen(points: [number, number][]): number[] {
  const out: number[] = [];
  for (const [t, v] of points) {
    const b = Math.max(0, Math.floor((t - 0.5) / 10));
    while (out.length <= b) out.push(0);
    out[b]! += v;
  }
  return out;
}

export function saleMarkdown(report: SaleReport, charts: Record<string, string>): string {
  const s = report.settings;
  const sh = report.shoppers;
  const th = report.throughput;
  const a = report.admissions;
  const e = report.estimates;
  const st = report.stock;
  const r = report.resources;
  const lines: string[] = [
    '# A whole sale, simulated',
    '',
    `${report.startedAt} · commit ${report.git.commit?.slice(0, 12) ?? 'unknown'}${report.git.dirty ? ' (with uncommitted changes)' : ''} · server built ${report.git.serverBuiltAt ?? 'n/a'} · Node ${report.machine.node} · ${report.machine.cores} × ${report.machine.cpu} · ` +
      `load average before ${report.machine.loadAverageBefore.join(', ')} · ${fixed(report.totalSeconds)} s in all${s.full ? ' · full run' : ''}`,
    '',
    `${count(s.shoppers)} shoppers join room \`flash-sale\` over ${s.rampSeconds} s; it admits ${count(s.ratePerMinute)} a minute ` +
      `(ticks of ${s.tickMs} ms), on the ${s.store} store. ${pct(s.streamShare)} keep their place by an event stream, the others ` +
      `poll \`GET …/tickets/me\` when \`pollAfterMs\` says; ${pct(s.abandonShare)} are drawn to stop (abandon) and ` +
      `${pct(s.leaveShare)} to leave (\`DELETE\`), each between 20 % and 80 % into the wait first announced, unless admitted ` +
      `sooner. Admitted shoppers wait up to ${s.thinkSeconds} s, then order one of ${count(s.stock)} units. ` +
      `Heartbeat timeout ${s.heartbeatTimeoutSeconds} s, admission TTL ${s.admissionTtlSeconds} s; ` +
      `the simulator's pool holds ${s.connections} connections; seed ${s.seed}.`,
    '',
    ...targetsTable(report.targets),
    '',
    '## Shoppers',
    '',
    `${count(sh.polling)} polling, ${count(sh.streaming)} streaming; ${count(sh.meantToAbandon)} drawn to abandon, ` +
      `${count(sh.meantToLeave)} to leave.`,
    '',
    '| outcome | shoppers |',
    '| --- | ---: |',
    ...OUTCOME_NAMES.filter((name) => sh.outcomes[name]).map(
      (name) => `| ${name} | ${count(sh.outcomes[name] ?? 0)} |`,
    ),
    '',
    `Of those who stopped, ${count(sh.admittedAfterAbandoning)} were admitted before the server noticed their silence ` +
      `(an admission spent on nobody; read back after the sale), ${count(sh.abandonedFoundExpired)} were found expired (abandoned).`,
    '',
    '## Throughput and latency',
    '',
    '| figure | value |',
    '| --- | ---: |',
    `| joins/s offered (shoppers ÷ ramp) | ${fixed(th.joinsPerSecondOffered)} |`,
    `| joins/s reached (first sent to last joined) | ${fixed(th.joinsPerSecondReached)} |`,
    `| joins/s, busiest second | ${fixed(th.joinsPeakPerSecond)} |`,
    `| status reads/s (polls), mean / busiest second | ${fixed(th.pollsPerSecondMean)} / ${fixed(th.pollsPerSecondPeak)} |`,
    `| status events/s received on streams, mean / busiest second | ${fixed(th.streamEventsPerSecondMean)} / ${fixed(th.streamEventsPerSecondPeak)} |`,
    `| event streams open at once, most | ${count(th.streamsOpenPeak)} |`,
    `| event streams reconnected | ${count(th.streamReconnects)} |`,
    '',
    '| call | count | p50 ms | p90 ms | p99 ms | max ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...report.latency.map(
      (c) =>
        `| ${c.call} | ${count(c.count)} | ${ms(c.latencyMs, 'p50')} | ${ms(c.latencyMs, 'p90')} | ${ms(c.latencyMs, 'p99')} | ${ms(c.latencyMs, 'max')} |`,
    ),
    '',
    'Latencies are taken in the simulator, from sending to the whole answer, so they include any wait for a free ' +
      `connection in its pool (most queued at once: ${count(r.poolQueuedPeak)}).`,
    '',
    '## Admission',
    '',
    `${count(a.admissions)} admissions (operator stats: ${count(a.statsAdmittedTotal)}), from ${fixed(a.firstS, 1)} s to ` +
      `${fixed(a.lastS, 1)} s: ${fixed(a.meanPerMinute)} a minute on average against the rate of ${count(s.ratePerMinute)}. ` +
      `Most in any 60 s: ${count(a.maxIn60s)} (window ending at ${fixed(a.maxWindowEndS, 1)} s), limit ${count(a.limitIn60s)}. ` +
      `FIFO: ${count(report.fifo.checked)} admitted tickets checked, ${count(report.fifo.violations)} admitted before an earlier joiner` +
      `${report.fifo.violations > 0 ? ` (by up to ${fixed(report.fifo.worstMs)} ms)` : ''}. ` +
      `Admitting ticks seen (distinct admission times): ${count(a.ticks)}, ${fixed(a.admissions / Math.max(a.ticks, 1), 1)} ` +
      `admissions each on average; gaps between them p50 ${fixed(a.tickGapMs.p50)} ms, p90 ${fixed(a.tickGapMs.p90)} ms, ` +
      `p99 ${fixed(a.tickGapMs.p99)} ms, max ${fixed(a.tickGapMs.max)} ms (ticks are due every ${s.tickMs} ms; a late ` +
      "tick admits at most one tick's worth, so late ticks lower the outflow below the rate).",
    '',
    `![queue](${charts.queue}) ![outflow](${charts.outflow})`,
    '',
    '## Wait estimates',
    '',
    `Relative error |announced − actual| / actual, for admitted shoppers whose actual wait (or, half-way, the wait left) was ` +
      `at least ${e.minWaitSeconds} s; shorter ones are left out, since an estimate in whole seconds weighs too much there. ` +
      "Actual: from the server's joinedAt to its admission time. Half-way: the read nearest the middle of the actual wait " +
      '(within a quarter of it). Signed: above 0 the announced wait was too long. In range: the actual wait fell within `etaRange`.',
    '',
    '| when | shoppers | left out | median | p90 | median signed | within etaRange |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| at join | ${count(e.atJoin.count)} | ${count(e.atJoin.excluded)} | ${pct(e.atJoin.median, 1)} | ${pct(e.atJoin.p90, 1)} | ${pct(e.atJoin.medianSigned, 1)} | ${pct(e.atJoin.withinRange)} |`,
    `| half-way | ${count(e.halfWay.count)} | ${count(e.halfWay.excluded)} | ${pct(e.halfWay.median, 1)} | ${pct(e.halfWay.p90, 1)} | ${pct(e.halfWay.medianSigned, 1)} | ${pct(e.halfWay.withinRange)} |`,
    '',
    `![estimate error](${charts.error})`,
    '',
    '## Stock',
    '',
    `${count(st.stock)} units; sold ${count(st.sold)}, available ${count(st.available)}; ${count(st.orders)} orders listed ` +
      `holding ${count(st.unitsInOrders)} units; ${count(st.confirmedAnswers)} orders confirmed to shoppers, ` +
      `${count(st.soldOutAnswers)} answered 409 SOLD_OUT` +
      `${
        Object.keys(st.otherOrderRefusals).length
          ? `, other refusals: ${Object.entries(st.otherOrderRefusals)
              .map(([c, k]) => `${k}× ${c}`)
              .join(', ')}`
          : ''
      }. ` +
      `Oversold: ${count(st.oversold)}; buyers with two orders: ${count(st.buyersWithTwoOrders)}.`,
    '',
    '## Resources',
    '',
    '| process | CPU mean | CPU busiest second | memory |',
    '| --- | ---: | ---: | --- |',
    `| server | ${fixed(r.serverCpuPctMean)} % | ${fixed(r.serverCpuPctPeak)} % | RSS at most ${fixed(r.serverRssMiBPeak)} MiB |`,
    `| server's event-loop thread | ${fixed(r.serverLoopRunPctMean)} % on a CPU, ${fixed(r.serverLoopWaitPctMean)} % waiting for one | | (/proc/<pid>/schedstat) |`,
    `| simulator (this process) | ${fixed(r.simulatorCpuPctMean)} % | ${fixed(r.simulatorCpuPctPeak)} % | event-loop delay p99 at most ${fixed(r.loopDelayP99MsPeak)} ms |`,
    ...(r.redisCpuPctMean !== null || r.redisUsedMemoryMiBPeak !== null
      ? [
          `| Redis | ${fixed(r.redisCpuPctMean)} % | | used_memory ${fixed(r.redisUsedMemoryMiBBefore, 1)} MiB before, ` +
            `${fixed(r.redisUsedMemoryMiBPeak, 1)} MiB at most, ${fixed(r.redisUsedMemoryMiBAfter, 1)} MiB after ` +
            `(${count(r.redisKeysDeleted)} keys of the run deleted after) |`,
        ]
      : []),
    `| other processes | ${fixed(r.otherCpuPctMean)} % | | |`,
    ...(r.listenOverflows === null || r.listenOverflows === undefined
      ? []
      : [
          `| the machine's TCP accept queues | | | ${count(r.listenOverflows)} connections dropped for a full queue |`,
        ]),
    '',
    'CPU in shares of one core (100 % = one core busy), from /proc (the server) and `process.cpuUsage` (the simulator), ' +
      'over the seconds of the sale.',
    '',
    `![cpu](${charts.cpu})`,
    '',
  ];
  lines.push(...stopParagraph(report.stop));
  if (report.problems.length > 0) {
    lines.push('## Unexpected answers', '', '| kind | count | first |', '| --- | ---: | --- |');
    for (const p of report.problems)
      lines.push(`| ${p.kind} | ${count(p.count)} | \`${p.first.replace(/[|`\n]/g, ' ').slice(0, 160)}\` |`);
    lines.push('');
  }
  lines.push('## Notes', '');
  if (report.notes.length === 0) lines.push('None.');
  else for (const note of report.notes) lines.push(`- ${note}`);
  lines.push('');
  return lines.join('\n');
}

/** Writes `<base>.json`, `<base>.md` and the charts into `dir`. */
export function writeSaleReport(report: SaleReport, dir: string, base: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files = chartFiles(base);
  const svgs = saleCharts(report);
  for (const key of Object.keys(files) as (keyof typeof files)[])
    writeFileSync(join(dir, files[key]), svgs[key]);
  writeFileSync(join(dir, `${base}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, `${base}.md`), saleMarkdown(report, files));
  return [`${base}.json`, `${base}.md`, ...Object.values(files)];
}

/**
 * One line per shopper (`sale-shoppers.csv`) and, with `reads`, one per status read
 * (`sale-reads.csv`): times in ms from the first join, the server's own where it has them.
 */
export async function writeShopperCsv(crowd: Crowd, dir: string, reads: boolean): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const t = (x: number) => (Number.isFinite(x) ? (x - crowd.start).toFixed(1) : '');
  const v = (x: number) => (Number.isFinite(x) ? String(x) : '');
  const out = createWriteStream(join(dir, 'sale-shoppers.csv'));
  out.write(
    'shopper,kind,fate,join_sent_ms,joined_ms,position_at_join,eta_at_join_s,eta_low_s,eta_high_s,admitted_ms,admission_seen_ms,gave_up_ms,outcome\n',
  );
  for (let i = 0; i < crowd.n; i++) {
    const line =
      `${i},${crowd.kind[i] ? 'stream' : 'poll'},${['stay', 'abandon', 'leave'][crowd.fate[i]!]},${t(crowd.joinSentAt[i]!)},` +
      `${t(crowd.joinedAt[i]!)},${crowd.joinPosition[i]! >= 0 ? crowd.joinPosition[i] : ''},${v(crowd.joinEta[i]!)},` +
      `${v(crowd.joinLow[i]!)},${v(crowd.joinHigh[i]!)},${t(crowd.admittedAt[i]!)},${t(crowd.admissionSeenAt[i]!)},` +
      `${t(crowd.gaveUpAt[i]!)},${OUTCOME_NAMES[crowd.outcome[i]!]}\n`;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(resolve));
  if (!reads) return;
  const log = crowd.reads;
  const rout = createWriteStream(join(dir, 'sale-reads.csv'));
  rout.write('shopper,at_ms,position,eta_s,eta_low_s,eta_high_s\n');
  for (let k = 0; k < log.size; k++) {
    const line = `${log.shopper[k]},${t(log.at[k]!)},${log.position[k]},${v(log.eta[k]!)},${v(log.low[k]!)},${v(log.high[k]!)}\n`;
    if (!rout.write(line)) await new Promise<void>((resolve) => rout.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => rout.end(resolve));
}
