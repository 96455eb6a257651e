import { useCallback, useEffect, useState } from 'react';

/** Storage that may refuse (a private window, storage turned off): then the value lives in memory only. */
function read(storage: () => Storage, key: string): string | null {
  try {
    return storage().getItem(key);
  } catch {
    return null;
  }
}

function write(storage: () => Storage, key: string, value: string | null): void {
  try {
    if (value === null) storage().removeItem(key);
    else storage().setItem(key, value);
  } catch {
    // Kept in memory for this page only.
  }
}

/**
 * A JSON value kept in localStorage or sessionStorage under `key`, and followed across tabs:
 * another tab of the same browser that changes it changes it here too.
 */
export function useStoredValue<T>(
  area: 'local' | 'session',
  key: string,
): [T | null, (value: T | null) => void] {
  const storage = useCallback(() => (area === 'local' ? window.localStorage : window.sessionStorage), [area]);
  const parse = useCallback((text: string | null): T | null => {
    if (text === null) return null;
    try {
      return JSON.parse(text) as T;
    } catch {
      return null;
    }
  }, []);
  const [value, setValue] = useState<T | null>(() => parse(read(storage, key)));

  const [shownKey, setShownKey] = useState(key);
  if (shownKey !== key) {
    setShownKey(key);
    setValue(parse(read(storage, key)));
  }

  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === key || event.key === null) setValue(parse(read(storage, key)));
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [key, parse, storage]);

  const update = useCallback(
    (next: T | null) => {
      write(storage, key, next === null ? null : JSON.stringify(next));
      setValue(next);
    },
    [key, storage],
  );
  return [value, update];
}
