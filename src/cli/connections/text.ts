/** How a connection's account, key store and keys are written for people. */
import type { ConnectionRecord, ModeRecord } from '../../connections/metadata.js';
import type { Mode } from '../../stripe/keys.js';

export function accountText(record: Pick<ModeRecord, 'accountId' | 'businessName' | 'currency' | 'accountNote'>): string {
  if (!record.accountId) return record.accountNote ?? 'account not known';
  const name = record.businessName ? `${record.businessName} (${record.accountId})` : record.accountId;
  return `${name}${record.currency ? `, default currency ${record.currency.toUpperCase()}` : ''}`;
}

export function storeText(kind: ModeRecord['store']): string {
  return kind === 'keychain' ? 'OS keychain' : 'encrypted file';
}

export function describeConnection(name: string, record: ConnectionRecord, modes: Mode[]): string {
  return modes.map((m) => `${m} key ${record[m]!.keyHint} (${storeText(record[m]!.store)})`).join(' and ') + ` of "${name}"`;
}
