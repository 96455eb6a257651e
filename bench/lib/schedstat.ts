import { readFileSync } from 'node:fs';

/**
 * The scheduler's account of a process's main thread (its event loop in Node): seconds on a
 * CPU and seconds runnable but waiting for one (/proc/<pid>/schedstat), or null where the
 * kernel does not keep it. Beside the wall time it tells a starved process (waiting for a
 * CPU others hold) from a blocked or idle one (a synchronous disk write, nothing to do).
 */
export function schedSeconds(pid: number): { run: number; wait: number } | null {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
    if (run === undefined || wait === undefined || !Number.isFinite(run) || !Number.isFinite(wait))
      return null;
    return { run: run / 1e9, wait: wait / 1e9 };
  } catch {
    return null;
  }
}

/**
 * The machine's count of connections dropped because a listening socket's accept queue was
 * full (/proc/net/netstat, TcpExt ListenOverflows), or null where it cannot be read. The
 * count is for the whole machine: read around a run, it says whether a server fell so far
 * behind that new connections waited for the kernel to try again.
 */
export function listenOverflows(): number | null {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
    for (let k = 0; k + 1 < lines.length; k++) {
      if (!lines[k]!.startsWith('TcpExt:') || !lines[k + 1]!.startsWith('TcpExt:')) continue;
      const names = lines[k]!.trim().split(/\s+/);
      const values = lines[k + 1]!.trim().split(/\s+/);
      const at = names.indexOf('ListenOverflows');
      return at < 0 ? null : Number(values[at]);
    }
    return null;
  } catch {
    return null;
  }
}
