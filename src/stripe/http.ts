import type Stripe from 'stripe';
import { accountLimiter, endpointOf, pagingScope, sleep, STRIPE_RATE_LIMITS, type RateLimits } from './rate-limit.js';
import type { Mode } from './keys.js';
import { requestOnce, type HttpClientResponse } from './answer.js';

type HttpClientInterface = Stripe.HttpClient;

/** The error code our guard answers a write with; errors.ts recognises it. */
export const WRITE_BLOCKED_CODE = 'stripe_readonly_mcp_write_blocked';

const MAX_RATE_LIMIT_RETRIES = 3;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 5000;

export interface ReadOnlyHttpOptions {
  mode: Mode;
  /** Requests per second this account may make (default: Stripe's usual limits). */
  limits?: RateLimits;
  /** Names the account the key reads (its id when known): clients of one account share its limits. */
  account: string;
  /** Tests shorten the backoff; production keeps Stripe's recommended 0.5 s doubling to 5 s. */
  backoffBaseMs?: number;
  /** stripe-node's maxNetworkRetries, read when a message says how often an answer was retried. */
  networkRetries?: () => number;
  /** Every list and search answer ends after its first page (has_more false): a client for checking what a key may
   * read, never for answers (firstPageOnly below). */
  firstPageOnly?: boolean;
}

/**
 * The HTTP layer under the Stripe client. It is what makes the server read-only by construction:
 * any method but GET is answered locally and never reaches the network. It also spaces requests
 * under Stripe's rate limits (rate-limit.ts) and retries 429s with backoff. It is the only place a 429 is retried:
 * a 429 handed up always says `Stripe-Should-Retry: false`, so stripe-node's own retries (maxNetworkRetries, for
 * connection errors and 5xx) never repeat it, and one 429 costs at most 1 + MAX_RATE_LIMIT_RETRIES requests.
 * Each attempt is read whole under a deadline and checked (answer.ts), so what Stripe's API would never send never
 * reaches stripe-node.
 */
export function createReadOnlyHttpClient(inner: HttpClientInterface, options: ReadOnlyHttpOptions): HttpClientInterface {
  const limits = options.limits ?? STRIPE_RATE_LIMITS;
  const backoffBase = options.backoffBaseMs ?? BACKOFF_BASE_MS;

  return {
    getClientName: () => `readonly-${inner.getClientName()}`,
    async makeRequest(host, port, path, method, headers, requestData, protocol, timeout) {
      if (method.toUpperCase() !== 'GET') return writeBlockedResponse(method, path);
      const limiter = accountLimiter(`${protocol}://${host}:${port}`, options.account, options.mode, limits);
      const endpoint = endpointOf('GET', path);
      const scope = pagingScope.getStore();
      for (let attempt = 0; ; attempt++) {
        const permit = await limiter.acquire(endpoint, { paging: scope !== undefined, signal: scope?.signal });
        let response: HttpClientResponse;
        try {
          response = await requestOnce(inner, {
            host, port, path, headers, requestData, protocol, timeoutMs: timeout, networkRetries: options.networkRetries?.(),
          });
        } finally {
          permit.answered();
        }
        if (response.getStatusCode() !== 429) return options.firstPageOnly ? firstPageOnly(response) : response;
        if (attempt >= MAX_RATE_LIMIT_RETRIES || response.getHeaders()['stripe-should-retry'] === 'false') return notRetriedAgain(response);
        response.dispose?.();
        await sleep(retryDelayMs(response, attempt, backoffBase));
      }
    },
  };
}

function retryDelayMs(response: HttpClientResponse, attempt: number, base: number): number {
  const retryAfter = Number(response.getHeaders()['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter > 0) return Math.min(retryAfter * 1000, BACKOFF_CAP_MS);
  const exponential = Math.min(base * 2 ** attempt, BACKOFF_CAP_MS);
  return exponential / 2 + (Math.random() * exponential) / 2; // jitter spreads concurrent retries
}

/**
 * A key check needs each kind of request a tool makes to succeed once, not the tool's answer: a restricted key is
 * granted resources, each None, Read or Write (docs.stripe.com/keys/restricted-api-keys, as src/stripe/permissions.ts
 * cites), and Stripe's refusal names the permission "for this endpoint". That a later page of the same list with the
 * same expansions asks nothing new is our inference from those two (the docs say nothing per page); the expansions
 * are on the first page too, so a permission an expanded object needs is asked there. Those pages only cost time: on
 * a large account get_mrr_bridge alone reads months of invoices. Ending every list at its first page keeps a check to
 * a few requests per tool however large the account is.
 */
function firstPageOnly(response: HttpClientResponse): HttpClientResponse {
  if (response.getStatusCode() !== 200) return response;
  const toJSON = async () => {
    const body = (await response.toJSON()) as unknown;
    if (!body || typeof body !== 'object') return body;
    const kind = (body as { object?: unknown }).object;
    if (kind !== 'list' && kind !== 'search_result') return body;
    return { ...body, has_more: false, ...(kind === 'search_result' ? { next_page: null } : {}) };
  };
  return Object.assign(Object.create(response) as HttpClientResponse, { toJSON });
}

/** The 429 as Stripe sent it, but telling stripe-node not to retry it: our backoff already did. */
function notRetriedAgain(response: HttpClientResponse): HttpClientResponse {
  const headers = { ...response.getHeaders(), 'stripe-should-retry': 'false' };
  return Object.assign(Object.create(response) as HttpClientResponse, { getHeaders: () => headers });
}

/** A Stripe-shaped error answered locally: stripe-node raises it as an API error we map by code. */
function writeBlockedResponse(method: string, path: string): HttpClientResponse {
  const body = {
    error: {
      type: 'invalid_request_error',
      code: WRITE_BLOCKED_CODE,
      message: `stripe-readonly-mcp refused a ${method.toUpperCase()} to ${path.split('?')[0]}: this server only reads from Stripe (GET) and never changes anything.`,
    },
  };
  const headers = { 'stripe-should-retry': 'false', 'content-type': 'application/json' };
  return {
    getStatusCode: () => 405,
    getHeaders: () => headers,
    getRawResponse: () => undefined,
    toStream: () => {
      throw new Error('no stream for a blocked write');
    },
    toJSON: async () => body,
  };
}
