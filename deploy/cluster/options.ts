/** The command line of `npm run cluster`: its flags, their defaults, the usage text. */
import { parseArgs } from 'node:util';

export const USAGE = `usage: npm run cluster [-- options]

Starts N server instances behind nginx on this machine, sharing one Redis and one PostgreSQL.

  --instances <n>       server instances (default 3)
  --port <port>         nginx's port (default 3000)
  --host <address>      nginx's address (default 127.0.0.1)
  --redis-url <url>     one Redis node (default $REDIS_URL or redis://127.0.0.1:6379)
  --postgres-url <url>  a PostgreSQL user allowed to create databases
                        (default postgres://postgres@127.0.0.1:5432/postgres)
  --database <name>     the orders' database, created if missing (default waitroom_cluster)
  --fresh-database      drop and create the database first
  --no-build            start apps/server/dist as it is (default: npm run build first)
  --from-source         run apps/server/src through tsx, no build
  --nginx <path>        the nginx binary (default: found on PATH or in /usr/sbin)
  --verbose             copy every instance's and nginx's output here
  --keep                keep the run's folder (logs, nginx configuration) after the stop

Other settings (JOIN_LIMIT_PER_MINUTE, LOG_LEVEL, ADMIT_TICK_MS, ADMIN_TOKEN…) are taken from
the environment and given to every instance.`;

export interface Options {
  instances: number;
  port: number;
  host: string;
  redisUrl: string;
  postgresUrl: string;
  database: string;
  freshDatabase: boolean;
  build: boolean;
  fromSource: boolean;
  nginx: string | undefined;
  verbose: boolean;
  keep: boolean;
}

export class UsageError extends Error {}

export function parseOptions(argv: string[]): Options | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        instances: { type: 'string', default: '3' },
        port: { type: 'string', default: '3000' },
        host: { type: 'string', default: '127.0.0.1' },
        'redis-url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
        'postgres-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
        database: { type: 'string', default: 'waitroom_cluster' },
        'fresh-database': { type: 'boolean', default: false },
        'no-build': { type: 'boolean', default: false },
        'from-source': { type: 'boolean', default: false },
        nginx: { type: 'string' },
        verbose: { type: 'boolean', default: false },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const integer = (name: string, min: number, max: number): number => {
    const text = String(values[name]);
    const n = Number(text);
    if (!/^[0-9]+$/.test(text) || n < min || n > max) {
      throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
    }
    return n;
  };
  return {
    instances: integer('instances', 1, 32),
    port: integer('port', 1, 65535),
    host: String(values.host),
    redisUrl: String(values['redis-url']),
    postgresUrl: String(values['postgres-url']),
    database: String(values.database),
    freshDatabase: values['fresh-database'] === true,
    build: values['no-build'] !== true && values['from-source'] !== true,
    fromSource: values['from-source'] === true,
    nginx: typeof values.nginx === 'string' ? values.nginx : undefined,
    verbose: values.verbose === true,
    keep: values.keep === true,
  };
}
