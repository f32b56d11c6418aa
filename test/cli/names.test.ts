/**
 * `call` shows the names of an aggregate's rows (issue 14 item 1) right after their ids, through the built CLI on
 * the emulator, with a restricted key that may read the names and one that may not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { runCli } from '../connections/helpers.js';
import { ada, bob, gone, objects } from '../helpers/names-business.js';

const WITH_NAMES = 'rk_test_CliNamesKey000000001';
const WITHOUT_NAMES = 'rk_test_CliNoNamesKey00000001';

let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator({
    objects: { test: objects },
    keys: {
      [WITH_NAMES]: { mode: 'test', permissions: ['rak_charge_read', 'rak_customer_read', 'rak_subscription_read', 'rak_product_read'] },
      [WITHOUT_NAMES]: { mode: 'test', permissions: ['rak_charge_read', 'rak_subscription_read'] },
    },
  });
});
afterAll(async () => emulator?.close());

const call = (key: string, tool: string, args: Record<string, unknown>) =>
  runCli(['call', tool, JSON.stringify(args)], { env: { STRIPE_API_KEY: key, STRIPE_API_BASE: emulator.url, COLUMNS: '120' } });

/** The table under a heading line (e.g. "USD (3 rows)"): its header's columns and its rows' lines. */
function tableAfter(stdout: string, heading: RegExp): { columns: string[]; rows: string[] } {
  const lines = stdout.split('\n');
  const at = lines.findIndex((l) => heading.test(l));
  expect(at, stdout).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > at + 2 && (l === '' || l.startsWith('(')));
  return { columns: lines[at + 1]!.trim().split(/\s{2,}/), rows: lines.slice(at + 3, end === -1 ? undefined : end) };
}

describe('call aggregate with group_by customer or price', () => {
  it('shows each customer\'s name and email after its id, and "(deleted)" for a deleted one', async () => {
    const r = await call(WITH_NAMES, 'aggregate', { resource: 'charges', group_by: ['customer'], metrics: ['sum:amount'], order_by: 'sum:amount' });
    expect(r.code, r.stderr).toBe(0);
    const usd = tableAfter(r.stdout, /^USD \(3 rows\)$/);
    expect(usd.columns).toEqual(['customer', 'customer_name', 'customer_email', 'sum:amount']);
    expect(usd.rows.map((l) => l.trim().split(/\s{2,}/))).toEqual([
      [ada.id, 'Ada Lovelace', 'ada@example.com', '60.00'],
      [gone.id, '(deleted)', '40.00'],
      [bob.id, 'Bob Stone', '30.00'],
    ]);
    expect(r.stdout).toContain('(deleted): Stripe says the customer or product was deleted.');
    expect(r.stdout + r.stderr).not.toContain(WITH_NAMES);
  });

  it('shows a price\'s name and its product\'s name', async () => {
    const r = await call(WITH_NAMES, 'aggregate', { resource: 'subscriptions', filters: { status: 'all' }, group_by: ['price'], order_by: 'count' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^price\s+price_name\s+product\s+product_name\s+count$/m);
    expect(r.stdout).toMatch(/\s15\.00 USD\/3 months\s+prod_\w+\s+\(deleted\)\s+2$/m);
    expect(r.stdout).toMatch(/\sPro monthly\s+prod_\w+\s+Pro\s+1$/m);
  });

  it("get_churn's list names who churned and what they had; at 120 columns the ids give way to the names", async () => {
    const r = await call(WITH_NAMES, 'get_churn', { month: '2026-06' });
    expect(r.code, r.stderr).toBe(0);
    const list = tableAfter(r.stdout, /^churned_subscriptions:$/);
    expect(list.columns.slice(0, 6)).toEqual(['subscription', 'customer_name', 'churned_at', 'currency', 'mrr', 'product_names']);
    expect(list.rows.map((l) => l.trim().split(/\s{2,}/).slice(1, 6))).toEqual([
      ['(deleted)', '2026-06-10T00:00:00Z', 'usd', '29.00', 'Pro'],
      ['Ada Lovelace', '2026-06-20T00:00:00Z', 'usd', '5.00', '(deleted)'],
    ]);
  });

  it('with a key that cannot read Customers: ids, and the note says what to set to Read', async () => {
    const r = await call(WITHOUT_NAMES, 'aggregate', { resource: 'charges', group_by: ['customer'], metrics: ['sum:amount'] });
    expect(r.code, r.stderr).toBe(0);
    expect(tableAfter(r.stdout, /^USD \(3 rows\)$/).columns).toEqual(['customer', 'sum:amount']);
    expect(r.stdout).toContain(`Customer names are missing: the key cannot read Customers (Stripe asked for 'rak_customer_read'; set "Customers" to Read to see them)`);
    expect(r.stdout + r.stderr).not.toContain(WITHOUT_NAMES);
  });
});
