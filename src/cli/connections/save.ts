/** `connections add` and `connections rotate`: read a key, verify it with Stripe, store it, and say where. */
import { ConnectionManager, noSuchMode, type SavedKey } from '../../connections/manager.js';
import { CLI } from '../../program-name.js';
import { checkConnectionName, modesOf } from '../../connections/metadata.js';
import { SetupError } from '../../stripe/errors.js';
import { err, out, UsageError } from '../output.js';
import { readKey } from '../prompt.js';
import { oneName } from '../argv.js';
import type { Parsed } from './args.js';
import { accountText, storeText } from './text.js';
import { restrictedKeyHowTo } from '../tool-probes.js';

export async function add(p: Parsed): Promise<number> {
  const name = oneName(p);
  checkConnectionName(name);
  const manager = new ConnectionManager(process.env, { keyHowTo: restrictedKeyHowTo() });
  const metadata = await manager.read();
  const existing = metadata.connections[name];
  if (existing && !p.mode && existing.test && existing.live) {
    throw new SetupError(
      `Connection "${name}" already has a test key (${existing.test.keyHint}) and a live key (${existing.live.keyHint}). Nothing was changed. ` +
        `To replace one: ${CLI} connections rotate ${name} --mode test|live`,
    );
  }
  if (p.mode && metadata.connections[name]?.[p.mode]) {
    throw new SetupError(
      `Connection "${name}" already has a ${p.mode} key (${metadata.connections[name]![p.mode]!.keyHint}). Nothing was changed. To replace it: ${CLI} connections rotate ${name} --mode ${p.mode}`,
    );
  }
  const key = await readKey({
    keyStdin: p.keyStdin,
    prompt: `Paste the ${p.mode ? `${p.mode}-mode ` : ''}restricted key (rk_…) for "${name}" (the input is hidden), then press Enter: `,
  });
  const saved = await manager.add({ name, key, mode: p.mode, allowSecret: p.allowSecret, makeDefault: p.makeDefault });
  reportSaved(saved, metadata.connections[name] ? 'added' : 'created');
  return 0;
}

export async function rotate(p: Parsed): Promise<number> {
  const name = oneName(p);
  const manager = new ConnectionManager(process.env, { keyHowTo: restrictedKeyHowTo() });
  const { record } = await manager.require(name);
  let mode = p.mode;
  if (!mode) {
    const modes = modesOf(record);
    if (modes.length !== 1) throw new UsageError(`Which key of "${name}"? Add --mode test or --mode live.`);
    mode = modes[0]!;
  }
  const old = record[mode];
  if (!old) throw noSuchMode(name, mode, record, 'rotate');
  const key = await readKey({ keyStdin: p.keyStdin, prompt: `Paste the new ${mode}-mode restricted key for "${name}" (the input is hidden), then press Enter: ` });
  const saved = await manager.rotate({ name, mode, key, allowSecret: p.allowSecret });
  reportSaved(saved, 'rotated');
  out(`The old key ${old.keyHint} was removed from the ${storeText(old.store)}. Running servers use the new key from their next call.`);
  out(`Now delete or roll the old key in the Stripe Dashboard (Developers → API keys) so it stops working.`);
  return 0;
}

function reportSaved(saved: SavedKey, how: 'created' | 'added' | 'rotated'): void {
  const { record } = saved;
  out(`Verified: ${saved.mode}-mode ${record.keyKind} key ${record.keyHint}; Stripe accepted it.`);
  out(record.accountId ? `Account: ${accountText(record)}.` : `${record.accountNote ?? 'Account info not available.'}`);
  const where = `${saved.store.store.describe()} (${saved.store.reason})`;
  if (how === 'rotated') out(`Rotated the ${saved.mode} key of connection "${saved.name}": the new key is in the ${where}.`);
  else if (how === 'created') out(`Saved connection "${saved.name}" with its ${saved.mode} key in the ${where}.`);
  else out(`Added the ${saved.mode} key to connection "${saved.name}", in the ${where}.`);
  const modes = modesOf(saved.connection);
  out(
    `"${saved.name}" has ${modes.map((m) => `${m}${saved.connection.defaultMode === m ? ' (default mode)' : ''}`).join(' and ')}` +
      `${saved.isDefaultConnection ? ' and is the default connection' : ''}.`,
  );
  for (const warning of saved.warnings) err(`Warning: ${warning}`);
  if (saved.record.keyKind === 'secret') {
    err('Note: this is a secret key (sk_…), which can write. The server only ever sends GET requests, but prefer a restricted key: rotate to one with ' +
      `${CLI} connections rotate ${saved.name} --mode ${saved.mode}`);
  }
  if (how !== 'rotated') {
    out(`Next: ${CLI} connections test ${saved.name}   (which tools this key can serve)`);
    out(`      ${CLI} config claude --connection ${saved.name}   (the snippet for your MCP client; it holds no key)`);
  }
}
