import { randomBytes } from 'node:crypto';
import type * as Vitest from 'vitest';
import type { Customer, OrderStore, PlaceOrderInput, Product, ProductInput } from '../types.js';

/** The parts of vitest the suite uses; pass `import * as vitest from 'vitest'`. */
export type TestApi = Pick<typeof Vitest, 'describe' | 'it' | 'expect' | 'beforeEach' | 'afterEach'>;

/**
 * Opens a store on the test's database; the suite migrates the first and closes them after the
 * test. Calls within one test must share a database: they play several server instances.
 */
export type MakeOrderStore = () => Promise<OrderStore>;

/** The differences a store is allowed; everything else it must do exactly as the suite says. */
export interface OrderStoreSuiteOptions {
  /**
   * How many stores (server instances) the tests of orders at once spread their requests over,
   * so that the database, not one instance, keeps the rules. Default 1; SQLite stays at 1, as its
   * synchronous driver waiting for the file lock would stop the one process holding it.
   */
  instances?: number;
  /**
   * Stores whose database does not answer (nothing listening, a server that never replies),
   * by name: opening one and calling it must fail within `promptMs`.
   */
  unreachable?: Record<string, MakeOrderStore>;
  /** How soon a call to an unreachable database must fail. Default 5 s. */
  promptMs?: number;
  /**
   * Gives each test a database (or schema) of its own: called before each test, its
   * `makeStore` opens that test's stores and its `drop` removes the database after it. Without
   * it every test opens its stores with the suite's `makeStore`.
   */
  databasePerTest?: () => Promise<{ makeStore: MakeOrderStore; drop(): Promise<void> }>;
}

export interface SuiteContext {
  t: TestApi;
  options: OrderStoreSuiteOptions;
  store(): OrderStore;
  /** The test's stores, `instances` of them, the first being `store()`. */
  stores(): OrderStore[];
  /** The instance for the n-th request of a crowd: round-robin over `stores()`. */
  instance(n: number): OrderStore;
  /** A room id no other test (or run sharing the same database) uses. */
  roomId(label: string): string;
  /** A new room selling `products` (by default the two of `sampleProducts`). */
  room(label: string, products?: ProductInput[]): Promise<{ roomId: string; products: Product[] }>;
  /** An order for `ticketId`: key and body hash derived from the ticket unless given. */
  orderInput(
    roomId: string,
    ticketId: string,
    items: PlaceOrderInput['items'],
    overrides?: Partial<PlaceOrderInput>,
  ): PlaceOrderInput;
  /** The room's product, on sale or not; fails the test when there is none on sale. */
  product(roomId: string, productId: string): Promise<Product>;
}

export const CUSTOMER: Customer = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.com',
  phone: '+441234567890',
};

/** A cap in EUR (at most 2 per order) and a tote in EUR (no limit). */
export function sampleProducts(): ProductInput[] {
  return [
    {
      id: 'cap',
      name: 'Cap',
      description: 'A cap',
      priceCents: 2_500,
      currency: 'EUR',
      stock: 10,
      maxPerOrder: 2,
    },
    { id: 'tote', name: 'Tote bag', priceCents: 1_200, currency: 'EUR', stock: 5 },
  ];
}

export function createSuiteContext(
  t: TestApi,
  makeStore: MakeOrderStore,
  options: OrderStoreSuiteOptions,
): SuiteContext {
  let current: OrderStore[] = [];
  let drop: (() => Promise<void>) | null = null;

  t.beforeEach(async () => {
    let open = makeStore;
    if (options.databasePerTest) {
      const database = await options.databasePerTest();
      open = database.makeStore;
      drop = database.drop;
    }
    for (let n = 0; n < Math.max(1, options.instances ?? 1); n++) {
      const store = await open();
      current.push(store);
      // The first instance brings the database up to date; the others find it so.
      if (n === 0) await store.migrate();
    }
  });
  t.afterEach(async () => {
    await Promise.all(current.map((store) => store.close()));
    current = [];
    await drop?.();
    drop = null;
  });

  const stores = (): OrderStore[] => {
    if (current.length === 0) throw new Error('the store is only available inside a test');
    return current;
  };
  const store = (): OrderStore => stores()[0] as OrderStore;
  const roomId = (label: string): string => `${label}-${randomBytes(5).toString('hex')}`;

  return {
    t,
    options,
    store,
    stores,
    instance: (n) => stores()[n % stores().length] as OrderStore,
    roomId,
    async room(label, products = sampleProducts()) {
      const id = roomId(label);
      return { roomId: id, products: await store().putProducts(id, products, Date.now()) };
    },
    orderInput(room, ticketId, items, overrides = {}) {
      return {
        orderId: `ord_${randomBytes(12).toString('base64url')}`,
        roomId: room,
        ticketId,
        idempotencyKey: `key-${ticketId}`,
        requestHash: `hash-${JSON.stringify(items)}`,
        customer: CUSTOMER,
        items,
        now: Date.now(),
        ...overrides,
      };
    },
    async product(room, productId) {
      const found = (await store().listProducts(room)).find((p) => p.id === productId);
      if (!found) throw new Error(`no product ${productId} on sale in ${room}`);
      return found;
    },
  };
}
