/**
 * `connections test`'s optional permissions are what Stripe actually said: a tool that may use a permission but
 * answered without trying it (aggregate over charges without group_by customer) shows it as unknown, not as held.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { checkTools, summarise } from '../../src/connections/tool-check.js';
import { testKey } from '../../src/connections/key-test.js';
import { toolProbes } from '../../src/cli/tool-probes.js';
import { createStripeClient } from '../../src/stripe/client.js';
import { TOOLS } from '../../src/tools/index.js';
import { canaryKey } from '../helpers/spawn.js';

const aggregateTool = TOOLS.find((t) => t.name === 'aggregate')!;
const keys = { chargesOnly: canaryKey(), chargesAndCustomers: canaryKey() };
let emulator: EmulatorHandle;

beforeAll(async () => {
  emulator = await startEmulator({
    keys: {
      [keys.chargesOnly]: { mode: 'test', permissions: ['rak_charge_read'] },
      [keys.chargesAndCustomers]: { mode: 'test', permissions: ['rak_charge_read', 'rak_customer_read'] },
    },
  });
});
afterAll(() => emulator?.close());

async function customersStatus(key: string, args: Record<string, unknown>) {
  const stripe = await createStripeClient({ apiKey: key, mode: 'test', apiBase: emulator.url });
  const probes = toolProbes([aggregateTool]).map((p) => ({ ...p, args: aggregateTool.input.parse(args) as Record<string, unknown> }));
  const [summary] = summarise(await checkTools(stripe, 'acme', 'test', probes), probes);
  expect(summary!.ok).toBe(true);
  return summary!.optional.find((o) => o.stripePermission === 'rak_customer_read')!.status;
}

describe('connections test: optional permissions', () => {
  it('a call that never needed Customers says nothing of it, whatever the key holds', async () => {
    const byStatus = { resource: 'charges', group_by: ['status'] };
    expect(await customersStatus(keys.chargesOnly, byStatus)).toBe('unknown');
    expect(await customersStatus(keys.chargesAndCustomers, byStatus)).toBe('unknown');
  });

  it('a call that used Customers tells held from refused', async () => {
    const byCustomer = { resource: 'charges', group_by: ['customer'], metrics: ['count'], top: 3 };
    expect(await customersStatus(keys.chargesAndCustomers, byCustomer)).toBe('ok');
    expect(await customersStatus(keys.chargesOnly, byCustomer)).toBe('missing');
  });

  it("a list tool's line names what aggregating it may use, with what the other checks learnt of it", async () => {
    const tools = ['list_charges', 'list_customers'].map((name) => TOOLS.find((t) => t.name === name)!);
    const customersFor = async (key: string) => {
      const stripe = await createStripeClient({ apiKey: key, mode: 'test', apiBase: emulator.url });
      const probes = toolProbes(tools);
      const summaries = summarise(await checkTools(stripe, 'acme', 'test', probes), probes);
      return summaries.find((s) => s.tool === 'list_charges')!.optional.find((o) => o.stripePermission === 'rak_customer_read');
    };
    expect(await customersFor(keys.chargesAndCustomers)).toMatchObject({ status: 'ok', without: expect.stringMatching(/grouped by customer show ids/) });
    expect((await customersFor(keys.chargesOnly))?.status).toBe('missing');
  });
});

describe('connections test: cost', () => {
  it('reads one page of each list whatever the account holds, and still says every tool can be served', async () => {
    const key = canaryKey();
    const probes = toolProbes();
    // What the check saves: get_mrr_bridge alone, on an ordinary client, pages through months of the demo's invoices.
    const stripe = await createStripeClient({ apiKey: key, mode: 'test', apiBase: emulator.url });
    emulator.requests.length = 0;
    await checkTools(stripe, 'acme', 'test', probes.filter((p) => p.tool === 'get_mrr_bridge'));
    expect(emulator.requests.filter((r) => r.query.starting_after !== undefined).length).toBeGreaterThan(10);

    emulator.requests.length = 0;
    const result = await testKey(key, 'test', { connection: 'acme', apiBase: emulator.url, probes });
    expect(result.ok && result.summaries.every((s) => s.ok)).toBe(true);
    const later = emulator.requests.filter((r) => r.query.starting_after !== undefined || r.query.ending_before !== undefined || r.query.page !== undefined);
    expect(later.map((r) => r.path)).toEqual([]);
    // A few requests per tool (its list, the lists its answer expands or names from), not per object in the account.
    expect(emulator.requests.length).toBeLessThan(probes.length * 3);
  });
});
