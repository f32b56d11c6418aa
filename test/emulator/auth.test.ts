import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { EMULATOR_PERMISSIONS, formatEmulatorBanner } from '../../src/emulator/index.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { clientFor, pacedFetch, start } from './helpers.js';

// Keys for this test only (built from parts so nothing here looks like a real key).
const K = {
  customersOnly: ['rk', 'test', 'customersonly1234'].join('_'),
  chargesOnly: ['rk', 'test', 'chargesonlyabcd'].join('_'),
  writer: ['rk', 'test', 'customerwriter99'].join('_'),
  noAccount: ['rk', 'test', 'noaccountkey5678'].join('_'),
  subscriptionsOnly: ['rk', 'test', 'subsonlykey2468'].join('_'),
  subscriptionsCoupons: ['rk', 'test', 'subscoupons1357'].join('_'),
  balanceOnly: ['rk', 'test', 'btxnonlykey9753'].join('_'),
  revoked: ['rk', 'test', 'revokedkeyWXYZ'].join('_'),
  expired: ['rk', 'live', 'expiredkeyQRST'].join('_'),
};

let handle: EmulatorHandle;

beforeAll(async () => {
  handle = await start({
    keys: {
      [K.customersOnly]: { mode: 'test', permissions: ['rak_customer_read'] },
      [K.chargesOnly]: { mode: 'test', permissions: ['rak_charge_read'] },
      [K.writer]: { mode: 'test', permissions: ['rak_customer_write'] },
      [K.noAccount]: { mode: 'test', permissions: Object.values(EMULATOR_PERMISSIONS).filter((p) => p !== 'rak_account_read') },
      [K.subscriptionsOnly]: { mode: 'test', permissions: ['rak_subscription_read'] },
      [K.subscriptionsCoupons]: { mode: 'test', permissions: ['rak_subscription_read', 'rak_coupon_read'] },
      [K.balanceOnly]: { mode: 'test', permissions: ['rak_balance_transaction_source_read'] },
      [K.revoked]: { mode: 'test', revoked: true },
      [K.expired]: { mode: 'live', expired: true },
    },
  });
});
afterAll(async () => {
  await handle.close();
});

async function failure(p: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await p;
  } catch (e) {
    return e as Stripe.errors.StripeError;
  }
  throw new Error('expected the request to fail');
}

const PERMISSION_MESSAGE = /^The provided key 'rk_test_\*\*\*\*[A-Za-z0-9_]{4}' does not have the required permissions for this endpoint on account 'acct_[A-Za-z0-9]+'\. Having the '(rak_[a-z_]+)' permission would allow this request to continue\.$/;

describe('keys', () => {
  it('the well-known keys are not shaped like real live keys', () => {
    for (const k of Object.values(handle.keys)) expect(k).not.toMatch(/(sk|rk)_live_[A-Za-z0-9]{20,}/);
    expect(handle.keys.test.startsWith('rk_test_')).toBe(true);
    expect(handle.keys.live.startsWith('rk_live_')).toBe(true);
  });

  it('rejects publishable, malformed, revoked and expired keys with 401', async () => {
    const pk = await failure(clientFor(handle, 'pk_test_' + 'a'.repeat(24)).customers.list());
    expect(pk).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(pk.statusCode).toBe(401);
    expect(pk.message).toMatch(/publishable API key/);

    const bad = await failure(clientFor(handle, 'sk_test_short').customers.list());
    expect(bad).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(bad.message).toBe('Invalid API Key provided: sk_test_****hort');

    const revoked = await failure(clientFor(handle, K.revoked).customers.list());
    expect(revoked).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(revoked.message).toBe('Invalid API Key provided: rk_test_****WXYZ');

    const expired = await failure(clientFor(handle, K.expired).customers.list());
    expect(expired).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(expired.code).toBe('api_key_expired');
    expect(expired.message).toMatch(/^Expired API Key provided: rk_live_\*\*\*\*QRST/);
    expect(expired.message).not.toContain('expiredkey');
  });

  it('restricted keys get 403 naming the missing permission', async () => {
    const customersOnly = clientFor(handle, K.customersOnly);
    expect((await customersOnly.customers.list({ limit: 1 })).data).toHaveLength(1);
    const cases: Array<[Promise<unknown>, string]> = [
      [customersOnly.charges.list(), 'rak_charge_read'],
      [customersOnly.charges.search({ query: "status:'failed'" }), 'rak_charge_read'],
      [customersOnly.prices.list(), 'rak_plan_read'],
      [customersOnly.balanceTransactions.list(), 'rak_balance_transaction_source_read'],
      [customersOnly.balance.retrieve(), 'rak_balance_read'],
      [customersOnly.subscriptions.list(), 'rak_subscription_read'],
      [customersOnly.accounts.retrieveCurrent(), 'rak_account_read'],
      // Expanding into a resource needs that resource's permission too.
      [clientFor(handle, K.chargesOnly).charges.list({ expand: ['data.customer'] }), 'rak_customer_read'],
    ];
    // Awaited one by one below: mark them handled now, so one refused before its turn is not an unhandled rejection.
    for (const [p] of cases) p.catch(() => {});
    for (const [p, perm] of cases) {
      const e = await failure(p);
      expect(e).toBeInstanceOf(Stripe.errors.StripePermissionError);
      expect(e.statusCode).toBe(403);
      expect(e.type).toBe('StripePermissionError');
      const m = PERMISSION_MESSAGE.exec(e.message);
      expect(m, e.message).not.toBeNull();
      expect(m?.[1]).toBe(perm);
      expect(e.message).toContain(handle.dataset('test').account.id);
    }
  });

  it('write permission implies read; /v1/account needs its own permission', async () => {
    expect((await clientFor(handle, K.writer).customers.list({ limit: 2 })).data).toHaveLength(2);
    const noAccount = clientFor(handle, K.noAccount);
    expect((await noAccount.balance.retrieve()).object).toBe('balance');
    const e = await failure(noAccount.accounts.retrieveCurrent());
    expect(e).toBeInstanceOf(Stripe.errors.StripePermissionError);
  });
});

/** Stripe's 403 for a restricted key: its message names the one permission that would let the request continue. */
async function expectRefusal(p: Promise<unknown>, permission: string): Promise<void> {
  const e = await failure(p);
  expect(e).toBeInstanceOf(Stripe.errors.StripePermissionError);
  expect(e.statusCode).toBe(403);
  expect(e.type).toBe('StripePermissionError');
  expect(PERMISSION_MESSAGE.exec(e.message)?.[1], e.message).toBe(permission);
}

// An expanded object is another resource: the key needs Read on it too (docs.stripe.com/api/expanding_objects,
// docs.stripe.com/keys/restricted-api-keys; ../shared/stripe/facts.md, "Restricted keys and expand").
describe('expanded objects need their own permission', () => {
  const discounted = () => handle.dataset('test').subscriptions.find((s) => (s.discounts ?? []).length > 0)!;

  it('a coupon expanded through a discount needs Coupons (rak_coupon_read), in a list (data.…) and on one object', async () => {
    const subscriptionsOnly = clientFor(handle, K.subscriptionsOnly);
    const sub = discounted();
    expect(sub, 'the dataset has a subscription with a discount').toBeDefined();
    const customer = sub.customer as string;
    await expectRefusal(subscriptionsOnly.subscriptions.retrieve(sub.id, { expand: ['discounts.source.coupon'] }), 'rak_coupon_read');
    await expectRefusal(subscriptionsOnly.subscriptions.list({ customer, status: 'all', expand: ['data.discounts.source.coupon'] }), 'rak_coupon_read');
    // The discounts themselves are part of the subscription: expanding them asks for nothing more.
    const withDiscounts = await subscriptionsOnly.subscriptions.retrieve(sub.id, { expand: ['discounts'] });
    const discount = withDiscounts.discounts[0] as Stripe.Discount;
    expect(typeof discount.source.coupon).toBe('string');
    // With Coupons: Read, the same request answers with the coupon.
    const full = await clientFor(handle, K.subscriptionsCoupons).subscriptions.retrieve(sub.id, { expand: ['discounts.source.coupon'] });
    expect(((full.discounts[0] as Stripe.Discount).source.coupon as Stripe.Coupon).object).toBe('coupon');
  });

  it('each expanded reference asks for its resource, set or not; an object Stripe embeds whole asks for nothing', async () => {
    const subscriptionsOnly = clientFor(handle, K.subscriptionsOnly);
    await expectRefusal(subscriptionsOnly.subscriptions.list({ expand: ['data.latest_invoice'] }), 'rak_invoice_read');
    await expectRefusal(subscriptionsOnly.subscriptions.list({ expand: ['data.customer'] }), 'rak_customer_read');
    // items.data.price is embedded in every subscription item: only the product behind it is another resource.
    // (on one subscription: in a list, data.items.data.price.product would be five levels, past Stripe's four)
    const one = handle.dataset('test').subscriptions[0]!;
    await expectRefusal(subscriptionsOnly.subscriptions.retrieve(one.id, { expand: ['items.data.price.product'] }), 'rak_product_read');
    await expectRefusal(subscriptionsOnly.subscriptions.list({ expand: ['data.default_payment_method'] }), 'rak_payment_method_read');
    const unexpanded = await subscriptionsOnly.subscriptions.list({ limit: 3 });
    expect(unexpanded.data).toHaveLength(3);
  });

  it("a balance transaction's source asks for the permission of the object it is", async () => {
    const balanceOnly = clientFor(handle, K.balanceOnly);
    const txn = handle.dataset('test').balanceTransactions.find((t) => typeof t.source === 'string' && t.source.startsWith('ch_'))!;
    expect((await balanceOnly.balanceTransactions.retrieve(txn.id)).source).toBe(txn.source);
    await expectRefusal(balanceOnly.balanceTransactions.retrieve(txn.id, { expand: ['source'] }), 'rak_charge_read');
    const charges = await clientFor(handle, K.chargesOnly).charges.list({ limit: 1 });
    await expectRefusal(clientFor(handle, K.chargesOnly).charges.retrieve(charges.data[0]!.id, { expand: ['balance_transaction'] }), 'rak_balance_transaction_source_read');
  });
});

describe('raw HTTP', () => {
  it('answers a missing key with 401, accepts Basic auth (curl -u KEY:) and sends Request-Id and Stripe-Version', async () => {
    const none = await pacedFetch(handle, `${handle.url}/v1/customers`);
    expect(none.status).toBe(401);
    const body = (await none.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(/You did not provide an API key/);
    expect(none.headers.get('request-id')).toMatch(/^req_[A-Za-z0-9]{14}$/);

    const basic = Buffer.from(`${handle.keys.test}:`).toString('base64');
    const a = await pacedFetch(handle, `${handle.url}/v1/customers?limit=2`, { headers: { Authorization: `Basic ${basic}` } });
    const b = await pacedFetch(handle, `${handle.url}/v1/customers?limit=2`, { headers: { Authorization: `Bearer ${handle.keys.test}`, 'Stripe-Version': '2025-01-27.acacia' } });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.headers.get('request-id')).not.toBe(b.headers.get('request-id'));
    expect(b.headers.get('stripe-version')).toBe('2025-01-27.acacia');
    expect(a.headers.get('stripe-version')).toBe('2026-10-28.endive');
    const list = (await a.json()) as { object: string; data: unknown[] };
    expect(list.object).toBe('list');
    expect(list.data).toHaveLength(2);
  });

  it('errors carry request-id and a request_log_url, as stripe-node exposes them', async () => {
    const e = await failure(clientFor(handle).customers.retrieve('cus_missing'));
    expect(e.requestId).toMatch(/^req_/);
    const raw = e.raw as { request_log_url?: string };
    expect(raw.request_log_url).toContain(e.requestId as string);
    expect(raw.request_log_url).toMatch(/^https:\/\/dashboard\.stripe\.com\/test\/logs\//);
  });

  it('unknown endpoints answer 404 like Stripe', async () => {
    const r = await pacedFetch(handle, `${handle.url}/v1/nothing_here`, { headers: { Authorization: `Bearer ${handle.keys.test}` } });
    expect(r.status).toBe(404);
    const body = (await r.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/^Unrecognized request URL \(GET: \/v1\/nothing_here\)/);
  });
});

describe('banner', () => {
  it('names the URL, both keys and how to use them', () => {
    const text = formatEmulatorBanner(handle);
    expect(text).toContain(handle.url);
    expect(text).toContain(handle.keys.test);
    expect(text).toContain(handle.keys.live);
    expect(text).toContain(`STRIPE_API_BASE=${handle.url} STRIPE_API_KEY=${handle.keys.test}`);
    expect(text).toMatch(/curl .*\/v1\/customers/);
  });
});
