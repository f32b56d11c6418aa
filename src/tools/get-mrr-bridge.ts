import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { computeMrrBridge } from './metrics/bridge.js';

const row = z.record(z.string(), z.union([z.string(), z.number()]));

export const getMrrBridge = defineTool({
  name: 'get_mrr_bridge',
  toolset: 'metrics',
  permissions: {
    needs: ['rak_subscription_read', 'rak_invoice_read'],
    mayUse: [
      { permission: 'rak_coupon_read', without: 'no coupon is applied: discounted subscriptions count at list price, so MRR may be overstated' },
      { permission: 'rak_customer_read', without: 'forever coupons on customers are not applied, so MRR may be overstated' },
    ],
  },
  title: 'Get MRR bridge',
  description:
    'Where MRR growth came from, per month and currency: starting, new, expansion, contraction, churned, reactivation, ending and net new MRR, with ARR, ARPU and paying customers; net and gross revenue retention over the range. Past months use what invoices billed (upgrades, downgrades). Example: {"months":6}.',
  readme: { filters: '`months` (1–24, default 3) up to `end_month` (`2026-05`; default the last complete month, the current one runs to now), `timezone`' },
  input: z.strictObject({
    months: z.number().int().min(1).max(24).default(3).describe('Months (1–24)'),
    end_month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM, e.g. 2026-05')
      .optional()
      .describe('Last month, YYYY-MM; default: last complete one'),
    timezone: z.string().min(1).max(64).default('UTC').describe('IANA zone of months'),
  }),
  output: z.object({
    object: z.literal('mrr_bridge'),
    range: z.object({ start: z.string(), end: z.string(), timezone: z.string() }),
    definition: z.string(),
    months: z.array(row).describe('Per month and currency: starting_mrr, new, expansion, contraction, churned, reactivation, ending_mrr, net_new_mrr, customers, arr, arpu'),
    retention: z.array(row).describe('Per currency, customers paying at the start: starting_mrr, retained_mrr, nrr, grr'),
    cannot_know: z.array(z.string()),
    caveats: z.array(z.string()),
    scanned: z.object({ subscriptions: z.number(), invoices: z.number() }),
    amounts: z.string(),
  }),
  handler: async (args, ctx) => computeMrrBridge(ctx, args),
});
