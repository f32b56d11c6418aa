import { z } from 'zod';
import { ToolInputError } from '../stripe/errors.js';
import { DATE_FORMS } from '../stripe/time.js';
import { emptyFieldsOptional } from '../stripe/compact/shared.js';
import { STRIPE_ID } from '../stripe/objects.js';
import type { Mode } from '../stripe/keys.js';
import { MAX_RESULTS } from './engine/list.js';

/** Small enough for a model's context, large enough that most questions need one page. */
export const DEFAULT_LIMIT = 20;

/**
 * Dates in: an ISO date (UTC midnight), an ISO date-time with offset, Unix seconds, or a date word (today, 7d,
 * last_month, …: src/tools/engine/date-words.ts, resolved by the server's wrapper before a handler runs). The
 * wrapper finds date arguments by this very schema, so every date argument must be built from it.
 */
export const dateInput = z.union([z.string().min(1), z.number().int()]).describe(`A date: ${DATE_FORMS}`);

/** The one line every date argument carries (kept short: tool schemas are read in every conversation). */
export const DATE_WORDS_DOC =
  'ISO date (2026-05-01 = UTC midnight), date-time with offset, Unix seconds, or today, yesterday, Nd (7d = 7 days ago), this_month, last_month, this_quarter, last_quarter (in timezone, else UTC)';
export const afterDoc = (what: string) => `Only objects whose ${what} is at or after this moment (inclusive): ${DATE_WORDS_DOC}; a period word means its start.`;
export const beforeDoc = (what: string) => `Only objects whose ${what} is before this moment (exclusive); same forms, a period word means its end.`;

export const createdRangeInput = {
  created_after: dateInput.optional().describe(afterDoc('creation time')),
  created_before: dateInput.optional().describe(beforeDoc('creation time')),
};

export const detailInput = z
  .enum(['compact', 'full'])
  .default('compact')
  .describe('compact (default): the fields that matter, money as decimal strings. full: Stripe objects as the API returns them (amounts then in minor units, e.g. cents).');

export const listInput = {
  limit: z.number().int().min(1).max(100).default(DEFAULT_LIMIT).describe(`Objects per page, 1–100 (default ${DEFAULT_LIMIT}).`),
  max_results: z
    .number()
    .int()
    .min(1)
    .max(MAX_RESULTS)
    .optional()
    .describe(`List up to this many objects (1–${MAX_RESULTS.toLocaleString('en-US')}), paged on the server; replaces limit. An answer too large for a client (~150k characters) comes back as a summary telling how to aggregate or narrow.`),
  cursor: z
    .string()
    .regex(STRIPE_ID, 'must be a next_cursor value from a previous result (an object id)')
    .optional()
    .describe('next_cursor from the previous result, to get the next page.'),
  detail: detailInput,
};

/** Any Stripe object as the API returns it (detail: "full"). */
export const rawStripeObject = z.looseObject({ id: z.string(), object: z.string() });

export { AMOUNTS_COMPACT, AMOUNTS_FULL, COMPACT_LIST_NOTE, listPage, MAX_RESULTS, type Detail, type PageRequest } from './engine/list.js';
export { aggregateInput } from './engine/aggregate.js';
export { assertMode } from './engine/mode.js';

const cell = z.union([z.string(), z.number(), z.null()]);
const row = z.record(z.string(), cell);

/** The shape every list tool answers with, around its own compact item schema. */
export function listOutput(item: z.ZodObject) {
  return z.object({
    object: z.string().describe('Kind of object listed'),
    count: z.number().int().describe('Objects in data; with group_by / metrics: rows in aggregate.rows'),
    has_more: z.boolean().describe('More objects match: call again with cursor = next_cursor'),
    next_cursor: z.string().nullable(),
    scanned: z.number().int().describe('Objects read from Stripe for this answer'),
    matched: z.number().int().optional().describe('Of those, objects matching every filter'),
    filters: z.record(z.string(), z.unknown()).describe('The filters this answer covers (dates ISO 8601 UTC)'),
    amounts: z.string(),
    note: z.string().optional(),
    summary: z
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
      .describe('Instead of a list too large for a client: what matched, and which call gets the answer'),
    aggregate: z
      .object({
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
      })
      .optional()
      .describe('With group_by / metrics: the table over every match'),
    data: z.array(z.union([emptyFieldsOptional(item), rawStripeObject])).optional(),
  });
}

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
