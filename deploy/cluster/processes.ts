/**
 * The cluster's child processes (server instances, nginx): each one's output goes to a log
 * file of the run, with a tail kept for error messages; a stop is a signal, a grace period,
 * then SIGKILL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, type WriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** How much of a process's output is kept in memory, for a message when it fails. */
const TAIL_CHARS = 8 * 1024;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Child {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly logFile: string;
  /** Null while the process runs. */
  exit: Exit | null;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<Exit>;
  /** The last few kilobytes of its output. */
  tail(): string;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
  /** Also copy every line to this process's stdout, prefixed with the name. */
  echo: boolean;
}

export function spawnChild(options: SpawnOptions): Child {
  const log: WriteStream = createWriteStream(options.logFile, { flags: 'a', mode: 0o600 });
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  let partial = '';
  const keep = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    log.write(text);
    tail = (tail + text).slice(-TAIL_CHARS);
    if (options.echo) {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) process.stdout.write(`[${options.name}] ${line}\n`);
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const handle: Child = {
    name: options.name,
    child,
    pid: child.pid ?? -1,
    logFile: options.logFile,
    exit: null,
    exited: new Promise<Exit>((resolve) => {
      const done = (exit: Exit) => {
        if (handle.exit) return;
        handle.exit = exit;
        log.end();
        resolve(exit);
      };
      child.once('exit', (code, signal) => done({ code, signal }));
      child.once('error', (error) => {
        keep(Buffer.from(`\n[could not start ${options.command}: ${error.message}]\n`));
        done({ code: null, signal: null });
      });
    }),
    tail: () => tail,
  };
  return handle;
}

export interface Stopped {
  exit: Exit;
  /** It had exited before the stop. */
  before: boolean;
  /** It did not stop within the grace period and was killed. */
  forced: boolean;
}

/** Sends `signal`, waits up to `graceMs` for the exit, then SIGKILL. */
export async function stopChild(handle: Child, signal: NodeJS.Signals, graceMs: number): Promise<Stopped> {
  if (handle.exit) return { exit: handle.exit, before: true, forced: false };
  handle.child.kill(signal);
  const ended = await Promise.race([handle.exited, sleep(graceMs, null)]);
  if (ended) return { exit: ended, before: false, forced: false };
  process.stdout.write(`${handle.name} (pid ${handle.pid}) did not stop within ${graceMs} ms: SIGKILL\n`);
  // Its own children first (nginx's workers): killed with their parent, they would live on.
  for (const pid of childPids(handle.pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  handle.child.kill('SIGKILL');
  return { exit: await handle.exited, before: false, forced: true };
}

/** The ids of the processes whose parent is `parent`, from /proc (Linux); empty elsewhere. */
export function childPids(parent: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^[0-9]+$/.test(e));
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const entry of entries) {
    try {
      // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so read after the last `)`.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) out.push(Number(entry));
    } catch {
      // It ended while we looked.
    }
  }
  return out;
}

export function describeExit(exit: Exit): string {
  return exit.signal ? `on ${exit.signal}` : `with code ${exit.code}`;
}
