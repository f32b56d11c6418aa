import { z } from 'zod';
import { DATE_WORDS_DOC, dateInput } from './common.js';
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
      { permission: 'rak_customer_read', without: 'forever coupons on customers (not on the subscription) are not applied, so lost MRR may be overstated' },
    ],
  },
  title: 'Get churn',
  description: [
    'Customers and subscriptions that churned in a period (canceled, or turned unpaid, after having paid), the MRR they took with them per currency, and the churn rate as Stripe defines it: churned in the window ÷ (active at its start + new in it).',
    'Computed on the server over every subscription. The window is a calendar month (month + timezone), or start (inclusive) / end (exclusive); default the last 30 days, as in Stripe\'s dashboard.',
    'Lists up to 100 churned subscriptions with date, reason, feedback and lost MRR, and what Stripe\'s data cannot tell.',
    'Example: {"month":"2026-05"} or {"start":"2026-04-01","end":"2026-07-01"}.',
  ].join(' '),
  input: z.strictObject({
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM, e.g. 2026-05')
      .optional()
      .describe('A calendar month, YYYY-MM (in timezone); instead of start/end'),
    start: dateInput.optional().describe(`Window start (inclusive): ${DATE_WORDS_DOC}; a period word means its start`),
    end: dateInput.optional().describe('Window end (exclusive; forms as start, a period word means its end); default now'),
    timezone: z.string().min(1).max(64).default('UTC').describe('IANA time zone of month (default UTC)'),
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
