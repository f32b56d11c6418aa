/**
 * Names for answers keyed by ids: a customer's name and email, a product's name. Looked up only for the rows an
 * answer returns, in as few requests as Stripe allows, and only while the key may read them (a key without the
 * permission gets ids and a caveat saying what to set).
 *
 * - Products: one `GET /v1/products?ids[]=…` serves up to 100 (docs.stripe.com/api/products/list, `ids`: "Only
 *   return products with the given IDs"; not combinable with starting_after/ending_before, so never more ids than
 *   one page holds). A product it does not return was deleted.
 * - Customers: Stripe has no batch retrieve. The customers list filters only by email, created and test_clock
 *   (docs.stripe.com/api/customers/list) and customer search has no id field (docs.stripe.com/search, query fields
 *   for customers: created, email, metadata, name, phone). Reading the list (100 a page) serves a small account
 *   whole in a few requests; retrieving by id costs one request a customer. Which is cheaper depends on how many
 *   customers the account has, which only the list tells: so pages are read while fewer pages have been read than
 *   customers are still missing (at most MAX_LIST_PAGES), then the rest are retrieved by id, a few at a time
 *   through the shared rate limiter, at most MAX_CUSTOMERS_BY_ID of them. That costs at most about twice the
 *   cheaper of the two (the ski-rental rule; customers the list never shows are retrieved either way: deleted and
 *   test-clock ones). A deleted customer is still retrievable and says `deleted: true`
 *   (docs.stripe.com/api/customers/delete).
 */
import type Stripe from 'stripe';
import { READ_PERMISSION_LABELS } from '../../stripe/permissions.js';
import type { ToolContext } from '../define-tool.js';
import { assertMode } from './mode.js';
import { readIfAllowed } from './optional-permission.js';
import { paced, sliceConcurrency } from './pacer.js';
import { PAGE_SIZE } from './scan.js';

/** What a name reads as when Stripe says the object was deleted. */
export const DELETED = '(deleted)';
/** Customers retrieved one by one at most, per answer: about 4 s at test mode's 25/s. */
export const MAX_CUSTOMERS_BY_ID = 100;
/** Pages of the customers list read at most, per answer (2,000 customers). */
export const MAX_LIST_PAGES = 20;

export interface CustomerName {
  name: string | null;
  email: string | null;
}

export interface CustomerNames {
  names: Map<string, CustomerName>;
  /** Customers left unnamed because more than MAX_CUSTOMERS_BY_ID had to be retrieved one by one. */
  unnamed: number;
}

type NamePermission = 'rak_customer_read' | 'rak_product_read';

/** The caveat of an answer that shows ids because the key cannot read their names. */
export function namesMissingCaveat(permission: NamePermission): string {
  const label = READ_PERMISSION_LABELS[permission];
  const what = permission === 'rak_customer_read' ? 'customer' : 'product';
  return `${what[0]!.toUpperCase()}${what.slice(1)} names are missing: the key cannot read ${label} (Stripe asked for '${permission}'; set "${label}" to Read to see them); rows show ${what} ids.`;
}

const unique = (ids: Iterable<string | null | undefined>) => [...new Set([...ids].filter((id): id is string => typeof id === 'string' && id !== ''))];

/** Product id → name (DELETED when Stripe no longer has it); null when the key cannot read Products. */
export async function productNames(ctx: ToolContext, ids: Iterable<string | null | undefined>): Promise<Map<string, string> | null> {
  const wanted = unique(ids);
  if (wanted.length === 0) return new Map();
  return readIfAllowed(ctx, 'rak_product_read', async () => {
    const names = new Map<string, string>();
    for (let i = 0; i < wanted.length; i += PAGE_SIZE) {
      const chunk = wanted.slice(i, i + PAGE_SIZE);
      const page = await paced(ctx, 'api', () => ctx.stripe.products.list({ ids: chunk, limit: chunk.length }));
      assertMode(page.data, ctx);
      for (const product of page.data) names.set(product.id, product.name);
    }
    for (const id of wanted) if (!names.has(id)) names.set(id, DELETED);
    return names;
  });
}

const nameOf = (customer: Stripe.Customer | Stripe.DeletedCustomer): CustomerName =>
  'deleted' in customer && customer.deleted ? { name: DELETED, email: null } : { name: (customer as Stripe.Customer).name ?? null, email: (customer as Stripe.Customer).email ?? null };

/** A customer object as a subscription or charge carries it when expanded; null when it is only an id. */
export function expandedCustomerName(ref: string | Stripe.Customer | Stripe.DeletedCustomer | null | undefined): CustomerName | null {
  return ref && typeof ref === 'object' ? nameOf(ref) : null;
}

/** Customer id → name and email (DELETED as the name of a deleted one); null when the key cannot read Customers. */
export async function customerNames(ctx: ToolContext, ids: Iterable<string | null | undefined>): Promise<CustomerNames | null> {
  const wanted = unique(ids);
  if (wanted.length === 0) return { names: new Map(), unnamed: 0 };
  return readIfAllowed(ctx, 'rak_customer_read', async () => {
    const names = new Map<string, CustomerName>();
    const missing = new Set(wanted);
    let cursor: string | undefined;
    for (let pages = 0; pages < MAX_LIST_PAGES && pages + 1 < missing.size; pages++) {
      const after = cursor;
      const page = await paced(ctx, 'api', () => ctx.stripe.customers.list({ limit: PAGE_SIZE, ...(after ? { starting_after: after } : {}) }));
      assertMode(page.data, ctx);
      for (const customer of page.data) {
        if (!missing.delete(customer.id)) continue;
        names.set(customer.id, nameOf(customer));
      }
      cursor = page.data[page.data.length - 1]?.id;
      if (!page.has_more || !cursor) break;
    }
    const byId = [...missing].slice(0, MAX_CUSTOMERS_BY_ID);
    const workers = Math.min(byId.length, sliceConcurrency(ctx.stripe, ctx.mode));
    let next = 0;
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (next < byId.length) {
          const id = byId[next++]!;
          const customer = await paced(ctx, 'api', () => ctx.stripe.customers.retrieve(id));
          assertMode([customer as { id: string; livemode?: boolean }], ctx);
          names.set(id, nameOf(customer));
        }
      }),
    );
    return { names, unnamed: missing.size - byId.length };
  });
}

type Cell = string | number | null;

/**
 * Names the rows of an aggregate keyed by customer or product (a price's product included), after top: each name
 * right after its id, an absent one left out. What could not be named is said in the note.
 */
export async function nameAggregateRows(ctx: ToolContext, aggregate: { rows: Array<Record<string, Cell>>; note: string }): Promise<void> {
  const { rows } = aggregate;
  const ids = (key: string) => rows.map((r) => r[key]).filter((v): v is string => typeof v === 'string');
  const customerIds = ids('customer');
  const productIds = ids('product');
  if (customerIds.length === 0 && productIds.length === 0) return;
  const [customers, products] = await Promise.all([
    customerIds.length ? customerNames(ctx, customerIds) : undefined,
    productIds.length ? productNames(ctx, productIds) : undefined,
  ]);
  const notes: string[] = [];
  if (customers === null) notes.push(namesMissingCaveat('rak_customer_read'));
  if (products === null) notes.push(namesMissingCaveat('rak_product_read'));
  if (customers?.unnamed) notes.push(`${customers.unnamed} customers are not named: past ${MAX_CUSTOMERS_BY_ID}, each would take a request of its own; rank fewer with top.`);
  aggregate.rows = rows.map((row) => {
    const out: Record<string, Cell> = {};
    for (const [key, value] of Object.entries(row)) {
      out[key] = value;
      if (typeof value !== 'string') continue;
      if (key === 'customer') {
        const c = customers?.names.get(value);
        if (c?.name) out.customer_name = c.name;
        if (c?.email) out.customer_email = c.email;
      } else if (key === 'product') {
        const name = products?.get(value);
        if (name) out.product_name = name;
      }
    }
    return out;
  });
  const deleted = aggregate.rows.some((r) => r.customer_name === DELETED || r.product_name === DELETED);
  if (deleted) notes.push(`${DELETED}: Stripe says the customer or product was deleted.`);
  if (notes.length) aggregate.note = `${aggregate.note} ${notes.join(' ')}`;
}
