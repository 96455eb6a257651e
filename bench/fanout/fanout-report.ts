/** The fan-out figure's report: JSON for tools, markdown for people. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopParagraph, targetsTable } from '../lib/report.js';
import type { FanoutReport } from './run-fanout.js';

const fixed = (x: number | null | undefined, digits = 0) =>
  x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits);
const count = (n: number) => n.toLocaleString('en-US');

export function fanoutMarkdown(report: FanoutReport): string {
  const s = report.settings;
  const o = report.open;
  const lines: string[] = [
    '# Fan-out: one change to many open event streams',
    '',
    `${report.startedAt} · commit ${report.git.commit?.slice(0, 12) ?? 'unknown'}${report.git.dirty ? ' (with uncommitted changes)' : ''} · server built ${report.git.serverBuiltAt ?? 'n/a'} · Node ${report.machine.node} · ${report.machine.cores} × ${report.machine.cpu} · ` +
      `load average before ${report.machine.loadAverageBefore.join(', ')} · ${fixed(report.totalSeconds)} s in all`,
    '',
    `${count(s.streams)} tickets wait in one room (rate 0) behind ${count(s.rounds)} tickets without a stream, on the ` +
      `${s.store} store; each holds \`GET /api/rooms/fanout/tickets/me/events\` open, all from this one process ` +
      `(${s.sourceAddresses > 1 ? `from 127.0.0.1 to 127.0.0.${s.sourceAddresses}` : 'one source address'}). Each round ` +
      'the operator admits the first ticket (`POST /api/admin/rooms/fanout/admit {"count": 1}`), which moves every ' +
      "streamed ticket up by one; a delivery is the time from that call to the stream's event with the new position, " +
      'taken when this process reads it: it includes the client reading the burst of events, so it is an upper bound.',
    '',
    ...targetsTable(report.targets),
    '',
    '## Rounds',
    '',
    '| round | delivered | missing | within 1 s | first ms | p50 ms | p90 ms | p99 ms | max ms | admit call ms | server CPU | client CPU | other CPU |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.rounds.map(
      (r) =>
        `| ${r.round} | ${count(r.delivered)} | ${count(r.missing)} | ${count(r.withinOneSecond)} | ${fixed(r.firstMs)} | ${fixed(r.latencyMs.p50)} | ` +
        `${fixed(r.latencyMs.p90)} | ${fixed(r.latencyMs.p99)} | ${fixed(r.latencyMs.max)} | ${fixed(r.triggerAnswerMs, 1)} | ` +
        `${fixed(r.serverCpuPct)} % | ${fixed(r.clientCpuPct)} % | ${fixed(r.otherCpuPct)} % |`,
    ),
    ...(report.all
      ? [
          `| all | ${count(report.rounds.reduce((a, r) => a + r.delivered, 0))} | ${count(report.rounds.reduce((a, r) => a + r.missing, 0))} | ` +
            `${count(report.rounds.reduce((a, r) => a + r.withinOneSecond, 0))} | | ${fixed(report.all.p50)} | ${fixed(report.all.p90)} | ` +
            `${fixed(report.all.p99)} | ${fixed(report.all.max)} | | | | |`,
        ]
      : []),
    '',
    'First: the earliest delivery of the round, about when the server began writing the events; the spread after it ' +
      'is the server writing them and this process reading them. CPU in shares of one core over the round, from the ' +
      'call to the last delivery; other: the rest of the machine meanwhile.',
    '',
    '## Memory and opening',
    '',
    `Server RSS: ${fixed(report.serverRssMiB.beforeStreams)} MiB with the tickets joined and no stream, ` +
      `${fixed(report.serverRssMiB.withStreams)} MiB with the ${count(s.streams)} streams open, ` +
      `${fixed(report.serverRssMiB.afterRounds)} MiB after the rounds. ` +
      `Joining the tickets took ${fixed(report.joinSeconds, 1)} s; opening the streams, ${s.openConcurrency} at a time, ` +
      `${fixed(o.seconds, 1)} s (connect to first event: p50 ${fixed(o.firstEventMs?.p50, 1)} ms, p99 ` +
      `${fixed(o.firstEventMs?.p99, 1)} ms), ${count(o.failed)} failed${o.firstFailure ? ` (first: \`${o.firstFailure}\`)` : ''}.`,
    '',
  ];
  lines.push(...stopParagraph(report.stop));
  if (report.notes.length > 0) {
    lines.push('## Notes', '');
    for (const note of report.notes) lines.push(`- ${note}`);
    lines.push('');
  }
  return lines.join('\n');
}

export function writeFanoutReport(report: FanoutReport, dir: string, base: string): string[] {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${base}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, `${base}.md`), fanoutMarkdown(report));
  return [`${base}.json`, `${base}.md`];
}
