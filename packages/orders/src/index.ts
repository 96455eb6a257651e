export {
  type AuditEntry,
  type AuditInput,
  type AuditPage,
  type ChangeAuthor,
  type ControlStore,
  type NewOperatorKey,
  OPERATOR_SCOPES,
  type OperatorKey,
  type OperatorScope,
  type RevokeOutcome,
} from './control-types.js';
export { KyselyControlStore, MAX_AUDIT_PAGE } from './kysely-control-store.js';
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
