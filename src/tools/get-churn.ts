import { z } from 'zod';
import { DATE_WORDS_DOC, checked, dateInput, timeZoneInput } from './common.js';
import { defineTool } from './define-tool.js';
import { computeChurn } from './metrics/churn.js';

const counts = z.object({
  active_at_start: z.number().int().describe('Paying at the start of the window'),
  new_in_window: z.number().int().describe('Started paying during the window'),
  churned: z.number().int().describe('Stopped paying during the window (canceled or turned unpaid)'),
  churn_rate: z.number().nullable().describe('churned ÷ (active_at_start + new_in_window); null when both are 0'),
  churn_rate_percent: z.string().nullable(),
});

export const getChurn = defineTool({
  name: 'get_churn',
  toolset: 'metrics',
  permissions: {
    needs: ['rak_subscription_read'],
    mayUse: [
      {
        permission: 'rak_coupon_read',
        without: 'no coupon is applied: discounted subscriptions count at list price, so lost MRR and the churn counts may be overstated',
      },
      {
        permission: 'rak_customer_read',
        without: 'forever coupons on customers (not on the subscription) are not applied, so lost MRR may be overstated; churned subscriptions show customer ids, not names',
      },
      { permission: 'rak_product_read', without: 'churned subscriptions name products by id, not by name' },
    ],
  },
  title: 'Get churn',
  description: [
    'Churn as Stripe defines it: customers and subscriptions that stopped paying (canceled, or unpaid after paying) in a window, the MRR lost per currency, and churn rate = churned ÷ (active at start + new).',
    'Window: month or start/end, default the last 30 days. Lists up to 100 churned subscriptions with reason and feedback.',
    'Example: {"month":"2026-05"}.',
  ].join(' '),
  readme: { filters: '`month` (`2026-05`) and `timezone`, or `start` / `end`; default the last 30 days' },
  input: z.strictObject({
    month: checked((v) => /^\d{4}-(0[1-9]|1[0-2])$/.test(v), 'must be a month as YYYY-MM, e.g. 2026-05')
      .optional()
      .describe('YYYY-MM, instead of start/end'),
    start: dateInput.optional().describe(DATE_WORDS_DOC),
    end: dateInput.optional().describe('Default now'),
    timezone: timeZoneInput,
  }),
  output: z.object({
    object: z.literal('churn'),
    window: z.object({ start: z.string(), end: z.string(), days: z.number(), label: z.string() }),
    definition: z.string(),
    customers: counts.describe('Customers: churned when their last paying subscription stopped'),
    subscriptions: counts,
    lost_mrr: z.array(z.object({ currency: z.string(), mrr: z.string() })).describe('MRR of the churned subscriptions, per currency'),
    churned_subscriptions: z.array(z.record(z.string(), z.unknown())).describe('The churned subscriptions, oldest first (at most 100)'),
    churned_listed: z.number().int(),
    note: z.string().optional(),
    caveats: z.array(z.string()).optional().describe('What this answer could not read (a permission the key lacks) and which figures it may change'),
    cannot_know: z.array(z.string()),
    scanned: z.number().int().describe('Subscriptions read'),
    amounts: z.string(),
  }),
  handler: async (args, ctx) => computeChurn(ctx, args),
});
