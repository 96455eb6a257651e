/**
 * The servers under test run in child processes, so that they get the machine's other core
 * while the load generator keeps this one. This file starts them, waits until they answer,
 * reads their CPU time from /proc and stops them.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StopOutcome extends ChildExit {
  /** Milliseconds from SIGTERM to exit. */
  ms: number;
  /** True when the child ignored SIGTERM and had to be killed. */
  killed: boolean;
}

export interface ServerChild {
  name: string;
  pid: number;
  baseUrl: string;
  logFile: string;
  /** Set once the child has exited, whether asked to or not. */
  exited: ChildExit | null;
  stop(timeoutMs?: number): Promise<StopOutcome>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  name: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  port: number;
  /** Where the child's stdout and stderr go. */
  logFile: string;
  /** A path answering 200 once the server is ready. */
  readyPath: string;
  readyTimeoutMs?: number;
}

export async function startServer(options: StartOptions): Promise<ServerChild> {
  const log = openSync(options.logFile, 'a');
  const proc: ChildProcess = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', log, log],
  });
  if (proc.pid === undefined) throw new Error(`${options.name}: could not start`);
  const exit = new Promise<ChildExit>((resolve) => {
    proc.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const child: ServerChild = {
    name: options.name,
    pid: proc.pid,
    baseUrl: `http://127.0.0.1:${options.port}`,
    logFile: options.logFile,
    exited: null,
    async stop(timeoutMs = 15_000) {
      const started = performance.now();
      if (child.exited) return { ...child.exited, ms: 0, killed: false };
      proc.kill('SIGTERM');
      const timer = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs).unref());
      const done = await Promise.race([exit, timer]);
      if (done) return { ...done, ms: performance.now() - started, killed: false };
      proc.kill('SIGKILL');
      return { ...(await exit), ms: performance.now() - started, killed: true };
    },
  };
  void exit.then((e) => {
    child.exited = e;
  });
  await waitReady(child, options.readyPath, options.readyTimeoutMs ?? 30_000);
  return child;
}

async function waitReady(child: ServerChild, path: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = '';
  while (performance.now() < deadline) {
    if (child.exited) {
      throw new Error(
        `${child.name} exited during start (code ${child.exited.code}, signal ${child.exited.signal}); see ${child.logFile}`,
      );
    }
    try {
      const res = await fetch(child.baseUrl + path);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await child.stop(2000);
  throw new Error(`${child.name} was not ready within ${timeoutMs} ms (last: ${last}); see ${child.logFile}`);
}

let ticksPerSecond: number | null = null;

/** The kernel's clock ticks a second, the unit of /proc's CPU times (asked once). */
function ticks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

/** CPU seconds (user + system) a process has used so far, or null where /proc is missing. */
export function cpuSeconds(pid: number): number | null {
  return statCpuSeconds(`/proc/${pid}/stat`);
}

/**
 * CPU seconds the main thread of a process (the one whose id is the process's: for Node, the
 * event loop) has used, or null where /proc is missing. The rest of a Node process's CPU is
 * its helper threads': V8's garbage collector and compiler, libuv's pool.
 */
export function mainThreadCpuSeconds(pid: number): number | null {
  return statCpuSeconds(`/proc/${pid}/task/${pid}/stat`);
}

function statCpuSeconds(path: string): number | null {
  try {
    const stat = readFileSync(path, 'utf8');
    // The command name may hold spaces; the fields after its closing parenthesis do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / ticks();
  } catch {
    return null;
  }
}

/** Resident memory of a process in bytes, or null where /proc is missing. */
export function rssBytes(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

/** CPU seconds the whole machine has spent busy (all cores), or null where /proc is missing. */
export function machineBusySeconds(): number | null {
  return machineCpuSeconds()?.busyS ?? null;
}

/**
 * CPU seconds the whole machine has spent busy (all cores), and the part of it the hypervisor
 * gave other machines while this one wanted to run (`steal`; null where the kernel does not
 * count it), from one read of /proc/stat; null where /proc is missing.
 */
export function machineCpuSeconds(): { busyS: number; stealS: number | null } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    // cpu  user nice system idle iowait irq softirq steal ...
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = [user, nice, system, irq, softirq, steal].reduce<number>((sum, x) => sum + (x ?? 0), 0);
    const perSecond = ticks();
    return { busyS: busy / perSecond, stealS: Number.isFinite(steal) ? steal! / perSecond : null };
  } catch {
    return null;
  }
}

/**
 * CPU seconds so far of every process whose command name is one of `names` (a database server
 * and its backends, which may be other users' processes), by pid; empty where /proc is missing.
 */
export function cpuSecondsByName(names: readonly string[]): Map<number, number> {
  const out = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (!names.includes(comm)) continue;
      const seconds = cpuSeconds(Number(entry));
      if (seconds !== null) out.set(Number(entry), seconds);
    } catch {
      // The process ended meanwhile.
    }
  }
  return out;
}

/**
 * CPU seconds the processes of a `cpuSecondsByName` snapshot, and those started since, have
 * used after it. A process that ended in between is not counted.
 */
export function cpuSecondsSince(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += Math.max(0, seconds - (before.get(pid) ?? 0));
  return total;
}
