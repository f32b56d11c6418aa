import { z } from 'zod';
import type Stripe from 'stripe';
import { money } from '../money.js';
import { moneyString } from './shared.js';

export const compactBalanceAmountSchema = z.object({
  currency: z.string(),
  amount: moneyString,
  source_types: z
    .record(z.string(), moneyString)
    .optional()
    .describe('Split of this amount by payment source (card, bank_account, fpx), same currency'),
});

export type CompactBalanceAmount = z.infer<typeof compactBalanceAmountSchema>;

interface BalanceAmountLike {
  amount: number;
  currency: string;
  source_types?: object | undefined;
}

/** One currency's amount in major units; the source_types split in the same currency when Stripe gives it. */
export function compactBalanceAmount(entry: BalanceAmountLike): CompactBalanceAmount {
  const sourceTypes = entry.source_types as Record<string, number | undefined> | undefined;
  const split: Record<string, string> = {};
  for (const [source, amount] of Object.entries(sourceTypes ?? {})) {
    if (typeof amount === 'number') split[source] = money(amount, entry.currency)!;
  }
  return {
    currency: entry.currency,
    amount: money(entry.amount, entry.currency)!,
    ...(sourceTypes ? { source_types: split } : {}),
  };
}

export const compactBalanceSchema = {
  available: z.array(compactBalanceAmountSchema).describe('Funds that can be paid out now, one entry per currency'),
  pending: z.array(compactBalanceAmountSchema).describe('Funds not yet available (still settling), one entry per currency'),
  connect_reserved: z
    .array(compactBalanceAmountSchema)
    .optional()
    .describe('Funds held back to cover negative balances of connected accounts (Connect platforms only)'),
  instant_available: z.array(compactBalanceAmountSchema).optional().describe('Funds eligible for an Instant Payout now'),
};

export interface CompactBalance {
  available: CompactBalanceAmount[];
  pending: CompactBalanceAmount[];
  connect_reserved?: CompactBalanceAmount[];
  instant_available?: CompactBalanceAmount[];
}

export function compactBalance(balance: Stripe.Balance): CompactBalance {
  return {
    available: (balance.available ?? []).map(compactBalanceAmount),
    pending: (balance.pending ?? []).map(compactBalanceAmount),
    ...(balance.connect_reserved ? { connect_reserved: balance.connect_reserved.map(compactBalanceAmount) } : {}),
    ...(balance.instant_available ? { instant_available: balance.instant_available.map(compactBalanceAmount) } : {}),
  };
}
