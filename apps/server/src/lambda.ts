import awsLambdaFastify, { type LambdaResponse } from '@fastify/aws-lambda';
import type { APIGatewayProxyEventV2, Context, ScheduledEvent } from 'aws-lambda';
import type { LightMyRequestResponse } from 'fastify';
import { type AppOptions, buildApp, type WaitroomApp } from './app.js';
import { loadSettings, SettingsError } from './settings.js';

/**
 * The server on AWS Lambda: the same Fastify app as `server.ts` listens with, behind API
 * Gateway (HTTP API, payload format 2.0), and a scheduled handler that drives admission.
 *
 * - `handler`: one HTTP request per invocation. The app is built once per container, at the
 *   first invocation, and kept; nothing runs between requests (no admission timer, no live
 *   pushes: a frozen container has no time of its own).
 * - `tick`: for an EventBridge schedule (every minute): runs the admission tick every
 *   ADMIT_TICK_MS for TICK_LOOP_SECONDS (55 s by default) and returns, so that admission goes
 *   on where no process lives. Several overlapping runs are harmless: the rate's credit lives
 *   in the store (see docs/ARCHITECTURE.md, "No leader").
 *
 * Settings come from the environment as for the server. On Lambda DATA_DIR defaults to
 * /tmp/waitroom and LIVE_STREAMS to false (the events route answers 501 and the page polls).
 * Secrets may be given as Secrets Manager ARNs instead of values: ADMIN_TOKEN_SECRET_ARN,
 * QUEUE_TOKEN_SECRET_ARN, SIGNING_KEYS_SECRET_ARN, CHALLENGE_HMAC_KEY_SECRET_ARN,
 * DATABASE_URL_SECRET_ARN, REDIS_URL_SECRET_ARN, read once at cold start with
 * @aws-sdk/client-secrets-manager (part of the Lambda Node.js runtime; loaded only when one of
 * them is set).
 *
 * Behind several containers, the queue and the orders must live outside them: REDIS_URL and
 * DATABASE_URL, and QUEUE_TOKEN_SECRET, SIGNING_KEYS, CHALLENGE_HMAC_KEY and ADMIN_TOKEN shared
 * by all (each container would otherwise generate its own in its /tmp). A cold start warns of
 * any missing.
 */

/** Each secret that may be given by its Secrets Manager ARN, and the setting it fills. */
export const SECRET_ARN_SETTINGS = {
  ADMIN_TOKEN_SECRET_ARN: 'ADMIN_TOKEN',
  QUEUE_TOKEN_SECRET_ARN: 'QUEUE_TOKEN_SECRET',
  SIGNING_KEYS_SECRET_ARN: 'SIGNING_KEYS',
  // The proof-of-work challenges' HMAC key: one for every container, or a challenge fetched
  // from one would fail its check on another.
  CHALLENGE_HMAC_KEY_SECRET_ARN: 'CHALLENGE_HMAC_KEY',
  DATABASE_URL_SECRET_ARN: 'DATABASE_URL',
  // The Redis URL carries its AUTH token, so in the cloud it is a secret too.
  REDIS_URL_SECRET_ARN: 'REDIS_URL',
} as const;

type Env = Record<string, string | undefined>;

/** Reads one secret's text by its ARN (or name). */
export type SecretReader = (secretId: string) => Promise<string>;

export interface LambdaHandlerOptions {
  /** The environment to read the settings from; `process.env` by default. */
  env?: Env;
  /** How secrets given by ARN are read; Secrets Manager by default. */
  readSecret?: SecretReader;
  /** Passed to `buildApp` (tests: a logger, a clock, a web folder). */
  app?: Omit<AppOptions, 'settings' | 'background'>;
}

export interface TickSummary {
  /** How many admission ticks ran. */
  ticks: number;
  /** Tickets admitted by this run, over all rooms. */
  admitted: number;
  /** Ticks that failed (a store that did not answer); the next one tries again. */
  failures: number;
  durationMs: number;
}

export interface LambdaHandlers {
  /** An API Gateway HTTP API (payload format 2.0) request. */
  handler(event: APIGatewayProxyEventV2, context?: Context): Promise<LambdaResponse>;
  /** A scheduled event (EventBridge): admission ticks for about TICK_LOOP_SECONDS. */
  tick(event?: Partial<ScheduledEvent>, context?: Partial<Context>): Promise<TickSummary>;
  /** The app, built on first use. */
  app(): Promise<WaitroomApp>;
  /** Closes the app if it was built (tests; a Lambda container is never closed). */
  close(): Promise<void>;
}

/** Stops a tick run this long before the invocation's own deadline. */
const DEADLINE_MARGIN_MS = 1_000;

/** Content types sent as text; every other body goes back to API Gateway base64-encoded. */
const TEXT_TYPES = /^(text\/|application\/([a-z0-9.+-]*\+)?(json|javascript|xml)\b|image\/svg\+xml)/i;

/** Builds the Lambda handlers over one lazily built app (`createLambdaHandlers(env)` in tests). */
export function createLambdaHandlers(options: LambdaHandlerOptions = {}): LambdaHandlers {
  const env = options.env ?? process.env;
  let built: Promise<{ app: WaitroomApp; proxy: ReturnType<typeof proxyOf> }> | null = null;

  const ready = () => {
    built ??= (async () => {
      const resolved = await resolveSecrets(env, options.readSecret ?? readFromSecretsManager);
      const settings = loadSettings(resolved);
      const app = await buildApp({ ...options.app, settings, background: false });
      try {
        await app.ready();
      } catch (error) {
        await app.close().catch(() => {});
        throw error;
      }
      if (env.AWS_LAMBDA_FUNCTION_NAME) warnOfContainerState(app, resolved);
      return { app, proxy: proxyOf(app) };
    })().catch((error: unknown) => {
      // A failed cold start (a secret not readable yet, Redis away) is tried again next time.
      built = null;
      throw error;
    });
    return built;
  };

  return {
    async handler(event, context) {
      const { proxy } = await ready();
      return proxy(event, (context ?? {}) as Context);
    },

    async tick(_event, context) {
      const { app } = await ready();
      const { engine, settings } = app.waitroom;
      const started = Date.now();
      const budgetMs = settings.tickLoopSeconds * 1000;
      let ticks = 0;
      let failures = 0;
      let admitted = 0;
      const stopListening = engine.onChange((change) => {
        admitted += change.admitted;
      });
      try {
        for (;;) {
          const at = Date.now();
          try {
            await engine.tick();
          } catch (error) {
            failures++;
            app.log.warn({ err: error }, 'an admission tick failed');
          }
          ticks++;
          const next = at + settings.admitTickMs;
          if (next - started >= budgetMs) break;
          const left = context?.getRemainingTimeInMillis?.();
          if (left !== undefined && left < next - Date.now() + DEADLINE_MARGIN_MS) break;
          await sleep(next - Date.now());
        }
      } finally {
        stopListening();
      }
      const summary = { ticks, admitted, failures, durationMs: Date.now() - started };
      app.log.info(summary, 'admission ticks done');
      return summary;
    },

    app: async () => (await ready()).app,

    async close() {
      const current = built;
      built = null;
      if (!current) return;
      try {
        await (await current).app.close();
      } catch {
        // It never started: nothing to close.
      }
    },
  };
}

function proxyOf(app: WaitroomApp) {
  return awsLambdaFastify<APIGatewayProxyEventV2>(app, {
    // No route reads the raw event; the request id comes from API Gateway's anyway.
    decorateRequest: false,
    enforceBase64: isBinaryResponse,
  });
}

/** A body API Gateway must get base64-encoded: compressed, or of a type that is not text. */
function isBinaryResponse(res: LightMyRequestResponse): boolean {
  const encoding = res.headers['content-encoding'];
  if (typeof encoding === 'string' && encoding !== 'identity') return true;
  const type = res.headers['content-type'];
  return typeof type === 'string' && type !== '' && !TEXT_TYPES.test(type);
}

/**
 * The environment with each secret given by ARN read and put under its setting's name. A
 * secret's text is taken as it is, or, when it is a JSON object, its field named like the
 * setting (one secret may hold several); for DATABASE_URL an RDS secret's fields
 * (engine, host, port, username, password, dbname) also make the URL.
 */
export async function resolveSecrets(env: Env, readSecret: SecretReader): Promise<Env> {
  const wanted = Object.entries(SECRET_ARN_SETTINGS).filter(([arnName]) => nonEmpty(env[arnName]));
  if (wanted.length === 0) return env;
  const problems: string[] = [];
  for (const [arnName, name] of wanted) {
    if (nonEmpty(env[name])) problems.push(`${arnName}: set either ${name} or ${arnName}, not both`);
  }
  if (problems.length > 0) throw new SettingsError(problems);
  const out: Env = { ...env };
  const results = await Promise.allSettled(
    wanted.map(async ([arnName, name]) => {
      const text = await readSecret(String(env[arnName]).trim());
      out[name] = secretValue(name, text);
    }),
  );
  results.forEach((result, k) => {
    if (result.status === 'fulfilled') return;
    const arnName = wanted[k]![0];
    const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
    problems.push(`${arnName}: the secret could not be read (${reason.slice(0, 200)})`);
  });
  if (problems.length > 0) throw new SettingsError(problems);
  return out;
}

function secretValue(name: string, text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return trimmed;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return trimmed;
  const fields = parsed as Record<string, unknown>;
  const own = fields[name];
  if (typeof own === 'string') return own;
  if (name === 'DATABASE_URL') return databaseUrlOf(fields) ?? trimmed;
  // A JSON value of its own (SIGNING_KEYS is a JWK or a JWK set).
  return trimmed;
}

/** postgres://… or mysql://… from the fields of an RDS-managed secret. */
function databaseUrlOf(fields: Record<string, unknown>): string | undefined {
  const { engine, host, port, username, password, dbname } = fields;
  if (typeof host !== 'string' || typeof username !== 'string' || typeof password !== 'string')
    return undefined;
  const kind = typeof engine === 'string' ? engine.toLowerCase() : 'postgres';
  const scheme = kind.includes('postgres') ? 'postgres' : kind.includes('mariadb') ? 'mariadb' : 'mysql';
  const at = port === undefined || port === null || port === '' ? host : `${host}:${String(port)}`;
  const db = typeof dbname === 'string' && dbname !== '' ? `/${encodeURIComponent(dbname)}` : '';
  return `${scheme}://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${at}${db}`;
}

/** The default reader: AWS Secrets Manager, its SDK loaded only now (it is in the Lambda runtime). */
async function readFromSecretsManager(secretId: string): Promise<string> {
  let sdk: typeof import('@aws-sdk/client-secrets-manager');
  try {
    sdk = await import('@aws-sdk/client-secrets-manager');
  } catch {
    throw new Error('@aws-sdk/client-secrets-manager is not installed');
  }
  client ??= new sdk.SecretsManagerClient({});
  const answer = await client.send(new sdk.GetSecretValueCommand({ SecretId: secretId }));
  if (typeof answer.SecretString === 'string') return answer.SecretString;
  if (answer.SecretBinary) return Buffer.from(answer.SecretBinary).toString('utf8');
  throw new Error('the secret has no value');
}

let client: import('@aws-sdk/client-secrets-manager').SecretsManagerClient | undefined;

/** What a container keeps to itself and should not, said once at cold start. */
function warnOfContainerState(app: WaitroomApp, env: Env): void {
  const { settings } = app.waitroom;
  const own: string[] = [];
  if (settings.redisUrl === undefined) own.push('the queue (set REDIS_URL)');
  if (settings.databaseUrl === undefined) own.push('the orders (set DATABASE_URL)');
  if (settings.queueTokenSecret === undefined) own.push('the queue-token secret (QUEUE_TOKEN_SECRET)');
  if (settings.signingKeys === undefined) own.push('the signing keys (SIGNING_KEYS)');
  if (settings.challengeHmacKey === undefined) own.push('the challenge key (CHALLENGE_HMAC_KEY)');
  if (settings.adminToken === undefined) own.push('the operator token (ADMIN_TOKEN)');
  if (own.length > 0) {
    app.log.warn(
      { dataDir: settings.dataDir },
      `this Lambda container keeps its own ${own.join(', ')} in ${settings.dataDir}: other containers will not share them (each secret may also be given by its Secrets Manager ARN, as <SETTING>_SECRET_ARN)`,
    );
  }
  if (settings.liveStreams && env.LIVE_STREAMS !== undefined) {
    app.log.warn('LIVE_STREAMS=true on Lambda: an event stream is held until the invocation times out');
  }
}

function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

// The module's handlers: settings from process.env, the app built on the first invocation.
let handlers = createLambdaHandlers();

/** API Gateway HTTP API (payload format 2.0) → the Fastify app. */
export const handler = (event: APIGatewayProxyEventV2, context?: Context): Promise<LambdaResponse> =>
  handlers.handler(event, context);

/** An EventBridge schedule (every minute) → admission ticks for about TICK_LOOP_SECONDS. */
export const tick = (event?: Partial<ScheduledEvent>, context?: Partial<Context>): Promise<TickSummary> =>
  handlers.tick(event, context);

/** Forgets the module's app (closing it) so that the next call builds a new one from process.env; tests only. */
export async function resetForTests(): Promise<void> {
  const old = handlers;
  handlers = createLambdaHandlers();
  await old.close();
}
