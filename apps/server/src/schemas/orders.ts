import { Type } from 'typebox';
import { Nullable } from './common.js';

/** A product's id: letters, digits, '-' and '_'. */
const ProductId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$' });
const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217, e.g. EUR' });
const Cents = Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'Integer cents' });

export const PublicProductBody = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Nullable(Type.String()),
    priceCents: Type.Integer(),
    currency: Type.String(),
    available: Type.Integer({ minimum: 0, description: 'Units still for sale' }),
    maxPerOrder: Nullable(Type.Integer({ minimum: 1 })),
  },
  { title: 'Product' },
);

export const ProductListBody = Type.Object(
  { products: Type.Array(PublicProductBody) },
  { title: 'ProductList' },
);

export const ProductInputBody = Type.Object(
  {
    id: ProductId,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    priceCents: Cents,
    currency: Currency,
    stock: Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'Units for sale from now on' }),
    maxPerOrder: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1000 }))),
  },
  { additionalProperties: false, title: 'ProductInput' },
);

export const PutProductsBody = Type.Object(
  { products: Type.Array(ProductInputBody, { maxItems: 500 }) },
  { additionalProperties: false, title: 'PutProducts' },
);

export const AdminProductBody = Type.Object(
  {
    ...PublicProductBody.properties,
    sold: Type.Integer({ minimum: 0, description: 'Units in confirmed orders' }),
  },
  { title: 'AdminProduct' },
);

export const AdminProductListBody = Type.Object(
  { products: Type.Array(AdminProductBody) },
  { title: 'AdminProductList' },
);

export const CustomerBody = Type.Object(
  {
    firstName: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    lastName: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    email: Type.String({ format: 'email', maxLength: 254 }),
    phone: Type.String({
      pattern: '^\\+?[0-9]{6,15}$',
      description: 'Digits with an optional leading +, 6 to 15 digits',
    }),
  },
  { additionalProperties: false, title: 'Customer' },
);

export const PlaceOrderBody = Type.Object(
  {
    customer: CustomerBody,
    items: Type.Array(
      Type.Object(
        { productId: ProductId, quantity: Type.Integer({ minimum: 1, maximum: 1000 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50 },
    ),
  },
  { additionalProperties: false, title: 'PlaceOrder' },
);

export const OrderBody = Type.Object(
  {
    id: Type.String(),
    roomId: Type.String(),
    ticketId: Type.String(),
    status: Type.Enum(['confirmed']),
    customer: Nullable(
      Type.Object(
        { firstName: Type.String(), lastName: Type.String(), email: Type.String(), phone: Type.String() },
        { description: 'null once the operator erased the customer’s details' },
      ),
    ),
    items: Type.Array(
      Type.Object({ productId: Type.String(), quantity: Type.Integer(), unitPriceCents: Type.Integer() }),
    ),
    totalCents: Type.Integer(),
    currency: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    erasedAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { title: 'Order' },
);

export const OrderIdParams = Type.Object({ orderId: Type.String({ minLength: 1, maxLength: 100 }) });

export const OrderListQuery = Type.Object(
  {
    roomId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const OrderListBody = Type.Object(
  { orders: Type.Array(OrderBody), nextCursor: Nullable(Type.String()) },
  { title: 'OrderList' },
);

export const EraseCustomerBody = Type.Object(
  { email: Type.String({ format: 'email', maxLength: 254 }) },
  { additionalProperties: false, title: 'EraseCustomer' },
);

export const ErasedBody = Type.Object({ erased: Type.Integer({ minimum: 0 }) }, { title: 'Erased' });
