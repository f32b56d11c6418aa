import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { checked, idFilter, timeZoneInput } from './common.js';
import { computeMrr, MRR_GROUPS } from './metrics/mrr.js';

const row = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));
const month = checked((v) => /^\d{4}-(0[1-9]|1[0-2])$/.test(v), 'must be a month as YYYY-MM, e.g. 2026-05');

export const getMrr = defineTool({
  name: 'get_mrr',
  toolset: 'metrics',
  permissions: {
    needs: ['rak_subscription_read'],
    mayUse: [
      {
        permission: 'rak_coupon_read',
        without: 'no coupon is applied: discounted subscriptions count at list price, so MRR and the subscription and customer counts may be overstated',
      },
      { permission: 'rak_product_read', without: 'grouped rows name products by id, not by name' },
      { permission: 'rak_customer_read', without: 'forever coupons on customers (not on the subscription) are not applied, so MRR may be overstated' },
    ],
  },
  title: 'Get MRR',
  description: [
    'MRR as Stripe Billing defines it, over every subscription: active and past_due; trials, metered and one-off items left out; intervals normalised to a month; forever coupons applied.',
    'Per currency, never converted, with subscription and customer counts; optionally per product, price or plan; history_months or month_ends add past month-ends.',
    'Example: {"group_by":"plan","history_months":3}.',
  ].join(' '),
  readme: {
    filters: '`group_by` (none, product, price, plan = product + billing interval), `history_months` (0–36) or `month_ends` (`["2026-05", …]`), `timezone` (where months end), `customer`',
  },
  input: z.strictObject({
    group_by: z
      .enum(MRR_GROUPS)
      .default('none')
      .describe('plan = product + billing interval'),
    history_months: z.number().int().min(0).max(36).default(0).describe('Also each of the last N complete months'),
    month_ends: z.array(month).min(1).max(36).optional().describe('Also these months (YYYY-MM)'),
    timezone: timeZoneInput.describe('Where months end'),
    customer: idFilter('cus_…'),
  }),
  output: z.object({
    object: z.literal('mrr'),
    as_of: z.string().describe('When the current figures were taken, ISO 8601 UTC'),
    group_by: z.enum(MRR_GROUPS),
    definition: z.string(),
    current: z
      .array(z.object({ currency: z.string(), mrr: z.string(), subscriptions: z.number().int(), customers: z.number().int() }))
      .describe('MRR now, per currency, with the paying subscriptions and customers behind it'),
    current_groups: z.array(row).optional().describe('MRR now per currency and group (product, price or plan), largest first'),
    history: z.array(row).optional().describe('MRR at each month-end asked for, per currency: month, month_end, currency, mrr, subscriptions, customers'),
    history_groups: z.array(row).optional().describe('MRR at each month-end per currency and group'),
    reconstruction: z.object({ method: z.string(), cannot_know: z.array(z.string()) }).optional(),
    excluded: z.record(z.string(), z.number().int()).describe('What was read but is not MRR: subscriptions by status, metered and unpriced items, free subscriptions'),
    caveats: z.array(z.string()),
    scanned: z.number().int().describe('Subscriptions read'),
    filters: z.record(z.string(), z.unknown()),
    amounts: z.string(),
  }),
  handler: async (args, ctx) => computeMrr(ctx, args),
});
