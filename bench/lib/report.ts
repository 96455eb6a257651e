/** The benchmark's outcome as data (latest.json) and as a markdown page (latest.md). */
import type { MemoryResult } from '../memory-per-ticket.js';
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
    quick: boolean;
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
  targets: Target[];
  /** Whatever makes a figure doubtful: errors, drift, a load generator at its limit. */
  notes: string[];
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

/** Which side ran out of CPU first: a side above 90 % of its core was the limit. */
export function bottleneck(r: LoadResult): string {
  const server = r.serverCpuPct !== null && r.serverCpuPct >= 90;
  const loadgen = r.loadgenCpuPct >= 90;
  if (server && loadgen) return 'both';
  if (server) return 'server';
  if (loadgen) return 'load generator';
  return 'neither';
}

const fixed = (x: number, digits = 0) => x.toFixed(digits);
const pct = (x: number | null) => (x === null ? 'n/a' : `${fixed(x)} %`);

export function toMarkdown(report: BenchReport): string {
  const s = report.settings;
  const m = report.machine;
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
    '| run | req/s | p50 ms | p99 ms | p99.9 ms | failures | server CPU | load-gen CPU | other CPU | limited by |',
    '| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |',
    ...report.runs.map(
      (r) =>
        `| ${r.title} | ${fixed(r.rps)} | ${fixed(r.latencyMs.p50, 2)} | ${fixed(r.latencyMs.p99, 2)} | ` +
        `${fixed(r.latencyMs.p999, 2)} | ${failures(r) === 0 ? '0' : `**${describeFailures(r)}**`} | ` +
        `${pct(r.serverCpuPct)} | ${pct(r.loadgenCpuPct)} | ${pct(r.otherCpuPct)} | ${bottleneck(r)} |`,
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
  lines.push('', '## Notes', '');
  if (report.notes.length === 0)
    lines.push('None: no errors, no drift, no run limited by the load generator.');
  else for (const note of report.notes) lines.push(`- ${note}`);
  lines.push('');
  return lines.join('\n');
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
        `${pct(run.serverCpuPct)}, load generator ${pct(run.loadgenCpuPct)}, other ${pct(run.otherCpuPct)}` +
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
