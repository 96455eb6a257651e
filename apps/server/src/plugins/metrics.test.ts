import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LATENCY_BATCH, LatencyBatch } from './metrics.js';

/** The latency batches hold observations back from prom-client, never from a scrape. */
describe('LatencyBatch', () => {
  it('counts every observation in a scrape, below, at and past a batch', async () => {
    const registry = new Registry();
    const batches: LatencyBatch[] = [];
    const histogram = new Histogram({
      name: 'latency_seconds',
      help: 'test',
      labelNames: ['code'],
      buckets: [0.001, 0.01, 0.1],
      registers: [registry],
      collect() {
        for (const batch of batches) batch.flush();
      },
    });
    const batch = new LatencyBatch(histogram.labels('200'));
    batches.push(batch);
    const scrape = async () => {
      const text = await registry.metrics();
      const value = (line: string) =>
        Number(
          text
            .split('\n')
            .find((l) => l.startsWith(`${line} `))
            ?.split(' ')[1],
        );
      return {
        count: value('latency_seconds_count{code="200"}'),
        sum: value('latency_seconds_sum{code="200"}'),
        fast: value('latency_seconds_bucket{le="0.001",code="200"}'),
      };
    };

    let made = 0;
    let sum = 0;
    let fast = 0;
    for (const total of [1, LATENCY_BATCH, LATENCY_BATCH * 2 + 7]) {
      for (; made < total; made++) {
        const seconds = made % 3 === 0 ? 0.0005 : 0.05;
        if (seconds <= 0.001) fast++;
        sum += seconds;
        batch.observe(seconds);
      }
      const figures = await scrape();
      expect(figures.count).toBe(total);
      expect(figures.sum).toBeCloseTo(sum, 9);
      expect(figures.fast).toBe(fast);
    }
  });

  it('hands a full batch over at once, in order, and keeps no value that is not finite', () => {
    const handed: number[] = [];
    const batch = new LatencyBatch({ observe: (value) => handed.push(value) });
    for (let i = 0; i < LATENCY_BATCH - 1; i++) batch.observe(i / 1e6);
    expect(handed).toHaveLength(0);
    batch.observe(Number.NaN);
    batch.observe(Number.POSITIVE_INFINITY);
    batch.observe(1);
    expect(handed).toEqual([...Array.from({ length: LATENCY_BATCH - 1 }, (_, i) => i / 1e6), 1]);
    batch.observe(2);
    batch.flush();
    batch.flush();
    expect(handed.slice(LATENCY_BATCH)).toEqual([2]);
  });
});
