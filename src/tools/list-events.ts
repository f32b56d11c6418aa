import { z } from 'zod';
import type Stripe from 'stripe';
import { compactEvent, compactEventSchema, eventFacets } from '../stripe/compact/event.js';
import { ToolInputError } from '../stripe/errors.js';
import { dateRange } from '../stripe/time.js';
import { defineTool } from './define-tool.js';
import { createdRangeInput, listInput, listOutput, listPage, requireNonEmpty } from './common.js';

/**
 * GET /v1/events (docs.stripe.com/api/events/list): "List events, going back up to 30 days"; `type` is one event
 * name or a group with `*` as a wildcard (`customer.*`), `types` up to 20 names, not both. Events: Read is
 * rak_event_read. Retrieving one works only for events of the last 30 days too (/api/events/retrieve).
 */
export const EVENTS_KEPT_NOTE = 'Stripe keeps events for 30 days: older changes are not listed.';
const EVENT_NAME = /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$/;
const EVENT_PATTERN = /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*(?:\.\*)?$/;

export const listEvents = defineTool({
  name: 'list_events',
  toolset: 'events',
  aggregates: { facets: eventFacets, mayUse: [] },
  permissions: { needs: ['rak_event_read'], mayUse: [] },
  listOrder: 140,
  returns: {
    object: 'event', label: 'event', idPrefixes: ['evt_'], dashboardPath: 'events',
    retrieve: (stripe, id) => stripe.events.retrieve(id), compact: compactEvent,
    title: (c) => `Event ${c.type} · ${c.object_type ?? 'object'} ${c.object_id ?? ''} · ${c.created}`.trim(),
  },
  title: 'List events',
  description: [
    'What changed in the account (Stripe keeps 30 days of events): type (e.g. invoice.paid), the object_type and object_id it concerns, changed fields, created.',
    'Example: {"type":"customer.subscription.*","created_after":"7d"}.',
  ].join(' '),
  readme: {
    notes: { type: 'a name or a group: `customer.*`', types: 'up to 20 names', object_id: '' },
    appliedWhilePaging: ['object_id'],
    also: 'Stripe keeps events for 30 days',
  },
  input: z.strictObject({
    type: z.string().max(200).regex(EVENT_PATTERN, 'must be an event name such as invoice.paid, or a group such as customer.*').optional().describe('An event name, or a group ending in .* (customer.subscription.*)'),
    types: z.array(z.string().max(200).regex(EVENT_NAME, 'must be an event name such as invoice.paid (no wildcard: use type)')).min(1).max(20).optional().describe('Event names, no wildcards'),
    object_id: z.string().min(1).max(255).optional().describe('Only events about this object (cus_…, in_…, …)'),
    ...createdRangeInput,
    ...listInput,
  }),
  output: listOutput(compactEventSchema),
  handler: async (args, ctx) => {
    if (args.type !== undefined && args.types !== undefined) throw new ToolInputError('Give type or types, not both (Stripe takes one of them).');
    requireNonEmpty(args.object_id, 'object_id');
    const objectId = args.object_id;
    const answer = await listPage({
      ctx,
      object: 'event',
      args,
      compact: compactEvent,
      facets: eventFacets,
      created: dateRange(args.created_after, args.created_before, 'created'),
      ...(objectId ? { keep: (event: Stripe.Event) => (event.data.object as { id?: string }).id === objectId } : {}),
      fetchPage: (page) =>
        ctx.stripe.events.list({
          ...page,
          ...(args.type ? { type: args.type } : {}),
          ...(args.types ? { types: args.types } : {}),
        }),
    });
    return { ...answer, note: answer.note ? `${answer.note} ${EVENTS_KEPT_NOTE}` : EVENTS_KEPT_NOTE };
  },
});
