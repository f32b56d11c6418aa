/** Payment intents and their charges (card payments), one-off payments and padding payments. */
import type Stripe from 'stripe';
import { NULL_ADDRESS, REGION_US, makeCard } from './customers.js';
import type { CardInfo, CustomerCtx, Generator } from './generator.js';
import { addBt } from './payouts-balance.js';
import { BUILDER_IDS, CURRENCY_DECIMALS, DAY, HOUR, SEED_EPOCH, TO_USD, dayStart, idOf } from './util.js';
import type { Cur, IdSource } from './util.js';

export interface FailureSpec {
  code: string;
  decline: string | null;
  message: string;
  networkDecline: string;
  outcomeType: string;
}
const FAILURES: Array<readonly [FailureSpec, number]> = [
  [{ code: 'card_declined', decline: 'insufficient_funds', message: 'Your card has insufficient funds.', networkDecline: '51', outcomeType: 'issuer_declined' }, 35],
  [{ code: 'card_declined', decline: 'do_not_honor', message: 'Your card was declined.', networkDecline: '05', outcomeType: 'issuer_declined' }, 20],
  [{ code: 'card_declined', decline: 'lost_card', message: 'Your card was declined.', networkDecline: '41', outcomeType: 'issuer_declined' }, 8],
  [{ code: 'expired_card', decline: 'expired_card', message: 'Your card has expired.', networkDecline: '54', outcomeType: 'issuer_declined' }, 15],
  [{ code: 'incorrect_cvc', decline: 'incorrect_cvc', message: "Your card's security code is incorrect.", networkDecline: 'N7', outcomeType: 'issuer_declined' }, 10],
  [{ code: 'processing_error', decline: 'processing_error', message: 'An error occurred while processing your card. Try again in a little bit.', networkDecline: '96', outcomeType: 'issuer_declined' }, 12],
];

export function randomFailure(g: Generator): FailureSpec {
  return g.rng.weighted(FAILURES);
}

/** Padding payments ("Extra API credits" packs). */
const PAD_AMOUNTS = [500, 1000, 2000, 2500, 5000, 7500, 10000, 20000];

// Immutable sub-objects shared by many objects (keeps a 100k-transaction dataset small). Never mutated.
const CHECKS_PASS: Stripe.Charge.PaymentMethodDetails.Card.Checks = Object.freeze({ address_line1_check: null, address_postal_code_check: 'pass', cvc_check: 'pass' });
const CHECKS_CVC_FAIL: Stripe.Charge.PaymentMethodDetails.Card.Checks = Object.freeze({ address_line1_check: null, address_postal_code_check: 'pass', cvc_check: 'fail' });
const EXTENDED_AUTH: Stripe.Charge.PaymentMethodDetails.Card.ExtendedAuthorization = Object.freeze({ status: 'disabled' });
const INCREMENTAL_AUTH: Stripe.Charge.PaymentMethodDetails.Card.IncrementalAuthorization = Object.freeze({ status: 'unavailable' });
const MULTICAPTURE: Stripe.Charge.PaymentMethodDetails.Card.Multicapture = Object.freeze({ status: 'unavailable' });
const NETWORK_TOKEN: Stripe.Charge.PaymentMethodDetails.Card.NetworkToken = Object.freeze({ used: false });
const OUTCOME_OK: Stripe.Charge.Outcome = Object.freeze({
  advice_code: null,
  network_advice_code: null,
  network_decline_code: null,
  network_status: 'approved_by_network',
  reason: null,
  risk_level: 'normal',
  risk_score: 32,
  seller_message: 'Payment complete.',
  type: 'authorized',
});
const AMOUNT_DETAILS: Stripe.PaymentIntent.AmountDetails = Object.freeze({ tip: Object.freeze({}) }) as Stripe.PaymentIntent.AmountDetails;
const PM_OPTIONS: Stripe.PaymentIntent.PaymentMethodOptions = Object.freeze({
  card: Object.freeze({ installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' }),
}) as Stripe.PaymentIntent.PaymentMethodOptions;

// ---------------------------------------------------------------------------------------------------------------
// The card block of a charge, written once

export interface CardPayment {
  card: Pick<CardInfo, 'brand' | 'country' | 'expMonth' | 'expYear' | 'fingerprint' | 'funding' | 'last4'>;
  /** Amount the issuer authorized (null when declined). */
  authorized: number | null;
  /** Amount of the payment (the overcapture ceiling). */
  amount: number;
  authorizationCode: string | null;
  networkTransactionId: string | null;
  checks?: Stripe.Charge.PaymentMethodDetails.Card.Checks;
  /** Defaults to the card's expiry year. */
  expYear?: number;
}

/** `payment_method_details` of a card charge, in Stripe's shape. */
export function cardPaymentMethodDetails(p: CardPayment): Stripe.Charge.PaymentMethodDetails {
  const c = p.card;
  return {
    type: 'card',
    card: {
      amount_authorized: p.authorized,
      authorization_code: p.authorizationCode,
      brand: c.brand,
      checks: p.checks ?? CHECKS_PASS,
      country: c.country,
      electronic_commerce_indicator: null,
      exp_month: c.expMonth,
      exp_year: p.expYear ?? c.expYear,
      extended_authorization: EXTENDED_AUTH,
      fingerprint: c.fingerprint,
      funding: c.funding,
      incremental_authorization: INCREMENTAL_AUTH,
      installments: null,
      last4: c.last4,
      mandate: null,
      multicapture: MULTICAPTURE,
      network: c.brand,
      network_token: NETWORK_TOKEN,
      network_transaction_id: p.networkTransactionId,
      overcapture: { maximum_amount_capturable: p.amount, status: 'unavailable' },
      regulated_status: 'unregulated',
      three_d_secure: null,
      transaction_link_id: null,
      wallet: null,
    },
  };
}

export type CardSeed = Partial<Stripe.Charge.PaymentMethodDetails.Card>;

/** Card details for a hand-built charge: a succeeded Visa 4242 unless `card` says otherwise. */
export function cardDetails(amount: number, card: CardSeed = {}, ids: IdSource = BUILDER_IDS): Stripe.Charge.PaymentMethodDetails {
  const base = cardPaymentMethodDetails({
    card: { brand: card.brand ?? 'visa', country: 'US', expMonth: 12, expYear: 2030, fingerprint: card.fingerprint ?? ids.rng.alnum(16), funding: 'credit', last4: '4242' },
    authorized: amount,
    amount,
    authorizationCode: null,
    networkTransactionId: null,
  });
  return { type: 'card', card: { ...(base.card as Stripe.Charge.PaymentMethodDetails.Card), ...card } };
}

// ---------------------------------------------------------------------------------------------------------------
// Shapes

export type PaymentIntentSeed = Omit<Partial<Stripe.PaymentIntent>, 'customer' | 'latest_charge'> & {
  customer?: string | Stripe.Customer | null;
  latest_charge?: string | Stripe.Charge | null;
};

export function paymentIntentShape(f: PaymentIntentSeed = {}, ids: IdSource = BUILDER_IDS): Stripe.PaymentIntent {
  const { customer, latest_charge, ...rest } = f;
  const id = f.id ?? ids.longId('pi_', '3');
  const amount = f.amount ?? 1000;
  const status = f.status ?? 'succeeded';
  return {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount,
    amount_capturable: 0,
    amount_details: AMOUNT_DETAILS,
    amount_received: status === 'succeeded' ? amount : 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: f.client_secret ?? `${id}_secret_${ids.rng.alnum(25)}`,
    confirmation_method: 'automatic',
    created: SEED_EPOCH,
    currency: 'usd',
    customer: idOf(customer),
    customer_account: null,
    description: null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: idOf(latest_charge),
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: PM_OPTIONS,
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status,
    transfer_data: null,
    transfer_group: null,
    ...rest,
  } as Stripe.PaymentIntent;
}

export type ChargeSeed = Omit<Partial<Stripe.Charge>, 'customer' | 'payment_intent' | 'balance_transaction'> & {
  customer?: string | Stripe.Customer | null;
  payment_intent?: string | Stripe.PaymentIntent | null;
  balance_transaction?: string | Stripe.BalanceTransaction | null;
  /** Fields of `payment_method_details.card` to set. */
  card?: CardSeed;
};

const DECLINED_OUTCOME: Stripe.Charge.Outcome = Object.freeze({
  ...OUTCOME_OK,
  network_status: 'declined_by_network',
  reason: 'generic_decline',
  seller_message: 'The bank did not return any further details with this decline.',
  type: 'issuer_declined',
});

export function chargeShape(f: ChargeSeed = {}, ids: IdSource = BUILDER_IDS): Stripe.Charge {
  const { customer, payment_intent, balance_transaction, card, ...rest } = f;
  const id = f.id ?? ids.longId('ch_', '3');
  const amount = f.amount ?? 1000;
  const ok = (f.status ?? 'succeeded') === 'succeeded';
  return {
    id,
    object: 'charge',
    amount,
    amount_captured: ok ? amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: idOf(balance_transaction),
    billing_details: f.billing_details ?? { address: { ...NULL_ADDRESS }, email: null, name: null, phone: null, tax_id: null },
    calculated_statement_descriptor: 'NORTHWIND CLOUD',
    captured: ok,
    created: SEED_EPOCH,
    currency: 'usd',
    customer: idOf(customer),
    description: null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: ok ? null : 'card_declined',
    failure_message: ok ? null : 'Your card was declined.',
    fraud_details: {},
    livemode: false,
    metadata: {},
    on_behalf_of: null,
    outcome: ok ? OUTCOME_OK : DECLINED_OUTCOME,
    paid: ok,
    payment_intent: idOf(payment_intent),
    payment_method: f.payment_method !== undefined ? f.payment_method : ids.longId('pm_'),
    payment_method_details: f.payment_method_details ?? cardDetails(amount, card, ids),
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    refunds: f.refunds ?? { object: 'list', data: [], has_more: false, url: `/v1/charges/${id}/refunds` },
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: ok ? 'succeeded' : 'failed',
    transfer_data: null,
    transfer_group: null,
    ...rest,
  } as Stripe.Charge;
}

// ---------------------------------------------------------------------------------------------------------------
// Money movement of a charge

function feeFor(currency: string, settled: number, settleCur: string): number {
  if (settleCur !== currency) return Math.round(settled * 0.049) + 30;
  if (currency === 'eur') return Math.round(settled * 0.015) + 25;
  return Math.round(settled * 0.029) + 30;
}

/** Settlement currency and amount for a presentment amount. */
export function settle(currency: string, amount: number): { currency: 'usd' | 'eur'; amount: number; rate: number | null } {
  if (currency === 'usd' || currency === 'eur') return { currency, amount, rate: null };
  const rate = TO_USD[currency] ?? 1;
  const units = amount / Math.pow(10, CURRENCY_DECIMALS[currency] ?? 2);
  return { currency: 'usd', amount: Math.round(units * rate * 100), rate };
}

function processingFee(g: Generator, fee: number, currency: string): Stripe.BalanceTransaction.FeeDetail[] {
  const key = `${currency}:${fee}`;
  let fd = g.feeCache.get(key);
  if (!fd) {
    fd = [{ amount: fee, application: null, currency, description: 'Stripe processing fees', type: 'stripe_fee' }];
    g.feeCache.set(key, fd);
  }
  return fd;
}

/** The balance transaction of a succeeded charge; returns its id. */
function chargeBalanceTransaction(g: Generator, pi: Stripe.PaymentIntent, chargeId: string, time: number): string {
  const s = settle(pi.currency, pi.amount);
  const fee = feeFor(pi.currency, s.amount, s.currency);
  return addBt(g, {
    created: time,
    availableOn: dayStart(time) + 2 * DAY,
    amount: s.amount,
    fee,
    feeDetails: processingFee(g, fee, s.currency),
    currency: s.currency,
    description: pi.description,
    exchangeRate: s.rate,
    type: 'charge',
    reportingCategory: 'charge',
    source: chargeId,
  }).id;
}

function outcomeOf(g: Generator, failure: FailureSpec | null): Stripe.Charge.Outcome {
  if (!failure) return { ...OUTCOME_OK, risk_score: g.rng.int(5, 60) };
  return {
    advice_code: failure.code === 'processing_error' ? 'try_again_later' : 'do_not_try_again',
    network_advice_code: null,
    network_decline_code: failure.networkDecline,
    network_status: 'declined_by_network',
    reason: failure.decline,
    risk_level: 'normal',
    risk_score: g.rng.int(5, 60),
    seller_message: `The bank returned the decline code \`${failure.decline ?? failure.code}\`.`,
    type: failure.outcomeType,
  };
}

/** Card details of one attempt (`lite`: shared per card and amount, for padding charges). */
function attemptCardDetails(g: Generator, card: CardInfo, amount: number, failure: FailureSpec | null, time: number, lite: boolean): Stripe.Charge.PaymentMethodDetails {
  if (lite) {
    const key = `${card.pm}:${amount}`;
    let pmd = g.pmdCache.get(key);
    if (!pmd) {
      pmd = cardPaymentMethodDetails({ card, authorized: amount, amount, authorizationCode: null, networkTransactionId: null });
      g.pmdCache.set(key, pmd);
    }
    return pmd;
  }
  const ok = failure === null;
  const authorizationCode = ok ? g.rng.digits(6) : null;
  return cardPaymentMethodDetails({
    card,
    authorized: ok ? amount : null,
    amount,
    authorizationCode,
    networkTransactionId: ok ? g.rng.digits(15) : null,
    checks: failure?.code === 'incorrect_cvc' ? CHECKS_CVC_FAIL : CHECKS_PASS,
    expYear: failure?.code === 'expired_card' ? new Date(time * 1000).getUTCFullYear() - 1 : card.expYear,
  });
}

function billingDetails(g: Generator, cust: Stripe.Customer | null): Stripe.Charge.BillingDetails {
  const key = cust ? cust.id : '';
  let bd = g.billingDetailsCache.get(key);
  if (!bd) {
    bd = {
      address: cust?.address ?? { ...NULL_ADDRESS },
      email: cust?.email ?? null,
      name: cust?.name ?? null,
      phone: null,
      tax_id: null,
    };
    g.billingDetailsCache.set(key, bd);
  }
  return bd;
}

/** The payment intent's state after an attempt. */
function recordAttempt(pi: Stripe.PaymentIntent, chargeId: string, failure: FailureSpec | null): void {
  pi.latest_charge = chargeId;
  if (!failure) {
    pi.status = 'succeeded';
    pi.amount_received = pi.amount;
    pi.last_payment_error = null;
    return;
  }
  pi.status = 'requires_payment_method';
  pi.last_payment_error = {
    type: 'card_error',
    code: failure.code as Stripe.PaymentIntent.LastPaymentError.Code,
    ...(failure.code === 'card_declined' && failure.decline ? { decline_code: failure.decline } : {}),
    message: failure.message,
    charge: chargeId,
    doc_url: `https://stripe.com/docs/error-codes/${failure.code.replace(/_/g, '-')}`,
    payment_method_type: 'card',
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Generated payments

export function makePaymentIntent(
  g: Generator,
  a: { customer: CustomerCtx | null; created: number; amount: number; currency: string; description: string | null; metadata?: Record<string, string>; offSession: boolean },
): Stripe.PaymentIntent {
  const id = g.longId('pi_', '3');
  const pi = paymentIntentShape({
    id,
    amount: a.amount,
    amount_received: 0,
    client_secret: `${id}_secret_${g.rng.alnum(25)}`,
    created: a.created,
    currency: a.currency,
    customer: a.customer ? a.customer.obj.id : null,
    description: a.description,
    livemode: g.livemode,
    metadata: a.metadata ?? {},
    payment_method: a.customer ? a.customer.card.pm : null,
    receipt_email: a.customer ? a.customer.obj.email : null,
    setup_future_usage: a.offSession ? 'off_session' : null,
    status: 'requires_payment_method',
  });
  g.paymentIntents.push(pi);
  return pi;
}

/** One charge attempt on a payment intent. `failure` null → succeeded (balance transaction created). */
export function attempt(g: Generator, pi: Stripe.PaymentIntent, customer: CustomerCtx | null, time: number, failure: FailureSpec | null, lite = false): Stripe.Charge {
  const card = customer ? customer.card : makeCard(g, REGION_US);
  const id = g.longId('ch_', '3');
  const ok = failure === null;
  const btId = ok ? chargeBalanceTransaction(g, pi, id, time) : null;
  const cust = customer ? customer.obj : null;
  const billing = billingDetails(g, cust);
  const outcome = lite ? OUTCOME_OK : outcomeOf(g, failure);
  const charge = chargeShape({
    id,
    amount: pi.amount,
    balance_transaction: btId,
    billing_details: billing,
    created: time,
    currency: pi.currency,
    customer: pi.customer as string | null,
    description: pi.description,
    failure_code: failure ? failure.code : null,
    failure_message: failure ? failure.message : null,
    livemode: g.livemode,
    metadata: { ...pi.metadata },
    outcome,
    payment_intent: pi.id,
    payment_method: card.pm,
    payment_method_details: attemptCardDetails(g, card, pi.amount, failure, time, lite),
    receipt_email: cust?.email ?? null,
    receipt_url: ok ? `https://pay.stripe.com/receipts/payment/CAca${g.acctTag}${id.slice(-14)}` : null,
    status: ok ? 'succeeded' : 'failed',
  });
  g.charges.push(charge);
  g.chargeCtx.set(id, { customer });
  recordAttempt(pi, id, failure);
  return charge;
}

const ONE_OFF_PRODUCTS: Array<readonly [string, number]> = [
  ['Consulting: 5 hours', 30],
  ['Extra API credits', 30],
  ['Team onboarding package', 15],
  ['Priority support add-on', 15],
  ['Data export service', 10],
];
const ONE_OFF_BASE_PRICE: Record<string, number> = { usd: 25000, eur: 23000, jpy: 35000 };

export function buildOneOffPayments(g: Generator): void {
  const count = g.size.oneOffPayments > 0 ? g.size.oneOffPayments : Math.round(g.size.customers / 3);
  const pool = g.customers.filter((c) => c.obj.currency !== 'kwd');
  for (let i = 0; i < count && pool.length; i++) {
    const guest = g.rng.chance(0.1);
    const c = g.rng.pick(pool);
    const cur = c.obj.currency as Cur;
    const created = c.obj.created + Math.floor((g.now - c.obj.created) * g.rng.float());
    const base = ONE_OFF_BASE_PRICE[cur] ?? 25000;
    const amount = Math.round((base * (0.2 + g.rng.float() * 2)) / 100) * 100;
    oneOff(g, guest ? null : c, created, amount, cur, g.rng.weighted(ONE_OFF_PRODUCTS), guest ? c : null);
  }
  specialOneOffs(g);
}

/** Special customers: KWD (three decimals) and JPY (zero decimals) one-off payments. */
function specialOneOffs(g: Generator): void {
  const sp = g.special;
  const kwd = g.customers.find((c) => c.obj.id === sp.kwdCustomer);
  if (kwd) {
    // Three-decimal amounts end in 0, as Stripe requires (see THREE_DECIMAL_CURRENCIES).
    const amounts = [45250, 120000, 9880, 310500, 75130, 18000];
    amounts.forEach((amt, i) => {
      const t = kwd.obj.created + Math.floor(((g.now - kwd.obj.created) * (i + 0.5)) / amounts.length);
      const description = i % 2 === 0 ? 'Annual enterprise licence (regional)' : 'Consulting: 5 hours';
      oneOff(g, kwd, t, amt, 'kwd', description, null, i === 3 ? randomFailure(g) : null, { po_number: `PO-${2400 + i}` });
    });
  }
  const jpy = g.customers.find((c) => c.obj.id === sp.jpyCustomer);
  if (jpy) {
    [30000, 125000, 4800].forEach((amt, i) => {
      const t = jpy.obj.created + Math.floor(((g.now - jpy.obj.created) * (i + 1)) / 4);
      oneOff(g, jpy, t, amt, 'jpy', 'Extra API credits', null);
    });
  }
}

function oneOff(
  g: Generator,
  c: CustomerCtx | null,
  created: number,
  amount: number,
  currency: string,
  description: string,
  guestOf: CustomerCtx | null,
  forceFailure: FailureSpec | null = null,
  metadata?: Record<string, string>,
): Stripe.PaymentIntent {
  const md = metadata ?? (g.rng.chance(0.5) ? { order_id: `ord_${g.rng.digits(6)}` } : {});
  const pi = makePaymentIntent(g, { customer: c, created, amount, currency, description, offSession: false, metadata: md });
  if (!c && guestOf) pi.receipt_email = guestOf.obj.email;
  const payer = c ?? guestOf;
  const r = g.rng.float();
  if (forceFailure) {
    attempt(g, pi, payer, created, forceFailure);
    return pi;
  }
  if (r < 0.06 && created < g.now - DAY) {
    pi.status = 'canceled';
    pi.canceled_at = created + g.rng.int(1, 24) * HOUR;
    pi.cancellation_reason = 'abandoned';
    pi.payment_method = null;
    return pi;
  }
  if (r < 0.14) {
    attempt(g, pi, payer, created, randomFailure(g));
    if (g.rng.chance(0.5) && created + HOUR < g.now) attempt(g, pi, payer, created + 10 * 60, null);
    return pi;
  }
  attempt(g, pi, payer, created, null);
  return pi;
}

/** Extra one-off card payments that make the balance transaction count exactly what `size` asks. */
export function pad(g: Generator, count: number): void {
  const pool = g.customers.filter((c) => c.obj.currency === 'usd' || c.obj.currency === 'eur');
  const span = g.now - g.start;
  for (let i = 0; i < count; i++) {
    const c = pool.length ? g.rng.pick(pool) : null;
    const created = g.start + Math.floor(span * g.rng.float());
    const cur = c ? (c.obj.currency as string) : 'usd';
    const amount = g.rng.pick(PAD_AMOUNTS);
    const pi = makePaymentIntent(g, { customer: c, created, amount, currency: cur, description: 'Extra API credits', offSession: false });
    attempt(g, pi, c, created, null, true);
  }
}
