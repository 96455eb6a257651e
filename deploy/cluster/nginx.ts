/**
 * nginx for the cluster: where the binary is, and the configuration of one run. The part
 * worth reusing on real hosts is deploy/nginx/waitroom.conf.template; this file wraps it in
 * a main configuration that runs as the current user, everything inside one folder.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPLATE_PATH = fileURLToPath(new URL('../nginx/waitroom.conf.template', import.meta.url));

/** Where Debian and most other systems put nginx, besides PATH. */
const USUAL_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin', '/opt/homebrew/bin'];

/** The nginx binary: the first on PATH or in the usual places; undefined when there is none. */
export function findNginx(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  for (const dir of [...dirs, ...USUAL_DIRS]) {
    const candidate = join(dir, 'nginx');
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not there.
    }
  }
  return undefined;
}

/** `nginx/1.22.1`, as `nginx -v` says it (on stderr). */
export function nginxVersion(binary: string): string {
  const out = spawnSync(binary, ['-v'], { encoding: 'utf8' });
  return (`${out.stdout ?? ''}${out.stderr ?? ''}`.match(/nginx\/\S+/) ?? ['nginx'])[0];
}

/** Fills the template's `${NAME}` placeholders; a placeholder left unfilled is an error. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  const out = template.replace(/\$\{(WAITROOM_[A-Z_]+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for ${whole} in ${TEMPLATE_PATH}`);
    return value;
  });
  return out;
}

export interface RunConfig {
  /** The folder of the run's nginx: configuration, logs, temporary files, pid file. */
  dir: string;
  host: string;
  port: number;
  /** The instances' addresses, `127.0.0.1:41234`. */
  upstreams: string[];
}

/** The main configuration of one run, with the template's server inside; returns its text. */
export function mainConfig(config: RunConfig): { main: string; site: string } {
  const site = renderTemplate(readFileSync(TEMPLATE_PATH, 'utf8'), {
    WAITROOM_LISTEN: `${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`,
    WAITROOM_SERVER_NAME: '_',
    WAITROOM_ACCESS_LOG: join(config.dir, 'logs', 'access.log'),
    WAITROOM_UPSTREAM_SERVERS: config.upstreams
      .map((address) => `server ${address} max_fails=1 fail_timeout=5s;`)
      .join('\n    '),
  });
  const temp = (name: string) => `${name}_temp_path ${join(config.dir, 'temp', name)};`;
  const main = [
    '# Written by `npm run cluster` for one run. The reusable part is deploy/nginx/waitroom.conf.template.',
    ...workerUser(),
    'worker_processes auto;',
    `pid ${join(config.dir, 'nginx.pid')};`,
    `error_log ${join(config.dir, 'logs', 'error.log')} warn;`,
    // On a stop, open event streams are given 5 s, then cut: the shoppers' pages reconnect.
    'worker_shutdown_timeout 5s;',
    'events { worker_connections 1024; }',
    'http {',
    `  ${temp('client_body')}`,
    `  ${temp('proxy')}`,
    `  ${temp('fastcgi')}`,
    `  ${temp('uwsgi')}`,
    `  ${temp('scgi')}`,
    `  include ${join(config.dir, 'waitroom.conf')};`,
    '}',
    '',
  ].join('\n');
  return { main, site };
}

/**
 * Run by root, nginx hands its workers to an unprivileged user, whose group nginx guesses
 * wrongly on Debian (`nobody` has the group `nogroup` there). As any other user, it stays
 * that user and the directive would only earn a warning.
 */
function workerUser(): string[] {
  if (process.getuid?.() !== 0) return [];
  let groups = '';
  try {
    groups = readFileSync('/etc/group', 'utf8');
  } catch {
    // No /etc/group: keep nginx's default.
  }
  const group = /^nogroup:/m.test(groups) ? 'nogroup' : 'nobody';
  return [`user nobody ${group};`];
}
