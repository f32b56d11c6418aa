import Stripe from 'stripe';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorHandle, EmulatorOptions } from '../../src/emulator/index.js';
import { accountLimiter, endpointOf, STRIPE_RATE_LIMITS, type AccountLimiter } from '../../src/stripe/rate-limit.js';
import { TEST_ANCHOR } from '../helpers/anchor.js';

/**
 * Fixed "now" so every test sees the same dataset: the tools tests' (test/helpers/harness.ts), so a test worker
 * generates the business once for both (about half a second of CPU per mode).
 */
export const ANCHOR = TEST_ANCHOR;

/**
 * A plain stripe-node client on the emulator, pacing itself under Stripe's rate limits as our HTTP layer does (the
 * emulator enforces them): it shares the key's limiter with every other client of the process on that key.
 */
export function clientFor(handle: EmulatorHandle, key: string = handle.keys.test): Stripe {
  const u = new URL(handle.url);
  const mode = /_live_/.test(key) ? 'live' : 'test';
  const limiter = helperLimiter(handle, mode);
  return new Stripe(key, { host: u.hostname, port: u.port, protocol: 'http', maxNetworkRetries: 0, httpClient: paced(Stripe.createNodeHttpClient(), limiter) });
}

/** Every key of one emulator reads one account: the emulator counts them together, so the helpers pace them together. */
function helperLimiter(handle: EmulatorHandle, mode: 'test' | 'live'): AccountLimiter {
  return accountLimiter(handle.url, 'test-helper', mode, STRIPE_RATE_LIMITS);
}

/** A raw HTTP request to the emulator (test mode), paced under the same limiter as clientFor's clients. */
export async function pacedFetch(handle: EmulatorHandle, url: string, init?: RequestInit): Promise<Response> {
  const u = new URL(url);
  const permit = await helperLimiter(handle, 'test').acquire(endpointOf(init?.method ?? 'GET', u.pathname));
  try {
    return await fetch(url, init);
  } finally {
    permit.answered();
  }
}

function paced(inner: Stripe.HttpClient, limiter: AccountLimiter): Stripe.HttpClient {
  return Object.assign(Object.create(inner) as Stripe.HttpClient, {
    async makeRequest(...args: Parameters<Stripe.HttpClient['makeRequest']>) {
      const [, , path, method] = args;
      const permit = await limiter.acquire(endpointOf(method, path));
      try {
        return await inner.makeRequest(...args);
      } finally {
        permit.answered();
      }
    },
  });
}

export async function start(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  return startEmulator({ anchor: ANCHOR, ...options });
}

/** Stripe's list order computed independently: newest first, ties by id descending. */
export function newestFirst<T extends { created: number; id: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/** Collects every page of a list by following `starting_after` by hand. */
export async function allPages<T extends { id: string }>(
  fetchPage: (startingAfter: string | undefined) => Promise<{ data: T[]; has_more: boolean }>,
): Promise<{ items: T[]; pages: number; lastHasMore: boolean }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await fetchPage(cursor);
    pages++;
    items.push(...page.data);
    if (!page.has_more) return { items, pages, lastHasMore: page.has_more };
    const last = page.data[page.data.length - 1];
    if (!last) throw new Error('has_more with an empty page');
    cursor = last.id;
  }
}

export function ids(items: Array<{ id: string }>): string[] {
  return items.map((i) => i.id);
}
