import Stripe from 'stripe';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorHandle, EmulatorOptions } from '../../src/emulator/index.js';
import { accountLimiter, endpointOf, STRIPE_RATE_LIMITS, type AccountLimiter } from '../../src/stripe/rate-limit.js';

/** Fixed "now" so every test sees the same dataset. */
export const ANCHOR = new Date(Date.UTC(2026, 9, 15));

/**
 * A plain stripe-node client on the emulator, pacing itself under Stripe's rate limits as our HTTP layer does (the
 * emulator enforces them): it shares the key's limiter with every other client of the process on that key.
 */
export function clientFor(handle: EmulatorHandle, key: string = handle.keys.test): Stripe {
  const u = new URL(handle.url);
  const mode = /_live_/.test(key) ? 'live' : 'test';
  const limiter = accountLimiter(handle.url, `test-helper:${key}`, mode, STRIPE_RATE_LIMITS);
  return new Stripe(key, { host: u.hostname, port: u.port, protocol: 'http', maxNetworkRetries: 0, httpClient: paced(Stripe.createNodeHttpClient(), limiter) });
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
