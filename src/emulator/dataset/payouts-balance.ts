/** Balance transactions, Stripe's Billing fees, automatic payouts, and the balance they leave. */
import type Stripe from 'stripe';
import type { Generator } from './generator.js';
import { BUILDER_IDS, DAY, HOUR, SEED_EPOCH, addMonths, dayStart } from './util.js';
import type { IdSource } from './util.js';

const REPORTING_CATEGORY: Record<string, string> = {
  charge: 'charge',
  payment: 'charge',
  refund: 'refund',
  payment_refund: 'refund',
  adjustment: 'dispute',
  payout: 'payout',
  payout_failure: 'payout_reversal',
  payout_cancel: 'payout_reversal',
  stripe_fee: 'fee',
};

export function balanceTransactionShape(f: Partial<Stripe.BalanceTransaction> = {}, ids: IdSource = BUILDER_IDS): Stripe.BalanceTransaction {
  const amount = f.amount ?? 1000;
  const fee = f.fee ?? 0;
  const currency = f.currency ?? 'usd';
  const created = f.created ?? SEED_EPOCH;
  const type = f.type ?? 'charge';
  return {
    id: f.id ?? ids.longId('txn_', '3'),
    object: 'balance_transaction',
    amount,
    available_on: created,
    balance_type: 'payments',
    created,
    currency,
    description: null,
    exchange_rate: null,
    fee,
    fee_details: fee ? [{ amount: fee, application: null, currency, description: 'Stripe processing fees', type: 'stripe_fee' }] : [],
    net: amount - fee,
    reporting_category: REPORTING_CATEGORY[type] ?? 'other_adjustment',
    source: null,
    status: 'available',
    type,
    ...f,
  } as Stripe.BalanceTransaction;
}

export interface NewBalanceTransaction {
  created: number;
  availableOn: number;
  amount: number;
  fee: number;
  feeDetails: Stripe.BalanceTransaction.FeeDetail[];
  currency: string;
  description: string | null;
  exchangeRate: number | null;
  type: Stripe.BalanceTransaction.Type;
  reportingCategory: string;
  source: string | null;
}

export function addBt(g: Generator, a: NewBalanceTransaction): Stripe.BalanceTransaction {
  const bt = balanceTransactionShape({
    id: g.longId('txn_', '3'),
    amount: a.amount,
    available_on: a.availableOn,
    created: a.created,
    currency: a.currency,
    description: a.description,
    exchange_rate: a.exchangeRate,
    fee: a.fee,
    fee_details: a.feeDetails,
    net: a.amount - a.fee,
    reporting_category: a.reportingCategory,
    source: a.source,
    status: a.availableOn <= g.now ? 'available' : 'pending',
    type: a.type,
  });
  g.bts.push(bt);
  return bt;
}

/** A balance transaction that moves money without a fee (refunds, payouts, fees, reversals). */
export function addFlatBt(g: Generator, a: Omit<NewBalanceTransaction, 'fee' | 'feeDetails' | 'availableOn'>): Stripe.BalanceTransaction {
  return addBt(g, { ...a, availableOn: a.created, fee: 0, feeDetails: [] });
}

// ---------------------------------------------------------------------------------------------------------------
// Stripe fees

/** Monthly Billing usage fee (0.7 % of the previous month's USD subscription charges), on the 2nd. */
export function buildBillingFees(g: Generator): void {
  const monthStart = (ts: number): number => {
    const d = new Date(ts * 1000);
    return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000);
  };
  const usdCharges = g.charges.filter((c) => c.status === 'succeeded' && c.currency === 'usd' && c.description?.startsWith('Subscription'));
  for (let m = monthStart(g.start); ; m = addMonths(m, 1)) {
    const next = addMonths(m, 1);
    const feeTime = next + DAY + 6 * HOUR;
    if (feeTime > g.now) break;
    const volume = usdCharges.filter((c) => c.created >= m && c.created < next).reduce((s, c) => s + c.amount, 0);
    const fee = Math.round(volume * 0.007);
    if (fee <= 0) continue;
    const label = new Date(m * 1000).toISOString().slice(0, 7);
    addFlatBt(g, { created: feeTime, amount: -fee, currency: 'usd', description: `Billing (${label}): Usage Fee`, exchangeRate: null, type: 'stripe_fee', reportingCategory: 'fee', source: null });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Payouts

export interface PayoutPlan {
  currency: 'usd' | 'eur';
  time: number;
  kind: 'auto' | 'failed' | 'canceled';
  /** Fixed amount (manual canceled payout); automatic payouts sweep the available balance. */
  amount?: number;
}

export function payoutShape(f: Partial<Stripe.Payout> = {}, ids: IdSource = BUILDER_IDS): Stripe.Payout {
  const created = f.created ?? SEED_EPOCH;
  return {
    id: f.id ?? ids.longId('po_'),
    object: 'payout',
    amount: 1000,
    application_fee: null,
    application_fee_amount: null,
    arrival_date: created + 2 * DAY,
    automatic: true,
    balance_transaction: null,
    created,
    currency: 'usd',
    description: 'STRIPE PAYOUT',
    destination: f.destination ?? ids.longId('ba_'),
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    livemode: false,
    metadata: {},
    method: 'standard',
    original_payout: null,
    payout_method: null,
    reconciliation_status: 'completed',
    reversed_by: null,
    source_type: 'card',
    statement_descriptor: null,
    status: 'paid',
    trace_id: f.trace_id ?? { status: 'supported', value: ids.rng.digits(15) },
    type: 'bank_account',
    ...f,
  } as Stripe.Payout;
}

/** Daily automatic payouts (Stripe's default schedule), a few hours before each day's end, plus one failed (USD,
 * ~40 days ago) and one canceled manual payout (EUR, ~90 days ago). */
function defaultSchedule(g: Generator, cur: 'usd' | 'eur'): PayoutPlan[] {
  const schedule: PayoutPlan[] = [];
  for (let t = g.now - 2 * HOUR; t > g.start; t -= DAY) schedule.push({ currency: cur, time: t, kind: 'auto' });
  schedule.reverse();
  if (cur === 'usd' && schedule.length > 45) (schedule[schedule.length - 41] as PayoutPlan).kind = 'failed';
  if (cur === 'eur' && schedule.length > 95) {
    const base = schedule[schedule.length - 91] as PayoutPlan;
    schedule.push({ currency: 'eur', time: base.time + 5 * HOUR, kind: 'canceled' });
    schedule.sort((a, b) => a.time - b.time);
  }
  return schedule;
}

/** Balance transactions payouts sweep, per settlement currency, in the order they become available. */
function flowsByCurrency(g: Generator): Record<'usd' | 'eur', Stripe.BalanceTransaction[]> {
  const flows = g.bts.filter((b) => b.type !== 'payout' && b.type !== 'payout_failure' && b.type !== 'payout_cancel');
  const byCur: Record<'usd' | 'eur', Stripe.BalanceTransaction[]> = { usd: [], eur: [] };
  for (const b of flows) (b.currency === 'eur' ? byCur.eur : byCur.usd).push(b);
  for (const k of ['usd', 'eur'] as const) byCur[k].sort((a, b) => a.available_on - b.available_on || (a.id < b.id ? -1 : 1));
  return byCur;
}

/**
 * Daily automatic payouts per settlement currency. With `plan` undefined, decides the schedule (days whose
 * available balance is positive) and returns it; with a plan and `commit`, generates payouts exactly on it.
 */
export function payoutsFor(g: Generator, plan: PayoutPlan[] | undefined, commit: boolean): PayoutPlan[] {
  const byCur = flowsByCurrency(g);
  const result: PayoutPlan[] = [];
  for (const cur of ['usd', 'eur'] as const) {
    const schedule = plan ? plan.filter((p) => p.currency === cur) : defaultSchedule(g, cur);
    sweep(g, cur, schedule, byCur[cur], commit, result);
  }
  return result;
}

function sweep(g: Generator, cur: 'usd' | 'eur', schedule: PayoutPlan[], list: Stripe.BalanceTransaction[], commit: boolean, result: PayoutPlan[]): void {
  let idx = 0;
  let available = 0;
  let pendingIds: string[] = [];
  for (const p of schedule) {
    while (idx < list.length && (list[idx] as Stripe.BalanceTransaction).available_on <= p.time) {
      const b = list[idx] as Stripe.BalanceTransaction;
      available += b.net;
      pendingIds.push(b.id);
      idx++;
    }
    const amount = p.kind === 'canceled' ? (p.amount ?? Math.floor(available / 2)) : available;
    if (amount <= 0) continue;
    result.push({ ...p, amount: p.kind === 'canceled' ? amount : undefined });
    if (!commit) {
      if (p.kind === 'auto') {
        available = 0;
        pendingIds = [];
      }
      continue;
    }
    const po = makePayout(g, cur, p, amount);
    if (p.kind === 'canceled') continue;
    for (const id of pendingIds) g.paidOutBy[id] = po.id;
    if (po.balance_transaction) g.paidOutBy[po.balance_transaction as string] = po.id;
    pendingIds = [];
    if (p.kind === 'auto') {
      available = 0;
    } else {
      // Funds come back when the payout fails; the next payout sweeps them again.
      if (po.failure_balance_transaction) pendingIds.push(po.failure_balance_transaction as string);
      available = amount;
    }
  }
}

function payoutStatus(g: Generator, p: PayoutPlan, arrival: number): string {
  if (p.kind === 'failed') return 'failed';
  if (p.kind === 'canceled') return 'canceled';
  if (arrival <= g.now) return 'paid';
  if (p.time < g.now - 12 * HOUR) return 'in_transit';
  return 'pending';
}

function makePayout(g: Generator, cur: 'usd' | 'eur', p: PayoutPlan, amount: number): Stripe.Payout {
  const id = g.longId('po_');
  const arrival = dayStart(p.time + 2 * DAY) + 8 * HOUR;
  const status = payoutStatus(g, p, arrival);
  const bt = addFlatBt(g, { created: p.time, amount: -amount, currency: cur, description: 'STRIPE PAYOUT', exchangeRate: null, type: 'payout', reportingCategory: 'payout', source: id });
  let failureBt: Stripe.BalanceTransaction | null = null;
  if (p.kind === 'failed' || p.kind === 'canceled') {
    failureBt = addFlatBt(g, {
      created: p.kind === 'failed' ? arrival + 6 * HOUR : p.time + 2 * HOUR,
      amount,
      currency: cur,
      description: p.kind === 'failed' ? 'Payout failure' : 'Payout cancellation',
      exchangeRate: null,
      type: p.kind === 'failed' ? 'payout_failure' : 'payout_cancel',
      reportingCategory: 'payout_reversal',
      source: id,
    });
  }
  const payout = payoutShape({
    id,
    amount,
    arrival_date: arrival,
    automatic: p.kind !== 'canceled',
    balance_transaction: bt.id,
    created: p.time,
    currency: cur,
    description: p.kind === 'canceled' ? 'Manual payout' : 'STRIPE PAYOUT',
    destination: g.bankAccounts[cur],
    failure_balance_transaction: p.kind === 'failed' && failureBt ? failureBt.id : null,
    failure_code: p.kind === 'failed' ? 'account_closed' : null,
    failure_message: p.kind === 'failed' ? 'The bank account has been closed.' : null,
    livemode: g.livemode,
    reconciliation_status: p.kind !== 'auto' ? 'not_applicable' : status === 'paid' && arrival < g.now - 5 * DAY ? 'completed' : 'in_progress',
    status,
    trace_id: status === 'paid' ? { status: 'supported', value: g.rng.digits(15) } : { status: 'pending', value: null },
  });
  g.payouts.push(payout);
  return payout;
}

// ---------------------------------------------------------------------------------------------------------------
// Balance

/** `available[c]` = Σ net of balance transactions available by `now`; `pending[c]` = the rest. */
export function balanceOf(bts: Stripe.BalanceTransaction[], now: number, livemode: boolean, currencies: string[] = ['usd', 'eur']): Stripe.Balance {
  const avail: Record<string, number> = {};
  const pend: Record<string, number> = {};
  for (const c of currencies) avail[c] = pend[c] = 0;
  for (const b of bts) {
    if (b.available_on <= now) avail[b.currency] = (avail[b.currency] ?? 0) + b.net;
    else pend[b.currency] = (pend[b.currency] ?? 0) + b.net;
  }
  return {
    object: 'balance',
    available: currencies.map((c) => ({ amount: avail[c] ?? 0, currency: c, source_types: { card: avail[c] ?? 0 } })),
    connect_reserved: currencies.map((c) => ({ amount: 0, currency: c })),
    instant_available: [{ amount: Math.max(0, avail.usd ?? 0), currency: 'usd', source_types: { card: Math.max(0, avail.usd ?? 0) } }],
    livemode,
    pending: currencies.map((c) => ({ amount: pend[c] ?? 0, currency: c, source_types: { card: pend[c] ?? 0 } })),
  };
}
