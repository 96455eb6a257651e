import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectRedis } from '@waitroom/store-redis';
import { deleteKeys, redisUrl, requireRedis } from '@waitroom/store-redis/testing';
import { type Challenge, solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createLambdaHandlers,
  handler,
  type LambdaHandlers,
  resetForTests,
  resolveSecrets,
  tick,
} from '../src/lambda.js';
import { loadSettings, SettingsError } from '../src/settings.js';
import type { TicketStatus } from './helper.js';
import { orderBody } from './support/orders.js';

const onRedis = await requireRedis();

interface LambdaAnswer<T = unknown> {
  status: number;
  headers: Record<string, string>;
  /** The JSON body parsed, or the text of any other body. */
  body: T;
  isBase64Encoded: boolean | undefined;
  raw: string;
}

interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  query?: string;
}

/** An API Gateway HTTP API event (payload format 2.0), as API Gateway would send it. */
function apiEvent(method: string, path: string, options: RequestOptions = {}): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {
    host: 'abc123.execute-api.eu-west-1.amazonaws.com',
    'user-agent': 'vitest',
    'x-forwarded-for': '203.0.113.7',
    'x-forwarded-proto': 'https',
    ...options.headers,
  };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: options.query ?? '',
    ...(options.query
      ? { queryStringParameters: Object.fromEntries(new URLSearchParams(options.query).entries()) }
      : {}),
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'vitest' },
      requestId: `req-${randomBytes(6).toString('hex')}`,
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
}

type HttpHandler = (event: APIGatewayProxyEventV2, context?: Context) => ReturnType<typeof handler>;

async function call<T = unknown>(
  fn: HttpHandler,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<LambdaAnswer<T>> {
  const res = await fn(apiEvent(method, path, options), {} as Context);
  const type = res.headers['content-type'] ?? '';
  const body = res.body !== '' && type.includes('application/json') ? JSON.parse(res.body) : res.body;
  return {
    status: res.statusCode,
    headers: res.headers,
    body: body as T,
    isBase64Encoded: res.isBase64Encoded,
    raw: res.body,
  };
}

const ADMIN_TOKEN = `lambda-admin-${randomBytes(12).toString('hex')}`;
const dirs: string[] = [];
const prefixes: string[] = [];

async function lambdaEnv(store: 'embedded' | 'redis'): Promise<Record<string, string>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'waitroom-lambda-'));
  dirs.push(dataDir);
  const env: Record<string, string> = {
    AWS_LAMBDA_FUNCTION_NAME: 'waitroom-test',
    DATA_DIR: dataDir,
    ADMIN_TOKEN,
    DEMO_ROOM: 'false',
    LOG_LEVEL: 'silent',
    JOIN_LIMIT_PER_MINUTE: '0',
    TICK_LOOP_SECONDS: '1',
    ADMIT_TICK_MS: '100',
  };
  if (store === 'redis') {
    const prefix = `wrtest-lambda-${randomBytes(6).toString('hex')}:`;
    prefixes.push(prefix);
    Object.assign(env, { REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: prefix });
  }
  return env;
}

async function removeLeftovers(): Promise<void> {
  if (prefixes.length > 0) {
    const client = await connectRedis(redisUrl());
    for (const prefix of prefixes.splice(0)) await deleteKeys(client, prefix);
    client.disconnect();
  }
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

const PRODUCTS = [{ id: 'cap', name: 'Cap', priceCents: 1800, currency: 'EUR', stock: 5, maxPerOrder: 2 }];

describe.each([
  { store: 'embedded' as const, skip: false },
  { store: 'redis' as const, skip: !onRedis },
])('the Lambda handlers on the $store store', ({ store, skip }) => {
  beforeEach(async () => {
    if (skip) return;
    for (const [name, value] of Object.entries(await lambdaEnv(store))) vi.stubEnv(name, value);
    await resetForTests();
  });

  afterEach(async () => {
    await resetForTests();
    vi.unstubAllEnvs();
    await removeLeftovers();
  });

  it.skipIf(skip)('serves join → status → admit → admitted → order through API Gateway events', async () => {
    const admin = (method: string, path: string, body?: unknown) =>
      call(handler, method, path, { token: ADMIN_TOKEN, ...(body === undefined ? {} : { body }) });

    expect(
      (await admin('POST', '/api/admin/rooms', { id: 'sale', name: 'Sale', admitRatePerMinute: 0 })).status,
    ).toBe(201);
    expect((await admin('PUT', '/api/admin/rooms/sale/products', { products: PRODUCTS })).status).toBe(200);

    const joined = await call<TicketStatus & { queueToken: string }>(
      handler,
      'POST',
      '/api/rooms/sale/tickets',
    );
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({ roomId: 'sale', state: 'waiting', position: 1 });
    // API Gateway's request id names the request (a refusal carries it back).
    const missing = await call(handler, 'POST', '/api/rooms/nowhere/tickets');
    expect(missing.status).toBe(404);
    expect(missing.headers['x-request-id']).toMatch(/^req-/);
    const { queueToken, ticketId } = joined.body;

    const waiting = await call<TicketStatus>(handler, 'GET', '/api/rooms/sale/tickets/me', {
      token: queueToken,
    });
    expect(waiting.status).toBe(200);
    expect(waiting.body).toMatchObject({ ticketId, state: 'waiting', position: 1 });

    expect((await admin('POST', '/api/admin/rooms/sale/admit', { count: 1 })).body).toEqual({ admitted: 1 });

    const admitted = await call<TicketStatus>(handler, 'GET', '/api/rooms/sale/tickets/me', {
      token: queueToken,
    });
    expect(admitted.body).toMatchObject({ ticketId, state: 'admitted', admissionToken: expect.any(String) });

    const order = await call<{ status: string; totalCents: number; items: unknown[] }>(
      handler,
      'POST',
      '/api/orders',
      {
        token: admitted.body.admissionToken ?? '',
        headers: { 'idempotency-key': `lambda-${ticketId}` },
        body: orderBody(0, [{ productId: 'cap', quantity: 2 }]),
      },
    );
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ status: 'confirmed', totalCents: 3600 });

    const done = await call<TicketStatus>(handler, 'GET', '/api/rooms/sale/tickets/me', {
      token: queueToken,
    });
    expect(done.body.state).toBe('completed');
    const products = await call<{ products: { id: string; available: number }[] }>(
      handler,
      'GET',
      '/api/rooms/sale/products',
    );
    expect(products.body.products).toEqual([expect.objectContaining({ id: 'cap', available: 3 })]);
    if (store === 'redis') {
      // The line was kept in Redis, under this test's prefix.
      const client = await connectRedis(redisUrl());
      try {
        expect((await client.keys(`${prefixes.at(-1)}*`)).length).toBeGreaterThan(0);
      } finally {
        client.disconnect();
      }
    }
  });

  it.skipIf(skip)(
    'answers the live events at once with 501 STREAMING_UNAVAILABLE: the page polls',
    async () => {
      await call(handler, 'POST', '/api/admin/rooms', {
        token: ADMIN_TOKEN,
        body: { id: 'sale', name: 'Sale' },
      });
      const joined = await call<{ queueToken: string }>(handler, 'POST', '/api/rooms/sale/tickets');
      const events = await call<{ error: { code: string; message: string } }>(
        handler,
        'GET',
        '/api/rooms/sale/tickets/me/events',
        { token: joined.body.queueToken, headers: { accept: 'text/event-stream' } },
      );
      expect(events.status).toBe(501);
      expect(events.body.error.code).toBe('STREAMING_UNAVAILABLE');
      expect(events.body.error.message).toMatch(/poll GET \/api\/rooms\/sale\/tickets\/me every \d+ ms/);
      // The usual refusals come first: the page gives up a refused token rather than polling it.
      const refused = await call<{ error: { code: string } }>(
        handler,
        'GET',
        '/api/rooms/sale/tickets/me/events',
        {
          token: 'not-a-token',
        },
      );
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('INVALID_TOKEN');
    },
  );

  it.skipIf(skip)('tick admits by rate for about TICK_LOOP_SECONDS, then returns', async () => {
    await call(handler, 'POST', '/api/admin/rooms', {
      token: ADMIN_TOKEN,
      body: { id: 'sale', name: 'Sale', admitRatePerMinute: 6000 },
    });
    const tokens: string[] = [];
    for (let i = 0; i < 5; i++) {
      tokens.push(
        (await call<{ queueToken: string }>(handler, 'POST', '/api/rooms/sale/tickets')).body.queueToken,
      );
    }
    const started = Date.now();
    const summary = await tick(
      { 'detail-type': 'Scheduled Event', source: 'aws.events' },
      {
        getRemainingTimeInMillis: () => 60_000,
      },
    );
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(800);
    expect(took).toBeLessThan(5_000);
    expect(summary).toMatchObject({ admitted: 5, failures: 0 });
    expect(summary.ticks).toBeGreaterThanOrEqual(5);
    for (const queueToken of tokens) {
      const status = await call<TicketStatus>(handler, 'GET', '/api/rooms/sale/tickets/me', {
        token: queueToken,
      });
      expect(status.body.state).toBe('admitted');
    }
  });

  it.skipIf(skip)("stops before the invocation's deadline", async () => {
    expect((await call(handler, 'GET', '/healthz')).status).toBe(200); // the cold start, first
    const started = Date.now();
    const summary = await tick({}, { getRemainingTimeInMillis: () => 500 });
    expect(summary.ticks).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('the Lambda HTTP handler', () => {
  let handlers: LambdaHandlers | undefined;
  afterEach(async () => {
    await handlers?.close();
    handlers = undefined;
    await removeLeftovers();
  });

  it('builds the app once per container and sends binary bodies base64-encoded', async () => {
    handlers = createLambdaHandlers({ env: await lambdaEnv('embedded') });
    const health = await call(handlers.handler, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.isBase64Encoded).toBe(false);
    const app = await handlers.app();
    expect(await handlers.app()).toBe(app);

    const icon = await call<string>(handlers.handler, 'GET', '/docs/static/favicon-32x32.png');
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toContain('image/png');
    expect(icon.isBase64Encoded).toBe(true);
    expect(Buffer.from(icon.raw, 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');

    const jwks = await call<{ keys: unknown[] }>(handlers.handler, 'GET', '/.well-known/jwks.json');
    expect(jwks.isBase64Encoded).toBe(false);
    expect(jwks.body.keys.length).toBeGreaterThan(0);
  });

  it('reads secrets given by ARN at cold start, and tries again after a failed one', async () => {
    const env = await lambdaEnv('embedded');
    delete env.ADMIN_TOKEN;
    const secretToken = `from-secrets-manager-${randomBytes(8).toString('hex')}`;
    const secrets: Record<string, string> = {
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:admin-AbCdEf': secretToken,
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:queue-AbCdEf': JSON.stringify({
        QUEUE_TOKEN_SECRET: randomBytes(32).toString('base64url'),
      }),
    };
    let failNext = true;
    const read: string[] = [];
    handlers = createLambdaHandlers({
      env: {
        ...env,
        ADMIN_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:admin-AbCdEf',
        QUEUE_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:queue-AbCdEf',
      },
      readSecret: async (arn) => {
        read.push(arn);
        if (failNext) {
          failNext = false;
          throw new Error('AccessDeniedException');
        }
        const value = secrets[arn];
        if (value === undefined) throw new Error('ResourceNotFoundException');
        return value;
      },
    });
    await expect(call(handlers.handler, 'GET', '/healthz')).rejects.toThrow(
      /ADMIN_TOKEN_SECRET_ARN: the secret could not be read \(AccessDeniedException\)/,
    );
    // The next invocation builds the app again, and reads the secrets again.
    expect((await call(handlers.handler, 'GET', '/api/admin/rooms', { token: secretToken })).status).toBe(
      200,
    );
    expect((await call(handlers.handler, 'GET', '/api/admin/rooms', { token: ADMIN_TOKEN })).status).toBe(
      401,
    );
    expect(read).toHaveLength(4);
    const app = await handlers.app();
    expect(app.waitroom.settings.queueTokenSecret).toBe(
      JSON.parse(secrets['arn:aws:secretsmanager:eu-west-1:123456789012:secret:queue-AbCdEf']!)
        .QUEUE_TOKEN_SECRET,
    );
    expect(read).toHaveLength(4); // once per container, not per request
  });

  it('reads the challenge key by ARN: a challenge from one container passes on another, none warns of it', async () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:challenge-AbCdEf';
    const key = randomBytes(32).toString('base64url');
    const warnings: string[] = [];
    const stream = { write: (line: string) => void warnings.push(line) };
    // Two containers: each its own /tmp, the one secret.
    const containers: LambdaHandlers[] = [];
    for (let i = 0; i < 2; i++) {
      const env = await lambdaEnv('embedded');
      containers.push(
        createLambdaHandlers({
          env: { ...env, CHALLENGE_HMAC_KEY_SECRET_ARN: arn },
          // The secret as a JSON object, its field named after the setting.
          readSecret: async (id) => {
            if (id !== arn) throw new Error('ResourceNotFoundException');
            return JSON.stringify({ CHALLENGE_HMAC_KEY: key });
          },
          app: { logger: { level: 'warn', stream } },
        }),
      );
    }
    try {
      const [a, b] = containers as [LambdaHandlers, LambdaHandlers];
      for (const container of [a, b]) {
        const created = await call(container.handler, 'POST', '/api/admin/rooms', {
          token: ADMIN_TOKEN,
          body: { id: 'sale', name: 'Sale', requireChallenge: true },
        });
        expect(created.status).toBe(201);
        const app = await container.app();
        expect(app.waitroom.settings.challengeHmacKey).toBe(key);
        // Nothing generated into the container's /tmp.
        await expect(stat(join(app.waitroom.settings.dataDir, 'challenge-hmac.key'))).rejects.toThrow();
      }
      const challenge = await call<Challenge>(a.handler, 'GET', '/api/rooms/sale/challenge');
      expect(challenge.status).toBe(200);
      const solution = await solveChallenge({ challenge: challenge.body, deriveKey, timeout: 20_000 });
      if (!solution) throw new Error('the challenge was not solved in time');
      const altcha = Buffer.from(JSON.stringify({ challenge: challenge.body, solution })).toString('base64');
      const joined = await call(b.handler, 'POST', '/api/rooms/sale/tickets', {
        headers: { 'x-altcha': altcha },
      });
      expect(joined.status).toBe(201);
      // The cold starts warn of what each container keeps alone (the queue, the orders…), not the key.
      const containerWarnings = warnings.filter((line) =>
        line.includes('this Lambda container keeps its own'),
      );
      expect(containerWarnings).toHaveLength(2);
      for (const line of containerWarnings) expect(line).not.toContain('challenge key');
    } finally {
      await Promise.all(containers.map((container) => container.close()));
    }
  });
});

describe('settings on Lambda', () => {
  it('default DATA_DIR to /tmp/waitroom and LIVE_STREAMS to false when AWS_LAMBDA_FUNCTION_NAME is set', () => {
    expect(loadSettings({})).toMatchObject({ dataDir: './data', liveStreams: true, tickLoopSeconds: 55 });
    expect(loadSettings({ AWS_LAMBDA_FUNCTION_NAME: 'waitroom' })).toMatchObject({
      dataDir: '/tmp/waitroom',
      liveStreams: false,
    });
    expect(
      loadSettings({ AWS_LAMBDA_FUNCTION_NAME: 'waitroom', DATA_DIR: '/mnt/efs', LIVE_STREAMS: 'true' }),
    ).toMatchObject({ dataDir: '/mnt/efs', liveStreams: true });
    expect(() => loadSettings({ LIVE_STREAMS: 'maybe' })).toThrow(/LIVE_STREAMS/);
    expect(() => loadSettings({ TICK_LOOP_SECONDS: '901' })).toThrow(/TICK_LOOP_SECONDS/);
  });

  it('resolve each secret ARN into its setting; never both; an RDS secret makes DATABASE_URL', async () => {
    const challengeKey = 'c'.repeat(48);
    const values: Record<string, string> = {
      'arn:signing': '{"keys":[{"kty":"OKP"}]}',
      'arn:challenge': ` ${challengeKey}\n`,
      'arn:db': JSON.stringify({
        engine: 'postgres',
        host: 'db.example.internal',
        port: 5432,
        username: 'shop',
        password: 'p@ss/word',
        dbname: 'waitroom',
      }),
    };
    const env = await resolveSecrets(
      {
        SIGNING_KEYS_SECRET_ARN: 'arn:signing',
        CHALLENGE_HMAC_KEY_SECRET_ARN: 'arn:challenge',
        DATABASE_URL_SECRET_ARN: 'arn:db',
        PORT: '8080',
      },
      async (arn) => values[arn] ?? '',
    );
    expect(env).toMatchObject({
      PORT: '8080',
      SIGNING_KEYS: '{"keys":[{"kty":"OKP"}]}',
      CHALLENGE_HMAC_KEY: challengeKey,
      DATABASE_URL: 'postgres://shop:p%40ss%2Fword@db.example.internal:5432/waitroom',
    });
    expect(loadSettings(env).databaseUrl).toBe(env.DATABASE_URL);
    expect(loadSettings(env).challengeHmacKey).toBe(challengeKey);

    const untouched = { PORT: '1' };
    expect(await resolveSecrets(untouched, async () => 'x')).toBe(untouched);

    const both = resolveSecrets(
      { ADMIN_TOKEN: 'a'.repeat(20), ADMIN_TOKEN_SECRET_ARN: 'arn:x' },
      async () => 'x',
    );
    await expect(both).rejects.toBeInstanceOf(SettingsError);
    await expect(both).rejects.toThrow(/set either ADMIN_TOKEN or ADMIN_TOKEN_SECRET_ARN/);
    await expect(
      resolveSecrets(
        { CHALLENGE_HMAC_KEY: challengeKey, CHALLENGE_HMAC_KEY_SECRET_ARN: 'arn:challenge' },
        async () => challengeKey,
      ),
    ).rejects.toThrow(/set either CHALLENGE_HMAC_KEY or CHALLENGE_HMAC_KEY_SECRET_ARN/);
  });
});
