import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../../shared/api/http';
import type { Customer, Order, PlaceOrder, Product } from '../../../shared/api/types';
import { formatMoney } from '../../../shared/format/money';
import { Notice } from '../../../shared/ui/notice';
import { placeOrder } from '../api/place-order';
import {
  CUSTOMER_FIELDS,
  type CustomerErrors,
  type CustomerField,
  checkCustomer,
  cleanCustomer,
  fieldOfServerMessage,
} from '../customer-rules';
import { useProducts } from '../hooks/use-products';
import { newIdempotencyKey } from '../idempotency-key';
import { CustomerFields } from './customer-fields';
import { maxQuantity, ProductCard } from './product-card';

export interface OrderFormProps {
  roomId: string;
  admissionToken: string;
  /** The admission ran out on this device's clock: nothing can be sent any more. */
  expired?: boolean;
  onPlaced(order: Order, products: readonly Product[]): void;
}

const EMPTY_CUSTOMER: Customer = { firstName: '', lastName: '', email: '', phone: '' };

interface Refusal {
  title: string;
  text: string;
}

/** The admitted shopper's one order: products and quantities, a live total, name, e-mail and phone. */
export function OrderForm({ roomId, admissionToken, expired = false, onPlaced }: OrderFormProps) {
  const products = useProducts(roomId);
  const list = products.data ?? [];
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const [customer, setCustomer] = useState<Customer>(EMPTY_CUSTOMER);
  const [touched, setTouched] = useState<Partial<Record<CustomerField, boolean>>>({});
  const [triedToSubmit, setTriedToSubmit] = useState(false);
  const [serverErrors, setServerErrors] = useState<CustomerErrors>({});
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [sending, setSending] = useState(false);
  // One key per order body: a retry of the same order after a lost answer reuses it.
  const attempt = useRef<{ body: string; key: string } | null>(null);

  // What is left can shrink while the shopper chooses: never ask for more than that.
  useEffect(() => {
    if (!products.data) return;
    setQuantities((current) => {
      let changed = false;
      const next = { ...current };
      for (const product of products.data ?? []) {
        const q = next[product.id] ?? 0;
        const max = maxQuantity(product);
        if (q > max) {
          next[product.id] = max;
          changed = true;
        }
      }
      return changed ? next : current;
    });
  }, [products.data]);

  const clientErrors = checkCustomer(customer);
  const shownErrors: CustomerErrors = {};
  for (const field of CUSTOMER_FIELDS) {
    const error = serverErrors[field] ?? ((touched[field] || triedToSubmit) && clientErrors[field]);
    if (error) shownErrors[field] = error;
  }

  const items = list
    .map((p) => ({ productId: p.id, quantity: quantities[p.id] ?? 0 }))
    .filter((item) => item.quantity > 0);
  const totalCents = list.reduce((sum, p) => sum + p.priceCents * (quantities[p.id] ?? 0), 0);
  const currency = list[0]?.currency ?? 'EUR';
  const allSoldOut = products.data !== null && list.every((p) => p.available === 0);
  const locked = sending || expired;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTriedToSubmit(true);
    setRefusal(null);
    if (Object.keys(clientErrors).length > 0 || items.length === 0) {
      if (items.length === 0) setRefusal({ title: 'Nothing chosen yet', text: 'Choose at least one item.' });
      return;
    }
    const body: PlaceOrder = { customer: cleanCustomer(customer), items };
    const text = JSON.stringify(body);
    if (attempt.current?.body !== text) attempt.current = { body: text, key: newIdempotencyKey() };
    setSending(true);
    try {
      const order = await placeOrder(admissionToken, attempt.current.key, body);
      onPlaced(order, list);
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError(0, 'NETWORK', String(error));
      const onField = e.code === 'INVALID_REQUEST' ? fieldOfServerMessage(e.message) : null;
      if (onField) setServerErrors((current) => ({ ...current, [onField.field]: onField.message }));
      else setRefusal(describeRefusal(e, list));
      if (e.code === 'SOLD_OUT' || e.code === 'LIMIT_EXCEEDED') products.reload();
    } finally {
      setSending(false);
    }
  };

  const editCustomer = (field: CustomerField, value: string) => {
    setCustomer((current) => ({ ...current, [field]: value }));
    setServerErrors((current) => {
      if (!(field in current)) return current;
      const { [field]: _gone, ...rest } = current;
      return rest;
    });
  };

  if (products.data === null) {
    return products.error ? (
      <Notice tone="error" title="The products could not be loaded">
        <p>{products.error.message}</p>
        <button type="button" className="button button--quiet" onClick={products.reload}>
          Try again
        </button>
      </Notice>
    ) : (
      <p className="muted">Loading the products…</p>
    );
  }

  if (allSoldOut) {
    return (
      <Notice tone="warning" title="Sold out">
        <p>Everything in this sale has been sold. Nothing was ordered and nothing was charged.</p>
        <p>You can close this page.</p>
      </Notice>
    );
  }

  return (
    <form className="order-form" onSubmit={submit} noValidate aria-labelledby="order-title">
      <h2 id="order-title" className="card__title">
        Your order
      </h2>
      <fieldset className="order-form__group" disabled={locked}>
        <legend>Choose what to buy</legend>
        <ul className="products">
          {list.map((product) => (
            <ProductCard
              key={product.id}
              product={product}
              quantity={quantities[product.id] ?? 0}
              onChange={(q) => setQuantities((current) => ({ ...current, [product.id]: q }))}
            />
          ))}
        </ul>
      </fieldset>

      <fieldset className="order-form__group" disabled={locked}>
        <legend>Your details</legend>
        <CustomerFields
          value={customer}
          errors={shownErrors}
          onChange={editCustomer}
          onBlur={(field) => setTouched((current) => ({ ...current, [field]: true }))}
        />
      </fieldset>

      <p className="order-form__total" aria-live="polite">
        <span>Total</span>
        <strong className="number">{formatMoney(totalCents, currency)}</strong>
      </p>

      {refusal ? (
        <Notice tone="error" title={refusal.title} urgent>
          <p>{refusal.text}</p>
        </Notice>
      ) : null}

      <button type="submit" className="button button--wide" disabled={locked}>
        {sending ? 'Placing your order…' : 'Place order'}
      </button>
    </form>
  );
}

/** What a refusal means for the shopper, and what to do next. */
function describeRefusal(error: ApiError, products: readonly Product[]): Refusal {
  switch (error.code) {
    case 'SOLD_OUT': {
      const id = /'([^']+)'/.exec(error.message)?.[1];
      const name = products.find((p) => p.id === id)?.name ?? 'an item';
      return {
        title: 'Not enough left',
        text: `Someone was quicker: there is not enough left of ${name}. Nothing was ordered. The quantities now show what is left: change your order and place it again.`,
      };
    }
    case 'LIMIT_EXCEEDED':
      return {
        title: 'Too many of one item',
        text: 'One item is limited per order. The limits are shown again: lower the quantity and place the order again.',
      };
    case 'ADMISSION_USED':
      return {
        title: 'An order was already placed',
        text: 'Your turn has already been used for an order, perhaps in another tab. Only one order is allowed per turn.',
      };
    case 'TOKEN_EXPIRED':
    case 'INVALID_TOKEN':
    case 'FORBIDDEN':
      return {
        title: 'Your time to order is over',
        text: 'Your turn ended before the order reached the shop. Nothing was ordered.',
      };
    case 'NETWORK':
    case 'UNAVAILABLE':
    case 'INTERNAL':
    case 'BAD_RESPONSE':
      return {
        title: 'The order could not be confirmed',
        text: 'The shop could not be reached or did not answer. Press "Place order" again: the same order is never placed twice.',
      };
    default:
      return { title: 'The order was refused', text: error.message };
  }
}
