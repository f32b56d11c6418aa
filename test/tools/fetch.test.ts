/** fetch: one object by id, as ChatGPT's deep research and company knowledge call it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDashboardAdvice, startHarness, startRestrictedHarness, type Harness } from '../helpers/harness.js';
import { major } from '../helpers/expected.js';
import type { Dataset } from '../../src/emulator/types.js';
import { OBJECT_KINDS } from '../../src/tools/lists/index.js';

let h: Harness;
let data: Dataset;
beforeAll(async () => {
  h = await startHarness();
  data = h.emulator.dataset('test');
});
afterAll(async () => h?.close());

describe('fetch', () => {
  it('opens every kind of object the list tools return, with a title, a readable text and a Dashboard link', async () => {
    const samples: Array<[string, string]> = [
      [data.customers[0]!.id, 'customers'],
      [data.charges[0]!.id, 'payments'],
      [data.paymentIntents[0]!.id, 'payments'],
      [data.invoices[0]!.id, 'invoices'],
      [data.subscriptions[0]!.id, 'subscriptions'],
      [data.products[0]!.id, 'products'],
      [data.prices[0]!.id, 'prices'],
      [data.refunds[0]!.id, 'refunds'],
      [data.disputes[0]!.id, 'disputes'],
      [data.payouts[0]!.id, 'payouts'],
      [data.balanceTransactions[0]!.id, 'balance/history'],
    ];
    for (const [id, path] of samples) {
      const r = await h.call('fetch', { id });
      expect(r.isError, `${id}: ${r.text}`).toBe(false);
      const body = JSON.parse(r.text);
      expect(body).toMatchObject({ id, url: `https://dashboard.stripe.com/test/${path}/${id}` });
      expect(body.title.length).toBeGreaterThan(3);
      expect(body.text).toMatch(/created: \d{4}-\d\d-\d\dT/);
      expect(r.structured).toEqual(body);
    }
  });

  it('summarises money exactly in major units', async () => {
    const charge = data.charges.find((c) => c.currency === 'jpy') ?? data.charges[0]!;
    const r = await h.call('fetch', { id: charge.id });
    expect(r.structured.text).toContain(`amount: ${major(charge.amount, charge.currency)}`);
    expect(r.structured.title).toContain(`${major(charge.amount, charge.currency)} ${charge.currency.toUpperCase()}`);
  });

  it('links to live mode without test/ and refuses nothing across modes it was not asked for', async () => {
    const live = h.emulator.dataset('live').customers[0]!;
    const r = await h.call('fetch', { id: live.id, mode: 'live' });
    expect(r.structured.url).toBe(`https://dashboard.stripe.com/customers/${live.id}`);
    const wrongMode = await h.call('fetch', { id: live.id });
    expect(wrongMode.isError).toBe(true);
    expect(wrongMode.text).toMatch(/No such customer|Not found/);
  });

  it('explains ids it cannot open and ids that do not exist', async () => {
    const unknownKind = await h.call('fetch', { id: 'acct_1234567890' });
    expect(unknownKind.isError).toBe(true);
    expect(unknownKind.text).toContain(`Supported prefixes: ${OBJECT_KINDS.flatMap((k) => k.idPrefixes).join(', ')}.`);
    const missing = await h.call('fetch', { id: 'cus_doesnotexist00' });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/Not found/);
    const garbage = await h.call('fetch', { id: 'DROP TABLE' });
    expect(garbage.isError).toBe(true);
  });

  it('tells a restricted key which permission it lacks', async () => {
    const r = await startRestrictedHarness(['rak_customer_read']);
    try {
      const result = await r.call('fetch', { id: data.invoices[0]!.id });
      expectDashboardAdvice(r, result, 'Invoices');
    } finally {
      await r.close();
    }
  });
});
