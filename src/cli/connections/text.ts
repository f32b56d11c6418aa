/** How a connection's account, key store and keys are written for people. */
import type { ConnectionRecord } from '../../connections/metadata.js';
import type { Mode } from '../../stripe/keys.js';

export { accountText, storeText } from '../../connections/describe.js';
import { storeText } from '../../connections/describe.js';

export function describeConnection(name: string, record: ConnectionRecord, modes: Mode[]): string {
  return modes.map((m) => `${m} key ${record[m]!.keyHint} (${storeText(record[m]!.store)})`).join(' and ') + ` of "${name}"`;
}
