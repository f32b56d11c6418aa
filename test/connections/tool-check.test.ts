/**
 * `connections test`'s optional permissions are what Stripe actually said: a tool that may use a permission but
 * answered without trying it (list_charges without group_by customer) shows it as unknown, not as held.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { checkTools, summarise } from '../../src/connections/tool-check.js';
import { toolProbes } from '../../src/cli/tool-probes.js';
import { createStripeClient } from '../../src/stripe/client.js';
import { TOOLS } from '../../src/tools/index.js';
import { canaryKey } from '../helpers/spawn.js';

const chargesTool = TOOLS.find((t) => t.name === 'list_charges')!;
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

async function customersStatus(key: string, args: Record<string, unknown> | undefined) {
  const stripe = await createStripeClient({ apiKey: key, mode: 'test', apiBase: emulator.url });
  const probes = toolProbes([chargesTool]).map((p) => (args ? { ...p, args } : p));
  const [summary] = summarise(await checkTools(stripe, 'acme', 'test', probes), probes);
  expect(summary!.ok).toBe(true);
  return summary!.optional.find((o) => o.stripePermission === 'rak_customer_read')!.status;
}

describe('connections test: optional permissions', () => {
  it('a call that never needed Customers says nothing of it, whatever the key holds', async () => {
    expect(await customersStatus(keys.chargesOnly, undefined)).toBe('unknown');
    expect(await customersStatus(keys.chargesAndCustomers, undefined)).toBe('unknown');
  });

  it('a call that used Customers tells held from refused', async () => {
    const byCustomer = { group_by: ['customer'], metrics: ['count'], top: 3 };
    const parsed = chargesTool.input.parse(byCustomer) as Record<string, unknown>;
    expect(await customersStatus(keys.chargesAndCustomers, parsed)).toBe('ok');
    expect(await customersStatus(keys.chargesOnly, parsed)).toBe('missing');
  });
});
