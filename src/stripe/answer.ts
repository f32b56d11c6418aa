import type Stripe from 'stripe';

/**
 * One attempt of a request to Stripe, read in full under a deadline and a size cap, and checked before the
 * stripe package sees it. stripe-node trusts the body: a bare JSON value (`42`, `"ok"`) makes it throw where
 * nothing catches, and an HTML page, an empty body or a 500 without an error object become errors (or results)
 * that say nothing true. Anything Stripe's API would never send becomes a Stripe-shaped error here, with a message
 * that says what came back, from where, whether it was retried, and what to check.
 */

type HttpClientInterface = Stripe.HttpClient;
export type HttpClientResponse = Awaited<ReturnType<HttpClientInterface['makeRequest']>>;

/** Error codes of the answers made here; errors.ts passes their messages on as they are. */
export const NOT_STRIPE_CODE = 'stripe_readonly_mcp_not_stripe';
export const BAD_SHAPE_CODE = 'stripe_readonly_mcp_bad_shape';
export const TIMEOUT_CODE = 'stripe_readonly_mcp_timeout';
export const TOO_LARGE_CODE = 'stripe_readonly_mcp_too_large';
/** Set on a Stripe error answer that stripe-node retries: how many times it did, for the message. */
export const RETRIES_FIELD = 'stripe_readonly_mcp_retries';

/** A page of 100 fully expanded objects is a few MiB; anything far larger is not Stripe answering a read. */
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
/** stripe-node's own idle time-out is set this much later than our deadline, so ours always speaks first. */
const INNER_TIMEOUT_GRACE_MS = 1_000;

export interface Attempt {
  host: string;
  port: string;
  path: string;
  headers: Parameters<HttpClientInterface['makeRequest']>[4];
  requestData: string;
  protocol: string;
  /** Whole-attempt deadline: connection, headers and the complete body. */
  timeoutMs: number;
  /** How many times stripe-node retries a retryable answer (maxNetworkRetries). */
  networkRetries: number | undefined;
}

export async function requestOnce(inner: HttpClientInterface, a: Attempt): Promise<HttpClientResponse> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), a.timeoutMs)));
  const pending = inner.makeRequest(a.host, a.port, a.path, 'GET', a.headers, a.requestData, a.protocol, a.timeoutMs + INNER_TIMEOUT_GRACE_MS);
  try {
    const response = await Promise.race([pending, deadline]);
    if (response === 'timeout') {
      // Headers may still come: nobody reads them, so free the socket then. A later failure is nobody's either.
      pending.then((late) => destroyBody(late), () => {});
      return timeoutAnswer(a, false);
    }
    const raw = response.getRawResponse() as NodeJS.ReadableStream | undefined;
    if (!isStream(raw)) return response; // not a Node response (another HttpClient): passed on unchecked
    if (Number(response.getHeaders()['content-length']) > MAX_ANSWER_BYTES) {
      destroyBody(response);
      return tooLargeAnswer(a, response);
    }
    const body = await Promise.race([readCapped(raw), deadline]);
    if (body === 'timeout') {
      destroyBody(response);
      return timeoutAnswer(a, true, response.getHeaders());
    }
    if (body === 'too-large') return tooLargeAnswer(a, response);
    return checkedAnswer(a, response, body);
  } finally {
    clearTimeout(timer);
  }
}

function isStream(raw: unknown): raw is NodeJS.ReadableStream & { destroy(): void } {
  return typeof (raw as { on?: unknown } | undefined)?.on === 'function' && typeof (raw as { destroy?: unknown }).destroy === 'function';
}

function destroyBody(response: HttpClientResponse): void {
  const raw = response.getRawResponse();
  if (isStream(raw)) raw.destroy();
}

/** The body as text, or 'too-large'; rejects (a connection error stripe-node retries) when the connection drops mid-body. */
function readCapped(raw: NodeJS.ReadableStream & { destroy(): void; complete?: boolean }): Promise<string | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    raw.on('data', (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (size > MAX_ANSWER_BYTES) {
        raw.destroy();
        return resolve('too-large');
      }
      chunks.push(buf);
    });
    raw.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    raw.once('error', (error) => reject(connectionDropped(error)));
    raw.once('close', () => {
      if (raw.complete === false) reject(connectionDropped(null));
    });
  });
}

function connectionDropped(cause: unknown): Error {
  const error = new Error('The connection closed before the answer was complete') as Error & { code: string };
  error.code = (cause as { code?: string } | null)?.code ?? 'ECONNRESET';
  return error;
}

/** GET http://host:port/v1/path, without the query (it may hold an email or a search). */
function target(a: Attempt): string {
  const defaultPort = a.protocol === 'https' ? 443 : 80;
  const port = Number(a.port) === defaultPort ? '' : `:${a.port}`;
  return `GET ${a.protocol}://${a.host}${port}${a.path.split('?')[0]}`;
}

const CHECK = "Check STRIPE_API_BASE (if it is set: it should be https://api.stripe.com or an emulator you run) and any proxy or firewall between this server and api.stripe.com.";

/** Mirrors stripe-node's own retry rule (RequestSender._shouldRetry) for an answer it received. */
function isRetried(status: number, headers: Record<string, unknown>, retries: number | undefined): boolean {
  const retryable = headers['stripe-should-retry'] === 'true' || (headers['stripe-should-retry'] !== 'false' && (status === 409 || status >= 500));
  return retryable && retries !== 0;
}

function retryNote(status: number, headers: Record<string, unknown>, retries: number | undefined): string {
  if (!isRetried(status, headers, retries)) return 'It was not retried: the same request would get the same answer.';
  return retries === undefined ? 'It was retried automatically; this was the last answer.' : `It was retried ${retries === 1 ? 'once' : `${retries} times`}; this was the last answer.`;
}

function checkedAnswer(a: Attempt, response: HttpClientResponse, text: string): HttpClientResponse {
  const status = response.getStatusCode();
  const headers = response.getHeaders();
  const raw = response.getRawResponse() as object;
  const notStripe = (what: string) =>
    errorAnswer(status, headers, NOT_STRIPE_CODE, `${target(a)} answered with ${what} (HTTP ${status}): that is not an answer from Stripe's API, so something else answered. ${CHECK} ${retryNote(status, headers, a.networkRetries)}`);
  if (status >= 300 && status < 400) return notStripe(`a redirect${redirectTarget(headers['location'])}`);
  if (text.trim() === '') return notStripe('an empty body');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return notStripe(describeText(text, headers));
  }
  if (value === null || typeof value !== 'object') return notStripe(`a bare JSON value (${JSON.stringify(value).slice(0, 40)})`);
  if (Array.isArray(value)) return notStripe('a JSON array');
  const body = value as Record<string, unknown>;
  if ('error' in body && body.error !== null && body.error !== undefined) {
    if (typeof body.error === 'string') return jsonAnswer(status, headers, body, raw); // OAuth-style, which stripe-node reads
    const error = body.error as Record<string, unknown>;
    if (typeof error !== 'object' || Array.isArray(error) || (typeof error.message !== 'string' && typeof error.type !== 'string')) {
      return notStripe('an "error" that is not a Stripe error object');
    }
    if (a.networkRetries !== undefined) error[RETRIES_FIELD] = isRetried(status, headers, a.networkRetries) ? a.networkRetries : 0;
    return jsonAnswer(status, headers, body, raw);
  }
  if (status >= 400) return notStripe('an error status without a Stripe error object');
  const problem = shapeProblem(body, a.path);
  if (problem) {
    return errorAnswer(status, headers, BAD_SHAPE_CODE, `The answer to ${target(a)} is not shaped like a Stripe answer: ${problem}. Stripe's API does not answer this way, so something else probably did. ${CHECK} It was not retried.`);
  }
  return jsonAnswer(status, headers, body, raw);
}

function redirectTarget(location: unknown): string {
  if (typeof location !== 'string') return '';
  try {
    return ` to ${new URL(location).origin}`;
  } catch {
    return '';
  }
}

function describeText(text: string, headers: Record<string, unknown>): string {
  const type = String(headers['content-type'] ?? '').split(';')[0]!.trim();
  const size = `${Buffer.byteLength(text).toLocaleString('en-US')} bytes`;
  if (/html/i.test(type) || /^\s*<(!doctype|html|head|body)/i.test(text)) {
    const title = /<title[^>]*>([^<]{1,80})<\/title>/i.exec(text)?.[1]?.trim();
    return `an HTML page${title ? ` titled "${title}"` : ''} (${size})`;
  }
  if (/^\s*[[{]/.test(text)) return `incomplete or malformed JSON (${size})`;
  return `text that is not JSON (${type || 'no content type'}, ${size})`;
}

/** Paths that answer one object without an id. Paths like /v1/customers (no id) list; /v1/x/search searches. */
const SINGLETONS = new Set(['/v1/balance', '/v1/account']);

function shapeProblem(body: Record<string, unknown>, path: string): string | null {
  const pathname = path.split('?')[0]!;
  const search = /^\/v1\/([a-z_]+)\/search$/.exec(pathname);
  const list = /^\/v1\/([a-z_]+)$/.exec(pathname);
  // Deeper paths (/v1/invoices/in_1/lines, /v1/test_helpers/test_clocks/clock_1) are not checked by kind.
  const expected = search ? 'search_result' : list && !SINGLETONS.has(pathname) ? 'list' : null;
  // A top-level list or search holds its resource's objects: /v1/payment_intents → "payment_intent".
  const itemKind = (search ?? (expected === 'list' ? list : null))?.[1]?.replace(/s$/, '');
  if (typeof body.object !== 'string') return 'it has no "object" field';
  if (expected && body.object !== expected) return `it is a "${body.object.slice(0, 40)}" where a ${expected} belongs`;
  if (body.object !== 'list' && body.object !== 'search_result') return objectProblem(body, pathname);
  if (!Array.isArray(body.data)) return '"data" is not an array';
  for (const item of body.data as unknown[]) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return '"data" holds something other than objects';
    const { id, object } = item as { id?: unknown; object?: unknown };
    if (typeof id !== 'string' || typeof object !== 'string') return 'an object in "data" has no "id" or "object"';
    if (itemKind && object !== itemKind) return `"data" holds a "${object.slice(0, 40)}" where ${itemKind} objects belong`;
  }
  if (typeof body.has_more !== 'boolean') return '"has_more" is missing or not true/false';
  return null;
}

/** One object: /v1/customers/cus_1 answers a customer with that id's shape; /v1/balance a balance with its amounts. */
function objectProblem(body: Record<string, unknown>, pathname: string): string | null {
  const object = String(body.object).slice(0, 40);
  if (SINGLETONS.has(pathname)) {
    const kind = pathname.slice('/v1/'.length);
    if (object !== kind) return `it is a "${object}" where a ${kind} belongs`;
    if (kind === 'balance' && !(Array.isArray(body.available) && Array.isArray(body.pending))) return 'the balance has no "available" and "pending" lists';
    return null;
  }
  // Stripe ids are prefix_…: a path segment without "_" (e.g. /v1/checkout/sessions) is not a retrieve by id.
  const retrieve = /^\/v1\/([a-z_]+)\/([A-Za-z0-9]+_[A-Za-z0-9_]+)$/.exec(pathname);
  if (!retrieve) return null;
  const kind = retrieve[1]!.replace(/s$/, '');
  if (object !== kind) return `it is a "${object}" where a ${kind} belongs`;
  if (typeof body.id !== 'string') return `the ${kind} has no "id"`;
  return null;
}

function timeoutAnswer(a: Attempt, started: boolean, headers: Record<string, unknown> = {}): HttpClientResponse {
  const seconds = `${Number((a.timeoutMs / 1000).toFixed(1))} s`;
  return errorAnswer(
    504,
    { ...headers, 'stripe-should-retry': 'false' },
    TIMEOUT_CODE,
    `Stripe did not answer within ${seconds} (${target(a)}${started ? ': the answer began but did not finish' : ''}). ` +
      `It was not retried, so you are not kept waiting longer. Check the network, any proxy, STRIPE_API_BASE if it is set, and https://status.stripe.com; then try again. ` +
      'On a slow link, STRIPE_MCP_STRIPE_TIMEOUT (seconds) allows more time.',
  );
}

function tooLargeAnswer(a: Attempt, response: HttpClientResponse): HttpClientResponse {
  const headers = { ...response.getHeaders(), 'stripe-should-retry': 'false' };
  return errorAnswer(
    response.getStatusCode(),
    headers,
    TOO_LARGE_CODE,
    `The answer to ${target(a)} was larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB, far more than any Stripe page, so it was not read. It was not retried. ${CHECK}`,
  );
}

function errorAnswer(status: number, headers: Record<string, unknown>, code: string, message: string): HttpClientResponse {
  return jsonAnswer(status, headers, { error: { type: 'api_error', code, message } });
}

/** A response whose body is already read: stripe-node sees the same interface as for a network answer. */
export function jsonAnswer(status: number, headers: Record<string, unknown>, body: unknown, raw: object = {}): HttpClientResponse {
  const answerHeaders = { ...headers, 'content-type': 'application/json' };
  return {
    getStatusCode: () => status,
    getHeaders: () => answerHeaders,
    // stripe-node hangs the headers on it and exposes it as `lastResponse`.
    getRawResponse: () => raw,
    toStream: () => {
      throw new Error('stripe-readonly-mcp reads every answer whole; no stream');
    },
    toJSON: async () => body,
  } as unknown as HttpClientResponse;
}
