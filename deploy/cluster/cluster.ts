/**
 * `npm run cluster`: the several-instance layout on one machine, for trying it out. N server
 * instances on free ports share one Redis (under a key prefix of the run), one PostgreSQL
 * database and one set of keys (a DATA_DIR of the run, and one operator token), behind nginx
 * (deploy/nginx/waitroom.conf.template). Ctrl-C or SIGTERM stops all of it: nginx first (open
 * requests get a few seconds), then the instances; the run's Redis keys and folder are removed.
 *
 * docs/OPERATIONS.md explains the layout on several hosts.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { findNginx, mainConfig, nginxVersion } from './nginx.js';
import { type Options, parseOptions, USAGE, UsageError } from './options.js';
import { freePorts, listenOnce } from './ports.js';
import { type Child, childPids, describeExit, type Stopped, spawnChild, stopChild } from './processes.js';
import { checkRedis, deleteRedisKeys, preparePostgres, redact } from './services.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const INSTANCE_HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 120_000;
/** nginx gives open requests 5 s (worker_shutdown_timeout), the server itself 10 s. */
const NGINX_GRACE_MS = 8_000;
const INSTANCE_GRACE_MS = 12_000;

/* ------------------------------------------------------------------ */
/* The run                                                             */
/* ------------------------------------------------------------------ */

interface Run {
  dir: string | null;
  instances: Child[];
  nginx: Child | null;
  redisUrl: string;
  keyPrefix: string | null;
  stopping: boolean;
  keep: boolean;
}

const say = (line = '') => process.stdout.write(`${line}\n`);

async function runCommand(command: string, args: string[]): Promise<void> {
  const child = spawn(command, args, { cwd: REPO_ROOT, stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve) => {
    child.once('exit', (c) => resolve(c));
    child.once('error', () => resolve(null));
  });
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit code ${code})`);
}

async function waitReady(url: string, child: Child | null, what: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child?.exit) {
      throw new Error(
        `${what} exited ${describeExit(child.exit)} before it was ready:\n${indent(child.tail())}`,
      );
    }
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what} not ready after ${READY_TIMEOUT_MS / 1000} s:\n${indent(child?.tail() ?? '')}`,
      );
    }
    await sleep(150);
  }
}

function indent(text: string): string {
  return text
    .trim()
    .split('\n')
    .slice(-30)
    .map((l) => `    ${l}`)
    .join('\n');
}

async function start(options: Options, run: Run): Promise<void> {
  const nginxBinary = options.nginx ?? findNginx();
  if (options.nginx !== undefined && !existsSync(options.nginx)) {
    throw new Error(`--nginx ${options.nginx}: no such file`);
  }
  if (!nginxBinary) {
    throw new Error(
      'nginx is not installed: install it (Debian: apt-get install nginx-light) or name it with --nginx <path>',
    );
  }
  try {
    await listenOnce(options.host, options.port);
  } catch (error) {
    throw new Error(
      `${options.host}:${options.port} is not free (${(error as Error).message}); choose another with --port`,
    );
  }

  if (options.build) {
    say('Building (npm run build; --no-build skips it)…');
    await runCommand('npm', ['run', 'build', '--silent']);
  }
  const entry = options.fromSource
    ? ['--import', 'tsx', join(REPO_ROOT, 'apps/server/src/server.ts')]
    : [join(REPO_ROOT, 'apps/server/dist/server.js')];
  if (!options.fromSource && !existsSync(entry[0]!)) {
    throw new Error(`${entry[0]} is missing: run npm run build, or leave out --no-build`);
  }

  await checkRedis(options.redisUrl);
  const databaseUrl = await preparePostgres(options.postgresUrl, options.database, options.freshDatabase);

  // The run's folder: the shared DATA_DIR and the logs private, nginx's part readable by its
  // workers (which run as `nobody` when this runs as root).
  const dir = await mkdtemp(join(tmpdir(), 'waitroom-cluster-'));
  run.dir = dir;
  await chmod(dir, 0o711);
  const dataDir = join(dir, 'data');
  const logs = join(dir, 'logs');
  const nginxDir = join(dir, 'nginx');
  await mkdir(dataDir, { mode: 0o700 });
  await mkdir(logs, { mode: 0o700 });
  await mkdir(join(nginxDir, 'logs'), { recursive: true, mode: 0o755 });
  await mkdir(join(nginxDir, 'temp'), { mode: 0o755 });
  await chmod(nginxDir, 0o755);

  const keyPrefix = `wr-cluster-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}:`;
  run.keyPrefix = keyPrefix;
  const adminToken = process.env.ADMIN_TOKEN ?? `wr_admin_${randomBytes(32).toString('base64url')}`;
  const ports = await freePorts(INSTANCE_HOST, options.instances);
  const shared: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: INSTANCE_HOST,
    REDIS_URL: options.redisUrl,
    REDIS_KEY_PREFIX: keyPrefix,
    DATABASE_URL: databaseUrl,
    // Shared by every instance: the first to start writes the queue-token secret and the
    // signing keys there, and the others read them.
    DATA_DIR: dataDir,
    ADMIN_TOKEN: adminToken,
    // nginx reaches the instances from this address: trust its X-Forwarded-For, nobody else's.
    TRUST_PROXY: INSTANCE_HOST,
  };
  if (run.stopping) return;
  for (const [i, port] of ports.entries()) {
    run.instances.push(
      spawnChild({
        name: `instance ${i + 1}`,
        command: process.execPath,
        args: entry,
        env: { ...shared, PORT: String(port) },
        cwd: REPO_ROOT,
        logFile: join(logs, `instance-${i + 1}.log`),
        echo: options.verbose,
      }),
    );
  }
  await Promise.all(
    run.instances.map((child, i) => waitReady(`http://${INSTANCE_HOST}:${ports[i]}`, child, child.name)),
  );

  const { main, site } = mainConfig({
    dir: nginxDir,
    host: options.host,
    port: options.port,
    upstreams: ports.map((p) => `${INSTANCE_HOST}:${p}`),
  });
  const confPath = join(nginxDir, 'nginx.conf');
  await writeFile(join(nginxDir, 'waitroom.conf'), site);
  await writeFile(confPath, main);
  const errorLog = join(nginxDir, 'logs', 'error.log');
  const nginxArgs = ['-p', `${nginxDir}/`, '-c', confPath, '-e', errorLog];
  await runNginxCheck(nginxBinary, nginxArgs);
  if (run.stopping) return;
  run.nginx = spawnChild({
    name: 'nginx',
    command: nginxBinary,
    args: [...nginxArgs, '-g', 'daemon off;'],
    env: process.env,
    cwd: nginxDir,
    logFile: join(logs, 'nginx.log'),
    echo: options.verbose,
  });
  const publicUrl = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
  await waitReady(publicUrl, run.nginx, 'nginx');

  say();
  say(
    `Waitroom cluster: ${options.instances} instances behind ${nginxVersion(nginxBinary)}, one Redis, one PostgreSQL`,
  );
  for (const [i, child] of run.instances.entries()) {
    say(`  instance ${i + 1}  http://${INSTANCE_HOST}:${ports[i]}  pid ${child.pid}  log ${child.logFile}`);
  }
  say(
    `  nginx       ${publicUrl}  pid ${run.nginx.pid}  logs ${join(nginxDir, 'logs')} (access.log names the instance)`,
  );
  say(`  Redis       ${redact(options.redisUrl)}, keys under ${keyPrefix}`);
  say(`  PostgreSQL  ${redact(databaseUrl)}`);
  say(`  DATA_DIR    ${dataDir} (the shared queue-token secret and signing keys)`);
  say();
  say(`Shoppers: ${publicUrl}/   operator's dashboard: ${publicUrl}/admin`);
  if (!existsSync(join(REPO_ROOT, 'apps/web/dist/shopper.html'))) {
    say('  (the pages are not built, so those two answer 503: npm run build; the API works)');
  }
  say(
    process.env.ADMIN_TOKEN
      ? 'Operator token: (the ADMIN_TOKEN of your environment)'
      : `Operator token: ${adminToken}`,
  );
  say(`Ready: ${publicUrl}`);
  say('Ctrl-C stops it all.');
  watch(run);
}

async function runNginxCheck(binary: string, args: string[]): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    execFile(binary, [...args, '-t'], { encoding: 'utf8' }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`nginx refused the configuration:\n${indent(stderr)}`));
      else resolve();
    });
  });
}

/** After the start: report instances that stop on their own; stop everything when nginx does. */
function watch(run: Run): void {
  for (const child of run.instances) {
    void child.exited.then((exit) => {
      if (run.stopping) return;
      const left = run.instances.filter((c) => !c.exit).length;
      say(`${child.name} (pid ${child.pid}) exited ${describeExit(exit)}; ${left} left`);
      if (left === 0) void stop(run, 'every instance has exited', 1);
      else say('nginx sends its requests to the others.');
    });
  }
  void run.nginx?.exited.then((exit) => {
    if (!run.stopping) void stop(run, `nginx exited ${describeExit(exit)}`, 1);
  });
}

async function stop(run: Run, reason: string, code: number): Promise<never> {
  if (run.stopping) return new Promise<never>(() => {});
  run.stopping = true;
  say(`\nStopping (${reason})…`);
  let failed = code !== 0;
  try {
    if (run.nginx) {
      // SIGQUIT: nginx stops accepting, lets open requests finish, cuts streams after 5 s.
      const stopped = await stopChild(run.nginx, 'SIGQUIT', NGINX_GRACE_MS);
      say(`  nginx ${describeStop(stopped)}`);
      if (stopped.forced) failed = true;
    }
    const stops = await Promise.all(run.instances.map((c) => stopChild(c, 'SIGTERM', INSTANCE_GRACE_MS)));
    for (const [i, stopped] of stops.entries()) {
      say(`  instance ${i + 1} ${describeStop(stopped)}`);
      if (stopped.forced) failed = true;
    }
    if (run.keyPrefix) {
      const deleted = await deleteRedisKeys(run.redisUrl, run.keyPrefix).catch((error: unknown) => {
        say(`  the Redis keys under ${run.keyPrefix} could not be removed: ${(error as Error).message}`);
        failed = true;
        return 0;
      });
      say(`  ${deleted} Redis keys under ${run.keyPrefix} removed`);
    }
    if (run.dir) {
      if (run.keep) say(`  the run's folder is kept: ${run.dir}`);
      else await rm(run.dir, { recursive: true, force: true });
    }
  } catch (error) {
    say(`  the stop went wrong: ${(error as Error).message}`);
    failed = true;
  }
  say(failed ? 'Stopped, with the problems above.' : 'Stopped.');
  process.exit(failed ? 1 : 0);
}

function describeStop(stopped: Stopped): string {
  if (stopped.before) return `had already exited ${describeExit(stopped.exit)}`;
  if (stopped.forced) return 'had to be killed (SIGKILL)';
  return `stopped ${describeExit(stopped.exit)}`;
}

/** A second Ctrl-C during the stop: no more waiting. */
function killEverything(run: Run): void {
  for (const child of [run.nginx, ...run.instances]) {
    if (!child || child.exit) continue;
    for (const pid of [...childPids(child.pid), child.pid]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
  }
}

async function main(): Promise<void> {
  let options: Options | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (options === 'help') {
    say(USAGE);
    return;
  }
  const run: Run = {
    dir: null,
    instances: [],
    nginx: null,
    redisUrl: options.redisUrl,
    keyPrefix: null,
    stopping: false,
    keep: options.keep,
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (run.stopping) {
        say(`${signal} again: killing what is left`);
        killEverything(run);
        return;
      }
      void stop(run, signal, 0);
    });
  }
  try {
    await start(options, run);
  } catch (error) {
    if (run.stopping) return;
    process.stderr.write(`\nThe cluster could not start: ${(error as Error).message}\n`);
    await stop(run, 'the start failed', 1);
  }
}

await main();
