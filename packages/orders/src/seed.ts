import type { ProductInput } from './types.js';

/** What the demo room `demo` sells on a first start: a sneaker drop and a concert. */
export const DEMO_PRODUCTS: ProductInput[] = [
  {
    id: 'runner-og-42',
    name: 'Runner OG, limited colourway, EU 42',
    description: 'The numbered re-release: one pair per shopper.',
    priceCents: 18_900,
    currency: 'EUR',
    stock: 150,
    maxPerOrder: 1,
  },
  {
    id: 'runner-og-44',
    name: 'Runner OG, limited colourway, EU 44',
    description: 'The numbered re-release: one pair per shopper.',
    priceCents: 18_900,
    currency: 'EUR',
    stock: 150,
    maxPerOrder: 1,
  },
  {
    id: 'concert-standing',
    name: 'Arena concert, standing ticket',
    description: 'Saturday night, doors at 19:00. Up to two tickets per order.',
    priceCents: 7_450,
    currency: 'EUR',
    stock: 400,
    maxPerOrder: 2,
  },
  {
    id: 'tour-poster',
    name: 'Signed tour poster',
    description: 'A2, signed by the band.',
    priceCents: 2_500,
    currency: 'EUR',
    stock: 80,
    maxPerOrder: 3,
  },
];
