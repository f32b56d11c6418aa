import { randomBytes } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { apiBaseFromEnv } from '../stripe/client.js';
import { SetupError } from '../stripe/errors.js';
import { keyHint, type Mode } from '../stripe/keys.js';
import { checkKeyShape, CLI_WORDING, type CheckedKey, type KeyWording } from './key-shape.js';
import { deleteDeadProbesOnce } from './keychain.js';
import { withLock } from './lock.js';
import { atomicWriteFile, ensurePrivateDir, readPrivateFile, removeStaleTemps } from './fsutil.js';
import {
  checkConnectionName,
  modesOf,
  readMetadata,
  writeMetadata,
  type ConnectionRecord,
  type Metadata,
  type ModeRecord,
  type StoreKind,
} from './metadata.js';
import { resolveHome, type HomePaths } from './paths.js';
import type { KeyRef } from './secret-store.js';
import { Stores, type StoreChoice } from './stores.js';
import { verifyKey, type Verification } from './verify.js';
import { CLI } from '../program-name.js';
import { noSuchConnection, noSuchMode, refOf } from './lookup.js';

// Also what the server's router needs (lookup.ts, which loads none of the stores' writing side).
export { noSuchConnection, noSuchMode, refOf } from './lookup.js';

export function newKeyId(): string {
  return randomBytes(4).toString('hex');
}

export interface AddRequest {
  name: string;
  key: string;
  mode?: Mode | undefined;
  allowSecret: boolean;
  makeDefault: boolean;
  /** A web page's words for --mode and --allow-secret-key in refusals; default the CLI's. */
  wording?: KeyWording | undefined;
}

export interface SavedKey {
  name: string;
  mode: Mode;
  record: ModeRecord;
  store: StoreChoice;
  /** The connection as saved. */
  connection: ConnectionRecord;
  isDefaultConnection: boolean;
  warnings: string[];
}

/**
 * Everything that changes connections: keys are checked and verified with Stripe before anything is saved,
 * and every change happens under the folder's lock on freshly re-read state, so concurrent commands merge.
 */
export class ConnectionManager {
  readonly paths: HomePaths;
  readonly stores: Stores;
  readonly apiBase: string | undefined;

  /** What a refused key's message says to make instead (key-shape.ts): the tools' permissions, given from above. */
  readonly keyHowTo: string | undefined;

  constructor(
    readonly env: NodeJS.ProcessEnv = process.env,
    options: { keyHowTo?: string } = {},
  ) {
    this.keyHowTo = options.keyHowTo;
    this.paths = resolveHome(env);
    this.stores = new Stores(this.paths, env);
    this.apiBase = apiBaseFromEnv(env);
  }

  read(): Promise<Metadata> {
    return readMetadata(this.paths);
  }

  /** Runs a change under the lock, after making sure the folder exists and is private, and after cleaning what a killed command left. */
  private async locked<T>(fn: () => Promise<T>): Promise<T> {
    await ensurePrivateDir(this.paths.dir);
    let usesKeychain = false;
    const result = await withLock(this.paths.lockFile, async () => {
      await removeStaleTemps(this.paths.dir);
      // A clean-up that cannot run now runs with the next command.
      usesKeychain = (await this.reconcile().catch(() => undefined))?.usesKeychain ?? false;
      return fn();
    });
    // A command killed in the middle of the keychain's write-read-delete probe leaves the probe's entry. Finding it
    // lists the keychain in a child process (keychain.ts says why), a few hundred milliseconds: not under the lock,
    // where every other command on this folder would wait for it, not before the command's answer, and once per
    // process. The process still finishes it before exiting; a listing that fails is tried again by the next change.
    if (usesKeychain) void deleteDeadProbesOnce().catch(() => undefined);
    return result;
  }

  /**
   * Keys a change is about to store or drop, written before it touches a store: a command killed halfway leaves
   * them named here, and the next command deletes whichever of them connections.json does not point at.
   */
  private get journalFile(): string {
    return join(this.paths.dir, 'pending-keys.json');
  }

  private async journal(refs: PendingRef[]): Promise<void> {
    await atomicWriteFile(this.journalFile, `${JSON.stringify({ version: 1, refs })}\n`);
  }

  private async clearJournal(): Promise<void> {
    await unlink(this.journalFile).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  private async readJournal(): Promise<PendingRef[]> {
    const text = await readPrivateFile(this.journalFile).catch(() => undefined);
    if (!text) return [];
    try {
      const parsed = JSON.parse(text) as { refs?: unknown };
      return (Array.isArray(parsed.refs) ? parsed.refs : []).filter(isPendingRef);
    } catch {
      return []; // cannot be half-written (atomic), but a damaged one must not stop every command
    }
  }

  /**
   * Finishes what a killed command left (call under the lock): keys named in the journal that connections.json
   * does not point at are deleted from their store, and so are entries of keys.enc for a connection and mode
   * that connections.json points at a different key of (a rotation killed before dropping the old key, also by
   * older versions). Entries of connections not in connections.json are left alone unless the journal names
   * them: connections.json may have been moved aside, and its keys must survive that.
   */
  async reconcile(): Promise<{ deleted: number; usesKeychain: boolean }> {
    const metadata = await this.read();
    const pointsAt = (store: StoreKind, ref: KeyRef) => {
      const record = metadata.connections[ref.connection]?.[ref.mode];
      return record?.store === store && record.keyId === ref.keyId;
    };
    const pending = await this.readJournal();
    const left: PendingRef[] = [];
    let deleted = 0;
    const fileOrphans: KeyRef[] = [];
    for (const ref of pending) {
      if (pointsAt(ref.store, ref)) continue;
      if (ref.store === 'file') {
        fileOrphans.push(ref);
        continue;
      }
      try {
        await this.stores.of(ref.store).delete(ref);
        deleted++;
      } catch {
        left.push(ref); // the keychain is locked now: try again next time
      }
    }
    try {
      for (const ref of await this.stores.file.entryRefs()) {
        const record = metadata.connections[ref.connection]?.[ref.mode];
        if (record && !pointsAt('file', ref) && !fileOrphans.some((o) => sameRef(o, ref))) fileOrphans.push(ref);
      }
      if (fileOrphans.length > 0) {
        await this.stores.file.deleteMany(fileOrphans);
        deleted += fileOrphans.length;
      }
    } catch {
      for (const ref of fileOrphans) if (pending.some((p) => sameRef(p, ref))) left.push({ ...ref, store: 'file' });
    }
    if (left.length > 0) await this.journal(left);
    else if (pending.length > 0) await this.clearJournal();
    // Where keys live in the keychain, dead probes' entries are looked for too (locked(), after the lock); a
    // file-only setup never touches the keychain here.
    const usesKeychain = pending.some((r) => r.store === 'keychain') || Object.values(metadata.connections).some((c) => modesOf(c).some((m) => c[m]!.store === 'keychain'));
    return { deleted, usesKeychain };
  }

  async require(name: string, suggestAdd = true): Promise<{ metadata: Metadata; record: ConnectionRecord }> {
    const metadata = await this.read();
    const record = metadata.connections[name];
    if (!record) throw noSuchConnection(name, metadata, suggestAdd);
    return { metadata, record };
  }

  /** Verifies with Stripe; a failure says what was (not) kept. */
  async verify(key: CheckedKey, consequence = 'Nothing was saved.'): Promise<Verification> {
    try {
      return await verifyKey(key.key, key.mode, { apiBase: this.apiBase });
    } catch (err) {
      if (err instanceof SetupError) err.message = `${err.message} ${consequence}`;
      throw err;
    }
  }

  async add(request: AddRequest): Promise<SavedKey> {
    checkConnectionName(request.name);
    const checked = checkKeyShape(request.key, { mode: request.mode, allowSecret: request.allowSecret, howTo: this.keyHowTo, wording: request.wording });
    const before = await this.read();
    assertSlotFree(before, request.name, checked, request.wording);
    const verification = await this.verify(checked);
    const store = await this.stores.forNewKeys();
    return this.locked(async () => {
      const metadata = await this.read();
      assertSlotFree(metadata, request.name, checked, request.wording); // another process may have added it meanwhile
      const record = toRecord(checked, verification, store.store.kind);
      const ref = refOf(request.name, checked.mode, record);
      await this.journal([{ ...ref, store: store.store.kind }]);
      await store.store.set(ref, checked.key);
      const isNew = !metadata.connections[request.name];
      const connection: ConnectionRecord = metadata.connections[request.name] ?? {};
      connection[checked.mode] = record;
      if (isNew || request.makeDefault || !connection.defaultMode) connection.defaultMode = checked.mode;
      metadata.connections[request.name] = connection;
      if (request.makeDefault || !metadata.default || !metadata.connections[metadata.default]) metadata.default = request.name;
      try {
        await writeMetadata(this.paths, metadata);
      } catch (err) {
        await store.store.delete(ref).catch(() => {});
        throw err;
      }
      await this.clearJournal().catch(() => {});
      return { name: request.name, mode: checked.mode, record, store, connection, isDefaultConnection: metadata.default === request.name, warnings: [] };
    });
  }

  /**
   * Replaces one mode's key: the new key is verified first and stored under a new entry; only once the metadata
   * points at it is the old entry deleted. Any failure before that leaves the old key in place and in use.
   */
  async rotate(request: { name: string; mode: Mode; key: string; allowSecret: boolean; wording?: KeyWording | undefined }): Promise<SavedKey> {
    const { record: existing } = await this.require(request.name);
    if (!existing[request.mode]) throw noSuchMode(request.name, request.mode, existing, 'rotate');
    const checked = checkKeyShape(request.key, { mode: request.mode, allowSecret: request.allowSecret, howTo: this.keyHowTo, wording: request.wording });
    const verification = await this.verify(checked, `Nothing was changed: the old ${request.mode} key is still in use.`);
    const oldAccount = existing[request.mode]?.accountId;
    if (oldAccount && verification.accountId && oldAccount !== verification.accountId) {
      throw new SetupError(
        `The new key belongs to account ${verification.accountId}, but connection "${request.name}" reads account ${oldAccount}. Nothing was changed. ` +
          `To read another account, add it as a new connection: ${CLI} connections add NEWNAME`,
      );
    }
    const store = await this.stores.forNewKeys();
    return this.locked(async () => {
      const metadata = await this.read();
      const connection = metadata.connections[request.name];
      const old = connection?.[request.mode];
      if (!connection || !old) throw noSuchMode(request.name, request.mode, connection ?? {}, 'rotate');
      const record = toRecord(checked, verification, store.store.kind);
      const ref = refOf(request.name, request.mode, record);
      const oldRef = refOf(request.name, request.mode, old);
      // Whichever of the two keys connections.json ends up not pointing at is dropped, now or after a crash.
      await this.journal([
        { ...ref, store: store.store.kind },
        { ...oldRef, store: old.store },
      ]);
      await store.store.set(ref, checked.key);
      connection[request.mode] = record;
      try {
        await writeMetadata(this.paths, metadata);
      } catch (err) {
        await store.store.delete(ref).catch(() => {});
        throw err;
      }
      const warnings: string[] = [];
      try {
        await this.stores.of(old.store).delete(oldRef);
        await this.clearJournal();
      } catch (err) {
        warnings.push(`The new key is in use, but the old key's stored copy could not be deleted (the next change tries again): ${(err as Error).message}`);
      }
      return { name: request.name, mode: request.mode, record, store, connection, isDefaultConnection: metadata.default === request.name, warnings };
    });
  }

  /**
   * Removes one mode's key, or the whole connection. connections.json stops pointing at the keys first, then the
   * keys leave their stores: a crash between leaves an unused key (cleaned by the next command, as the journal
   * names it), never a connection whose key is gone.
   */
  async remove(request: { name: string; mode?: Mode | undefined }): Promise<{ removed: Mode[]; connectionRemoved: boolean; newDefault: string | null }> {
    return this.locked(async () => {
      const metadata = await this.read();
      const connection = metadata.connections[request.name];
      if (!connection) throw noSuchConnection(request.name, metadata, false);
      if (request.mode && !connection[request.mode]) throw noSuchMode(request.name, request.mode, connection, 'remove');
      const modes = request.mode ? [request.mode] : modesOf(connection);
      const dropped = modes.map((mode) => ({ ...refOf(request.name, mode, connection[mode]!), store: connection[mode]!.store }));
      await this.journal(dropped);
      for (const mode of modes) delete connection[mode];
      const left = modesOf(connection);
      const connectionRemoved = left.length === 0;
      if (connectionRemoved) {
        delete metadata.connections[request.name];
        if (metadata.default === request.name) {
          const names = Object.keys(metadata.connections);
          metadata.default = names.length === 1 ? names[0]! : null;
        }
      } else if (!connection.defaultMode || !connection[connection.defaultMode]) {
        connection.defaultMode = left[0];
      }
      await writeMetadata(this.paths, metadata);
      for (const ref of dropped) await this.stores.of(ref.store).delete(ref);
      await this.clearJournal();
      return { removed: modes, connectionRemoved, newDefault: metadata.default };
    });
  }

  async setDefault(request: { name: string; mode?: Mode | undefined }): Promise<{ name: string; mode: Mode }> {
    return this.locked(async () => {
      const metadata = await this.read();
      const connection = metadata.connections[request.name];
      if (!connection) throw noSuchConnection(request.name, metadata);
      if (request.mode) {
        if (!connection[request.mode]) throw noSuchMode(request.name, request.mode, connection, 'default');
        connection.defaultMode = request.mode;
      }
      metadata.default = request.name;
      await writeMetadata(this.paths, metadata);
      return { name: request.name, mode: connection.defaultMode ?? 'test' };
    });
  }

  /** Records a fresh verification (connections test) for the key that was tested, if it is still the stored one. */
  async recordVerification(name: string, mode: Mode, keyId: string, verification: Verification): Promise<void> {
    await this.locked(async () => {
      const metadata = await this.read();
      const record = metadata.connections[name]?.[mode];
      if (!record || record.keyId !== keyId) return;
      const { accountNote: _old, ...rest } = record;
      metadata.connections[name]![mode] = {
        ...rest,
        accountId: verification.accountId ?? record.accountId,
        businessName: verification.businessName ?? record.businessName,
        currency: verification.currency ?? record.currency,
        verifiedAt: verification.verifiedAt,
        ...(verification.accountNote ? { accountNote: verification.accountNote } : {}),
      };
      await writeMetadata(this.paths, metadata);
    });
  }

  /** Reads one stored key (connections test, doctor). */
  async readKey(name: string, mode: Mode, record: ModeRecord): Promise<string> {
    return this.stores.of(record.store).get(refOf(name, mode, record));
  }
}

type PendingRef = KeyRef & { store: StoreKind };

function isPendingRef(value: unknown): value is PendingRef {
  const v = value as Partial<PendingRef> | null;
  return (
    typeof v === 'object' && v !== null && (v.store === 'file' || v.store === 'keychain') && typeof v.connection === 'string' &&
    (v.mode === 'test' || v.mode === 'live') && typeof v.keyId === 'string' && /^[0-9a-f]{8,32}$/.test(v.keyId)
  );
}

function sameRef(a: KeyRef, b: KeyRef): boolean {
  return a.connection === b.connection && a.mode === b.mode && a.keyId === b.keyId;
}

function toRecord(key: CheckedKey, verification: Verification, store: ModeRecord['store']): ModeRecord {
  return {
    store,
    keyId: newKeyId(),
    keyHint: keyHint(key.key),
    keyKind: key.kind,
    accountId: verification.accountId,
    businessName: verification.businessName,
    currency: verification.currency,
    verifiedAt: verification.verifiedAt,
    ...(verification.accountNote ? { accountNote: verification.accountNote } : {}),
  };
}

function assertSlotFree(metadata: Metadata, name: string, key: CheckedKey, wording: KeyWording = CLI_WORDING): void {
  const existing = metadata.connections[name]?.[key.mode];
  if (existing) {
    throw new SetupError(
      `Connection "${name}" already has a ${key.mode} key (${existing.keyHint}). Nothing was changed. To replace it: ${wording.replaceKey(name, key.mode)}; ` +
        `to keep both, add this key under another name.`,
    );
  }
}
