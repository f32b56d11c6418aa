/**
 * The connections page in a real browser (Debian's headless Chromium through playwright-core), on a phone-sized
 * screen, against the emulator: add a key, see the account name and currency, test, rotate, remove. The strict
 * CSP must not block the page's own stylesheet, and no key may show in any page. Skipped with one line where
 * /usr/bin/chromium is missing, unless STRIPE_MCP_REQUIRE_BROWSER=1.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { canaryKey } from '../../helpers/spawn.js';
import { expectNoKey } from '../../connections/helpers.js';
import { startPageServer, type PageServer } from './page-server.js';

const CHROMIUM = '/usr/bin/chromium';
/** In the page (no DOM types here): nothing is wider than the screen. */
const FITS_SCREEN = 'document.documentElement.scrollWidth <= window.innerWidth';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env.STRIPE_MCP_REQUIRE_BROWSER !== '1') console.warn(`skipping the connections-page browser test: ${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(!haveBrowser && process.env.STRIPE_MCP_REQUIRE_BROWSER !== '1')('connections page in Chromium', () => {
  const first = canaryKey('test');
  const second = canaryKey('test');
  let s: PageServer;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const cspViolations: string[] = [];
  const pages: string[] = [];

  beforeAll(async () => {
    s = await startPageServer();
    const { chromium } = await import('playwright-core');
    profile = mkdtempSync(join(tmpdir(), 'srm-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      if (/Content[- ]Security[- ]Policy/i.test(m.text())) cspViolations.push(m.text());
    });
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await s?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** The page as a person reads it, kept for the canary check. */
  async function read(): Promise<string> {
    pages.push(await page.content());
    return page.locator('main').innerText();
  }

  it('adds a key, shows the account, tests, rotates and removes it, on a phone-sized screen', async () => {
    await page.goto(`${s.url}/connections`);
    expect(await read()).toContain('No connections yet');
    // The hashed stylesheet applies (the CSP let it through), and nothing is wider than the screen.
    expect(await page.evaluate('getComputedStyle(document.querySelector("button")).minHeight')).toBe('40px');
    expect(await page.evaluate(FITS_SCREEN)).toBe(true);

    await page.fill('#name', 'acme');
    await page.fill('#key', first);
    await Promise.all([page.waitForURL(`${s.url}/connections`), page.click('text=Verify and add')]);
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
    await Promise.all([page.waitForURL(`${s.url}/connections`), page.click('text=Verify and rotate')]);
    expect(await read()).toMatch(/Rotated the test key rk_test_…\w{4} of "acme": Stripe accepted it\.[\s\S]*The old key rk_test_…\w{4} was removed/);
    expect(await s.manager.readKey('acme', 'test', (await s.manager.read()).connections.acme!.test!)).toBe(second);

    await page.locator('#connection-acme').getByRole('link', { name: 'Remove connection' }).click();
    expect(await read()).toMatch(/Remove acme\?[\s\S]*and the connection with it/);
    await Promise.all([page.waitForURL(`${s.url}/connections`), page.getByRole('button', { name: 'Remove' }).click()]);
    const removed = await read();
    expect(removed).toMatch(/Removed the test key rk_test_…\w{4} of "acme"\. Connection "acme" is gone\./);
    expect(removed).toContain('No connections yet');

    expect(cspViolations).toEqual([]);
    expectNoKey(first, ...pages, ...s.logs);
    expectNoKey(second, ...pages, ...s.logs);
  }, 90_000);
});
