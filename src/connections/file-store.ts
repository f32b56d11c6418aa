import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { SetupError } from '../stripe/errors.js';
import { atomicWriteFile, ensurePrivateDir, readPrivateFile, type AtomicWriteHooks } from './fsutil.js';
import { readJsonFile } from './json-store.js';
import { KeychainStore, masterKeyAccount, probeKeychain, KEYCHAIN_SERVICE } from './keychain.js';
import type { HomePaths } from './paths.js';
import type { KeyRef, SecretStore } from './secret-store.js';

const FORMAT = 'stripe-readonly-mcp/keys';
const NONCE_BYTES = 12;
const MASTER_KEY_BYTES = 32;
const CHECK_LABEL = 'stripe-readonly-mcp master key check v1';

export const MASTER_KEY_ENV = 'STRIPE_MCP_MASTER_KEY';
export type MasterKeySource = 'keychain' | 'file' | 'env';

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const entrySchema = z.object({ nonce: b64, ciphertext: b64, tag: b64 });
const fileSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  cipher: z.literal('aes-256-gcm'),
  storeId: z.string().regex(/^[0-9a-f]{16,64}$/),
  masterKey: z.enum(['keychain', 'file', 'env']),
  /** HMAC of a fixed label under the master key: tells a wrong master key apart from a tampered entry. */
  masterKeyCheck: z.string().regex(/^[0-9a-f]{64}$/),
  entries: z.record(z.string(), entrySchema),
});
type KeyFile = z.infer<typeof fileSchema>;

function entryName(ref: KeyRef): string {
  return `${ref.connection}/${ref.mode}/${ref.keyId}`;
}

/** The connection, mode, key id and store are bound to each ciphertext: an entry moved or swapped fails to open. */
function aad(storeId: string, ref: KeyRef): Buffer {
  return Buffer.from(`${FORMAT} v1\u0000${storeId}\u0000${ref.connection}\u0000${ref.mode}\u0000${ref.keyId}`, 'utf8');
}

function checkValue(master: Buffer): string {
  return createHmac('sha256', master).update(CHECK_LABEL).digest('hex');
}

export function encryptEntry(master: Buffer, storeId: string, ref: KeyRef, plaintext: string) {
  const nonce = randomBytes(NONCE_BYTES); // fresh for every encryption
  const cipher = createCipheriv('aes-256-gcm', master, nonce);
  cipher.setAAD(aad(storeId, ref));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { nonce: nonce.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

function decryptEntry(master: Buffer, storeId: string, ref: KeyRef, entry: z.infer<typeof entrySchema>): string | null {
  try {
    const nonce = Buffer.from(entry.nonce, 'base64');
    const tag = Buffer.from(entry.tag, 'base64');
    if (nonce.length !== NONCE_BYTES || tag.length !== 16) return null;
    const decipher = createDecipheriv('aes-256-gcm', master, nonce);
    decipher.setAAD(aad(storeId, ref));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(entry.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

function parseEntryName(name: string): KeyRef | null {
  const m = /^([^/]+)\/(test|live)\/([0-9a-f]+)$/.exec(name);
  return m ? { connection: m[1]!, mode: m[2] as KeyRef['mode'], keyId: m[3]! } : null;
}

/** STRIPE_MCP_MASTER_KEY: 32 bytes in base64 (`openssl rand -base64 32`). */
export function masterKeyFromEnv(env: NodeJS.ProcessEnv): Buffer | undefined {
  const raw = env[MASTER_KEY_ENV]?.trim();
  if (!raw) return undefined;
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(raw) ? Buffer.from(raw, 'base64') : Buffer.alloc(0);
  if (bytes.length !== MASTER_KEY_BYTES) {
    throw new SetupError(
      `${MASTER_KEY_ENV} must be ${MASTER_KEY_BYTES} random bytes in base64 (make one with: openssl rand -base64 32); it is ${bytes.length ? `${bytes.length} bytes` : 'not base64'}.`,
    );
  }
  return bytes;
}

export interface FileStoreOptions {
  env?: NodeJS.ProcessEnv;
  /** Whether the keychain may hold the master key (default: a write-read-delete probe decides). */
  keychainAvailable?: () => Promise<boolean>;
  /** Crash tests: runs before the new file replaces the old one. */
  writeHooks?: AtomicWriteHooks;
}

/**
 * Keys in one AES-256-GCM encrypted file. The master key is in the keychain when there is one, else in a 0600
 * file beside the store, or given as STRIPE_MCP_MASTER_KEY (base64) for containers. A damaged file or a wrong
 * master key is an error naming the file; no write happens until the user has decided what to do.
 */
export class FileStore implements SecretStore {
  readonly kind = 'file' as const;
  private readonly env: NodeJS.ProcessEnv;
  private readonly keychain = new KeychainStore();
  private master: { storeId: string; key: Buffer } | undefined;

  constructor(
    private readonly paths: HomePaths,
    private readonly options: FileStoreOptions = {},
  ) {
    this.env = options.env ?? process.env;
  }

  describe(): string {
    return `encrypted file ${this.paths.keysFile}`;
  }

  /** The file's header and entries, or undefined when there is no file yet. */
  async readFile(): Promise<KeyFile | undefined> {
    return readJsonFile(this.paths.keysFile, fileSchema, ({ kind, detail }) => this.damaged(kind === 'syntax' ? `it is not valid JSON (${detail})` : detail));
  }

  private damaged(why: string): SetupError {
    const file = this.paths.keysFile;
    return new SetupError(
      `The encrypted key file ${file} is damaged: ${why}. Nothing was changed and no key was dropped. ` +
        `Restore it from a backup, or move it aside (mv '${file}' '${file}.bak') and add the keys again with: stripe-readonly-mcp connections add NAME`,
    );
  }

  /** Where the master key of an existing file is, in words (doctor). */
  async masterKeyLocation(): Promise<string> {
    const file = await this.readFile();
    const source = this.env[MASTER_KEY_ENV]?.trim() ? 'env' : file?.masterKey;
    switch (source) {
      case 'env':
        return `${MASTER_KEY_ENV}`;
      case 'keychain':
        return `OS keychain (service "${KEYCHAIN_SERVICE}", entry "${masterKeyAccount(file!.storeId)}")`;
      case 'file':
        return `${this.paths.masterKeyFile}`;
      default:
        return 'not created yet (made with the first key: in the keychain when there is one, else in a 0600 file)';
    }
  }

  /** The master key for an existing file, checked against the file's check value. */
  private async masterFor(file: KeyFile): Promise<Buffer> {
    if (this.master?.storeId === file.storeId) return this.master.key;
    const fromEnv = masterKeyFromEnv(this.env);
    let key: Buffer;
    let from: string;
    if (fromEnv) {
      key = fromEnv;
      from = MASTER_KEY_ENV;
    } else if (file.masterKey === 'env') {
      throw new SetupError(
        `The keys in ${this.paths.keysFile} were encrypted with the master key given in ${MASTER_KEY_ENV}, which is not set now. Set it to the same value and try again. Nothing was changed.`,
      );
    } else if (file.masterKey === 'file') {
      const text = await readPrivateFile(this.paths.masterKeyFile);
      if (text === undefined) {
        throw new SetupError(
          `The master key file ${this.paths.masterKeyFile} is missing, so the keys in ${this.paths.keysFile} cannot be decrypted. Restore it from a backup, ` +
            `or set ${MASTER_KEY_ENV}. Nothing was changed.`,
        );
      }
      key = Buffer.from(text.trim(), 'base64');
      from = this.paths.masterKeyFile;
    } else {
      let value: string | null;
      try {
        value = await this.keychain.getMasterKey(file.storeId);
      } catch (err) {
        throw new SetupError(
          `The master key of ${this.paths.keysFile} is in the OS keychain, which could not be read (${(err as Error).message}). Unlock the keychain and try again. Nothing was changed.`,
        );
      }
      if (!value) {
        throw new SetupError(
          `The master key of ${this.paths.keysFile} is missing from the OS keychain (service "${KEYCHAIN_SERVICE}", entry "${masterKeyAccount(file.storeId)}"). ` +
            `Unlock the keychain, or restore the entry; without it the keys in the file cannot be decrypted. Nothing was changed.`,
        );
      }
      key = Buffer.from(value, 'base64');
      from = 'the OS keychain';
    }
    const expected = Buffer.from(file.masterKeyCheck, 'hex');
    if (key.length !== MASTER_KEY_BYTES || !timingSafeEqual(Buffer.from(checkValue(key), 'hex'), expected)) {
      throw new SetupError(
        `The master key from ${from} is not the one that encrypted ${this.paths.keysFile}, so its keys cannot be decrypted. ` +
          `Nothing was changed. Use the original master key${fromEnv ? ` (fix ${MASTER_KEY_ENV})` : ''}, or move the file aside (mv '${this.paths.keysFile}' '${this.paths.keysFile}.bak') and add the keys again.`,
      );
    }
    this.master = { storeId: file.storeId, key };
    return key;
  }

  async get(ref: KeyRef): Promise<string> {
    const file = await this.readFile();
    const entry = file?.entries[entryName(ref)];
    if (!file || !entry) {
      throw new SetupError(
        `The ${ref.mode} key of connection "${ref.connection}" is missing from ${this.paths.keysFile}. Add it again: stripe-readonly-mcp connections rotate ${ref.connection} --mode ${ref.mode}`,
      );
    }
    const key = await this.masterFor(file);
    const plain = decryptEntry(key, file.storeId, ref, entry);
    if (plain === null) throw this.tampered([ref]);
    return plain;
  }

  private tampered(refs: KeyRef[]): SetupError {
    const which = refs.map((r) => `${r.connection} (${r.mode})`).join(', ');
    const first = refs[0]!;
    return new SetupError(
      `The stored key of ${which} in ${this.paths.keysFile} failed its integrity check: the file was changed or damaged. Nothing was changed and no key was dropped. ` +
        `Restore the file from a backup, or remove the damaged key (stripe-readonly-mcp connections remove ${first.connection} --mode ${first.mode}) and add it again.`,
    );
  }

  /**
   * Opens the file for a change: every entry must decrypt, else nothing is written (the user decides first).
   * `tolerate` are the entries being removed, which may themselves be the damaged ones.
   */
  private async openForWrite(tolerate: KeyRef[] = []): Promise<{ file: KeyFile; key: Buffer }> {
    const existing = await this.readFile();
    if (existing) {
      const key = await this.masterFor(existing);
      const bad: KeyRef[] = [];
      for (const [name, entry] of Object.entries(existing.entries)) {
        const ref = parseEntryName(name);
        if (ref && tolerate.some((t) => entryName(t) === entryName(ref))) continue;
        if (!ref || decryptEntry(key, existing.storeId, ref, entry) === null) {
          bad.push(ref ?? { connection: name, mode: 'test', keyId: '0' });
        }
      }
      if (bad.length > 0) throw this.tampered(bad);
      return { file: existing, key };
    }
    return this.create();
  }

  private async create(): Promise<{ file: KeyFile; key: Buffer }> {
    await ensurePrivateDir(this.paths.dir);
    const storeId = randomBytes(8).toString('hex');
    let key = masterKeyFromEnv(this.env);
    let source: MasterKeySource;
    if (key) {
      source = 'env';
    } else {
      const existingFile = await readPrivateFile(this.paths.masterKeyFile);
      const fromFile = existingFile ? Buffer.from(existingFile.trim(), 'base64') : undefined;
      if (fromFile?.length === MASTER_KEY_BYTES) {
        key = fromFile;
        source = 'file';
      } else {
        key = randomBytes(MASTER_KEY_BYTES);
        const keychainOk = await (this.options.keychainAvailable ?? (async () => (await probeKeychain()).ok))();
        source = 'file';
        if (keychainOk) {
          try {
            await this.keychain.setMasterKey(storeId, key.toString('base64'));
            source = 'keychain';
          } catch {
            source = 'file';
          }
        }
        if (source === 'file') await atomicWriteFile(this.paths.masterKeyFile, `${key.toString('base64')}\n`);
      }
    }
    const file: KeyFile = { format: FORMAT, version: 1, cipher: 'aes-256-gcm', storeId, masterKey: source, masterKeyCheck: checkValue(key), entries: {} };
    this.master = { storeId, key };
    return { file, key };
  }

  private async write(file: KeyFile): Promise<void> {
    await atomicWriteFile(this.paths.keysFile, `${JSON.stringify(file, null, 2)}\n`, this.options.writeHooks);
  }

  async set(ref: KeyRef, plaintext: string): Promise<void> {
    const { file, key } = await this.openForWrite();
    file.entries[entryName(ref)] = encryptEntry(key, file.storeId, ref, plaintext);
    await this.write(file);
  }

  async delete(ref: KeyRef): Promise<void> {
    const existing = await this.readFile();
    if (!existing?.entries[entryName(ref)]) return;
    const { file } = await this.openForWrite([ref]);
    delete file.entries[entryName(ref)];
    await this.write(file);
  }

  /** Removes several entries in one write (crash clean-up); entries already gone are skipped. */
  async deleteMany(refs: KeyRef[]): Promise<void> {
    const existing = await this.readFile();
    const present = refs.filter((r) => existing?.entries[entryName(r)]);
    if (present.length === 0) return;
    const { file } = await this.openForWrite(present);
    for (const ref of present) delete file.entries[entryName(ref)];
    await this.write(file);
  }

  /** The entries in the file, as refs (crash clean-up); names that are not ours are left out. */
  async entryRefs(): Promise<KeyRef[]> {
    return Object.keys((await this.readFile())?.entries ?? {}).flatMap((n) => parseEntryName(n) ?? []);
  }

  /** Names of the entries in the file (doctor, tests): never their contents. */
  async entryNames(): Promise<string[]> {
    return Object.keys((await this.readFile())?.entries ?? {});
  }
}
