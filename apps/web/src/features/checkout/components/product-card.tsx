import type { Product } from '../../../shared/api/types';
import { formatMoney } from '../../../shared/format/money';
import { QuantityStepper } from './quantity-stepper';

/** The most of `product` one order may take now. */
export function maxQuantity(product: Product): number {
  return Math.max(0, Math.min(product.available, product.maxPerOrder ?? product.available, 1000));
}

export interface ProductCardProps {
  product: Product;
  quantity: number;
  onChange(quantity: number): void;
  disabled?: boolean;
}

/** One product: what it is, its price, what is left, and how many to take. */
export function ProductCard({ product, quantity, onChange, disabled = false }: ProductCardProps) {
  const soldOut = product.available === 0;
  const max = maxQuantity(product);
  return (
    <li className={`product${soldOut ? ' product--sold-out' : ''}`}>
      <div className="product__text">
        <h3 className="product__name">{product.name}</h3>
        {product.description ? <p className="product__description">{product.description}</p> : null}
        <p className="product__meta">
          <span className="product__price">{formatMoney(product.priceCents, product.currency)}</span>
          <span className="product__left">
            {soldOut ? 'Sold out' : `${product.available.toLocaleString('en')} left`}
          </span>
          {product.maxPerOrder !== null && !soldOut ? (
            <span className="product__limit">at most {product.maxPerOrder} per order</span>
          ) : null}
        </p>
      </div>
      <QuantityStepper
        name={product.name}
        value={quantity}
        max={max}
        onChange={onChange}
        disabled={disabled || soldOut}
      />
    </li>
  );
}
