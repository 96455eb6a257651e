import fc from 'fast-check';
import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './latency-histogram.js';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const LABELS = ['method', 'route', 'status_code'] as const;
type Labels = Record<(typeof LABELS)[number], string>;

/** The same answers recorded by prom-client's own Histogram and by LatencyHistogram. */
function pair(buckets: number[] = BUCKETS) {
  const theirs = new Registry();
  const histogram = new Histogram({
    name: 'latency_seconds',
    help: 'Time to answer',
    labelNames: [...LABELS],
    buckets,
    registers: [theirs],
  });
  const ours = new Registry();
  const latency = new LatencyHistogram('latency_seconds', 'Time to answer', buckets, ours);
  const series = new Map<string, ReturnType<LatencyHistogram['series']>>();
  const record = (labels: Labels, seconds: number) => {
    const key = JSON.stringify(labels);
    let s = series.get(key);
    if (!s) {
      s = latency.series(labels);
      series.set(key, s);
    }
    s.observe(seconds);
    histogram.observe(labels, seconds);
  };
  return { theirs, ours, record };
}

const labelsArb = fc.record({
  method: fc.constantFrom('GET', 'POST'),
  route: fc.constantFrom('/api/rooms/:roomId/tickets', '/api/rooms/:roomId/tickets/me', '/say "hi"\\'),
  status_code: fc.constantFrom('200', '201', '404', '503'),
});
// Latencies around every bound (at, just under, just over), and far past the last.
const secondsArb = fc.oneof(
  fc.double({ min: 0, max: 5, noNaN: true }),
  fc.constantFrom(...BUCKETS),
  fc.constantFrom(...BUCKETS).map((b) => b * (1 + 1e-12)),
  fc.constantFrom(...BUCKETS).map((b) => b * (1 - 1e-12)),
  fc.constant(0),
  fc.constant(1e6),
);

describe('LatencyHistogram', () => {
  it('scrapes exactly as prom-client Histogram does for the same answers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(labelsArb, secondsArb), { maxLength: 200 }), async (answers) => {
        const { theirs, ours, record } = pair();
        for (const [labels, seconds] of answers) record(labels, seconds);
        expect(await ours.metrics()).toBe(await theirs.metrics());
        expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
      }),
      { numRuns: 150 },
    );
  });

  it('counts every answer recorded before a scrape, and starts again from nothing on reset', async () => {
    const { theirs, ours, record } = pair([0.001, 0.01]);
    const labels = { method: 'POST', route: '/api/rooms/:roomId/tickets', status_code: '201' };
    for (let i = 0; i < 1000; i++) record(labels, i % 3 === 0 ? 0.0005 : 0.05);
    const text = await ours.metrics();
    expect(text).toContain(
      'latency_seconds_bucket{le="0.001",method="POST",route="/api/rooms/:roomId/tickets",status_code="201"} 334',
    );
    expect(text).toContain(
      'latency_seconds_count{method="POST",route="/api/rooms/:roomId/tickets",status_code="201"} 1000',
    );
    expect(text).toBe(await theirs.metrics());
    ours.resetMetrics();
    theirs.resetMetrics();
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.metrics()).not.toContain('latency_seconds_count');
    record(labels, 0.002);
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('keeps no value that is not a finite number (prom-client refuses them)', async () => {
    const registry = new Registry();
    const latency = new LatencyHistogram('latency_seconds', 'Time to answer', [0.1], registry);
    const series = latency.series({ code: '200' });
    series.observe(Number.NaN);
    series.observe(Number.POSITIVE_INFINITY);
    series.observe(0.05);
    expect(series.count).toBe(1);
    expect(series.sum).toBe(0.05);
    expect(await registry.metrics()).toContain('latency_seconds_count{code="200"} 1');
  });

  it('refuses bounds it could not count by', () => {
    for (const buckets of [[], [0.1, 0.1], [0.1, Number.NaN], [Number.POSITIVE_INFINITY]]) {
      expect(() => new LatencyHistogram('x_seconds', 'x', buckets, new Registry())).toThrow(/bucket/);
    }
  });
});
