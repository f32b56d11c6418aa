/** Refunds and disputes of succeeded charges, with the balance transactions they cause. */
import type Stripe from 'stripe';
import type { Generator } from './generator.js';
import { settle } from './payments.js';
import { addBt, addFlatBt } from './payouts-balance.js';
import { BUILDER_IDS, DAY, HOUR, SEED_EPOCH, acceptedAmount, dayStart, idOf } from './util.js';
import type { IdSource } from './util.js';

// ---------------------------------------------------------------------------------------------------------------
// The card blocks of refunds and disputes, written once

/** Where a card refund went: the acquirer reference number the cardholder's bank can trace. */
function refundCardDestination(rng: IdSource['rng']): Stripe.Refund.DestinationDetails {
  return { type: 'card', card: { reference: rng.digits(12), reference_status: 'available', reference_type: 'acquirer_reference_number', type: 'refund' } } as Stripe.Refund.DestinationDetails;
}

/** A card dispute's network details: an inquiry (a warning) or a chargeback, under the card's network reason code. */
function disputeCardDetails(card: { brand?: string | null; network?: string | null } | null | undefined, caseType: 'chargeback' | 'inquiry', networkReasonCode: string): Stripe.Dispute.PaymentMethodDetails {
  return { type: 'card', card: { brand: card?.brand ?? 'visa', case_type: caseType, network: card?.network ?? 'visa', network_reason_code: networkReasonCode } } as Stripe.Dispute.PaymentMethodDetails;
}

// ---------------------------------------------------------------------------------------------------------------
// Shapes

export type RefundSeed = Omit<Partial<Stripe.Refund>, 'charge' | 'payment_intent' | 'balance_transaction'> & {
  charge?: string | Stripe.Charge;
  payment_intent?: string | Stripe.PaymentIntent | null;
  balance_transaction?: string | Stripe.BalanceTransaction | null;
};

export function refundShape(f: RefundSeed = {}, ids: IdSource = BUILDER_IDS): Stripe.Refund {
  const { charge, payment_intent, balance_transaction, ...rest } = f;
  const ch = typeof charge === 'object' ? charge : null;
  return {
    id: f.id ?? ids.longId('re_', '3'),
    object: 'refund',
    amount: ch?.amount ?? 1000,
    balance_transaction: idOf(balance_transaction),
    charge: idOf(charge) ?? ids.longId('ch_', '3'),
    created: SEED_EPOCH,
    currency: ch?.currency ?? 'usd',
    customer: ch ? idOf(ch.customer as string | null) : null,
    customer_account: null,
    destination_details: f.destination_details ?? refundCardDestination(ids.rng),
    metadata: {},
    payment_intent: idOf(payment_intent as string | null) ?? (ch ? idOf(ch.payment_intent as string | null) : null),
    payment_method: ch?.payment_method ?? null,
    reason: 'requested_by_customer',
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
    ...rest,
  } as Stripe.Refund;
}

export type DisputeSeed = Omit<Partial<Stripe.Dispute>, 'charge'> & { charge?: string | Stripe.Charge };

/** Dispute evidence in Stripe's shape: every field null unless given. */
function evidence(given: Partial<Stripe.Dispute.Evidence> = {}): Stripe.Dispute.Evidence {
  return {
    access_activity_log: null,
    billing_address: null,
    cancellation_policy: null,
    cancellation_policy_disclosure: null,
    cancellation_rebuttal: null,
    customer_communication: null,
    customer_email_address: null,
    customer_name: null,
    customer_purchase_ip: null,
    customer_signature: null,
    duplicate_charge_documentation: null,
    duplicate_charge_explanation: null,
    duplicate_charge_id: null,
    enhanced_evidence: {},
    product_description: null,
    receipt: null,
    refund_policy: null,
    refund_policy_disclosure: null,
    refund_refusal_explanation: null,
    service_date: null,
    service_documentation: null,
    shipping_address: null,
    shipping_carrier: null,
    shipping_date: null,
    shipping_documentation: null,
    shipping_tracking_number: null,
    uncategorized_file: null,
    uncategorized_text: null,
    ...given,
  } as Stripe.Dispute.Evidence;
}

export function disputeShape(f: DisputeSeed = {}, ids: IdSource = BUILDER_IDS): Stripe.Dispute {
  const { charge, ...rest } = f;
  const ch = typeof charge === 'object' ? charge : null;
  const created = f.created ?? SEED_EPOCH;
  return {
    id: f.id ?? ids.longId('dp_'),
    object: 'dispute',
    amount: ch?.amount ?? 1000,
    balance_transactions: [],
    charge: idOf(charge) ?? ids.longId('ch_', '3'),
    created,
    currency: ch?.currency ?? 'usd',
    enhanced_eligibility_types: [],
    evidence: evidence(),
    evidence_details: { due_by: dayStart(created) + 21 * DAY - 1, enhanced_eligibility: {}, has_evidence: false, past_due: false, submission_count: 0, submission_method: null } as unknown as Stripe.Dispute.EvidenceDetails,
    intended_submission_method: null,
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    network_reason_code: '13.1',
    payment_intent: ch ? idOf(ch.payment_intent as string | null) : null,
    payment_method_details: disputeCardDetails(null, 'chargeback', '13.1'),
    reason: 'general',
    status: 'needs_response',
    ...rest,
  } as Stripe.Dispute;
}

// ---------------------------------------------------------------------------------------------------------------
// Generated refunds and disputes

/** Disputes first: one of each status when possible (status, min and max age in days), plus ~0.6 % random. */
const FORCED_DISPUTES: Array<[Stripe.Dispute.Status, number, number]> = [
  ['warning_needs_response', 10, 40],
  ['needs_response', 8, 45],
  ['under_review', 30, 90],
  ['won', 120, 400],
  ['lost', 120, 400],
  ['needs_response', 12, 60],
  ['lost', 60, 300],
];

export function buildRefundsAndDisputes(g: Generator): void {
  const succeeded = g.charges.filter((ch) => ch.status === 'succeeded');
  const used = new Set<string>();
  for (const [status, minAge, maxAge] of FORCED_DISPUTES) {
    const cands = succeeded.filter((ch) => !used.has(ch.id) && ch.created < g.now - minAge * DAY && ch.created > g.now - maxAge * DAY);
    if (!cands.length) continue;
    const ch = g.rng.pick(cands);
    used.add(ch.id);
    makeDispute(g, ch, status);
  }
  for (const ch of succeeded) {
    if (used.has(ch.id) || ch.created > g.now - 5 * DAY) continue;
    if (!g.rng.chance(0.006)) continue;
    used.add(ch.id);
    const age = (g.now - ch.created) / DAY;
    const status: Stripe.Dispute.Status = age < 25 ? 'needs_response' : age < 80 ? 'under_review' : g.rng.chance(0.45) ? 'won' : 'lost';
    makeDispute(g, ch, status);
  }
  buildRefunds(g, succeeded.filter((ch) => !used.has(ch.id) && ch.created < g.now - DAY));
}

/** Refunds: ~4 % of succeeded charges, full or partial; guarantee both kinds and one in JPY/KWD. */
function buildRefunds(g: Generator, refundable: Stripe.Charge[]): void {
  let full = 0;
  let partial = 0;
  for (const ch of refundable) {
    const forceJpy = ch.currency === 'jpy' && !g.refunds.some((r) => r.currency === 'jpy');
    const forceKwd = ch.currency === 'kwd' && !g.refunds.some((r) => r.currency === 'kwd');
    if (!forceJpy && !forceKwd && !g.rng.chance(0.04)) continue;
    const isFull = full <= partial ? g.rng.chance(0.75) : g.rng.chance(0.45);
    const amount = isFull ? ch.amount : acceptedAmount(Math.max(1, Math.round(ch.amount * (0.2 + g.rng.float() * 0.6))), ch.currency);
    if (isFull) full++;
    else partial++;
    const created = Math.min(g.now - 60, ch.created + g.rng.int(1, 30 * 24) * HOUR);
    makeRefund(g, ch, amount, created);
    // A second partial refund now and then.
    if (!isFull && g.rng.chance(0.25)) {
      const rest = ch.amount - ch.amount_refunded;
      const more = acceptedAmount(Math.max(1, Math.round(rest * 0.5)), ch.currency);
      if (rest > 1 && more < rest) makeRefund(g, ch, more, Math.min(g.now - 30, created + g.rng.int(1, 48) * HOUR));
    }
  }
}

function makeRefund(g: Generator, ch: Stripe.Charge, amount: number, created: number): void {
  const id = g.longId('re_', '3');
  const s = settle(ch.currency, amount);
  const description = 'REFUND FOR CHARGE' + (ch.description ? ` (${ch.description})` : '');
  const bt = addFlatBt(g, { created, amount: -s.amount, currency: s.currency, description, exchangeRate: s.rate, type: 'refund', reportingCategory: 'refund', source: id });
  const reason = g.rng.weighted<Stripe.Refund.Reason | null>([
    ['requested_by_customer', 70],
    ['duplicate', 10],
    ['fraudulent', 5],
    [null, 15],
  ]);
  const refund = refundShape({
    id,
    amount,
    balance_transaction: bt.id,
    charge: ch.id,
    created,
    currency: ch.currency,
    customer: typeof ch.customer === 'string' ? ch.customer : null,
    destination_details: refundCardDestination(g.rng),
    payment_intent: typeof ch.payment_intent === 'string' ? ch.payment_intent : null,
    payment_method: ch.payment_method,
    reason,
  });
  g.refunds.push(refund);
  ch.amount_refunded += amount;
  ch.refunded = ch.amount_refunded >= ch.amount;
  if (ch.refunds) ch.refunds.data.unshift(refund);
}

function disputeCreated(g: Generator, ch: Stripe.Charge, status: Stripe.Dispute.Status): number {
  let created: number;
  if (status === 'needs_response' || status === 'warning_needs_response') created = g.now - g.rng.int(1, 6) * DAY - g.rng.int(0, 20) * HOUR;
  else if (status === 'under_review') created = g.now - g.rng.int(20, 28) * DAY;
  else created = ch.created + Math.min(g.now - ch.created - 60 * DAY, g.rng.int(10, 60) * DAY);
  return created <= ch.created ? ch.created + HOUR : created;
}

/** The withdrawal (with its dispute fee) and, for a won dispute, the reversal. */
function disputeBalanceTransactions(g: Generator, ch: Stripe.Charge, id: string, status: Stripe.Dispute.Status, created: number): Stripe.BalanceTransaction[] {
  if (status === 'warning_needs_response') return [];
  const s = settle(ch.currency, ch.amount);
  const list = [
    addBt(g, {
      created,
      availableOn: created,
      amount: -s.amount,
      fee: 1500,
      feeDetails: [{ amount: 1500, application: null, currency: s.currency, description: 'Dispute fee', type: 'stripe_fee' }],
      currency: s.currency,
      description: `Chargeback withdrawal for ${ch.id}`,
      exchangeRate: s.rate,
      type: 'adjustment',
      reportingCategory: 'dispute',
      source: id,
    }),
  ];
  if (status === 'won') {
    const t = Math.min(created + g.rng.int(30, 60) * DAY, g.now - HOUR);
    list.push(addFlatBt(g, { created: t, amount: s.amount, currency: s.currency, description: `Chargeback reversal for ${ch.id}`, exchangeRate: s.rate, type: 'adjustment', reportingCategory: 'dispute_reversal', source: id }));
  }
  return list;
}

function makeDispute(g: Generator, ch: Stripe.Charge, status: Stripe.Dispute.Status): void {
  const id = g.longId('dp_');
  const created = disputeCreated(g, ch, status);
  const btList = disputeBalanceTransactions(g, ch, id, status, created);
  const reason = status === 'warning_needs_response' ? 'general' : g.rng.pick(['fraudulent', 'product_not_received', 'subscription_canceled', 'duplicate', 'product_unacceptable', 'credit_not_processed']);
  const cust = g.chargeCtx.get(ch.id)?.customer?.obj ?? null;
  const submitted = status === 'under_review' || status === 'won' || status === 'lost';
  const card = ch.payment_method_details?.card;
  const networkReason = reason === 'fraudulent' ? '10.4' : '13.1';
  const dispute = disputeShape({
    id,
    amount: ch.amount,
    balance_transactions: btList,
    charge: ch.id,
    created,
    currency: ch.currency,
    evidence: evidence(
      submitted
        ? {
            customer_email_address: cust?.email ?? null,
            customer_name: cust?.name ?? null,
            product_description: 'Software subscription (SaaS).',
            uncategorized_text: 'Customer used the service during the billed period; see access logs.',
          }
        : {},
    ),
    evidence_details: { due_by: dayStart(created) + 21 * DAY - 1, enhanced_eligibility: {}, has_evidence: submitted, past_due: false, submission_count: submitted ? 1 : 0, submission_method: submitted ? 'manual' : null } as Stripe.Dispute.EvidenceDetails,
    is_charge_refundable: status === 'warning_needs_response',
    livemode: g.livemode,
    network_reason_code: networkReason,
    payment_intent: typeof ch.payment_intent === 'string' ? ch.payment_intent : null,
    payment_method_details: disputeCardDetails(card, status === 'warning_needs_response' ? 'inquiry' : 'chargeback', networkReason),
    reason,
    status,
  });
  g.disputes.push(dispute);
  ch.disputed = true;
}
