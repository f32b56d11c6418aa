import { z } from 'zod';
import { ToolInputError } from '../stripe/errors.js';
import { DATE_FORMS } from '../stripe/time.js';
import { dateRange, type UnixRange } from '../stripe/time.js';
import { emptyFieldsOptional } from '../stripe/compact/shared.js';
import { STRIPE_ID } from '../stripe/objects.js';
import type { Mode } from '../stripe/keys.js';
import { MAX_RESULTS } from './engine/list.js';

/** Small enough for a model's context, large enough that most questions need one page. */
export const DEFAULT_LIMIT = 20;

/**
 * Dates in: an ISO date (UTC midnight), an ISO date-time with offset, Unix seconds, or a date word (today, 7d,
 * last_month, …: src/tools/engine/date-words.ts, resolved by the server's wrapper before a handler runs). The
 * forms are said once, in the server's instructions. One JSON type, a string, so no client converter meets a
 * union (LangChain's MCP adapter drops non-object anyOf branches, leaving the argument untyped): Unix seconds come
 * as digits; a number sent anyway is taken as its digits. The wrapper finds date arguments by this very schema, so
 * every date argument must be built from it.
 */
export const dateInput = z.preprocess((value) => (typeof value === 'number' ? String(value) : value), z.string());

/** The pointer a date argument carries: the forms are in the server's instructions (and in every date error). */
export const DATE_WORDS_DOC = 'ISO, Unix s, 7d, last_month…';
export const afterDoc = (what: string) => `${what}: ${DATE_WORDS_DOC}`;

export const createdRangeInput = {
  created_after: dateInput.optional().describe(afterDoc('Date')),
  created_before: dateInput.optional(),
};

export const detailInput = z.enum(['compact', 'full']).default('compact');

/** A constraint checked on the server but kept out of the JSON Schema a model reads (the message says it all). */
export const checked = (test: (value: string) => boolean, message: string) => z.string().refine(test, message);

export const listInput = {
  limit: z.number().int().min(1).max(100).default(DEFAULT_LIMIT),
  max_results: z.number().int().min(1).max(MAX_RESULTS).optional(),
  cursor: checked((v) => STRIPE_ID.test(v), 'must be a next_cursor value from a previous result (an object id)').optional(),
  detail: detailInput,
};

/** An id filter (customer, charge, …): the prefix goes in its description, e.g. "cus_…". */
export const idFilter = (doc: string) => checked((v) => v.length >= 1 && v.length <= 255, 'must not be empty (an id of at most 255 characters)').optional().describe(doc);

/** A currency filter: three letters, any case (sent lowercase). */
export const currencyFilter = checked((v) => /^[A-Za-z]{3}$/.test(v), 'must be a three-letter ISO 4217 currency code, e.g. usd').optional().describe('usd, eur, …');

/** An IANA time zone, default UTC (checked where it is used, with a message naming the zone). */
export const timeZoneInput = checked((v) => v.length >= 1 && v.length <= 64, 'must be an IANA time zone such as Europe/Paris').default('UTC');

/** Any Stripe object as the API returns it (detail: "full"). */
export const rawStripeObject = z.looseObject({ id: z.string(), object: z.string() });

export { AMOUNTS_COMPACT, AMOUNTS_FULL, COMPACT_LIST_NOTE, listPage, MAX_RESULTS, type Detail, type PageRequest } from './engine/list.js';
export { assertMode } from './engine/mode.js';

const cell = z.union([z.string(), z.number(), z.null()]);
const row = z.record(z.string(), cell);

/** What an answer too large for a client becomes (src/tools/engine/list.ts ListCollector.summary), list or search. */
export const listSummarySchema = z
  .object({
    reason: z.enum(['too_large', 'too_many_rows']),
    message: z.string(),
    characters: z.number().int(),
    limit_characters: z.number().int(),
    max_results_that_fit: z.number().int().optional(),
    newest_created: z.string().nullable().optional(),
    oldest_created: z.string().nullable().optional(),
    totals: z.array(row).optional(),
  })
  .optional()
  .describe('Instead of a list too large for a client: what matched, and which call gets the answer');

/** The fields every list answer has, a page of objects or an aggregation. */
const listEnvelope = {
  object: z.string().describe('Kind of object listed'),
  scanned: z.number().int().describe('Objects read from Stripe for this answer'),
  matched: z.number().int().optional().describe('Of those, objects matching every filter'),
  filters: z.record(z.string(), z.unknown()).describe('The filters this answer covers (dates ISO 8601 UTC)'),
  amounts: z.string(),
  note: z.string().optional(),
  summary: listSummarySchema,
};

/** The shape every list tool answers with, around its own compact item schema. */
export function listOutput(item: z.ZodObject) {
  return z.object({
    ...listEnvelope,
    count: z.number().int().describe('Objects in data'),
    has_more: z.boolean().describe('More objects match: call again with cursor = next_cursor'),
    next_cursor: z.string().nullable(),
    data: z.array(z.union([emptyFieldsOptional(item), rawStripeObject])).optional(),
  });
}

/** What the aggregate tool answers: the table over every match of the filters (src/tools/engine/aggregate.ts). */
export const aggregateOutput = z.object({
  ...listEnvelope,
  aggregate: z.object({
    group_by: z.array(z.string()),
    metrics: z.array(z.string()),
    date_field: z.string().nullable(),
    timezone: z.string().nullable(),
    order_by: z.string().nullable(),
    order: z.enum(['asc', 'desc']).nullable(),
    top: z.number().int().nullable(),
    rows: z.array(row),
    rows_total: z.number().int().describe('Groups before top'),
    totals: z.array(row).describe('Per currency, over every match'),
    note: z.string(),
  }),
});

/**
 * Stripe leaves objects attached to a test clock out of the customers list (unless test_clock is given) and of the
 * subscriptions list (unless test_clock or customer is given): Stripe's OpenAPI, `test_clock` of GET /v1/customers
 * and GET /v1/subscriptions. Only test mode has test clocks, so only test-mode answers say so.
 */
export function testClockCaveat(mode: Mode, what: string): string | null {
  return mode === 'test' ? `Test mode: Stripe leaves ${what} attached to test clocks out of this list.` : null;
}

/** The answer with the test-clock caveat added to its note, in test mode. */
export function withTestClockNote<A extends { note?: string }>(answer: A, mode: Mode, what: string): A {
  const caveat = testClockCaveat(mode, what);
  if (!caveat) return answer;
  return { ...answer, note: answer.note ? `${answer.note} ${caveat}` : caveat };
}

export function requireNonEmpty(value: string | undefined, what: string): void {
  if (value !== undefined && value.trim() === '') throw new ToolInputError(`${what} must not be empty.`);
}
