/**
 * `connections test` and the connections page's Test button: verify a key with Stripe, then run every tool once
 * to say which it can serve and what to set to Read. Shared so both say the same thing. The calls it makes
 * (`probes`) come from the layer above (src/cli/tool-probes.ts), since src/connections/ knows no tool.
 */
import { createStripeClient } from '../stripe/client.js';
import type { Mode } from '../stripe/keys.js';
import type { ConnectionManager } from './manager.js';
import { modesOf, type ModeRecord } from './metadata.js';
import { noSuchMode } from './manager.js';
import { checkTools, KeyRejectedError, summarise, type ToolProbe, type ToolSummary } from './tool-check.js';
import { verifyKey, type Verification } from './verify.js';

export type KeyTestResult = { ok: true; verification: Verification; summaries: ToolSummary[] } | { ok: false; error: string };

/**
 * Verifies the key, then checks the tools. A key Stripe refuses (now, or during the tool checks) is a failed
 * result with the message to show; anything else unexpected is thrown.
 */
export async function testKey(key: string, mode: Mode, options: { connection: string; apiBase?: string | undefined; probes: readonly ToolProbe[] }): Promise<KeyTestResult> {
  let verification: Verification;
  try {
    verification = await verifyKey(key, mode, { apiBase: options.apiBase });
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  try {
    // One page of each list the tools read: what the key may read shows on the first (http.ts, firstPageOnly).
    const stripe = await createStripeClient({ apiKey: key, mode, firstPageOnly: true, ...(options.apiBase ? { apiBase: options.apiBase } : {}) });
    const checks = await checkTools(stripe, options.connection, mode, options.probes);
    return { ok: true, verification, summaries: summarise(checks, options.probes) };
  } catch (e) {
    if (!(e instanceof KeyRejectedError)) throw e;
    return { ok: false, error: e.message };
  }
}

export interface StoredKeyTest {
  mode: Mode;
  record: ModeRecord;
  result: KeyTestResult;
}

/** Tests a stored connection's keys (one mode, or each it has) and records a fresh verification for each that passed. */
export async function testStoredConnection(manager: ConnectionManager, name: string, mode: Mode | undefined, probes: readonly ToolProbe[]): Promise<StoredKeyTest[]> {
  const { record } = await manager.require(name);
  if (mode && !record[mode]) throw noSuchMode(name, mode, record, 'test');
  const tests: StoredKeyTest[] = [];
  for (const m of mode ? [mode] : modesOf(record)) {
    const r = record[m]!;
    const key = await manager.readKey(name, m, r);
    const result = await testKey(key, m, { connection: name, apiBase: manager.apiBase, probes });
    if (result.ok) await manager.recordVerification(name, m, r.keyId, result.verification).catch(() => {});
    tests.push({ mode: m, record: r, result });
  }
  return tests;
}
