import Stripe from 'stripe';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorHandle, EmulatorOptions } from '../../src/emulator/index.js';

/** Fixed "now" so every test sees the same dataset. */
export const ANCHOR = new Date(Date.UTC(2026, 9, 15));

export function clientFor(handle: EmulatorHandle, key: string = handle.keys.test): Stripe {
  const u = new URL(handle.url);
  return new Stripe(key, { host: u.hostname, port: u.port, protocol: 'http', maxNetworkRetries: 0 });
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
