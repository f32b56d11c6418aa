/**
 * Stripe's rate limits, enforced (docs.stripe.com/rate-limits): per account and mode, a global limit (live 100/s,
 * sandbox 25/s) and, counted on top of it, each endpoint's own limit (25/s unless Stripe lists another; each named
 * operation is an endpoint, so `GET /v1/charges` and `GET /v1/charges/{id}` are two, and retrieving different ids
 * counts against one), and Search's 20 read requests/s. Over a limit Stripe answers `429 Too Many Requests` with a
 * `Stripe-Rate-Limited-Reason` header (`global-rate`, `endpoint-rate`, `resource-specific`, …); no Retry-After is
 * documented, so none is sent.
 *
 * Stricter than Stripe where its page is silent: the window is a sliding second (no burst beyond the limit in any
 * 1000 ms), Search's 20/s is shared by all search endpoints, and a refused request still counts.
 */
import { ApiError, faultError } from './errors.js';
import type { Mode } from './types.js';

export interface EmulatorRateLimits {
  live: number;
  test: number;
  endpoint: number;
  search: number;
  /**
   * The window the figures count over, 1000 ms as Stripe counts. Tests of the limiter itself may lengthen it, so a
   * burst surely lands in one window on a loaded machine.
   */
  windowMs: number;
}

export const EMULATOR_RATE_LIMITS: Readonly<EmulatorRateLimits> = { live: 100, test: 25, endpoint: 25, search: 20, windowMs: 1000 };

/** Arrival times within the last second, oldest first. */
class SlidingWindow {
  private times: number[] = [];
  constructor(
    readonly limit: number,
    private readonly windowMs: number,
  ) {}

  full(now: number): boolean {
    let drop = 0;
    while (drop < this.times.length && (this.times[drop] as number) <= now - this.windowMs) drop++;
    if (drop) this.times = this.times.slice(drop);
    return this.times.length >= this.limit;
  }

  count(now: number): void {
    this.times.push(now);
  }
}

/** The endpoint a request counts against, by the emulator's own routes: ids become `{id}`. */
export function emulatorEndpoint(method: string, path: string): string {
  const m = /^\/v1\/([a-z_]+)(?:\/([^/]+))?(?:\/([a-z_]+))?(?:\/([^/]+))?$/.exec(path);
  if (!m) return `${method} ${path}`;
  const [, resource, second, third, fourth] = m;
  let name = `/v1/${resource}`;
  if (second !== undefined) name += second === 'search' ? '/search' : '/{id}';
  if (third !== undefined) name += `/${third}`;
  if (fourth !== undefined) name += '/{id}';
  return `${method} ${name}`;
}

export interface RateLimited {
  error: ApiError;
  /** The Stripe-Rate-Limited-Reason header's value. */
  reason: 'global-rate' | 'endpoint-rate' | 'resource-specific';
}

export interface EmulatorRateLimiter {
  /** Counts a request arriving now; says why it is refused when over a limit (null: let it through). */
  admit(account: string, mode: Mode, method: string, path: string, now?: number): RateLimited | null;
}

/**
 * The limiter of one emulator: Stripe's limits, any figure `options` replaces, or none at all with `false` (only for
 * benchmarks and tests that measure our own overhead; every other caller gets the limits).
 */
export function createRateLimiter(options: false | Partial<EmulatorRateLimits> | undefined): EmulatorRateLimiter {
  if (options === false) return { admit: () => null };
  const limits = { ...EMULATOR_RATE_LIMITS, ...options };
  const windows = new Map<string, SlidingWindow>();
  const windowOf = (key: string, limit: number): SlidingWindow => {
    let w = windows.get(key);
    if (!w) windows.set(key, (w = new SlidingWindow(limit, limits.windowMs)));
    return w;
  };
  return {
    admit(account, mode, method, path, now = Date.now()) {
      const endpoint = emulatorEndpoint(method, path);
      const scope = `${account}\u0000${mode}`;
      const checks: Array<[SlidingWindow, RateLimited['reason']]> = [
        [windowOf(`${scope}\u0000global`, limits[mode]), 'global-rate'],
        [windowOf(`${scope}\u0000${endpoint}`, limits.endpoint), 'endpoint-rate'],
      ];
      if (method === 'GET' && endpoint.endsWith('/search')) checks.push([windowOf(`${scope}\u0000search`, limits.search), 'resource-specific']);
      const over = checks.find(([w]) => w.full(now));
      for (const [w] of checks) w.count(now); // a refused request counts too: hammering does not pay
      return over ? { error: faultError(429), reason: over[1] } : null;
    },
  };
}
