/**
 * Our JSON files beside connections.json (users.json, tokens.json, the sign-in server's state): read and checked
 * against a schema, changed under the folder's lock (read afresh, change, atomic write of a 0600 file in the 0700
 * folder), and read through a cache that a cheap stat keeps true to the file, so a change made by another
 * process (the CLI, another replica) is seen on the next read without a restart. connections.json and keys.enc
 * use the reading half (readJsonFile); their changes go through the manager, whose lock does more.
 */
import { statSync } from 'node:fs';
import type { z } from 'zod';
import { atomicWriteFile, ensurePrivateDir, readPrivateFile } from './fsutil.js';
import { withLock } from './lock.js';
import type { HomePaths } from './paths.js';
import { SetupError } from '../stripe/errors.js';

/** What is wrong with a file: not JSON at all, or JSON of another shape; `detail` says where. */
export interface JsonDamage {
  kind: 'syntax' | 'shape';
  detail: string;
}

/**
 * The file parsed and checked against the schema, or undefined when there is no file. A file others may read is
 * refused (readPrivateFile); a damaged one is the error `damaged` makes: the file is never overwritten on a guess.
 */
export async function readJsonFile<T>(path: string, schema: z.ZodType<T>, damaged: (damage: JsonDamage) => Error): Promise<T | undefined> {
  const text = await readPrivateFile(path);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw damaged({ kind: 'syntax', detail: (err as Error).message });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw damaged({ kind: 'shape', detail: parsed.error.issues.map((i) => `${i.path.join('.') || 'top level'}: ${i.message}`).join('; ') });
  return parsed.data;
}

export interface JsonStoreOptions<T> {
  /** The folder (made private when missing) and its lock. */
  home: Pick<HomePaths, 'dir' | 'lockFile'>;
  path: string;
  schema: z.ZodType<T>;
  damaged: (damage: JsonDamage) => Error;
  /** What the store holds before the file exists. */
  empty: () => T;
  /**
   * empty() makes something that must be kept (the sign-in server's keys): a missing file is written by the first
   * change() even when it changes nothing. Otherwise a change that changes nothing (`users remove` of a name that
   * is not there) leaves the file missing.
   */
  keepEmpty?: boolean;
  /** Indented for a person to read (the default), or on one line (large files only the server reads). */
  indent?: 2 | 0;
}

/** The stat fields that change whenever the file is replaced, grows, is touched, or has its mode or owner changed. */
function signatureOf(info: { ino: number; size: number; mtimeMs: number; mode: number; uid: number }): string {
  return `${info.ino}:${info.size}:${info.mtimeMs}:${info.mode}:${info.uid}`;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** One JSON file of ours, changed under the folder's lock and read through a stat-keyed cache. */
export class LockedJsonStore<T> {
  readonly path: string;
  private cached: { signature: string; outcome: Outcome<T> } | undefined;
  private pending: Promise<T> | undefined;

  constructor(private readonly options: JsonStoreOptions<T>) {
    this.path = options.path;
  }

  /** The file as it is now on disk (empty when there is none), read afresh. */
  async read(): Promise<T> {
    return (await readJsonFile(this.path, this.options.schema, this.options.damaged)) ?? this.options.empty();
  }

  /**
   * The file through the cache: re-read only when its stat changed. A damaged or refused file gives the
   * same error until it changes (it is read again then); any other failed read is tried again on the next call. Concurrent callers share one stat. The value is
   * shared too: change it only through change().
   */
  readCached(): Promise<T> {
    if (this.pending) return this.pending;
    const pending = this.load().finally(() => {
      if (this.pending === pending) this.pending = undefined;
    });
    this.pending = pending;
    return pending;
  }

  /**
   * Changes the file under the folder's lock: `fn` gets the file as it is on disk now (so a change made
   * meanwhile by another process is never lost), changes it in place and returns what the caller needs. The file
   * is written (atomically, 0600) only when the change made a difference (or there was none and keepEmpty is set).
   */
  async change<R>(fn: (file: T) => R | Promise<R>): Promise<R> {
    await ensurePrivateDir(this.options.home.dir);
    return withLock(this.options.home.lockFile, async () => {
      const before = await readJsonFile(this.path, this.options.schema, this.options.damaged);
      const file = before ?? this.options.empty();
      const original = before === undefined && this.options.keepEmpty ? undefined : this.serialise(file);
      const result = await fn(file);
      const text = this.serialise(file);
      if (text !== original) await atomicWriteFile(this.path, text);
      this.forget();
      return result;
    });
  }

  /** Drops the cache: the next readCached() stats and reads afresh. */
  forget(): void {
    this.cached = undefined;
    this.pending = undefined;
  }

  private serialise(file: T): string {
    return `${JSON.stringify(file, null, this.options.indent ?? 2)}\n`;
  }

  private async load(): Promise<T> {
    let signature: string;
    try {
      // A synchronous stat: the token check runs it on every HTTP request, and fs/promises' stat costs ~37 µs of
      // CPU (a thread-pool round trip) against ~2 µs here, for a small local file (bench/http.mjs, 2026-12-02).
      signature = signatureOf(statSync(this.path));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      signature = 'absent';
    }
    let cached = this.cached;
    if (cached?.signature !== signature) {
      let outcome: Outcome<T>;
      try {
        outcome = { ok: true, value: signature === 'absent' ? this.options.empty() : await this.read() };
      } catch (error) {
        // A damaged or refused file stays refused until it changes; a passing failure of the read itself (EIO,
        // EMFILE) is not remembered, so the next request reads again.
        if (!(error instanceof SetupError)) throw error;
        outcome = { ok: false, error };
      }
      cached = this.cached = { signature, outcome };
    }
    const { outcome } = cached;
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }
}

/**
 * The usual words for a damaged file of ours: what it should have been (`what`: "a tokens file"), and what to do
 * about it when it is not JSON at all (`fix`).
 */
export function damagedFile(path: string, what: string, fix: string): (damage: JsonDamage) => SetupError {
  return (damage) => new SetupError(damage.kind === 'syntax' ? `${path} is not valid JSON. ${fix}` : `${path} is not ${what} this version understands (${damage.detail}).`);
}
