/**
 * Client-side rate limits, as Stripe documents them (docs.stripe.com/rate-limits): per account and mode, a global
 * limit (live 100/s, test 25/s) and, on top of it, a limit per endpoint (each named operation: `GET /v1/charges` and
 * `GET /v1/charges/{id}` are two endpoints; 25/s unless Stripe lists another), and the Search API's 20/s.
 *
 * Every request of the process to one account and mode waits in one queue (AccountLimiter), whichever Stripe client
 * sends it, so concurrent tool calls share the account's budget. A request goes out when every window it counts
 * against has room; one waiting on a busy endpoint does not hold back one for another endpoint.
 *
 * Requests to one endpoint leave evenly spaced (40 ms apart at 25/s) rather than in bursts.
 *
 * A window counts a request from the moment it is sent until its response arrives, and for a second after: Stripe
 * counts it when it arrives, some time in between, so counting it until its answer plus a second keeps any second
 * of arrivals within the limit however the network delays each request. The cost is the time to an answer per
 * limit's worth of requests (about 2 % on loopback).
 */

import { AsyncLocalStorage } from 'node:async_hooks';
import type { Mode } from './keys.js';

/** Requests per second: per mode (the account's global limit), per endpoint, and for the Search API. */
export interface RateLimits {
  live: number;
  test: number;
  /** Each endpoint's own limit, counted on top of the global one. */
  endpoint: number;
  /** All Search endpoints together (stricter than one search endpoint alone: Stripe's page names the Search API). */
  search: number;
}

/** Stripe's documented limits: live 100/s, test 25/s, each endpoint 25/s, Search 20/s. */
export const STRIPE_RATE_LIMITS: Readonly<RateLimits> = { live: 100, test: 25, endpoint: 25, search: 20 };

/**
 * Marks the requests paging sends (pacer.ts): they keep within the paging share of the global limit, and one whose
 * call was cancelled leaves the queue instead of being sent.
 */
export const pagingScope = new AsyncLocalStorage<{ signal: AbortSignal }>();

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Path segments Stripe names as operations, not ids, in the second place (`/v1/customers/search`). */
const NAMED_ACTIONS = new Set(['search', 'history']);

/**
 * The endpoint Stripe counts a request against: its method and path with ids replaced by `{id}`
 * (`GET /v1/charges/ch_1`, `GET /v1/charges/ch_2` → `GET /v1/charges/{id}`).
 */
export function endpointOf(method: string, path: string): string {
  const segments = (path.split('?')[0] ?? '').split('/').filter(Boolean);
  const named = segments.map((segment, i) => {
    if (i === 0) return segment; // v1
    if (i % 2 === 1) return segment; // the resource: /v1/charges
    return i === 2 && NAMED_ACTIONS.has(segment) ? segment : '{id}';
  });
  return `${method.toUpperCase()} /${named.join('/')}`;
}

export function isSearchEndpoint(endpoint: string): boolean {
  return /^GET \/v1\/[a-z_]+\/search$/.test(endpoint);
}

interface Counted {
  /** When the response arrived; undefined while the request is in flight. */
  answeredAt: number | undefined;
}

/**
 * One limit: requests counted from their sending until a window after their answer. With `spaced`, requests also
 * leave at least windowMs / perWindow apart: a burst would queue at Stripe, and every request waiting there holds
 * its place in the window longer, so spaced requests get through more in the end.
 */
export class RequestWindow {
  private counted: Counted[] = [];
  private lastTaken = -Infinity;
  private readonly spacingMs: number;

  constructor(
    readonly perWindow: number,
    private readonly windowMs = 1000,
    spaced = false,
  ) {
    this.spacingMs = spaced ? windowMs / perWindow : 0;
  }

  private prune(now: number): void {
    if (this.counted.some((c) => c.answeredAt !== undefined && c.answeredAt <= now - this.windowMs)) {
      this.counted = this.counted.filter((c) => c.answeredAt === undefined || c.answeredAt > now - this.windowMs);
    }
  }

  hasRoom(now: number): boolean {
    this.prune(now);
    return this.counted.length < this.perWindow && now >= this.lastTaken + this.spacingMs;
  }

  /** When this window next has room (Infinity: when a request in flight is answered). */
  roomAt(now: number): number {
    if (this.hasRoom(now)) return now;
    const spaced = this.lastTaken + this.spacingMs;
    if (this.counted.length < this.perWindow) return spaced;
    const answered = this.counted.flatMap((c) => (c.answeredAt === undefined ? [] : [c.answeredAt]));
    return answered.length ? Math.max(spaced, Math.min(...answered) + this.windowMs) : Infinity;
  }

  take(now: number): Counted {
    const entry: Counted = { answeredAt: undefined };
    this.counted.push(entry);
    this.lastTaken = now;
    return entry;
  }
}

/** A request let through: `answered()` when its response (or failure) arrives. */
export interface Permit {
  answered(): void;
}

interface Waiter {
  windows: RequestWindow[];
  resolve: (permit: Permit) => void;
}

export class LeftQueueError extends Error {
  override name = 'AbortError';
  constructor() {
    super('The call was cancelled before its request was sent.');
  }
}

/** Paging may take this share of the account's global limit, leaving room for other calls. */
export const PAGING_SHARE = 0.8;

/** The queue and windows of one account and mode, shared by every client of the process that reads it. */
export class AccountLimiter {
  private readonly global: RequestWindow;
  private readonly search: RequestWindow;
  private readonly paging: RequestWindow;
  private readonly endpoints = new Map<string, RequestWindow>();
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  constructor(
    readonly limits: Readonly<RateLimits>,
    readonly mode: Mode,
    private readonly windowMs = 1000,
  ) {
    this.global = new RequestWindow(limits[mode], windowMs);
    this.search = new RequestWindow(limits.search, windowMs);
    this.paging = new RequestWindow(Math.max(1, Math.floor(limits[mode] * PAGING_SHARE)), windowMs);
  }

  /** Waits until a request to this endpoint may go out. Paging requests also keep within the paging share. */
  acquire(endpoint: string, options: { paging?: boolean; signal?: AbortSignal | undefined } = {}): Promise<Permit> {
    let own = this.endpoints.get(endpoint);
    if (!own) this.endpoints.set(endpoint, (own = new RequestWindow(this.limits.endpoint, this.windowMs, true)));
    const windows = [this.global, own];
    if (isSearchEndpoint(endpoint)) windows.push(this.search);
    if (options.paging) windows.push(this.paging);
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new LeftQueueError());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { windows, resolve };
      const leave = () => {
        const at = this.queue.indexOf(waiter);
        if (at < 0) return;
        this.queue.splice(at, 1);
        reject(new LeftQueueError());
      };
      signal?.addEventListener('abort', leave, { once: true });
      waiter.resolve = (permit) => {
        signal?.removeEventListener('abort', leave);
        resolve(permit);
      };
      this.queue.push(waiter);
      this.pump();
    });
  }

  /** Lets through, in order, every waiter whose windows all have room; the others keep their place. */
  private pump(): void {
    const now = Date.now();
    let next = Infinity;
    for (let i = 0; i < this.queue.length; ) {
      const waiter = this.queue[i]!;
      if (waiter.windows.every((w) => w.hasRoom(now))) {
        this.queue.splice(i, 1);
        const entries = waiter.windows.map((w) => w.take(now));
        let done = false;
        waiter.resolve({
          answered: () => {
            if (done) return;
            done = true;
            const at = Date.now();
            for (const e of entries) e.answeredAt = at;
            this.pump();
          },
        });
      } else {
        next = Math.min(next, Math.max(...waiter.windows.map((w) => w.roomAt(now))));
        i++;
      }
    }
    this.schedule(next);
  }

  private schedule(at: number): void {
    if (at === Infinity || at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.pump();
      },
      Math.max(0, at - Date.now()),
    );
  }
}

const accounts = new Map<string, AccountLimiter>();

/**
 * The limiter of one account and mode for this process. `account` names the account (its id when known, else
 * something only its key determines); `apiBase` keeps emulators and proxies apart. Clients made with other limits
 * (a changed STRIPE_MCP_STRIPE_RATE_LIMITS) get their own.
 */
export function accountLimiter(apiBase: string, account: string, mode: Mode, limits: Readonly<RateLimits>): AccountLimiter {
  const key = [apiBase, account, mode, limits.live, limits.test, limits.endpoint, limits.search].join('\u0000');
  let limiter = accounts.get(key);
  if (!limiter) accounts.set(key, (limiter = new AccountLimiter(limits, mode)));
  return limiter;
}
