/**
 * Every kind of answer a Stripe (or whatever sits at STRIPE_API_BASE) can give, and what the tool result must
 * then say. Shared by the in-process matrix and the served (stdio, HTTP) runs.
 */
import type { FakeAnswer } from './fake-stripe.js';
import { TOOLS } from '../../src/tools/index.js';

export interface AnswerCase {
  name: string;
  answer: FakeAnswer;
  /** Every one of these must be in the message. */
  says: RegExp[];
  /** Only these tools (default: every tool), for answers too costly to give every tool. */
  tools?: string[];
}

/** Per-attempt time-out the served and in-process servers are given in these tests (ms). */
export const TEST_TIMEOUT_MS = 3000;

const stripeError = (status: number, error: Record<string, unknown>, headers: Record<string, string> = {}) =>
  ({ kind: 'respond', status, body: JSON.stringify({ error }), headers }) as const;
const respond = (status: number, body: string | ((path: string) => string), headers: Record<string, string> = {}) => ({ kind: 'respond', status, body, headers }) as const;
/** A list envelope (a search_result for a search) with these fields changed. */
const listLike = (fields: Record<string, unknown>) => (path: string) =>
  JSON.stringify({ object: /\/search(\?|$)/.test(path) ? 'search_result' : 'list', url: path.split('?')[0], has_more: false, data: [], ...fields });

/** The tools whose first request is a plain list (or search) of their own resource. */
const LIST_TOOLS = [...TOOLS.map((t) => t.name).filter((name) => name.startsWith('list_')), 'search', 'aggregate'];

const NOT_STRIPE = /not an answer from Stripe's API/;
const CHECK = /STRIPE_API_BASE/;
const REQ_ID = /req_fake123/;
const NOT_RETRIED = /not retried/;
const RETRIED = /retried 2 times/;
const HTML = '<!DOCTYPE html><html><head><title>Sign in to the corporate network</title></head><body>Please log in</body></html>';

export const ANSWER_CASES: AnswerCase[] = [
  // Stripe's own errors, one per status class it uses.
  { name: 'Stripe 400', answer: stripeError(400, { type: 'invalid_request_error', message: 'Invalid thing: nope.' }), says: [/Invalid thing: nope/, REQ_ID] },
  { name: 'Stripe 401', answer: stripeError(401, { type: 'invalid_request_error', message: 'Invalid API Key provided: rk_test_****wxyz' }), says: [/did not accept the API key/] },
  { name: 'Stripe 402', answer: stripeError(402, { type: 'card_error', message: 'Your card was declined.' }), says: [/Your card was declined/] },
  {
    name: 'Stripe 403',
    answer: stripeError(403, { type: 'invalid_request_error', message: "The provided key 'rk_test_***' does not have the required permissions for this endpoint on account 'acct_1'. Having the 'rak_customer_read' permission would allow this request to continue." }),
    says: [/not allowed to read/],
  },
  { name: 'Stripe 404', answer: stripeError(404, { type: 'invalid_request_error', code: 'resource_missing', message: 'No such thing.' }), says: [/Not found: No such thing/] },
  { name: 'Stripe 429 (no retry)', answer: stripeError(429, { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests' }, { 'stripe-should-retry': 'false' }), says: [/rate-limiting/] },
  { name: 'Stripe 500 (asks no retry)', answer: stripeError(500, { type: 'api_error', message: 'Something went wrong.' }, { 'stripe-should-retry': 'false' }), says: [/HTTP 500/, /Stripe asked not to retry/, REQ_ID] },
  { name: 'Stripe 503', answer: stripeError(503, { type: 'api_error', message: 'Try later.' }), says: [/HTTP 503/, RETRIED, REQ_ID] },
  // Bare JSON values (issue 11 item 1): these killed the process.
  // Each bare value and each status class once: the value is only named in the message, the status decides the retry.
  ...([
    [200, '42'],
    [500, '"ok"'],
    [404, 'null'],
    [200, 'true'],
  ] as const).map(([status, body]) => ({
    name: `bare ${body} with ${status}`,
    answer: respond(status, body),
    says: [NOT_STRIPE, new RegExp(`HTTP ${status}`), new RegExp(`a bare JSON value \\(${body}\\)`), status >= 500 ? RETRIED : NOT_RETRIED, CHECK, REQ_ID],
  })),
  { name: 'a JSON array', answer: respond(200, '[{"id":"cus_1"}]'), says: [NOT_STRIPE, /a JSON array/, NOT_RETRIED] },
  // Not Stripe at all (issue 11 item 8).
  { name: 'HTML page with 200', answer: respond(200, HTML, { 'content-type': 'text/html' }), says: [NOT_STRIPE, /an HTML page/, /HTTP 200/, NOT_RETRIED, CHECK] },
  { name: 'HTML page with 502', answer: respond(502, HTML, { 'content-type': 'text/html' }), says: [NOT_STRIPE, /an HTML page/, /HTTP 502/, RETRIED, CHECK] },
  { name: 'plain text', answer: respond(200, 'OK', { 'content-type': 'text/plain' }), says: [NOT_STRIPE, /text that is not JSON/, NOT_RETRIED] },
  { name: 'empty body with 200', answer: respond(200, ''), says: [NOT_STRIPE, /an empty body/, /HTTP 200/, NOT_RETRIED, CHECK] },
  { name: 'empty body with 500', answer: respond(500, ''), says: [NOT_STRIPE, /an empty body/, RETRIED] },
  { name: 'redirect', answer: respond(302, '', { location: 'https://login.example.com/sso?next=/v1' }), says: [NOT_STRIPE, /a redirect to https:\/\/login\.example\.com \(HTTP 302\)/, NOT_RETRIED, CHECK] },
  { name: 'truncated JSON', answer: respond(200, '{"object":"list","data":[{"id":"cus_1","obj'), says: [NOT_STRIPE, /incomplete or malformed JSON/, NOT_RETRIED] },
  { name: 'huge body, length announced', answer: { kind: 'huge', bytes: 40 * 1024 * 1024, announced: true }, says: [/larger than 16 MiB/, NOT_RETRIED, CHECK] },
  { name: 'huge body, chunked', answer: { kind: 'huge', bytes: 20 * 1024 * 1024, announced: false }, says: [/larger than 16 MiB/, NOT_RETRIED, CHECK], tools: ['list_customers', 'get_balance'] },
  // JSON objects of the wrong shape.
  { name: 'an empty object', answer: respond(200, '{}'), says: [/not shaped like a Stripe answer/, /no "object" field/, CHECK] },
  { name: 'list whose data is not an array', answer: respond(200, listLike({ data: 'x' })), says: [/not shaped like a Stripe answer/, /"data" is not an array/] },
  { name: 'list of numbers', answer: respond(200, listLike({ data: [1, 2] })), says: [/not shaped like a Stripe answer/, /"data" holds something other than objects/] },
  { name: 'list of objects without ids', answer: respond(200, listLike({ data: [{ object: 'customer' }] })), says: [/not shaped like a Stripe answer/, /no "id" or "object"/] },
  { name: 'list of another resource', answer: respond(200, listLike({ data: [{ id: 'tok_1', object: 'token' }] })), says: [/not shaped like a Stripe answer/, /holds a "token" where/], tools: LIST_TOOLS },
  {
    name: 'values of the wrong type',
    answer: respond(200, (path) => {
      const kind = /^\/v1\/([a-z_]+)/.exec(path)?.[1]?.replace(/s$/, '') ?? 'customer';
      return listLike({ data: [{ id: 'x_1', object: kind, created: 'yesterday', amount: 'abc', currency: 7, livemode: false }] })(path);
    }),
    says: [/Stripe's answer holds a value .* cannot read/, /STRIPE_API_BASE/],
    tools: LIST_TOOLS,
  },
  {
    name: 'objects missing their fields',
    answer: respond(200, (path) => listLike({ data: [{ id: 'x_1', object: /^\/v1\/([a-z_]+)/.exec(path)?.[1]?.replace(/s$/, '') ?? 'x' }] })(path)),
    says: [/could not build its answer from what Stripe returned|holds a value .* cannot read/, /STRIPE_API_BASE/],
    // aggregate builds no objects: it reads only the fields it groups and sums, a missing one counted as null.
    tools: LIST_TOOLS.filter((tool) => tool !== 'aggregate'),
  },
  { name: 'an object of another kind', answer: respond(200, '{"object":"token","id":"tok_1"}'), says: [/not shaped like a Stripe answer/, /it is a "token" where a/] },
  { name: 'a balance without amounts', answer: respond(200, '{"object":"balance","livemode":false}'), says: [/not shaped like a Stripe answer/, /"available" and "pending"/], tools: ['get_balance'] },
  { name: 'list without has_more', answer: respond(200, listLike({ has_more: undefined })), says: [/not shaped like a Stripe answer/, /"has_more"/] },
  { name: 'Stripe error of an unusual status', answer: stripeError(418, { type: 'api_error', message: 'Teapot.' }), says: [/HTTP 418/, /It was not retried/] },
  { name: 'an empty error object', answer: respond(400, '{"error":{}}'), says: [NOT_STRIPE, /an "error" that is not a Stripe error object/] },
  { name: 'error that is a number', answer: respond(400, '{"error":42}'), says: [NOT_STRIPE, /an "error" that is not a Stripe error object/] },
  { name: 'error status without an error', answer: respond(500, '{"object":"list"}'), says: [NOT_STRIPE, /without a Stripe error object \(HTTP 500\)/, RETRIED] },
  // The network.
  { name: 'connection reset', answer: { kind: 'reset' }, says: [/connection to Stripe/, /retried/, CHECK] },
  { name: 'connection reset mid-body', answer: { kind: 'reset-mid-body', status: 200, partial: '{"object":"list","data":[' }, says: [/connection to Stripe/, /retried/, CHECK] },
  { name: 'silent socket', answer: { kind: 'silent' }, says: [/did not answer within 3 s/, NOT_RETRIED, CHECK] },
  { name: 'trickling body', answer: { kind: 'trickle', intervalMs: 100 }, says: [/did not answer within 3 s/, NOT_RETRIED, CHECK] },
];
