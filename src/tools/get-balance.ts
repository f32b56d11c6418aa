import { z } from 'zod';
import { compactBalance, compactBalanceSchema } from '../stripe/compact/balance.js';
import { defineTool } from './define-tool.js';
import { AMOUNTS_COMPACT, AMOUNTS_FULL, assertMode, detailInput } from './common.js';

export const BALANCE_NOTE = 'Each currency is a separate balance: amounts in different currencies are never added together.';

export const getBalance = defineTool({
  name: 'get_balance',
  toolset: 'balance',
  permissions: { needs: ['rak_balance_read'], mayUse: [] },
  title: 'Get balance',
  description: [
    'The balance now, per currency (never added together): available (can be paid out) and pending (settling), split by source type; connect_reserved and instant_available when present.',
    'History: list_balance_transactions; bank transfers: list_payouts.',
    'Example: {} or {"detail":"full"}.',
  ].join(' '),
  readme: { filters: 'none: available and pending per currency, plus connect-reserved and instant-available where Stripe has them' },
  input: z.strictObject({
    detail: detailInput,
  }),
  output: z.object({
    object: z.literal('balance'),
    amounts: z.string(),
    note: z.string(),
    available: compactBalanceSchema.available.optional().describe('Funds that can be paid out now, one entry per currency (compact only)'),
    pending: compactBalanceSchema.pending.optional().describe('Funds still settling, one entry per currency (compact only)'),
    connect_reserved: compactBalanceSchema.connect_reserved,
    instant_available: compactBalanceSchema.instant_available,
    balance: z.looseObject({ object: z.literal('balance') }).optional().describe('detail=full: Stripe\'s balance object as the API returns it'),
  }),
  handler: async (args, ctx) => {
    const balance = await ctx.stripe.balance.retrieve();
    assertMode([{ id: 'balance', livemode: balance.livemode }], ctx);
    if (args.detail === 'full') {
      return { object: 'balance' as const, amounts: AMOUNTS_FULL, note: BALANCE_NOTE, balance: balance as unknown as { object: 'balance' } };
    }
    return { object: 'balance' as const, amounts: AMOUNTS_COMPACT, note: BALANCE_NOTE, ...compactBalance(balance) };
  },
});
