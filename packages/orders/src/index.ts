export { KyselyOrderStore, MAX_ORDER_PAGE } from './kysely-order-store.js';
export { describeDatabase, dialectOf, type OpenOrderStoreOptions, openOrderStore } from './open.js';
export { DEMO_PRODUCTS } from './seed.js';
export type {
  Customer,
  DatabaseDialect,
  Order,
  OrderLine,
  OrderPage,
  OrderStore,
  PlacedOrder,
  PlaceOrderInput,
  PlaceOrderOutcome,
  Product,
  ProductInput,
} from './types.js';
