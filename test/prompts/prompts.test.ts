/**
 * The seed questions as MCP prompts, through a real client in process: listed with their arguments, got with
 * defaults and with arguments, and each tool call a prompt names made as written (it must answer, not error).
 * The server's clock is fixed at the demo data's "now" so defaults (last month, last quarter) are known.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, TEST_ANCHOR, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ now: () => TEST_ANCHOR.getTime() + 12 * 3600_000 }); // 2026-11-01T12:00:00Z
});
afterAll(async () => h?.close());

/** The tool calls a prompt's message names: `tool {json}` per line. */
async function callsOf(name: string, args: Record<string, string> = {}) {
  const got = await h.client.getPrompt({ name, arguments: args });
  expect(got.messages).toHaveLength(1);
  const message = got.messages[0]!;
  expect(message.role).toBe('user');
  const text = (message.content as { text: string }).text;
  const calls = [...text.matchAll(/^(?:\d+\. )?(?:Answer it with this tool call: )?([a-z_]+) (\{.*\})/gm)].map((m) => ({ tool: m[1]!, arguments: JSON.parse(m[2]!) }));
  expect(calls.length, text).toBeGreaterThan(0);
  return calls;
}

describe('prompts', () => {
  it('lists the six seed questions with short descriptions and their arguments', async () => {
    const { prompts } = await h.client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['mrr_by_plan', 'top_customers', 'churn_in_month', 'fees_by_month', 'failed_payments', 'balance_by_currency']);
    for (const p of prompts) {
      expect(p.description!.length).toBeLessThan(100);
      const args = (p.arguments ?? []).map((a) => a.name);
      expect(args).toContain('connection');
      expect(args).toContain('mode');
      expect((p.arguments ?? []).every((a) => !a.required)).toBe(true);
    }
    expect(prompts.find((p) => p.name === 'mrr_by_plan')!.arguments!.map((a) => a.name)).toEqual(['months', 'timezone', 'connection', 'mode']);
  });

  it('names, with defaults, the calls the six-questions test makes', async () => {
    expect(await callsOf('mrr_by_plan')).toEqual([{ tool: 'get_mrr', arguments: { group_by: 'plan', history_months: 3 } }]);
    expect(await callsOf('top_customers')).toEqual([
      { tool: 'aggregate', arguments: { resource: 'charges', group_by: ['customer'], metrics: ['sum:net_of_refunds'], order_by: 'sum:net_of_refunds', top: 10 } },
    ]);
    expect(await callsOf('churn_in_month')).toEqual([{ tool: 'get_churn', arguments: { month: '2026-10' } }]);
    expect(await callsOf('fees_by_month')).toEqual([
      { tool: 'aggregate', arguments: { resource: 'balance_transactions', filters: { created_after: 'last_quarter', created_before: 'last_quarter' }, group_by: ['month'], metrics: ['sum:total_fees', 'sum:fee'] } },
    ]);
    expect(await callsOf('failed_payments')).toEqual([
      { tool: 'list_payment_intents', arguments: { status: 'failed', created_after: '7d', max_results: 100 } },
      { tool: 'aggregate', arguments: { resource: 'payment_intents', filters: { status: 'failed', created_after: '7d' }, group_by: ['failure_code', 'decline_code'], metrics: ['count'] } },
    ]);
    expect(await callsOf('balance_by_currency')).toEqual([{ tool: 'get_balance', arguments: {} }]);
  });

  it('puts its arguments into the calls, connection and mode included', async () => {
    expect(await callsOf('mrr_by_plan', { months: '6', timezone: 'America/New_York', connection: 'demo', mode: 'live' })).toEqual([
      { tool: 'get_mrr', arguments: { group_by: 'plan', history_months: 6, timezone: 'America/New_York', connection: 'demo', mode: 'live' } },
    ]);
    expect((await callsOf('top_customers', { top: '5', since: 'this_quarter' }))[0]!.arguments).toMatchObject({ top: 5, filters: { created_after: 'this_quarter' } });
    expect(await callsOf('churn_in_month', { month: 'this_month' })).toEqual([{ tool: 'get_churn', arguments: { month: '2026-11' } }]);
    expect(await callsOf('churn_in_month', { month: '2026-05' })).toEqual([{ tool: 'get_churn', arguments: { month: '2026-05' } }]);
    // A named quarter in a zone with summer time: local midnights of 1 January and 1 April.
    expect((await callsOf('fees_by_month', { quarter: '2026-Q1', timezone: 'Europe/Paris' }))[0]!.arguments).toMatchObject({
      filters: { created_after: '2025-12-31T23:00:00Z', created_before: '2026-03-31T22:00:00Z' },
      timezone: 'Europe/Paris',
    });
    expect((await callsOf('failed_payments', { days: '30' }))[0]!.arguments.created_after).toBe('30d');
  });

  it('names calls that answer as written', async () => {
    const fees = (await callsOf('fees_by_month'))[0]!;
    const answer = await h.call(fees.tool, fees.arguments);
    expect(answer.isError, answer.text).toBe(false);
    expect(answer.structured.filters).toEqual({ created_after: '2026-07-01T00:00:00Z', created_before: '2026-10-01T00:00:00Z' });
    expect(answer.structured.aggregate.rows.map((r: { month: string }) => r.month)).toEqual(expect.arrayContaining(['2026-07', '2026-08', '2026-09']));
    for (const name of ['mrr_by_plan', 'top_customers', 'churn_in_month', 'failed_payments', 'balance_by_currency']) {
      for (const call of await callsOf(name)) {
        const r = await h.call(call.tool, call.arguments);
        expect(r.isError, `${name}: ${call.tool} ${r.text}`).toBe(false);
      }
    }
  });

  it('refuses a bad argument with a message saying what it takes', async () => {
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      ['mrr_by_plan', { months: 'three' }, /months: must be a whole number, 1–36/],
      ['mrr_by_plan', { months: '40' }, /months: must be a whole number, 1–36/],
      ['mrr_by_plan', { timezone: 'Mars/Olympus' }, /timezone: must be an IANA time zone/],
      ['churn_in_month', { month: 'May' }, /month: must be YYYY-MM \(e\.g\. 2026-05\), this_month or last_month/],
      ['fees_by_month', { quarter: 'Q5' }, /quarter: must be YYYY-Qn/],
      ['failed_payments', { dayz: '7' }, /Unrecognized key: "dayz"/],
      ['top_customers', { since: 'last week' }, /since: must be a date \(2026-05-01\) or a word such as this_quarter/],
      ['balance_by_currency', { connection: 'nope' }, /connection/],
      ['balance_by_currency', { mode: 'prod' }, /mode/],
    ];
    for (const [name, args, message] of cases) {
      await expect(h.client.getPrompt({ name, arguments: args }), `${name} ${JSON.stringify(args)}`).rejects.toThrow(message);
    }
  });
});

describe('prompts under --tools', () => {
  it('offers only the prompts whose tools are all served', async () => {
    const only = await startHarness({ now: () => TEST_ANCHOR.getTime(), tools: { names: new Set(['get_mrr', 'get_balance']), asked: '--tools get_mrr,get_balance' } });
    try {
      const { prompts } = await only.client.listPrompts();
      expect(prompts.map((p) => p.name)).toEqual(['mrr_by_plan', 'balance_by_currency']);
    } finally {
      await only.close();
    }
  });

  it('offers a prompt that aggregates a list only where that list is served too', async () => {
    const names = new Set(['list_payment_intents', 'aggregate']); // what --tools list_payment_intents serves
    const some = await startHarness({ now: () => TEST_ANCHOR.getTime(), tools: { names, asked: '--tools list_payment_intents' } });
    try {
      const { prompts } = await some.client.listPrompts();
      expect(prompts.map((p) => p.name)).toEqual(['failed_payments']); // not top_customers: list_charges is not served
    } finally {
      await some.close();
    }
  });
});
