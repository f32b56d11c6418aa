/** get_balance: "how much money is on the account right now?", per currency and never summed across them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { expectDashboardAdvice, useHarness, startRestrictedHarness, type RestrictedHarness } from '../helpers/harness.js';
import { major } from '../helpers/expected.js';

interface Entry {
  amount: number;
  currency: string;
  source_types?: object;
}
const expectedEntries = (entries: Entry[] | undefined) =>
  entries?.map((e) => ({
    currency: e.currency,
    amount: major(e.amount, e.currency),
    ...(e.source_types
      ? { source_types: Object.fromEntries(Object.entries(e.source_types as Record<string, number>).map(([k, v]) => [k, major(v, e.currency)])) }
      : {}),
  }));

const h = useHarness();
let balance: Stripe.Balance;
beforeAll(() => {
  balance = h.emulator.dataset('test').balance;
});

describe('get_balance', () => {
  it('answers available and pending per currency as exact decimal strings', async () => {
    const r = await h.call('get_balance');
    expect(r.isError).toBe(false);
    const s = r.structured;
    expect(s.object).toBe('balance');
    expect(s.available).toEqual(expectedEntries(balance.available));
    expect(s.pending).toEqual(expectedEntries(balance.pending));
    expect(s.available.length).toBeGreaterThan(1); // more than one currency, each its own entry
    expect(new Set(s.available.map((e: { currency: string }) => e.currency)).size).toBe(s.available.length);
    expect(s.note).toMatch(/never added together/);
    expect(s.amounts).toMatch(/major units/);
    expect(s.connection).toBe('demo');
    expect(s.mode).toBe('test');
    expect(s.balance).toBeUndefined();
  });

  it('includes connect_reserved and instant_available when Stripe has them', async () => {
    const r = await h.call('get_balance', {});
    expect(balance.connect_reserved).toBeDefined();
    expect(balance.instant_available).toBeDefined();
    expect(r.structured.connect_reserved).toEqual(expectedEntries(balance.connect_reserved));
    expect(r.structured.instant_available).toEqual(expectedEntries(balance.instant_available));
  });

  it('reads the live balance when asked for live mode', async () => {
    const live = h.emulator.dataset('live').balance;
    const r = await h.call('get_balance', { mode: 'live' });
    expect(r.isError).toBe(false);
    expect(r.structured.mode).toBe('live');
    expect(r.structured.available).toEqual(expectedEntries(live.available));
    expect(r.structured.available).not.toEqual(expectedEntries(balance.available));
  });

  it('returns Stripe\'s balance object with detail "full"', async () => {
    const r = await h.call('get_balance', { detail: 'full' });
    expect(r.isError).toBe(false);
    expect(r.structured.balance).toEqual(JSON.parse(JSON.stringify(balance)));
    expect(r.structured.amounts).toMatch(/minor units/);
    expect(r.structured.available).toBeUndefined();
    expect(r.structured.note).toMatch(/never added together/);
  });

  it('refuses arguments it does not take', async () => {
    const before = h.emulator.requests.length;
    const r = await h.call('get_balance', { currency: 'usd' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/currency/);
    const bad = await h.call('get_balance', { detail: 'everything' });
    expect(bad.isError).toBe(true);
    expect(h.emulator.requests.length).toBe(before);
  });
});

describe('get_balance with a restricted key', () => {
  let r: RestrictedHarness;
  beforeAll(async () => {
    r = await startRestrictedHarness(['rak_payout_read']);
  });
  afterAll(async () => r?.close());

  it('tells the user which Dashboard permission to turn on', async () => {
    expectDashboardAdvice(r, await r.call('get_balance'), 'Balance', 'rak_balance_read');
  });
});
