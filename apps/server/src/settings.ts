import { Ajv } from 'ajv';
import { type Static, Type } from 'typebox';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every setting the server reads, with its rule and default (CONTRACT.md, "Starting it"). */
const SettingsSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 16, maxLength: 512, pattern: '^[\\x21-\\x7e]+$' })),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  REDIS_KEY_PREFIX: Type.String({ pattern: '^[A-Za-z0-9:_.-]{0,64}$', default: 'wr:' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^(postgres|postgresql|mysql|mariadb)://' })),
  LOG_LEVEL: Type.Union(
    LOG_LEVELS.map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  JOIN_LIMIT_PER_MINUTE: Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 60 }),
  TRUST_PROXY: Type.String({ pattern: '^(true|false|1|0|[0-9]{1,2}|[0-9a-fA-F:.,/ ]+)$', default: 'false' }),
  ADMIT_TICK_MS: Type.Integer({ minimum: 50, maximum: 1000, default: 250 }),
  QUEUE_TOKEN_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  QUEUE_TOKEN_TTL_SECONDS: Type.Integer({ minimum: 60, maximum: 90 * 24 * 3600, default: 7 * 24 * 3600 }),
  SIGNING_KEYS: Type.Optional(Type.String({ minLength: 2 })),
  TOKEN_ISSUER: Type.String({ minLength: 1, maxLength: 200, default: 'waitroom' }),
  DEMO_ROOM: Type.Union([Type.Literal('true'), Type.Literal('false')], { default: 'true' }),
  LIVE_STREAMS: Type.Union([Type.Literal('true'), Type.Literal('false')], { default: 'true' }),
  STATUS_LANE: Type.Union([Type.Literal('true'), Type.Literal('false')], { default: 'true' }),
  JOIN_LANE: Type.Union([Type.Literal('true'), Type.Literal('false')], { default: 'true' }),
  TICK_LOOP_SECONDS: Type.Integer({ minimum: 0, maximum: 900, default: 55 }),
  CORS_ORIGINS: Type.Optional(Type.String({ maxLength: 4000 })),
  CHALLENGE_HMAC_KEY: Type.Optional(Type.String({ minLength: 32, maxLength: 512 })),
});

/** Defaults that differ on AWS Lambda (AWS_LAMBDA_FUNCTION_NAME set): only /tmp is writable, no stream stays open. */
const LAMBDA_DEFAULTS: Partial<Record<keyof RawSettings, string>> = {
  DATA_DIR: '/tmp/waitroom',
  LIVE_STREAMS: 'false',
};

type RawSettings = Static<typeof SettingsSchema>;

export interface Settings {
  port: number;
  host: string;
  dataDir: string;
  adminToken: string | undefined;
  redisUrl: string | undefined;
  /** Put before every Redis key, so that several deployments can share one Redis. */
  redisKeyPrefix: string;
  databaseUrl: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  joinLimitPerMinute: number;
  /** Fastify's `trustProxy`: false, true, a number of hops, or a list of addresses. */
  trustProxy: boolean | number | string[];
  admitTickMs: number;
  queueTokenSecret: string | undefined;
  queueTokenTtlSeconds: number;
  signingKeys: string | undefined;
  tokenIssuer: string;
  demoRoom: boolean;
  /**
   * Keep event streams open and push changes (default). Off where the platform cannot stream
   * (AWS Lambda behind API Gateway buffers whole responses): the events route then answers
   * 501 STREAMING_UNAVAILABLE at once and the shopper's page polls.
   */
  liveStreams: boolean;
  /** Status reads may take their lane before Fastify's router (plugins/status-lane.ts). */
  statusLane: boolean;
  /** Plain joins may take their lane before Fastify's router (plugins/join-lane.ts). */
  joinLane: boolean;
  /** How long one run of the scheduled admission tick (lambda.ts `tick`) keeps ticking, in seconds. */
  tickLoopSeconds: number;
  /**
   * Origins other than the server's own whose pages may call the API from a browser (CORS),
   * each `scheme://host[:port]`. Empty (the default): same-origin only, no CORS header sent.
   */
  corsOrigins: string[];
  /**
   * The HMAC key that signs the proof-of-work challenges (rooms with `requireChallenge`);
   * unset: generated into the data folder. Instances sharing a line must share it.
   */
  challengeHmacKey: string | undefined;
}

/** A start-up refusal: one line naming every bad setting, and nothing secret. */
export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings: ${problems.join('; ')}`);
    this.name = 'SettingsError';
  }
}

const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false });
const validate = ajv.compile<RawSettings>(SettingsSchema);
const NAMES = Object.keys(SettingsSchema.properties);

/** Reads the settings once, at start; nothing else in the server reads `process.env`. */
export function loadSettings(env: Record<string, string | undefined>): Settings {
  const raw: Record<string, unknown> = {};
  for (const name of NAMES) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value.trim();
  }
  if (env.AWS_LAMBDA_FUNCTION_NAME) {
    for (const [name, value] of Object.entries(LAMBDA_DEFAULTS)) raw[name] ??= value;
  }
  if (!validate(raw)) {
    const problems = new Map<string, string>();
    for (const error of validate.errors ?? []) {
      const name =
        error.instancePath.replace(/^\//, '') || String(error.params.missingProperty ?? 'settings');
      if (!problems.has(name)) problems.set(name, `${name} ${describe(name, error.message)}`);
    }
    throw new SettingsError([...problems.values()]);
  }
  const s = raw as RawSettings;
  const corsOrigins = parseCorsOrigins(s.CORS_ORIGINS);
  if (typeof corsOrigins === 'string') throw new SettingsError([`CORS_ORIGINS ${corsOrigins}`]);
  return {
    port: s.PORT,
    host: s.HOST,
    dataDir: s.DATA_DIR,
    adminToken: s.ADMIN_TOKEN,
    redisUrl: s.REDIS_URL,
    redisKeyPrefix: s.REDIS_KEY_PREFIX,
    databaseUrl: s.DATABASE_URL,
    logLevel: s.LOG_LEVEL,
    joinLimitPerMinute: s.JOIN_LIMIT_PER_MINUTE,
    trustProxy: parseTrustProxy(s.TRUST_PROXY),
    admitTickMs: s.ADMIT_TICK_MS,
    queueTokenSecret: s.QUEUE_TOKEN_SECRET,
    queueTokenTtlSeconds: s.QUEUE_TOKEN_TTL_SECONDS,
    signingKeys: s.SIGNING_KEYS,
    tokenIssuer: s.TOKEN_ISSUER,
    demoRoom: s.DEMO_ROOM === 'true',
    liveStreams: s.LIVE_STREAMS === 'true',
    statusLane: s.STATUS_LANE === 'true',
    joinLane: s.JOIN_LANE === 'true',
    tickLoopSeconds: s.TICK_LOOP_SECONDS,
    corsOrigins,
    challengeHmacKey: s.CHALLENGE_HMAC_KEY,
  };
}

function describe(name: string, message: string | undefined): string {
  if (name === 'LOG_LEVEL') return `must be one of ${LOG_LEVELS.join(', ')}`;
  if (name === 'TRUST_PROXY')
    return 'must be true, false, a number of proxy hops, or a comma-separated list of addresses';
  if (name === 'ADMIN_TOKEN') return 'must be 16 to 512 printable characters without spaces';
  if (name === 'DATABASE_URL') return 'must start with postgres://, postgresql://, mysql:// or mariadb://';
  if (name === 'REDIS_URL') return 'must start with redis:// or rediss://';
  if (name === 'REDIS_KEY_PREFIX') return 'must be at most 64 letters, digits or : _ . -';
  if (name === 'CHALLENGE_HMAC_KEY') return 'must be 32 to 512 characters';
  return message ?? 'is not valid';
}

function parseTrustProxy(value: string): boolean | number | string[] {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  if (/^[0-9]{1,2}$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$/;

/** A comma-separated list of exact origins, or a problem to report (no wildcard: `*` is refused). */
function parseCorsOrigins(value: string | undefined): string[] | string {
  if (value === undefined) return [];
  const origins = value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (!ORIGIN.test(origin)) {
      return 'must be a comma-separated list of origins such as https://shop.example.com (scheme, host and optional port; no path, no wildcard)';
    }
  }
  return [...new Set(origins.map((o) => o.toLowerCase()))];
}
