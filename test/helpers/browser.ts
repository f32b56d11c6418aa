/**
 * Headless Chromium for the browser tests: Debian's `chromium` (/usr/bin/chromium) driven by playwright-core (no
 * browser download). One launch per test file, a fresh profile each time. Without the browser the tests skip with
 * one line, unless STRIPE_MCP_REQUIRE_BROWSER=1 (set by .ci/run), which makes its absence a failure.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { describe, it } from 'vitest';

export const CHROMIUM = process.env.STRIPE_MCP_CHROMIUM ?? '/usr/bin/chromium';

export function describeWithBrowser(name: string, body: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, body);
    return;
  }
  const reason = `${CHROMIUM} is missing (apt-get install chromium)`;
  if (process.env.STRIPE_MCP_REQUIRE_BROWSER === '1') {
    describe(name, () => {
      it('needs Chromium, because STRIPE_MCP_REQUIRE_BROWSER=1', () => {
        throw new Error(`STRIPE_MCP_REQUIRE_BROWSER=1, but ${reason}.`);
      });
    });
    return;
  }
  describe.skip(`${name} (skipped: ${reason})`, body);
}

export interface LaunchedBrowser {
  /** A context on a fresh profile (playwright takes --user-data-dir as launchPersistentContext's folder). */
  context: BrowserContext;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Accept any certificate (a test's self-signed one behind its TLS proxy). */
  ignoreHTTPSErrors?: boolean;
  /** More Chromium switches, e.g. --host-resolver-rules to reach a public-looking name on loopback. */
  args?: string[];
}

export async function launchChromium(options: LaunchOptions = {}): Promise<LaunchedBrowser> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'srm-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    ignoreHTTPSErrors: options.ignoreHTTPSErrors ?? false,
    args: [
      ...(options.args ?? []),
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
