import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/http';

export interface Polled<T> {
  data: T | null;
  /** The last failure; cleared by the next success. The last good data stays shown meanwhile. */
  error: ApiError | null;
  /** Loads again now (after an action that changed what is shown). */
  reload(): void;
}

/**
 * Loads `load` at once and again every `intervalMs` (null: once), each load after the last
 * one finished, so a slow server is never asked twice at a time. `key` names what is loaded:
 * a new key starts afresh.
 */
export function usePolled<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
  intervalMs: number | null,
): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [round, setRound] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // A new key: what was shown belongs to the old one.
  const [shownKey, setShownKey] = useState(key);
  if (shownKey !== key) {
    setShownKey(key);
    setData(null);
    setError(null);
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` asks for a load now
  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const value = await loadRef.current(abort.signal);
        if (abort.signal.aborted) return;
        setData(value);
        setError(null);
      } catch (caught) {
        if (abort.signal.aborted) return;
        setError(caught instanceof ApiError ? caught : new ApiError(0, 'NETWORK', String(caught)));
      }
      if (intervalMs !== null && !abort.signal.aborted) timer = setTimeout(run, intervalMs);
    };
    void run();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [key, intervalMs, round]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data, error, reload };
}
