/** A mistyped argument name, through an MCP client: the message lists the valid names and suggests the closest. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { AGGREGATION_ARGUMENTS, closestName, editDistance } from '../../src/server/argument-hints.js';
import { aggregate } from '../../src/tools/aggregate.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('a wrong argument name', () => {
  it('is answered with the closest name and the valid ones, and the server keeps serving', async () => {
    const r = await h.call('list_charges', { state: 'failed' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/"state" \(did you mean "status"\?\) is not an argument of list_charges\. Its arguments: customer, payment_intent, status, .*, connection, mode\./);
    const two = await h.call('list_invoices', { stauts: 'paid', limt: 3 });
    expect(two.text).toMatch(/"stauts" \(did you mean "status"\?\), "limt" \(did you mean "limit"\?\) are not arguments of list_invoices/);
    const ok = await h.call('list_charges', { status: 'failed', limit: 1 });
    expect(ok.isError, ok.text).toBe(false);
  });

  it("in aggregate's filters, is answered with the closest filter of that resource; group_by on a list points to aggregate", async () => {
    const r = await h.call('aggregate', { resource: 'charges', filters: { statuss: 'failed' }, group_by: ['customer'] });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^Invalid input: "statuss" \(did you mean "status"\?\) is not a filter of charges\. Its filters: customer, payment_intent, status, refunded, disputed, created_after, created_before\.$/);
    const grouped = await h.call('list_refunds', { group_by: ['reason'], timezone: 'UTC' });
    expect(grouped.text).toMatch(/are not arguments of list_refunds\. For totals, counts and rankings use the aggregate tool with resource "refunds"/);
  });

  it('suggests only names that are close', () => {
    expect(editDistance('state', 'status')).toBe(2);
    expect(closestName('created', ['limit', 'created_after', 'created_before'])).toBe('created_after');
    expect(closestName('zzzzzzzz', ['limit', 'status', 'customer'])).toBeUndefined();
  });
});

// The hint "use the aggregate tool" knows aggregate's own arguments from a copy (the start path cannot import the tool).
it("names exactly the aggregate tool's own arguments as aggregation arguments", () => {
  const own = Object.keys(aggregate.input.shape).filter((name) => name !== 'resource' && name !== 'filters');
  expect([...AGGREGATION_ARGUMENTS].sort()).toEqual(own.sort());
});
