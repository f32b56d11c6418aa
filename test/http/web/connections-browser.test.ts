/**
 * The connections page in a real browser (Debian's headless Chromium through playwright-core), on a phone-sized
 * screen, behind the real built-in sign-in of `serve --http`, against the emulator: sign in as a person allowed to
 * manage connections, add a key, see the account name and currency, test, rotate, remove. The strict CSP must not
 * block the page's own stylesheet, and no key may show in any page or log line. Skipped with one line where
 * /usr/bin/chromium is missing, unless STRIPE_MCP_REQUIRE_BROWSER=1 (test/helpers/browser.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { restrictedKeyHowTo, toolProbes } from '../../../src/cli/tool-probes.js';
import { ConnectionManager } from '../../../src/connections/manager.js';
import { startEmulator, type EmulatorHandle } from '../../../src/emulator/index.js';
import { UserStore } from '../../../src/server/http/authserver/users.js';
import { connectionsPages } from '../../../src/server/http/web/connections-page.js';
import { describeWithBrowser, launchChromium, type LaunchedBrowser } from '../../helpers/browser.js';
import { canaryKey } from '../../helpers/spawn.js';
import { expectNoKey, storeEnv } from '../../connections/helpers.js';
import { startHttpHarness, type HttpHarness } from '../helpers.js';

/** In the page (no DOM types here): nothing is wider than the screen. */
const FITS_SCREEN = 'document.documentElement.scrollWidth <= window.innerWidth';
const OWNER = { name: 'olive', password: 'olive-canary-password-5522' };

describeWithBrowser('connections page in Chromium, behind the built-in sign-in', () => {
  const first = canaryKey('test');
  const second = canaryKey('test');
  let emulator: EmulatorHandle;
  let h: HttpHarness;
  let manager: ConnectionManager;
  let chromium: LaunchedBrowser;
  let page: Page;
  const home = mkdtempSync(join(tmpdir(), 'srm-conn-browser-'));
  const cspViolations: string[] = [];
  const pages: string[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({ size: { customers: 12 } });
    manager = new ConnectionManager(storeEnv(join(home, 'home'), emulator.url), { keyHowTo: restrictedKeyHowTo() });
    [h, chromium] = await Promise.all([
      startHttpHarness({ builtInAuth: true, home, emulator, connectionsPage: async (parts) => connectionsPages({ ...parts, manager, probes: toolProbes() }) }),
      launchChromium(),
    ]);
    await new UserStore(h.paths).add(OWNER.name, { password: OWNER.password, manageConnections: true });
    page = await chromium.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    page.on('console', (m) => {
      if (/Content[- ]Security[- ]Policy/i.test(m.text())) cspViolations.push(m.text());
    });
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
    await h?.close();
    await emulator?.close();
    rmSync(home, { recursive: true, force: true });
  });

  /** The page as a person reads it, kept for the canary check. */
  async function read(): Promise<string> {
    pages.push(await page.content());
    return page.locator('main').innerText();
  }

  it('signs in, adds a key, shows the account, tests, rotates and removes it, on a phone-sized screen', async () => {
    const origin = new URL(h.url).origin;
    await page.goto(`${origin}/connections`);
    expect(page.url()).toContain('/oauth/signin?next=%2Fconnections');
    await page.fill('#name', OWNER.name);
    await page.fill('#password', OWNER.password);
    await Promise.all([page.waitForURL(`${origin}/connections`), page.click('button[type=submit]')]);
    expect(await read()).toContain('No connections yet');
    // The hashed stylesheet applies (the CSP let it through), and nothing is wider than the screen.
    expect(await page.evaluate('getComputedStyle(document.querySelector("button")).minHeight')).toBe('40px');
    expect(await page.evaluate(FITS_SCREEN)).toBe(true);

    await page.fill('#name', 'acme');
    await page.fill('#key', first);
    await Promise.all([page.waitForURL(`${origin}/connections`), page.click('text=Verify and add')]);
    const added = await read();
    expect(added).toMatch(/Added the test key rk_test_…\w{4} of "acme": Stripe accepted it\. Account: Northwind Cloud \(acct_\w+\), default currency USD\./);
    expect(await page.locator('#connection-acme').innerText()).toMatch(/Northwind Cloud[\s\S]*USD/);
    expect(await page.evaluate(FITS_SCREEN)).toBe(true);

    await Promise.all([page.waitForURL(/\/connections\/test\?name=acme$/), page.locator('#connection-acme').getByRole('button', { name: 'Test' }).click()]);
    const tested = await read();
    expect(tested).toMatch(/Verified: Stripe accepts the key\. Account: Northwind Cloud/);
    expect(tested).toMatch(/Can serve (\d+) of \1 tools\. Every tool can be served\./);
    expect(tested).toMatch(/list_customers\s+can serve/);

    await page.click('text=Back to connections');
    await page.locator('#connection-acme').getByRole('link', { name: 'Rotate' }).click();
    expect(await read()).toMatch(/Rotate the test key of acme/);
    await page.fill('#key', second);
    await Promise.all([page.waitForURL(`${origin}/connections`), page.click('text=Verify and rotate')]);
    expect(await read()).toMatch(/Rotated the test key rk_test_…\w{4} of "acme": Stripe accepted it\.[\s\S]*The old key rk_test_…\w{4} was removed/);
    expect(await manager.readKey('acme', 'test', (await manager.read()).connections.acme!.test!)).toBe(second);

    await page.locator('#connection-acme').getByRole('link', { name: 'Remove connection' }).click();
    expect(await read()).toMatch(/Remove acme\?[\s\S]*and the connection with it/);
    await Promise.all([page.waitForURL(`${origin}/connections`), page.getByRole('button', { name: 'Remove' }).click()]);
    const removed = await read();
    expect(removed).toMatch(/Removed the test key rk_test_…\w{4} of "acme"\. Connection "acme" is gone\./);
    expect(removed).toContain('No connections yet');

    expect(cspViolations).toEqual([]);
    expectNoKey(first, ...pages, ...h.logs);
    expectNoKey(second, ...pages, ...h.logs);
    expect(h.logs.some((l) => l.includes(`${OWNER.name} added the test key`))).toBe(true);
    for (const text of [...pages, ...h.logs]) expect(text).not.toContain(OWNER.password);
  }, 90_000);
});
