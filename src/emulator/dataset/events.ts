/**
 * Events: what changed in the account (docs.stripe.com/api/events/object), each embedding the object it concerns
 * in `data.object` and, for `*.updated`, the changed fields' earlier values in `data.previous_attributes`. Stripe
 * lists and retrieves events of the last 30 days only (docs.stripe.com/api/events/list: "going back up to 30
 * days"), so the generator makes none older, and hand-seeded ones older than that are dropped (seed.ts).
 * Ids are `evt_` + 24 characters (fixture `evt_1Pgc76B7WZ01zgkWwyRHS12y`).
 */
import type Stripe from 'stripe';
import { hashSeed } from '../random.js';
import type { Generator } from './generator.js';
import { BUILDER_IDS, DAY, RngIds, SEED_EPOCH } from './util.js';
import type { IdSource } from './util.js';

/** How long Stripe keeps events. */
export const EVENT_RETENTION_SECONDS = 30 * DAY;

export interface EventSeed {
  id?: string;
  type: string;
  /** The object as it was when the event happened. */
  object: { id: string; object: string } & Record<string, unknown>;
  previous_attributes?: Record<string, unknown>;
  created?: number;
  /** The API request that caused it; null when Stripe acted on its own. */
  request?: string | null;
  pending_webhooks?: number;
  livemode?: boolean;
}

export function eventShape(f: EventSeed, ids: IdSource = BUILDER_IDS): Stripe.Event {
  return {
    id: f.id ?? ids.longId('evt_'),
    object: 'event',
    api_version: null,
    created: f.created ?? SEED_EPOCH,
    data: { object: f.object, ...(f.previous_attributes ? { previous_attributes: f.previous_attributes } : {}) },
    livemode: f.livemode ?? false,
    pending_webhooks: f.pending_webhooks ?? 0,
    request: { id: f.request === undefined ? null : f.request, idempotency_key: null },
    type: f.type,
  } as unknown as Stripe.Event;
}

type Subject = { id: string; object: string; created: number } & Record<string, unknown>;
const asSubject = (o: object) => o as unknown as Subject;

/** The last 30 days of the generated business as events: sign-ups, subscriptions, payments, refunds, disputes, payouts. */
export function buildEvents(g: Generator, promotionCodes: readonly Stripe.PromotionCode[]): Stripe.Event[] {
  const ids = new RngIds(hashSeed(g.seed, `${g.mode}-events`), g.acctTag);
  const since = g.now - EVENT_RETENTION_SECONDS;
  const out: Stripe.Event[] = [];
  const add = (type: string, object: Subject, at: number, byRequest: boolean, previous?: Record<string, unknown>) => {
    if (at < since || at > g.now) return;
    out.push(
      eventShape(
        {
          type,
          object,
          created: at,
          request: byRequest ? `req_${ids.rng.alnum(14)}` : null,
          pending_webhooks: ids.rng.chance(0.05) ? 1 : 0,
          livemode: g.livemode,
          ...(previous ? { previous_attributes: previous } : {}),
        },
        ids,
      ),
    );
  };
  for (const { obj } of g.customers) add('customer.created', asSubject(obj), obj.created, true);
  for (const s of g.subscriptions) {
    add('customer.subscription.created', asSubject(s), s.created, true);
    if (s.canceled_at && s.canceled_at !== s.ended_at) add('customer.subscription.updated', asSubject(s), s.canceled_at, true, { cancel_at_period_end: false, canceled_at: null });
    if (s.ended_at) add('customer.subscription.deleted', asSubject(s), s.ended_at, false);
  }
  for (const inv of g.invoices) {
    if (inv.status === 'draft') continue;
    add('invoice.finalized', asSubject(inv), inv.status_transitions?.finalized_at ?? inv.created, false);
    if (inv.status_transitions?.paid_at) add('invoice.paid', asSubject(inv), inv.status_transitions.paid_at, false);
    else if (inv.status === 'open' && inv.attempt_count > 0) add('invoice.payment_failed', asSubject(inv), inv.created + 3600, false);
  }
  for (const ch of g.charges) add(ch.status === 'failed' ? 'charge.failed' : 'charge.succeeded', asSubject(ch), ch.created, true);
  for (const r of g.refunds) add('charge.refund.updated', asSubject(r), r.created, true);
  for (const d of g.disputes) add('charge.dispute.created', asSubject(d), d.created, false);
  for (const p of g.payouts) if (p.status === 'paid') add('payout.paid', asSubject(p), p.arrival_date, false);
  for (const c of g.coupons) add('coupon.created', asSubject(c), c.created, true);
  for (const p of promotionCodes) add('promotion_code.created', asSubject(p), p.created, true);
  return out;
}
