import { useEffect, useState } from 'react';
import { ApiError } from '../../../shared/api/http';
import type { RoomStats } from '../../../shared/api/types';
import { getStats } from '../api/get-stats';

export interface StatsSample {
  /** Epoch milliseconds, on this device's clock. */
  at: number;
  stats: RoomStats;
}

export interface StatsView {
  latest: StatsSample | null;
  /** The rolling series, oldest first, at most `keep` samples. */
  series: readonly StatsSample[];
  error: ApiError | null;
}

export interface StatsOptions {
  intervalMs?: number;
  /** How many samples the charts keep: 300 at 2 s is the last ten minutes. */
  keep?: number;
}

/**
 * A room's stats, read every `intervalMs` (each read after the last one answered), kept as
 * a rolling series for the charts. A new room starts a new series.
 */
export function useStats(
  token: string,
  roomId: string,
  { intervalMs = 2000, keep = 300 }: StatsOptions = {},
): StatsView {
  const [series, setSeries] = useState<StatsSample[]>([]);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    setSeries([]);
    setError(null);
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      try {
        const stats = await getStats(token, roomId, abort.signal);
        if (abort.signal.aborted) return;
        const sample = { at: Date.now(), stats };
        setSeries((current) => [...current.slice(Math.max(0, current.length - keep + 1)), sample]);
        setError(null);
      } catch (caught) {
        if (abort.signal.aborted) return;
        setError(caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', String(caught)));
      }
      timer = setTimeout(read, intervalMs);
    };
    void read();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [token, roomId, intervalMs, keep]);

  return { latest: series.at(-1) ?? null, series, error };
}
