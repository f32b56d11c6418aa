/**
 * Dates people say (today, yesterday, Nd, this/last month and quarter), through tool calls against a fixed server
 * clock: each word resolves to the period worked out here by hand, at month, quarter and year boundaries, in UTC
 * and in a zone with summer time; the answer echoes the absolute range; a bad word lists the accepted forms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let clock = 0;
const at = (iso: string) => (clock = Date.parse(iso));
beforeAll(async () => {
  h = await startHarness({ now: () => clock });
});
afterAll(async () => h?.close());

/** The range list_charges used for `word` as both bounds (created_after = period start, created_before = period end). */
async function rangeOf(word: string, timezone?: string) {
  const r = await h.call('aggregate', { resource: 'charges', filters: { created_after: word, created_before: word }, group_by: ['status'], metrics: ['count'], ...(timezone ? { timezone } : {}) });
  expect(r.isError, r.text).toBe(false);
  return [r.structured.filters.created_after, r.structured.filters.created_before];
}

describe('date words through a tool call', () => {
  it('resolve in UTC on the first hours of a quarter', async () => {
    at('2026-04-01T01:30:00Z');
    expect(await rangeOf('today')).toEqual(['2026-04-01T00:00:00Z', '2026-04-02T00:00:00Z']);
    expect(await rangeOf('yesterday')).toEqual(['2026-03-31T00:00:00Z', '2026-04-01T00:00:00Z']);
    expect(await rangeOf('this_month')).toEqual(['2026-04-01T00:00:00Z', '2026-05-01T00:00:00Z']);
    expect(await rangeOf('last_month')).toEqual(['2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z']);
    expect(await rangeOf('this_quarter')).toEqual(['2026-04-01T00:00:00Z', '2026-07-01T00:00:00Z']);
    expect(await rangeOf('last_quarter')).toEqual(['2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z']);
    // Nd is a moment, N×24 h before now, whichever bound it is.
    const r = await h.call('list_charges', { created_after: '7d', created_before: '1d', limit: 1 });
    expect(r.structured.filters).toEqual({ created_after: '2026-03-25T01:30:00Z', created_before: '2026-03-31T01:30:00Z' });
  });

  it('resolve in the given time zone, where it is still the previous day, month and quarter', async () => {
    at('2026-04-01T01:30:00Z'); // 2026-03-31 18:30 in Los Angeles (PDT, UTC−7; PST, UTC−8, before 8 March)
    const tz = 'America/Los_Angeles';
    expect(await rangeOf('today', tz)).toEqual(['2026-03-31T07:00:00Z', '2026-04-01T07:00:00Z']);
    expect(await rangeOf('yesterday', tz)).toEqual(['2026-03-30T07:00:00Z', '2026-03-31T07:00:00Z']);
    expect(await rangeOf('this_month', tz)).toEqual(['2026-03-01T08:00:00Z', '2026-04-01T07:00:00Z']);
    expect(await rangeOf('last_month', tz)).toEqual(['2026-02-01T08:00:00Z', '2026-03-01T08:00:00Z']);
    expect(await rangeOf('this_quarter', tz)).toEqual(['2026-01-01T08:00:00Z', '2026-04-01T07:00:00Z']);
    expect(await rangeOf('last_quarter', tz)).toEqual(['2025-10-01T07:00:00Z', '2026-01-01T08:00:00Z']);
  });

  it('cross a year boundary', async () => {
    at('2026-01-01T00:00:00Z');
    expect(await rangeOf('yesterday')).toEqual(['2025-12-31T00:00:00Z', '2026-01-01T00:00:00Z']);
    expect(await rangeOf('last_month')).toEqual(['2025-12-01T00:00:00Z', '2026-01-01T00:00:00Z']);
    expect(await rangeOf('last_quarter')).toEqual(['2025-10-01T00:00:00Z', '2026-01-01T00:00:00Z']);
    expect(await rangeOf('this_quarter')).toEqual(['2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z']);
  });

  it('select the objects of that range (checked against the emulator\'s data)', async () => {
    at('2026-10-15T10:00:00Z');
    const r = await h.call('aggregate', { resource: 'charges', filters: { created_after: 'last_month', created_before: 'last_month' }, group_by: ['month'], metrics: ['count'] });
    expect(r.isError, r.text).toBe(false);
    const [from, to] = [Date.parse('2026-09-01T00:00:00Z') / 1000, Date.parse('2026-10-01T00:00:00Z') / 1000];
    const expected = h.emulator.dataset('test').charges.filter((c) => c.created >= from && c.created < to).length;
    expect(expected).toBeGreaterThan(0);
    expect(r.structured.aggregate.rows).toEqual([{ month: '2026-09', count: expected }]);
    expect(r.structured.filters).toEqual({ created_after: '2026-09-01T00:00:00Z', created_before: '2026-10-01T00:00:00Z' });
  });

  it('work for the other date arguments (due dates, arrival dates, churn windows), absolute dates unchanged', async () => {
    at('2026-10-15T10:00:00Z');
    const invoices = await h.call('list_invoices', { due_after: 'this_month', limit: 1 });
    expect(invoices.structured.filters).toEqual({ due_after: '2026-10-01T00:00:00Z' });
    const payouts = await h.call('list_payouts', { arrival_before: 'today', created_after: '2026-05-01', limit: 1 });
    expect(payouts.structured.filters).toEqual({ arrival_before: '2026-10-16T00:00:00Z', created_after: '2026-05-01T00:00:00Z' });
    const churn = await h.call('get_churn', { start: 'last_quarter', end: 'last_quarter' });
    expect(churn.isError, churn.text).toBe(false);
    expect(churn.structured.window).toMatchObject({ start: '2026-07-01T00:00:00Z', end: '2026-10-01T00:00:00Z' });
    const unix = await h.call('list_charges', { created_after: 1_780_000_000, limit: 1 });
    expect(unix.structured.filters).toEqual({ created_after: '2026-05-28T20:26:40Z' });
  });

  it('refuse a word they do not know, listing the accepted forms', async () => {
    at('2026-10-15T10:00:00Z');
    for (const [args, field] of [[{ created_after: 'last_week' }, 'created_after'], [{ start: 'next_month' }, 'start']] as const) {
      const r = await h.call(field === 'start' ? 'get_churn' : 'list_charges', args);
      expect(r.isError).toBe(true);
      expect(r.text).toContain(field);
      for (const form of ['today', 'yesterday', '7d', 'this_month', 'last_month', 'this_quarter', 'last_quarter', '2026-05-01', 'Unix seconds']) expect(r.text).toContain(form);
    }
    const far = await h.call('list_charges', { created_after: '99999d' });
    expect(far.isError).toBe(true);
    expect(far.text).toMatch(/created_after: "99999d" reaches back more than 36500 days/);
    const zone = await h.call('aggregate', { resource: 'charges', filters: { created_after: 'today' }, timezone: 'Mars/Olympus', group_by: ['status'] });
    expect(zone.isError).toBe(true);
    expect(zone.text).toMatch(/timezone: "Mars\/Olympus" is not an IANA time zone/);
  });

  it('are said once, in the server\'s instructions, with a pointer on the date arguments (issue 13)', async () => {
    const { tools } = await h.client.listTools();
    const instructions = h.client.getInstructions() ?? '';
    expect(instructions).toMatch(/today, yesterday, Nd .*last_quarter.*a period word means its start.*its end/s);
    const charges = tools.find((t) => t.name === 'list_charges')!;
    const props = charges.inputSchema.properties as Record<string, { description?: string; type?: string }>;
    expect(props.created_after!.description).toMatch(/7d, last_month/);
    expect(props.created_after!.type).toBe('string');
    expect(charges.description).not.toMatch(/last_quarter/);
  });
});
