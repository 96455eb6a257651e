import type { RoomChange, WaitingRoomEngine } from '@waitroom/core';
import type { FastifyInstance, onResponseHookHandler } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { LatencyHistogram, type LatencySeries } from './latency-histogram.js';

/** The room counters one instance has counted since the last scrape, for one room. */
type Tally = Pick<RoomChange, 'joined' | 'admitted' | 'abandoned' | 'left' | 'admissionsExpired'>;

/** Records one answer of a route: its status code and the seconds it took. */
export type LatencyRecorder = (statusCode: number, seconds: number) => void;

export interface Metrics {
  registry: Registry;
  /** The latency recorder of a route (its method and URL pattern), the one its answers feed. */
  latencyOf(method: string, url: string): LatencyRecorder;
}

/**
 * Prometheus figures: request latency by route, the room counters as they happen, and
 * each room's line length and active count read from the store at scrape time.
 */
export function registerMetrics(app: FastifyInstance, engine: WaitingRoomEngine): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const latency = new LatencyHistogram(
    'waitroom_http_request_duration_seconds',
    'Time to answer an HTTP request',
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registry,
  );
  // Room events are tallied in plain numbers as they happen (a join is the hottest path
  // there is), one record of fixed fields per room, and handed to prom-client when it is
  // scraped.
  const tallies = new Map<string, Tally>();
  const counter = (name: string, help: string, field: keyof Tally) =>
    new Counter({
      name,
      help,
      labelNames: ['room'],
      registers: [registry],
      collect() {
        for (const [room, tally] of tallies) {
          const n = tally[field];
          if (n > 0) this.inc({ room }, n);
          tally[field] = 0;
        }
      },
    });
  counter('waitroom_joins_total', 'Tickets that joined a line', 'joined');
  counter('waitroom_admissions_total', 'Tickets admitted', 'admitted');
  counter('waitroom_abandonments_total', 'Waiting tickets abandoned for lack of a sign of life', 'abandoned');
  counter('waitroom_leaves_total', 'Tickets that left', 'left');
  counter('waitroom_admissions_expired_total', 'Admissions that ran out unused', 'admissionsExpired');

  const gauge = (name: string, help: string, pick: (r: { waiting: number; active: number }) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['room'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const room of await engine.store.listRooms()) this.set({ room: room.settings.id }, pick(room));
      },
    });
  gauge('waitroom_waiting', 'Live tickets waiting in the line', (r) => r.waiting);
  gauge('waitroom_active', 'Admitted tickets whose admission is neither used nor expired', (r) => r.active);

  engine.onChange((c: RoomChange) => {
    // Each instance counts what it did itself: summed over instances, the totals are exact.
    if (c.remote) return;
    let tally = tallies.get(c.roomId);
    if (!tally) {
      tally = { joined: 0, admitted: 0, abandoned: 0, left: 0, admissionsExpired: 0 };
      tallies.set(c.roomId, tally);
    }
    tally.joined += c.joined;
    tally.admitted += c.admitted;
    tally.abandoned += c.abandoned;
    tally.left += c.left;
    tally.admissionsExpired += c.admissionsExpired;
  });

  // Each route gets its own latency recorder, made when the route is added, so that a request
  // pays neither for finding its route's name nor for building its labels: the series of
  // each status code is made once and kept (see LatencyHistogram).
  const recorders = new Map<string, LatencyRecorder>();
  const recorderOf = (method: string, url: string): LatencyRecorder => {
    const key = `${method} ${url}`;
    let recorder = recorders.get(key);
    if (!recorder) {
      const children = new Map<number, LatencySeries>();
      recorder = (statusCode, seconds) => {
        let series = children.get(statusCode);
        if (!series) {
          series = latency.series({ method, route: url, status_code: String(statusCode) });
          children.set(statusCode, series);
        }
        series.observe(seconds);
      };
      recorders.set(key, recorder);
    }
    return recorder;
  };
  app.addHook('onRoute', (route) => {
    const method = Array.isArray(route.method) ? route.method.join(',') : route.method;
    const record = recorderOf(method, route.url ?? route.path);
    const observe: onResponseHookHandler = (_request, reply, done) => {
      record(reply.statusCode, reply.elapsedTime / 1000);
      done();
    };
    const existing = route.onResponse;
    route.onResponse =
      existing === undefined ? [observe] : [...(Array.isArray(existing) ? existing : [existing]), observe];
  });

  return { registry, latencyOf: recorderOf };
}

/**
 * The requests of a lane (plugins/lanes.ts) by the path that answered them: the lane, or the
 * Fastify route it handed them to.
 */
export function registerLaneMetric(
  registry: Registry,
  name: string,
  what: string,
  counts: Readonly<{ lane: number; fastify: number }>,
): void {
  new Counter({
    name,
    help: `${what} by the path that answered them: the lane or the Fastify route`,
    labelNames: ['path'],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ path: 'lane' }, counts.lane);
      this.inc({ path: 'fastify' }, counts.fastify);
    },
  });
}
