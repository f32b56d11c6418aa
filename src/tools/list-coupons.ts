import { z } from 'zod';
import { compactCoupon, compactCouponSchema, couponFacets } from '../stripe/compact/coupon.js';
import { dateRange } from '../stripe/time.js';
import { defineTool } from './define-tool.js';
import { createdRangeInput, listInput, listOutput, listPage } from './common.js';

// GET /v1/coupons takes only created and paging (docs.stripe.com/api/coupons/list); Coupons: Read is rak_coupon_read.
export const listCoupons = defineTool({
  name: 'list_coupons',
  toolset: 'billing',
  aggregates: { facets: couponFacets, mayUse: [] },
  permissions: { needs: ['rak_coupon_read'], mayUse: [] },
  listOrder: 120,
  returns: {
    object: 'coupon', label: 'coupon', idPrefixes: [], customIds: true, dashboardPath: 'coupons',
    retrieve: (stripe, id) => stripe.coupons.retrieve(id), compact: compactCoupon,
    title: (c) => ['Coupon', c.name ?? c.id, c.percent_off != null ? `${c.percent_off}% off` : c.amount_off ? `${c.amount_off} ${String(c.currency).toUpperCase()} off` : null, c.duration].filter(Boolean).join(' · '),
  },
  title: 'List coupons',
  description: [
    'Coupons (discount definitions): id, name, percent_off or amount_off (in currency), duration (once, repeating, forever), redemptions, valid, redeem_by, created.',
    'The codes customers type: list_promotion_codes. Example: {"limit":50}.',
  ].join(' '),
  input: z.strictObject({
    ...createdRangeInput,
    ...listInput,
  }),
  output: listOutput(compactCouponSchema),
  handler: async (args, ctx) =>
    listPage({
      ctx,
      object: 'coupon',
      args,
      compact: compactCoupon,
      facets: couponFacets,
      created: dateRange(args.created_after, args.created_before, 'created'),
      fetchPage: (page) => ctx.stripe.coupons.list(page),
    }),
});
