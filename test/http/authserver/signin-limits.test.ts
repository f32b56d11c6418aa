/**
 * Sign-in attempts are limited per client address as well as per person (issue 16 item 4): one address trying many
 * names is stopped, even for a person it has not tried yet with the right password. A file of its own, because the
 * address it blocks is the loopback every other sign-in test uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserStore } from '../../../src/server/http/authserver/users.js';
import { startHttpHarness, type HttpHarness } from '../helpers.js';
import { Browser, formOf } from './connector.js';

const DANA = { name: 'dana', password: 'dana-password-limits-42' };
const PER_ADDRESS = 20; // SignInLimiter's default (src/server/http/authserver/session.ts)

let h: HttpHarness;
beforeAll(async () => {
  h = await startHttpHarness({ builtInAuth: true });
  await new UserStore(h.paths).add(DANA.name, { password: DANA.password });
}, 30_000);
afterAll(async () => h?.close());

describe('sign-in limits per address', () => {
  it(`after ${PER_ADDRESS} failures from one address, across different names, that address is refused, the right password too`, async () => {
    const browser = new Browser(h.url);
    const form = formOf((await browser.follow('/oauth/signin')).body);
    // Fewer than the per-person limit (5) for each name: only the address limit can stop this.
    for (let i = 0; i < PER_ADDRESS; i++) {
      const tried = await browser.post(form.action, { ...form.fields, name: `guess${i % 10}`, password: `wrong-${i}-password` });
      expect(tried.res.status, `try ${i}`).toBe(401);
    }
    const limited = await browser.post(form.action, { ...form.fields, name: DANA.name, password: DANA.password });
    expect(limited.res.status).toBe(429);
    expect(limited.body).toContain('Too many failed sign-ins');
    expect(limited.body).not.toContain(DANA.password);
  }, 60_000);
});
