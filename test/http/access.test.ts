/**
 * The per-caller router: which key a call may reach is decided before the underlying router reads any, so a
 * test-only caller never causes a live key to be read, let alone used.
 */
import { describe, expect, it } from 'vitest';
import type { ConnectionRouter, RouteRequest, RoutedStripe } from '../../src/connections/router.js';
import { applyPin, describeGrants, grantsFromPin, grantsFromScopes, ScopedRouter, type Access } from '../../src/server/http/access.js';

/** Records what it was asked for; routes like the real routers (connection default, else the connection's default mode). */
class RecordingRouter implements ConnectionRouter {
  asked: RouteRequest[] = [];
  constructor(
    private readonly defaults: Record<string, 'test' | 'live'>,
    private readonly defaultConnection: string,
  ) {}
  connectionNames() {
    return Object.keys(this.defaults);
  }
  async resolve(request: RouteRequest): Promise<RoutedStripe> {
    this.asked.push(request);
    const connection = request.connection ?? this.defaultConnection;
    return { connection, mode: request.mode ?? this.defaults[connection]!, stripe: {} as RoutedStripe['stripe'] };
  }
}

const access = (grants: Access['grants']): Access => ({ grants, principal: 'token "t"', bucket: 't', howToWiden: (mode) => `Ask for ${mode}.` });

describe('ScopedRouter', () => {
  it('holds a test-only caller to test mode even where the default is live, and refuses live before any key is read', async () => {
    const base = new RecordingRouter({ acme: 'live', globex: 'test' }, 'acme');
    const router = new ScopedRouter(base, access(grantsFromPin(undefined, 'test')));
    expect(await router.resolve({})).toMatchObject({ connection: 'acme', mode: 'test' });
    expect(await router.resolve({ connection: 'globex' })).toMatchObject({ connection: 'globex', mode: 'test' });
    await expect(router.resolve({ mode: 'live' })).rejects.toThrow(/Token "t" may not read live-mode data: it may read test mode on every connection\. Nothing was read\. .*Ask for live\./);
    await expect(router.resolve({ connection: 'globex', mode: 'live' })).rejects.toThrow(/live-mode data of connection "globex"/);
    expect(base.asked).toEqual([
      { connection: undefined, mode: 'test' },
      { connection: 'globex', mode: 'test' },
    ]);
  });

  it('lets a both-modes caller use the connection default and either mode', async () => {
    const base = new RecordingRouter({ acme: 'live' }, 'acme');
    const router = new ScopedRouter(base, access(grantsFromPin(undefined, undefined)));
    expect(await router.resolve({})).toMatchObject({ mode: 'live' });
    expect(await router.resolve({ mode: 'test' })).toMatchObject({ mode: 'test' });
  });

  it('limits a caller to its connections: listed names, the default, refusals', async () => {
    const base = new RecordingRouter({ acme: 'live', globex: 'test', initech: 'test' }, 'acme');
    const one = new ScopedRouter(base, access(grantsFromPin('globex', undefined)));
    expect(one.connectionNames()).toEqual(['globex']);
    expect(await one.resolve({})).toMatchObject({ connection: 'globex' });
    await expect(one.resolve({ connection: 'acme' })).rejects.toThrow(/may not read connection "acme".*use "globex"/);

    const two = new ScopedRouter(base, access([...grantsFromPin('globex', 'test'), ...grantsFromPin('initech', 'test')]));
    expect(two.connectionNames()).toEqual(['globex', 'initech']);
    await expect(two.resolve({})).rejects.toThrow(/several connections \(globex, initech\): name one/);
  });

  it('mixes grants per connection: test everywhere, live on acme only', async () => {
    const base = new RecordingRouter({ acme: 'test', globex: 'test' }, 'acme');
    const router = new ScopedRouter(base, access(grantsFromScopes(['stripe.test.read', 'stripe.live.read:acme'])));
    expect(router.connectionNames()).toEqual(['acme', 'globex']);
    expect(await router.resolve({ connection: 'acme', mode: 'live' })).toMatchObject({ connection: 'acme', mode: 'live' });
    await expect(router.resolve({ connection: 'globex', mode: 'live' })).rejects.toThrow(/may read test mode on every connection; live mode on connection "acme"/);
  });

  it('checks the outcome as well: a default connection outside the grant is refused', async () => {
    const base = new RecordingRouter({ acme: 'live' }, 'acme');
    const router = new ScopedRouter(base, access([{ mode: 'live', connection: null }]));
    // A router that picked test although live was asked for would be refused (defence in depth).
    base.resolve = async () => ({ connection: 'acme', mode: 'test', stripe: {} as RoutedStripe['stripe'] });
    await expect(router.resolve({})).rejects.toThrow(/may not read test-mode data of connection "acme"/);
  });
});

describe('grants and the server pin', () => {
  it('keeps only what a pinned server serves', () => {
    const all = grantsFromPin(undefined, undefined);
    expect(applyPin(all, { mode: 'live' })).toEqual([{ mode: 'live', connection: null }]);
    expect(applyPin(all, { connection: 'acme', mode: 'test' })).toEqual([{ mode: 'test', connection: 'acme' }]);
    expect(applyPin(grantsFromPin('globex', undefined), { connection: 'acme' })).toEqual([]);
    expect(applyPin(grantsFromPin(undefined, 'test'), { mode: 'live' })).toEqual([]);
  });

  it('describes grants for people', () => {
    expect(describeGrants(grantsFromPin(undefined, undefined))).toBe('test and live modes on every connection');
    expect(describeGrants(grantsFromPin('acme', 'live'))).toBe('live mode on connection "acme"');
    expect(describeGrants([])).toBe('nothing');
  });
});
