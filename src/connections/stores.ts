import { SetupError } from '../stripe/errors.js';
import { FileStore } from './file-store.js';
import { KeychainStore, probeKeychain } from './keychain.js';
import type { StoreKind } from './metadata.js';
import type { HomePaths } from './paths.js';
import type { SecretStore } from './secret-store.js';

export const KEYSTORE_ENV = 'STRIPE_MCP_KEYSTORE';
export const KEYSTORE_SETTINGS = ['auto', 'keychain', 'file'] as const;
export type KeystoreSetting = (typeof KEYSTORE_SETTINGS)[number];

export function keystoreSetting(env: NodeJS.ProcessEnv = process.env): KeystoreSetting {
  const raw = env[KEYSTORE_ENV]?.trim().toLowerCase();
  if (!raw) return 'auto';
  if ((KEYSTORE_SETTINGS as readonly string[]).includes(raw)) return raw as KeystoreSetting;
  throw new SetupError(`${KEYSTORE_ENV} must be auto, keychain or file (got "${env[KEYSTORE_ENV]}").`);
}

export interface StoreChoice {
  store: SecretStore;
  /** Why this store, in words: always shown to the user. */
  reason: string;
}

/** The stores of one folder: keys are read from the store their metadata names, new keys go where the setting says. */
export class Stores {
  readonly file: FileStore;
  readonly keychain = new KeychainStore();

  constructor(
    readonly paths: HomePaths,
    readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.file = new FileStore(paths, { env });
  }

  of(kind: StoreKind): SecretStore {
    return kind === 'keychain' ? this.keychain : this.file;
  }

  /** Where a new key goes: STRIPE_MCP_KEYSTORE, and in `auto` the keychain only if a write-read-delete probe works. */
  async forNewKeys(): Promise<StoreChoice> {
    const setting = keystoreSetting(this.env);
    if (setting === 'file') return { store: this.file, reason: `${KEYSTORE_ENV}=file` };
    const probe = await probeKeychain();
    if (setting === 'keychain') {
      if (!probe.ok) {
        throw new SetupError(
          `${KEYSTORE_ENV}=keychain, but the OS keychain cannot be used: ${probe.reason}. Unlock or start the keychain, ` +
            `or set ${KEYSTORE_ENV}=file to keep keys in an encrypted file instead.`,
        );
      }
      return { store: this.keychain, reason: `${KEYSTORE_ENV}=keychain` };
    }
    if (probe.ok) return { store: this.keychain, reason: 'auto: the OS keychain passed a write-read-delete test' };
    return { store: this.file, reason: `auto: ${probe.reason}, so keys go to the encrypted file` };
  }
}
