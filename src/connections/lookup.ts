// What reading the connections needs of the manager's vocabulary (the server's router uses it): nothing here adds,
// verifies or stores a key, so the stdio server's start does not load that side.
import { SetupError } from '../stripe/errors.js';
import type { Mode } from '../stripe/keys.js';
import { modesOf, type ConnectionRecord, type Metadata, type ModeRecord } from './metadata.js';
import type { KeyRef } from './secret-store.js';
import { CLI } from '../program-name.js';

export function refOf(connection: string, mode: Mode, record: ModeRecord): KeyRef {
  return { connection, mode, keyId: record.keyId };
}

export function noSuchConnection(name: string, metadata: Metadata, suggestAdd = true): SetupError {
  const names = Object.keys(metadata.connections);
  return new SetupError(
    `There is no connection named "${name}". ${names.length ? `Configured: ${names.join(', ')}.` : 'None is configured yet.'}` +
      (suggestAdd ? ` Add it with: ${CLI} connections add ${name}` : ''),
  );
}

export function noSuchMode(name: string, mode: Mode, connection: ConnectionRecord, action: string): SetupError {
  const has = modesOf(connection);
  return new SetupError(
    `Connection "${name}" has no ${mode} key${has.length ? ` (it has: ${has.join(', ')})` : ''}, so there is nothing to ${action}. ` +
      `Add one with: ${CLI} connections add ${name} --mode ${mode}`,
  );
}
