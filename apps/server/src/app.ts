import { randomBytes, randomUUID } from 'node:crypto';
import proxyAddr from '@fastify/proxy-addr';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { ConflictError, type QueueStore, type TicketStatus, WaitingRoomEngine } from '@waitroom/core';
import { DEMO_PRODUCTS, type OrderStore, openOrderStore } from '@waitroom/orders';
import { connectRedis, RedisQueueStore } from '@waitroom/store-redis';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { PresentedStatus, Waitroom } from './context.js';
import { RedisChangeBus } from './live/change-bus.js';
import { StatusHub } from './live/status-hub.js';
import { clientErrorHandler, frameworkErrors, registerErrorHandling } from './plugins/errors.js';
import { HSTS, HTTP_LIMITS, registerHttpHardening } from './plugins/http-hardening.js';
import { JOIN_ROUTE, JoinLane } from './plugins/join-lane.js';
import { createJoinLimit, memoryJoinLimitStore, type ProxyTrust } from './plugins/join-limit.js';
import { batchedRedisStore } from './plugins/join-limit-store.js';
import { installLane, type RouteLane } from './plugins/lanes.js';
import { lazyChildLogger } from './plugins/lazy-logger.js';
import { registerLaneMetric, registerMetrics } from './plugins/metrics.js';
import { STATUS_ROUTE, StatusLane } from './plugins/status-lane.js';
import { registerValidation } from './plugins/validation.js';
import { adminRoutes } from './routes/admin.js';
import { adminAuditRoutes } from './routes/admin-audit.js';
import { adminOrderRoutes } from './routes/admin-orders.js';
import { completionRoutes } from './routes/completion.js';
import { lotteryRoutes } from './routes/lottery.js';
import { opsRoutes } from './routes/ops.js';
import { orderRoutes } from './routes/orders.js';
import { DEFAULT_WEB_DIR, pageRoutes } from './routes/pages.js';
import { shopperRoutes } from './routes/shopper.js';
import { loadAdminCredential } from './security/admin-token.js';
import { AdmissionTokens } from './security/admission-tokens.js';
import { ensureDataDir } from './security/data-files.js';
import { openProofOfWork } from './security/proof-of-work.js';
import { QueueTokens } from './security/queue-tokens.js';
import { randomIdSource } from './security/random-ids.js';
import { loadQueueSecret, loadSigningKeys } from './security/signing-keys.js';
import { type Settings, SettingsError } from './settings.js';
import { EmbeddedQueueStore } from './stores/embedded-store.js';

export interface AppOptions {
  settings: Settings;
  /** The queue store; by default the embedded one in `settings.dataDir`. */
  store?: QueueStore;
  /** The order store; by default the one DATABASE_URL names, or SQLite in `settings.dataDir`. */
  orderStore?: OrderStore;
  /** Epoch milliseconds; tests pass a fake clock. */
  clock?: () => number;
  /** Pino options or `false`; by default JSON logs at `settings.logLevel`. */
  logger?: FastifyServerOptions['logger'];
  /** Run the admission tick and the live pushes (default true; tests may drive `engine.tick()`). */
  background?: boolean;
  /** The built web app (shopper.html, admin.html, assets/); by default apps/web/dist. */
  webDir?: string;
  /** Overrides of the live push timings (tests). */
  live?: Partial<{ refreshMs: number; quietRefreshMs: number; keepAliveMs: number; waitingPushMs: number }>;
}

export type WaitroomApp = FastifyInstance & { waitroom: Waitroom };

/** Headers and fields whose values must never reach a log line. */
export const REDACTED = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-admin-token"]',
  'res.headers["set-cookie"]',
  'queueToken',
  'admissionToken',
  'token',
];

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Builds the whole server as a Fastify instance, ready to `listen` or to `inject` in tests. */
export async function buildApp(options: AppOptions): Promise<WaitroomApp> {
  const { settings } = options;
  const clock = options.clock ?? Date.now;
  ensureDataDir(settings.dataDir);

  const app = Fastify({
    logger: loggerOptions(options.logger, settings.logLevel),
    trustProxy: trustProxyOption(settings.trustProxy),
    bodyLimit: HTTP_LIMITS.bodyLimit,
    connectionTimeout: HTTP_LIMITS.connectionTimeout,
    requestTimeout: HTTP_LIMITS.requestTimeout,
    keepAliveTimeout: HTTP_LIMITS.keepAliveTimeout,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
    },
    frameworkErrors,
    clientErrorHandler,
    // Refused by errors.ts instead, in the error shape.
    http: { requireHostHeader: false },
    childLoggerFactory: lazyChildLogger,
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true },
  });

  const store = options.store ?? (await openStore(settings, clock(), (message) => app.log.warn(message)));
  const orders = options.orderStore ?? (await openOrders(settings));
  const signingKeys = await loadSigningKeys(settings.dataDir, settings.signingKeys);
  const admin = loadAdminCredential(settings.dataDir, settings.adminToken);
  const queueTokens = new QueueTokens(
    loadQueueSecret(settings.dataDir, settings.queueTokenSecret),
    settings.queueTokenTtlSeconds,
    clock,
  );
  const admissionTokens = new AdmissionTokens(signingKeys, settings.tokenIssuer, clock);
  const proofOfWork = openProofOfWork(settings.dataDir, settings.challengeHmacKey, store, clock);
  const engine = new WaitingRoomEngine({
    store,
    clock,
    tickMs: settings.admitTickMs,
    newTicketId: randomIdSource(12),
    // 256 secret bits for each lottery: held by the store, only its SHA-256 shown until the draw.
    newSeed: () => randomBytes(32).toString('hex'),
  });

  /**
   * The public shape of a status (CONTRACT.md), with the admission token while admitted.
   * Synchronous unless a token must be signed: a waiting ticket's read stays off the
   * promise queue.
   */
  const present = (status: TicketStatus): PresentedStatus | Promise<PresentedStatus> => {
    const out: PresentedStatus = {
      ticketId: status.ticketId,
      roomId: status.roomId,
      state: status.state,
      position: status.position,
      etaSeconds: status.etaSeconds,
      etaRange: status.etaRange,
      pollAfterMs: status.pollAfterMs,
      roomStatus: status.roomStatus,
      joinedAt: status.joinedAt,
    };
    if (status.expiryReason) out.expiryReason = status.expiryReason;
    const admission = status.admission;
    const expiresAt = status.admissionExpiresAt;
    if (!admission || !expiresAt) return out;
    return admissionTokens
      .issue(status.roomId, status.ticketId, admission.admittedAt, admission.expiresAt)
      .then((admissionToken) => Object.assign(out, { admissionToken, admissionExpiresAt: expiresAt }));
  };

  const hub = new StatusHub(engine, present, {
    refreshMs: 200,
    quietRefreshMs: 10_000,
    keepAliveMs: 15_000,
    waitingPushMs: 1000,
    ...options.live,
  });
  // With Redis, every instance hears of the room changes the others make (live streams).
  const bus =
    store instanceof RedisQueueStore
      ? new RedisChangeBus(store.client, engine, store.keyPrefix, (message) => app.log.warn(message))
      : null;
  const waitroom: Waitroom = {
    settings,
    clock,
    store,
    engine,
    queueTokens,
    admissionTokens,
    proofOfWork,
    signingKeys,
    admin,
    hub,
    changeBus: bus,
    orders,
    control: orders.control,
    present,
    joinLimit: null,
  };
  app.decorate('waitroom', waitroom);

  registerValidation(app);
  registerErrorHandling(app);
  const { apiHeaders } = await registerHttpHardening(app, settings);
  const { registry, latencyOf } = registerMetrics(app, engine);
  const trust = proxyTrust(settings.trustProxy);
  // With Redis the join limit counts each address across all instances. A limit that cannot
  // reach Redis lets the join through: the queue's store then answers 503 by itself.
  // On one Redis node the join's lane counts a join in the join's own script, on the same keys.
  const onRedis = store instanceof RedisQueueStore;
  const redisLimits = onRedis ? batchedRedisStore(store.client, `${store.keyPrefix}rl:`) : null;
  waitroom.joinLimit = createJoinLimit(
    redisLimits ?? memoryJoinLimitStore(),
    settings.joinLimitPerMinute,
    trust,
    {
      skipOnError: onRedis,
      keyInJoin: redisLimits && store.countsJoinLimits ? redisLimits.keyOf : undefined,
    },
  );

  // The lanes (plugins/lanes.ts) answer the two hottest requests before Fastify's router.
  const lanes: RouteLane[] = [];
  if (lanesWanted(app, settings)) {
    const shared = {
      engine,
      queueTokens,
      present,
      securityHeaders: apiHeaders,
      trustsPeer: peerTrust(trust),
      hsts: HSTS,
    };
    const add = (lane: RouteLane, metric: string, what: string) => {
      installLane(app.server, lane);
      registerLaneMetric(registry, metric, what, lane.counts);
      lanes.push(lane);
    };
    if (settings.statusLane) {
      const status = new StatusLane({ ...shared, record: latencyOf('GET', STATUS_ROUTE) });
      add(status, 'waitroom_status_reads_total', 'Status reads (GET …/tickets/me)');
    }
    if (settings.joinLane) {
      const join = new JoinLane({
        ...shared,
        record: latencyOf('POST', JOIN_ROUTE),
        limit: waitroom.joinLimit,
        queueTokenTtlSeconds: settings.queueTokenTtlSeconds,
        onError: (err) => app.log.error({ err }, 'join failed after its place was made'),
      });
      add(join, 'waitroom_join_requests_total', 'Joins (POST …/tickets)');
    }
  }

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Waitroom',
        version: '0.1.0',
        description: 'A virtual waiting room with flash-sale ordering. The public contract: CONTRACT.md.',
      },
      components: {
        securitySchemes: {
          queueToken: { type: 'http', scheme: 'bearer', description: 'The queue token a join returned' },
          operator: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN or an operator key' },
          admissionToken: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'The admission token an admitted ticket’s status carries',
          },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  await app.register(shopperRoutes);
  await app.register(lotteryRoutes);
  await app.register(adminRoutes);
  await app.register(orderRoutes);
  await app.register(adminOrderRoutes);
  await app.register(adminAuditRoutes);
  await app.register(completionRoutes);
  await app.register(opsRoutes, { registry });
  await app.register(pageRoutes, { webDir: options.webDir ?? DEFAULT_WEB_DIR });

  app.addHook('onReady', async () => {
    if (settings.demoRoom && (await store.listRooms()).length === 0) {
      try {
        await engine.createRoom({ id: 'demo', name: 'Demo sale', admitRatePerMinute: 30 });
        await orders.putProducts('demo', DEMO_PRODUCTS, clock());
      } catch (error) {
        // Another instance sharing the store created it first.
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    await bus?.start();
    if (options.background !== false) {
      engine.start();
      hub.start();
    }
  });
  app.addHook('preClose', async () => {
    for (const lane of lanes) lane.close();
    hub.stop();
  });
  app.addHook('onClose', async () => {
    await engine.stop();
    await bus?.stop();
    await store.close();
    if (!options.orderStore) await orders.close();
  });

  return app as WaitroomApp;
}

/** The queue store the settings name: Redis when REDIS_URL is set, else the embedded one. */
async function openStore(
  settings: Settings,
  now: number,
  warn: (message: string) => void,
): Promise<QueueStore> {
  if (settings.redisUrl === undefined) return EmbeddedQueueStore.open(settings.dataDir, now);
  let client: Awaited<ReturnType<typeof connectRedis>>;
  try {
    client = await connectRedis(settings.redisUrl, { onError: warn });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SettingsError([`REDIS_URL: Redis did not answer (${reason})`]);
  }
  return new RedisQueueStore({ client, keyPrefix: settings.redisKeyPrefix });
}

/** The order store DATABASE_URL names (SQLite in DATA_DIR when unset), migrated to the latest version. */
async function openOrders(settings: Settings): Promise<OrderStore> {
  let store: OrderStore | null = null;
  try {
    store = await openOrderStore({ databaseUrl: settings.databaseUrl, dataDir: settings.dataDir });
    await store.migrate();
    return store;
  } catch (error) {
    await store?.close().catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    const name = settings.databaseUrl === undefined ? 'DATA_DIR' : 'DATABASE_URL';
    throw new SettingsError([`${name}: the order database could not be opened (${reason.slice(0, 200)})`]);
  }
}

/** The logger's options: whatever the caller gives, the redaction of REDACTED always applies. */
function loggerOptions(
  given: AppOptions['logger'],
  level: Settings['logLevel'],
): FastifyServerOptions['logger'] {
  if (given === false) return false;
  const base = given === undefined || given === true ? { level } : given;
  const own = base.redact;
  const paths = Array.isArray(own) ? own : (own?.paths ?? []);
  return { ...base, redact: { paths: [...new Set([...REDACTED, ...paths])], censor: '[redacted]' } };
}

/** A number of hops becomes Fastify's function form: trust that many proxies in front. */
function trustProxyOption(
  value: Settings['trustProxy'],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof value === 'number' ? (_address, hop) => hop < value : value;
}

/**
 * Whether the lanes may run (plugins/lanes.ts; each also has its own setting, STATUS_LANE and
 * JOIN_LANE): not while Fastify logs every request (`info` and below), whose log lines the
 * lanes do not write, nor with CORS_ORIGINS, whose headers only Fastify adds.
 */
function lanesWanted(app: FastifyInstance, settings: Settings): boolean {
  if (settings.corsOrigins.length > 0) return false;
  const log = app.log as FastifyInstance['log'] & { isLevelEnabled?(level: string): boolean };
  return !(log.isLevelEnabled?.('info') ?? false);
}

/** Trusts every proxy (TRUST_PROXY=true). */
const TRUST_ALL = () => true;

/**
 * TRUST_PROXY as the test Fastify applies to each address of a request (the peer at hop 0,
 * then X-Forwarded-For's from the right); null when no proxy is trusted.
 */
function proxyTrust(value: Settings['trustProxy']): ProxyTrust | null {
  const option = trustProxyOption(value);
  if (option === false) return null;
  if (option === true) return TRUST_ALL;
  return typeof option === 'function' ? option : proxyAddr.compile(option);
}

/** Whether TRUST_PROXY trusts the peer a request came from (Fastify's own test, hop 0). */
function peerTrust(trust: ProxyTrust | null): (address: string | undefined) => boolean {
  if (trust === null) return () => false;
  if (trust === TRUST_ALL) return TRUST_ALL;
  return (address) => address !== undefined && trust(address, 0);
}
