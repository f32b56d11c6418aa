/** `connections remove` and `connections default`. */
import { connectionFromEnv } from '../../connections/env.js';
import { ConnectionManager, noSuchMode } from '../../connections/manager.js';
import { modesOf } from '../../connections/metadata.js';
import { out } from '../output.js';
import { confirm } from '../prompt.js';
import { oneName } from '../argv.js';
import type { Parsed } from './args.js';
import { describeConnection } from './text.js';

export async function remove(p: Parsed): Promise<number> {
  const name = oneName(p);
  const manager = new ConnectionManager();
  const { record } = await manager.require(name, false);
  if (p.mode && !record[p.mode]) throw noSuchMode(name, p.mode, record, 'remove');
  const modes = p.mode ? [p.mode] : modesOf(record);
  if (process.stdin.isTTY && !p.yes) {
    const ok = await confirm(`Remove the ${describeConnection(name, record, modes)}?`);
    if (!ok) {
      out('Nothing was removed.');
      return 1;
    }
  }
  const result = await manager.remove({ name, mode: p.mode });
  out(`Removed the ${describeConnection(name, record, result.removed)}.`);
  if (result.connectionRemoved) out(`Connection "${name}" is gone.${result.newDefault ? ` The default connection is now "${result.newDefault}".` : ''}`);
  out('The key itself still works until you delete it in the Stripe Dashboard (Developers → API keys).');
  return 0;
}

export async function setDefault(p: Parsed): Promise<number> {
  const name = oneName(p);
  const manager = new ConnectionManager();
  const result = await manager.setDefault({ name, mode: p.mode });
  out(`"${result.name}" is now the default connection; calls that name no mode read ${result.mode} data.`);
  if (connectionFromEnv().ok) out('Note: STRIPE_API_KEY is set in this shell; where it is set, calls that name no connection use "env".');
  return 0;
}
