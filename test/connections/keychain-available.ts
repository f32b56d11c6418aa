/**
 * Whether the OS keychain can be tested here, shared by every test file that uses it for real. Where no keychain
 * answers (a laptop without one) those tests are skipped with the reason printed; with STRIPE_MCP_REQUIRE_KEYCHAIN=1,
 * as CI sets it, a missing keychain is a failing test instead.
 */
import { describe, it } from 'vitest';
import { loadKeytar, probeKeychain } from '../../src/connections/keychain.js';

export interface KeychainAvailability {
  ok: boolean;
  reason: string;
}

/** Probes once (write, read, delete), warns when the file's keychain tests are skipped, and registers the failure when they must run. */
export async function keychainForTests(file: string): Promise<KeychainAvailability> {
  const probe = await probeKeychain();
  const required = process.env.STRIPE_MCP_REQUIRE_KEYCHAIN === '1';
  const reason = probe.ok ? '' : probe.reason;
  if (!probe.ok && !required) {
    console.warn(`${file}: keychain tests skipped: no OS keychain is reachable here (${reason}). CI runs these (STRIPE_MCP_REQUIRE_KEYCHAIN=1).`);
  }
  describe.runIf(!probe.ok && required)(`the OS keychain (required here, ${file})`, () => {
    it('is reachable, because STRIPE_MCP_REQUIRE_KEYCHAIN=1', () => {
      throw new Error(`STRIPE_MCP_REQUIRE_KEYCHAIN=1, but no keychain is reachable: ${reason}. .ci/run must start GNOME Keyring in a D-Bus session.`);
    });
  });
  return { ok: probe.ok, reason };
}

/**
 * keytar itself, as an independent reader and for clean-up. Not findCredentials: it can crash the process while
 * other processes delete entries (src/connections/keychain.ts, listKeychainAccounts, which lists apart instead).
 */
export interface KeytarAll {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export async function keytar(): Promise<KeytarAll> {
  const loaded = await loadKeytar();
  if (!loaded.ok) throw new Error(loaded.reason);
  return loaded.keytar as unknown as KeytarAll;
}
