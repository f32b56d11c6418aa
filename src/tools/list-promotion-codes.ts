import { z } from 'zod';
import { compactPromotionCode, compactPromotionCodeSchema, promotionCodeFacets } from '../stripe/compact/promotion-code.js';
import { dateRange } from '../stripe/time.js';
import { defineTool } from './define-tool.js';
import { createdRangeInput, listInput, listOutput, listPage, requireNonEmpty } from './common.js';

// GET /v1/promotion_codes filters: active, code (case-insensitive), coupon, customer, created
// (docs.stripe.com/api/promotion_codes/list); Promotion codes: Read is rak_promotion_code_read.
export const listPromotionCodes = defineTool({
  name: 'list_promotion_codes',
  toolset: 'billing',
  aggregates: { facets: promotionCodeFacets, mayUse: [] },
  permissions: { needs: ['rak_promotion_code_read'], mayUse: [] },
  listOrder: 130,
  returns: {
    object: 'promotion_code', label: 'promotion code', idPrefixes: ['promo_'], dashboardPath: 'promotion_codes',
    retrieve: (stripe, id) => stripe.promotionCodes.retrieve(id), compact: compactPromotionCode,
    title: (c) => ['Promotion code', c.code, c.active ? 'active' : 'inactive', c.coupon ? `coupon ${c.coupon}` : null].filter(Boolean).join(' · '),
  },
  title: 'List promotion codes',
  description: [
    'Promotion codes (what customers type at checkout): code, active, coupon id, customer restriction, redemptions, expires_at, created, minimum amount.',
    'Example: {"code":"FALL20"} or {"coupon":"SUMMER25","active":true}.',
  ].join(' '),
  readme: { notes: { customer: 'only codes restricted to this customer' } },
  input: z.strictObject({
    code: z.string().min(1).max(500).optional().describe('The code customers type, any case'),
    coupon: z.string().min(1).max(255).optional().describe('Only codes of this coupon id'),
    customer: z.string().min(1).max(255).optional().describe('Only codes restricted to this customer (cus_…)'),
    active: z.boolean().optional().describe('true: only redeemable codes; false: only inactive ones'),
    ...createdRangeInput,
    ...listInput,
  }),
  output: listOutput(compactPromotionCodeSchema),
  handler: async (args, ctx) => {
    requireNonEmpty(args.code, 'code');
    requireNonEmpty(args.coupon, 'coupon');
    requireNonEmpty(args.customer, 'customer');
    return listPage({
      ctx,
      object: 'promotion_code',
      args,
      compact: compactPromotionCode,
      facets: promotionCodeFacets,
      created: dateRange(args.created_after, args.created_before, 'created'),
      fetchPage: (page) =>
        ctx.stripe.promotionCodes.list({
          ...page,
          ...(args.code ? { code: args.code } : {}),
          ...(args.coupon ? { coupon: args.coupon } : {}),
          ...(args.customer ? { customer: args.customer } : {}),
          ...(args.active !== undefined ? { active: args.active } : {}),
        }),
    });
  },
});
