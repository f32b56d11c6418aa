/** `connections test`: verify each key of a connection and run every tool once to say what it can serve. */
import { connectionFromEnv, ENV_CONNECTION } from '../../connections/env.js';
import { ConnectionManager, noSuchMode } from '../../connections/manager.js';
import { modesOf, type ModeRecord } from '../../connections/metadata.js';
import type { ToolSummary } from '../../connections/tool-check.js';
import { testKey } from '../../connections/key-test.js';
import { SetupError } from '../../stripe/errors.js';
import { keyHint, type Mode } from '../../stripe/keys.js';
import { err, out, plural } from '../output.js';
import { oneName } from '../argv.js';
import type { Parsed } from './args.js';
import { accountText, storeText } from './text.js';
import { toolProbes } from '../tool-probes.js';

interface Target {
  mode: Mode;
  key: string;
  describe: string;
  /** The stored key's record (absent for STRIPE_API_KEY), where the verification is written. */
  record?: ModeRecord;
}

/** The keys `connections test NAME [--mode]` tries: STRIPE_API_KEY's for "env", else the stored ones. */
async function keysToTest(name: string, p: Parsed, manager: ConnectionManager): Promise<Target[]> {
  const targets: Target[] = [];
  if (name === ENV_CONNECTION) {
    const env = connectionFromEnv();
    if (!env.ok) throw new SetupError(env.problem ?? 'There is no connection "env": STRIPE_API_KEY is not set.');
    const mode = env.connection.defaultMode ?? 'test';
    if (p.mode && p.mode !== mode) throw new SetupError(`STRIPE_API_KEY holds a ${mode}-mode key; there is no ${p.mode} key to test.`);
    const key = env.connection.keys[mode]!;
    targets.push({ mode, key, describe: `${keyHint(key)} from STRIPE_API_KEY` });
    return targets;
  }
  const { record } = await manager.require(name);
  const modes = p.mode ? [p.mode] : modesOf(record);
  if (p.mode && !record[p.mode]) throw noSuchMode(name, p.mode, record, 'test');
  for (const mode of modes) {
    const r = record[mode]!;
    const key = await manager.readKey(name, mode, r);
    targets.push({ mode, key, describe: `${r.keyHint} (${r.keyKind} key) in the ${storeText(r.store)}`, record: r });
  }
  return targets;
}

export async function check(p: Parsed): Promise<number> {
  const name = oneName(p);
  const manager = new ConnectionManager();
  const targets = await keysToTest(name, p, manager);

  let failures = 0;
  const report: Array<Record<string, unknown>> = [];
  for (const target of targets) {
    if (!p.json) out(`Connection "${name}", ${target.mode} mode: ${target.describe}`);
    const result = await testKey(target.key, target.mode, { connection: name, apiBase: manager.apiBase, probes: toolProbes() });
    if (!result.ok) {
      failures++;
      if (p.json) report.push({ mode: target.mode, ok: false, error: result.error });
      else err(`  Failed: ${result.error}`);
      continue;
    }
    const { verification, summaries } = result;
    if (!p.json) out(`  Verified: Stripe accepts the key. ${verification.accountId ? `Account: ${accountText(verification)}.` : verification.accountNote}`);
    if (target.record) await manager.recordVerification(name, target.mode, target.record.keyId, verification).catch(() => {});
    const served = summaries.filter((s) => s.ok);
    if (p.json) {
      report.push({ mode: target.mode, ok: true, account: verification, tools: summaries });
      continue;
    }
    out(`  Can serve ${served.length} of ${summaries.length} tools: ${served.map((s) => s.tool).join(', ') || 'none'} (fetch opens the kinds of object these can read)`);
    printBlocked(summaries);
    for (const s of summaries.filter((x) => x.errors.length > 0)) out(`  Could not check ${s.tool}: ${s.errors[0]}`);
    printOptional(summaries);
    if (served.length === summaries.length) out('  Every tool can be served.');
  }
  if (p.json) out(JSON.stringify({ connection: name, results: report }, null, 2));
  return failures > 0 ? 1 : 0;
}

/** The tools this key cannot serve yet, and the Dashboard permission each needs. */
function printBlocked(summaries: ToolSummary[]): void {
  const blocked = summaries.filter((s) => s.missing.length > 0);
  if (blocked.length === 0) return;
  out(`  Cannot serve ${plural(blocked.length, 'tool')} until the key has more Read permissions. In the Stripe Dashboard open`);
  out(`  Developers → API keys → this restricted key → Edit, and set to Read:`);
  for (const s of blocked) {
    if (s.tool === 'search') {
      const partly = s.searchable?.length ? ` (it can search ${s.searchable.join(', ')})` : '';
      out(`    search${partly}:`);
      for (const m of s.missing) out(`      ${m.resource!.padEnd(16)} → ${m.permission}: Read${m.stripePermission ? `   (Stripe: ${m.stripePermission})` : ''}`);
    } else {
      const m = s.missing[0]!;
      out(`    ${s.tool.padEnd(26)} → ${m.permission}: Read${m.stripePermission ? `   (Stripe: ${m.stripePermission})` : ''}`);
    }
  }
}

/** The optional permissions: what each tool's answer lacks without it, and whether this key has it. */
function printOptional(summaries: ToolSummary[]): void {
  const rows = summaries.flatMap((s) => s.optional.map((o) => ({ tool: s.tool, ...o })));
  if (rows.length === 0) return;
  out('  Optional (the tool answers without it, with less):');
  for (const o of rows) {
    const state = o.status === 'missing' ? `not set: without it, ${o.without}` : o.status === 'ok' ? 'set' : 'not checked (the tool could not run)';
    out(`    ${o.tool.padEnd(26)} → ${o.permission}: Read   (Stripe: ${o.stripePermission})  ${state}`);
  }
}
