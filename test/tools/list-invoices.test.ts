/** list_invoices: "what is overdue?", "what did this customer pay last quarter?", "which invoices belong to this subscription?". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { collectAll, startHarness, type Harness } from '../helpers/harness.js';
import { id, ids, iso, major, asSent } from '../helpers/expected.js';
import { cleanDeep } from '../../src/stripe/sanitize.js';
import type { Dataset } from '../../src/emulator/types.js';

const subscriptionOf = (inv: Stripe.Invoice) => id(inv.parent?.subscription_details?.subscription);
const sum = (items: Array<{ amount: number }> | null, currency: string) =>
  items === null ? null : major(items.reduce((total, item) => total + item.amount, 0), currency);

function expected(inv: Stripe.Invoice) {
  return {
    id: inv.id,
    number: inv.number,
    status: inv.status,
    amount_due: major(inv.amount_due, inv.currency),
    amount_paid: major(inv.amount_paid, inv.currency),
    amount_remaining: major(inv.amount_remaining, inv.currency),
    subtotal: major(inv.subtotal, inv.currency),
    discount: sum(inv.total_discount_amounts, inv.currency),
    tax: sum(inv.total_taxes, inv.currency),
    total: major(inv.total, inv.currency),
    currency: inv.currency,
    customer: id(inv.customer),
    customer_email: inv.customer_email,
    customer_name: inv.customer_name,
    subscription: subscriptionOf(inv),
    collection_method: inv.collection_method,
    billing_reason: inv.billing_reason,
    created: iso(inv.created),
    due_date: iso(inv.due_date),
    period_start: iso(inv.period_start),
    period_end: iso(inv.period_end),
    paid_at: iso(inv.status_transitions.paid_at),
    hosted_invoice_url: inv.hosted_invoice_url ?? null,
    attempt_count: inv.attempt_count,
    line_count: inv.lines.data.length,
    lines: inv.lines.data.slice(0, 5).map((line) => ({
      description: line.description,
      amount: major(line.amount, line.currency),
      price: id(line.pricing?.price_details?.price),
      quantity: line.quantity,
      period_start: iso(line.period.start),
      period_end: iso(line.period.end),
    })),
    metadata: inv.metadata ?? {},
  };
}

let h: Harness;
let data: Dataset;
let invoices: Stripe.Invoice[];
beforeAll(async () => {
  h = await startHarness();
  data = h.emulator.dataset('test');
  invoices = data.invoices;
});
afterAll(async () => h?.close());

describe('list_invoices', () => {
  it('lists every invoice newest first, without gaps or duplicates, each with the fields that matter', async () => {
    const all = await collectAll(h, 'list_invoices');
    expect(invoices.length).toBeGreaterThan(100);
    expect(ids(all)).toEqual(ids(invoices));
    for (const [i, inv] of all.entries()) expect(inv).toEqual(asSent(cleanDeep(expected(invoices[i]!))));
    // The subscription comes from parent.subscription_details (there is no top-level invoice.subscription).
    expect(all.some((inv) => inv.subscription != null)).toBe(true);
    expect(all.some((inv) => inv.paid_at != null && inv.status === 'paid')).toBe(true);
  });

  it("filters on status and collection method on Stripe's side", async () => {
    for (const status of ['draft', 'open', 'paid', 'uncollectible', 'void'] as const) {
      const wanted = invoices.filter((inv) => inv.status === status);
      expect(wanted.length, status).toBeGreaterThan(0);
      const before = h.emulator.requests.length;
      const got = await collectAll(h, 'list_invoices', { status });
      expect(ids(got), status).toEqual(ids(wanted));
      const sent = h.emulator.requests.slice(before).filter((r) => r.path === '/v1/invoices');
      expect(sent.every((r) => r.query.status === status)).toBe(true);
    }
    for (const method of ['send_invoice', 'charge_automatically'] as const) {
      const wanted = invoices.filter((inv) => inv.collection_method === method);
      expect(wanted.length, method).toBeGreaterThan(0);
      expect(ids(await collectAll(h, 'list_invoices', { collection_method: method }))).toEqual(ids(wanted));
    }
  });

  it('filters on customer and on subscription', async () => {
    const customer = data.special.jpyCustomer;
    const mine = await collectAll(h, 'list_invoices', { customer });
    expect(mine.length).toBeGreaterThan(0);
    expect(ids(mine)).toEqual(ids(invoices.filter((inv) => id(inv.customer) === customer)));
    expect(mine.every((inv) => inv.currency === 'jpy' && /^\d+$/.test(inv.total))).toBe(true);

    const subscription = subscriptionOf(invoices.find((inv) => subscriptionOf(inv) && invoices.filter((x) => subscriptionOf(x) === subscriptionOf(inv)).length > 1)!)!;
    const before = h.emulator.requests.length;
    const ofSub = await collectAll(h, 'list_invoices', { subscription });
    expect(ofSub.length).toBeGreaterThan(1);
    expect(ids(ofSub)).toEqual(ids(invoices.filter((inv) => subscriptionOf(inv) === subscription)));
    expect(ofSub.every((inv) => inv.subscription === subscription)).toBe(true);
    const sent = h.emulator.requests.slice(before).filter((r) => r.path === '/v1/invoices');
    expect(sent.every((r) => r.query.subscription === subscription)).toBe(true);
  });

  it('finds overdue invoices by due date: after inclusive, before exclusive, no due date left out', async () => {
    const due = invoices.filter((inv) => inv.due_date !== null);
    expect(due.length).toBeGreaterThan(0);
    expect(due.length).toBeLessThan(invoices.length);
    const now = data.now;
    const overdue = await collectAll(h, 'list_invoices', { status: 'open', due_before: now });
    const wantedOverdue = invoices.filter((inv) => inv.status === 'open' && inv.due_date !== null && inv.due_date < now);
    expect(wantedOverdue.length).toBeGreaterThan(0);
    expect(ids(overdue)).toEqual(ids(wantedOverdue));

    const dates = [...new Set(due.map((inv) => inv.due_date!))].sort((a, b) => a - b);
    const from = dates[Math.floor(dates.length / 3)]!;
    const to = dates[Math.floor((dates.length * 2) / 3)]!;
    const window = await collectAll(h, 'list_invoices', { due_after: iso(from), due_before: iso(to) });
    const wanted = due.filter((inv) => inv.due_date! >= from && inv.due_date! < to);
    expect(wanted.length).toBeGreaterThan(0);
    expect(ids(window)).toEqual(ids(wanted));
    expect(window.some((inv) => inv.due_date === iso(from))).toBe(true);
    expect(window.some((inv) => inv.due_date === iso(to))).toBe(false);
    const sent = h.emulator.requests.filter((r) => r.path === '/v1/invoices' && r.query.due_date !== undefined).at(-1)!;
    expect(sent.query.due_date).toEqual({ gte: String(from), lt: String(to) });
  });

  it('gives discounts as money in major units', async () => {
    const discounted = invoices.find((inv) => (inv.total_discount_amounts ?? []).some((d) => d.amount > 0))!;
    expect(discounted).toBeDefined();
    const got = (await collectAll(h, 'list_invoices', { customer: id(discounted.customer)! })).find((inv) => inv.id === discounted.id)!;
    expect(got.discount).toBe(major(discounted.total_discount_amounts!.reduce((t, d) => t + d.amount, 0), discounted.currency));
    expect(got.discount).not.toBe(major(0, discounted.currency));
  });

  it('explains bad input instead of calling Stripe', async () => {
    const before = h.emulator.requests.length;
    const badDue = await h.call('list_invoices', { due_before: '2026-13-45' });
    expect(badDue.isError).toBe(true);
    expect(badDue.text).toMatch(/due_before.*2026-13-45.*not a real calendar date/);
    const reversedCreated = await h.call('list_invoices', { created_after: '2026-06-01', created_before: '2026-05-01' });
    expect(reversedCreated.isError).toBe(true);
    expect(reversedCreated.text).toMatch(/created_after .* must be earlier than created_before/);
    const unknown = await h.call('list_invoices', { overdue: true });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/overdue/);
    const badStatus = await h.call('list_invoices', { status: 'unpaid' });
    expect(badStatus.isError).toBe(true);
    expect(h.emulator.requests.length).toBe(before);
  });
});
