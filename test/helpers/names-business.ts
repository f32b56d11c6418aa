/**
 * A small business for the names tests (test/tools/names.test.ts, test/cli/names.test.ts): three customers (one
 * deleted), a product and one deleted since, a price with a nickname and one without, charges and subscriptions.
 */
import type Stripe from 'stripe';
import { seed } from '../../src/emulator/index.js';

export const at = (iso: string) => Date.parse(iso) / 1000;

export const ada = seed.customer({ name: 'Ada Lovelace', email: 'ada@example.com', created: at('2026-01-02') });
export const bob = seed.customer({ name: 'Bob Stone', email: null, created: at('2026-01-03') });
export const gone = { ...seed.customer({ name: 'Gone Ltd', created: at('2026-01-04') }), deleted: true } as unknown as Stripe.Customer;
export const pro = seed.product({ name: 'Pro' });
/** Referenced by a price, but no longer in the products (deleted). */
export const legacy = seed.product({ name: 'Legacy' });
export const proMonthly = seed.price({ product: pro.id, nickname: 'Pro monthly', unit_amount: 2900, recurring: { interval: 'month' } });
export const legacyQuarterly = seed.price({ product: legacy.id, unit_amount: 1500, recurring: { interval: 'month', interval_count: 3 } });

export const charge = (customer: Stripe.Customer, amount: number, currency = 'usd') => seed.charge({ customer: customer.id, amount, currency, created: at('2026-03-01') });
const ended = (iso: string) => ({ status: 'canceled' as const, ended_at: at(iso), canceled_at: at(iso) });
const sub = (customer: Stripe.Customer, price: Stripe.Price, extra: Pick<Partial<Stripe.Subscription>, 'status' | 'ended_at' | 'canceled_at'> = {}) =>
  seed.subscription({ customer: customer.id, items: [price], start_date: at('2026-02-01'), created: at('2026-02-01'), ...extra });

export const objects = {
  customers: [ada, bob, gone],
  products: [pro],
  prices: [proMonthly, legacyQuarterly],
  charges: [charge(ada, 5000), charge(ada, 1000), charge(bob, 3000), charge(gone, 4000), charge(bob, 700, 'eur')],
  subscriptions: [sub(ada, proMonthly), sub(bob, legacyQuarterly), sub(gone, proMonthly, ended('2026-06-10')), sub(ada, legacyQuarterly, ended('2026-06-20'))],
};
