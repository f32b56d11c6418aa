import { z } from 'zod';
import type Stripe from 'stripe';
import { isoTime } from '../time.js';
import { isoDate } from './shared.js';
import { defineFacets } from './facets.js';

/** The object an event is about, as Stripe embeds it in `data.object` (docs.stripe.com/api/events/object). */
// `data` is read defensively: an answer without it is reported as Stripe's odd answer, not as our crash.
const subjectOf = (event: Stripe.Event) => (event.data as Stripe.Event.Data | undefined)?.object as unknown as { id?: unknown; object?: unknown } | undefined;

export const compactEventSchema = z.object({
  id: z.string(),
  type: z.string().describe('What happened, e.g. invoice.paid, customer.subscription.deleted'),
  object_type: z.string().nullable().describe("The kind of object it concerns (Stripe's `object`: invoice, subscription, …)"),
  object_id: z.string().nullable().describe('Its id, as it was then; fetch shows it now'),
  changed: z.array(z.string()).describe('*.updated events: the fields that changed (their earlier values: detail "full")'),
  created: isoDate,
  request_id: z.string().nullable().describe('The API request that caused it; null when Stripe acted on its own (renewals, retries)'),
  pending_webhooks: z.number().int().describe('Webhook endpoints not yet told of it'),
});

export type CompactEvent = z.infer<typeof compactEventSchema>;

export function compactEvent(event: Stripe.Event): CompactEvent {
  const subject = subjectOf(event);
  const previous = (event.data as Stripe.Event.Data | undefined)?.previous_attributes;
  return {
    id: event.id,
    type: event.type,
    object_type: typeof subject?.object === 'string' ? subject.object : null,
    object_id: typeof subject?.id === 'string' ? subject.id : null,
    changed: previous && typeof previous === 'object' ? Object.keys(previous) : [],
    created: isoTime(event.created)!,
    request_id: event.request?.id ?? null,
    pending_webhooks: event.pending_webhooks,
  };
}

/** What list_events can group (fields named as above); events carry no money. */
export const eventFacets = defineFacets<Stripe.Event>({
  currency: () => null,
  groups: {
    type: (e) => e.type,
    object_type: (e) => {
      const object = subjectOf(e)?.object;
      return typeof object === 'string' ? object : null;
    },
  },
  money: {},
  dates: { created: (e) => e.created },
  defaultSums: [],
});
