import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidRequestError } from '@waitroom/core';
import { type Kysely, Migrator, sql } from 'kysely';
import type { ControlStore } from './control-types.js';
import { isTransient, isUniqueViolation } from './database-errors.js';
import type { OrdersDatabase } from './database-schema.js';
import { checkItemsAgainst, checkPlaceOrderInput, checkProductInputs } from './input-checks.js';
import { KyselyControlStore } from './kysely-control-store.js';
import { InCodeMigrationProvider } from './migrations/index.js';
import { decodeOrderCursor, encodeOrderCursor } from './order-cursor.js';
import { type OrderLineRow, toOrder, toPlacedOrder, toProduct } from './order-rows.js';
import { placeOrderIn, Refused } from './place-order.js';
import type {
  DatabaseDialect,
  Order,
  OrderPage,
  OrderStore,
  PlacedOrder,
  PlaceOrderInput,
  PlaceOrderOutcome,
  Product,
  ProductInput,
} from './types.js';

/** Tries of one transaction that lost a race (deadlock, serialization, busy file) before giving up. */
const ATTEMPTS = 8;
export const MAX_ORDER_PAGE = 500;

export interface KyselyOrderStoreOptions {
  /** PostgreSQL only: the schema the tables live in (the connection's search_path names it). */
  pgSchema?: string | undefined;
}

/**
 * The order store on any database Kysely speaks: one query code for SQLite, PostgreSQL and
 * MySQL/MariaDB. The rules that must hold across instances are the database's: a conditional
 * update takes stock (never read, then written), a unique key allows one order per ticket.
 */
export class KyselyOrderStore implements OrderStore {
  readonly dialect: DatabaseDialect;
  readonly control: ControlStore;
  readonly #db: Kysely<OrdersDatabase>;
  readonly #pgSchema: string | undefined;
  #closed: Promise<void> | null = null;
  /** The request for each ticket being placed in this instance: its duplicates wait for it. */
  readonly #placing = new Map<string, Promise<PlaceOrderOutcome>>();

  constructor(db: Kysely<OrdersDatabase>, dialect: DatabaseDialect, options: KyselyOrderStoreOptions = {}) {
    this.#db = db;
    this.dialect = dialect;
    this.control = new KyselyControlStore(db);
    this.#pgSchema = options.pgSchema;
  }

  async migrate(): Promise<void> {
    await this.runMigrations();
  }

  /** Runs the migrations not yet applied; returns their names (none when up to date). */
  async runMigrations(): Promise<string[]> {
    let migrationTableSchema: string | undefined;
    if (this.dialect === 'postgres') {
      if (this.#pgSchema !== undefined) await this.#createPgSchema(this.#pgSchema);
      // Kysely looks for its migration table in every schema unless told which: another
      // schema's table (another test run, another app) must not count as ours.
      const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(
        this.#db,
      );
      migrationTableSchema = rows[0]?.schema ?? undefined;
      if (migrationTableSchema === undefined)
        throw new Error('PostgreSQL: no schema on the search_path exists');
    }
    const migrator = new Migrator({
      db: this.#db,
      provider: new InCodeMigrationProvider(this.dialect),
      ...(migrationTableSchema !== undefined ? { migrationTableSchema } : {}),
    });
    const { error, results = [] } = await migrator.migrateToLatest();
    if (error !== undefined) {
      const failed = results.find((result) => result.status === 'Error')?.migrationName;
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(failed ? `migration ${failed} failed: ${reason}` : reason, { cause: error });
    }
    return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
  }

  async #createPgSchema(schema: string): Promise<void> {
    try {
      await this.#db.schema.createSchema(schema).ifNotExists().execute();
    } catch (error) {
      // Two instances creating it at once: the loser's "if not exists" can still collide.
      if (!isUniqueViolation(error)) throw error;
    }
  }

  async putProducts(roomId: string, products: ProductInput[], now: number): Promise<Product[]> {
    checkProductInputs(products);
    // Two instances seeding the same room at once: the second insert fails on the primary
    // key, and its retry finds the row to update.
    return this.#retrying(isUniqueViolation, () =>
      this.#db.transaction().execute(async (trx) => {
        for (const [position, p] of products.entries()) {
          const fields = {
            name: p.name,
            description: p.description ?? null,
            price_cents: p.priceCents,
            currency: p.currency,
            stock: p.stock,
            max_per_order: p.maxPerOrder ?? null,
            position,
            on_sale: 1,
            updated_at: now,
          };
          const updated = await trx
            .updateTable('products')
            .set(fields)
            .where('room_id', '=', roomId)
            .where('id', '=', p.id)
            .executeTakeFirst();
          if (updated.numUpdatedRows === 0n) {
            await trx
              .insertInto('products')
              .values({ ...fields, room_id: roomId, id: p.id, sold: 0, created_at: now })
              .execute();
          }
        }
        let withdraw = trx
          .updateTable('products')
          .set({ on_sale: 0, updated_at: now })
          .where('room_id', '=', roomId)
          .where('on_sale', '=', 1);
        if (products.length > 0) {
          withdraw = withdraw.where(
            'id',
            'not in',
            products.map((p) => p.id),
          );
        }
        await withdraw.execute();
        return (await onSale(trx, roomId)).map(toProduct);
      }),
    );
  }

  async listProducts(roomId: string): Promise<Product[]> {
    return (await onSale(this.#db, roomId)).map(toProduct);
  }

  /**
   * Requests for one ticket take turns in this instance: a double click waits for the first
   * request and answers from its order, instead of racing it into the database. (On MySQL, the
   * inserts that wait behind a rolled-back one deadlock with each other; retries resolve that,
   * but a crowd of duplicates would use them up.) Across instances the unique key decides.
   */
  async placeOrder(input: PlaceOrderInput): Promise<PlaceOrderOutcome> {
    checkPlaceOrderInput(input);
    const ticket = JSON.stringify([input.roomId, input.ticketId]);
    const before = this.#placing.get(ticket);
    const mine = (before ?? Promise.resolve()).catch(() => {}).then(() => this.#placeOrder(input));
    this.#placing.set(ticket, mine);
    try {
      return await mine;
    } finally {
      if (this.#placing.get(ticket) === mine) this.#placing.delete(ticket);
    }
  }

  async #placeOrder(input: PlaceOrderInput): Promise<PlaceOrderOutcome> {
    let lastError: unknown = null;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      // A ticket that has its order answers from it: a replay, another body, another key.
      const placed = await this.findPlaced(input.roomId, input.ticketId);
      if (placed) return answerFrom(placed, input);

      const rows = await this.#db
        .selectFrom('products')
        .selectAll()
        .where('room_id', '=', input.roomId)
        .where(
          'id',
          'in',
          input.items.map((item) => item.productId),
        )
        .execute();
      const checked = checkItemsAgainst(input.items, rows);
      if (!checked.ok) return checked;

      try {
        const order = await this.#db
          .transaction()
          .setIsolationLevel('read committed')
          .execute((trx) => placeOrderIn(trx, input, checked.currency));
        return { ok: true, order, replayed: false };
      } catch (error) {
        if (error instanceof Refused) return error.outcome;
        // Another request for this ticket committed first: the next turn reads its order.
        if (!isUniqueViolation(error) && !isTransient(error)) throw error;
        lastError = error;
        if (isTransient(error)) await backOff(attempt);
      }
    }
    throw lastError;
  }

  async getOrder(orderId: string): Promise<Order | null> {
    const row = await this.#db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst();
    return row ? toOrder(row, await this.#linesOf([row.id])) : null;
  }

  async findOrderForTicket(roomId: string, ticketId: string): Promise<Order | null> {
    return (await this.findPlaced(roomId, ticketId))?.order ?? null;
  }

  async findPlaced(roomId: string, ticketId: string): Promise<PlacedOrder | null> {
    const row = await this.#db
      .selectFrom('orders')
      .selectAll()
      .where('room_id', '=', roomId)
      .where('ticket_id', '=', ticketId)
      .executeTakeFirst();
    return row ? toPlacedOrder(row, await this.#linesOf([row.id])) : null;
  }

  async listOrders(options: { roomId?: string; limit: number; cursor?: string | null }): Promise<OrderPage> {
    const { roomId, limit, cursor } = options;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_ORDER_PAGE) {
      throw new InvalidRequestError(`limit must be an integer from 1 to ${MAX_ORDER_PAGE}`);
    }
    const after = cursor ? decodeOrderCursor(cursor) : null;
    let query = this.#db.selectFrom('orders').selectAll();
    if (roomId !== undefined) query = query.where('room_id', '=', roomId);
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '<', after.createdAt),
          eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
        ]),
      );
    }
    // One row more than asked tells whether a next page exists.
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const lines = await this.#linesOf(page.map((row) => row.id));
    const last = page.at(-1);
    return {
      orders: page.map((row) =>
        toOrder(
          row,
          lines.filter((line) => line.order_id === row.id),
        ),
      ),
      nextCursor:
        rows.length > limit && last
          ? encodeOrderCursor({ createdAt: Number(last.created_at), id: last.id })
          : null,
    };
  }

  async eraseCustomer(target: { email: string } | { orderId: string }, now: number): Promise<number> {
    const erase = this.#db
      .updateTable('orders')
      .set({
        customer_first_name: null,
        customer_last_name: null,
        customer_email: null,
        customer_phone: null,
        erased_at: now,
      })
      .where('erased_at', 'is', null);
    const result =
      'email' in target
        ? await erase
            .where((eb) =>
              eb(eb.fn('lower', ['customer_email']), '=', eb.fn('lower', [eb.val(target.email)])),
            )
            .executeTakeFirst()
        : await erase.where('id', '=', target.orderId).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.#db);
  }

  close(): Promise<void> {
    this.#closed ??= this.#db.destroy();
    return this.#closed;
  }

  async #linesOf(orderIds: readonly string[]): Promise<OrderLineRow[]> {
    if (orderIds.length === 0) return [];
    return this.#db.selectFrom('order_lines').selectAll().where('order_id', 'in', orderIds).execute();
  }

  /** Runs `work` again after a transient failure, or one `alsoRetry` accepts, a few times. */
  async #retrying<T>(alsoRetry: (error: unknown) => boolean, work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (attempt >= ATTEMPTS || !(isTransient(error) || alsoRetry(error))) throw error;
        await backOff(attempt);
      }
    }
  }
}

function onSale(db: Kysely<OrdersDatabase>, roomId: string) {
  return db
    .selectFrom('products')
    .selectAll()
    .where('room_id', '=', roomId)
    .where('on_sale', '=', 1)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

/** The answer to a second request for a ticket that has its order. */
function answerFrom(placed: PlacedOrder, input: PlaceOrderInput): PlaceOrderOutcome {
  if (placed.idempotencyKey !== input.idempotencyKey) return { ok: false, reason: 'ADMISSION_USED' };
  if (placed.requestHash !== input.requestHash) return { ok: false, reason: 'IDEMPOTENCY_CONFLICT' };
  return { ok: true, order: placed.order, replayed: true };
}

/** A short random pause, longer at each try, so that the losers of a race do not meet again. */
function backOff(attempt: number): Promise<void> {
  return sleep(Math.round(Math.random() * Math.min(500, 10 * 2 ** attempt)));
}
