import type { Mode } from '../stripe/keys.js';
import type { StoreKind } from './metadata.js';

/** Names one stored key: a connection, a mode, and the id of this particular key (rotation makes a new one). */
export interface KeyRef {
  connection: string;
  mode: Mode;
  keyId: string;
}

/** Where keys live: the OS keychain or the encrypted file. Metadata never holds a key. */
export interface SecretStore {
  readonly kind: StoreKind;
  /** One line for people: which store and where. */
  describe(): string;
  /** The key, or a SetupError saying why it cannot be read and what to do. */
  get(ref: KeyRef): Promise<string>;
  /** Saves a key (call while holding the folder's lock). */
  set(ref: KeyRef, key: string): Promise<void>;
  /** Removes a key; a key already gone is not an error. */
  delete(ref: KeyRef): Promise<void>;
}
