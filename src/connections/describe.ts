/** How a stored key is described to a person, the same in the CLI and on the connections page. */
import type { ModeRecord } from './metadata.js';

/** "Northwind Cloud (acct_…), default currency USD", or the note saying why the account is not known. */
export function accountText(record: Pick<ModeRecord, 'accountId' | 'businessName' | 'currency' | 'accountNote'>): string {
  if (!record.accountId) return record.accountNote ?? 'account not known';
  const name = record.businessName ? `${record.businessName} (${record.accountId})` : record.accountId;
  return `${name}${record.currency ? `, default currency ${record.currency.toUpperCase()}` : ''}`;
}

export function storeText(kind: ModeRecord['store']): string {
  return kind === 'keychain' ? 'OS keychain' : 'encrypted file';
}
