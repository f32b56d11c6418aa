/**
 * People who may sign in to the built-in authorization server (`users add|list|remove|link`), kept in users.json
 * beside connections.json (0600 in the 0700 folder, atomic writes under the folder's lock, like tokens.json).
 * Passwords are scrypt hashes (node:crypto; a slow, memory-hard KDF: a copied file does not give passwords back
 * cheaply); one-time sign-in links are stored as SHA-256 of a random 32-byte secret, consumed on first use.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { damagedFile, LockedJsonStore } from '../../../connections/json-store.js';
import { CONNECTION_NAME } from '../../../connections/metadata.js';
import type { HomePaths } from '../../../connections/paths.js';
import { SetupError } from '../../../stripe/errors.js';
import { MODES, type Mode } from '../../../stripe/keys.js';
import type { Grant } from '../access.js';

export const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;
/** Sign-in links start so: our log redaction (`srmcp_…`) masks them like tokens. */
export const LINK_PREFIX = 'srmcp_link_';
export const LINK_TTL_MS = 10 * 60_000;
export const MIN_PASSWORD_LENGTH = 10;

// OWASP's scrypt floor is N=2^17 r=8 p=1; 2^15 keeps a sign-in near 50 ms on a small machine while still ~32 MiB per guess.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 };

const grantSchema = z.object({ connection: z.string().regex(CONNECTION_NAME).nullable(), mode: z.enum(MODES) });
const userRecord = z.object({
  name: z.string().regex(USER_NAME),
  /** `scrypt$N$r$p$salt$hash` (base64url); null: no password yet (sign-in links only). */
  password: z.string().nullable(),
  manageConnections: z.boolean(),
  grants: z.array(grantSchema),
  /** One-time sign-in links not used yet: SHA-256 of the secret, and when it stops working. */
  links: z.array(z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), expiresAt: z.number() })).default([]),
  createdAt: z.string(),
});
export type UserRecord = z.infer<typeof userRecord>;
const usersFile = z.object({ version: z.literal(1), users: z.array(userRecord).default([]) });
type UsersFile = z.infer<typeof usersFile>;

export function usersPath(paths: HomePaths): string {
  return join(paths.dir, 'users.json');
}

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p, keyLength } = SCRYPT;
  const hash = await scrypt(password, salt, keyLength, { N, r, p, maxmem: 128 * N * r * 2 });
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** Constant-time check; a missing hash still costs one scrypt, so timing does not tell who exists. */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const parts = (stored ?? '').split('$');
  const [kind, n, r, p, salt, hash] = parts;
  const valid = parts.length === 6 && kind === 'scrypt';
  const N = valid ? Number(n) : SCRYPT.N;
  const R = valid ? Number(r) : SCRYPT.r;
  const P = valid ? Number(p) : SCRYPT.p;
  const expected = valid ? Buffer.from(hash!, 'base64url') : Buffer.alloc(SCRYPT.keyLength);
  const actual = await scrypt(password, valid ? Buffer.from(salt!, 'base64url') : Buffer.alloc(16), expected.length || 32, { N, r: R, p: P, maxmem: 128 * N * R * 2 });
  return valid && actual.length === expected.length && timingSafeEqual(actual, expected);
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export interface NewUser {
  connection?: string | undefined;
  mode?: Mode | undefined;
  manageConnections?: boolean;
  /** Omitted: the person signs in with one-time links only until a password is set. */
  password?: string | undefined;
}

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new SetupError(`The password is too short: use at least ${MIN_PASSWORD_LENGTH} characters (a few words work well).`);
  if (password.length > 1024) throw new SetupError('The password is too long (at most 1024 characters).');
}

/**
 * users.json, for the CLI and the server alike: every change re-reads the file under the folder's lock, so the
 * CLI and any number of running servers never lose one another's changes. Reads re-check the file's stat, so a
 * `users remove` takes effect on the next request.
 */
export class UserStore {
  readonly path: string;
  private readonly store: LockedJsonStore<UsersFile>;

  constructor(paths: HomePaths) {
    this.path = usersPath(paths);
    this.store = new LockedJsonStore({
      home: paths,
      path: this.path,
      schema: usersFile,
      empty: () => ({ version: 1, users: [] }),
      damaged: damagedFile(this.path, 'a users file', 'Fix it, or move it away and add the users again (stripe-readonly-mcp users add NAME).'),
    });
  }

  async list(): Promise<UserRecord[]> {
    return (await this.store.readCached()).users;
  }

  async get(name: string): Promise<UserRecord | undefined> {
    return (await this.store.readCached()).users.find((u) => u.name === name);
  }

  async add(name: string, user: NewUser): Promise<UserRecord> {
    if (!USER_NAME.test(name)) {
      throw new SetupError(`"${name}" cannot be a user name: use 1–64 letters, digits, "-", "_", ".", "@", starting with a letter or digit (e.g. alice, bob@example.com).`);
    }
    if (user.connection !== undefined && /^(sk|rk|pk)_(test|live|org)/.test(user.connection)) {
      throw new SetupError('That is a Stripe key, not a connection name: keys never go in users.json. Give the name of a stored connection (stripe-readonly-mcp connections list).');
    }
    if (user.connection !== undefined && !CONNECTION_NAME.test(user.connection)) {
      throw new SetupError(`"${user.connection}" is not a connection name (1–40 letters, digits, "-", "_" or ".").`);
    }
    if (user.password !== undefined) checkPassword(user.password);
    const password = user.password === undefined ? null : await hashPassword(user.password);
    const grants: Grant[] = (user.mode ? [user.mode] : [...MODES]).map((mode) => ({ mode, connection: user.connection ?? null }));
    return this.store.change(async (file) => {
      if (file.users.some((u) => u.name === name)) {
        throw new SetupError(`There is already a user named "${name}". Remove it first (stripe-readonly-mcp users remove ${name}) or choose another name.`);
      }
      const record: UserRecord = { name, password, manageConnections: user.manageConnections === true, grants, links: [], createdAt: new Date().toISOString() };
      file.users.push(record);
      return record;
    });
  }

  async remove(name: string): Promise<boolean> {
    return this.store.change(async (file) => {
      const before = file.users.length;
      file.users = file.users.filter((u) => u.name !== name);
      return file.users.length !== before;
    });
  }

  async setPassword(name: string, password: string): Promise<boolean> {
    checkPassword(password);
    const hash = await hashPassword(password);
    return this.store.change(async (file) => {
      const user = file.users.find((u) => u.name === name);
      if (user) user.password = hash;
      return user !== undefined;
    });
  }

  /** A fresh one-time sign-in secret for the person (undefined: no such user). Earlier unused links stay valid until they expire. */
  async createLink(name: string, now = Date.now()): Promise<{ secret: string; expiresAt: number } | undefined> {
    const secret = `${LINK_PREFIX}${randomBytes(32).toString('base64url')}`;
    const expiresAt = now + LINK_TTL_MS;
    const made = await this.store.change(async (file) => {
      const user = file.users.find((u) => u.name === name);
      if (!user) return false;
      user.links = [...user.links.filter((l) => l.expiresAt > now), { sha256: sha256(secret), expiresAt }];
      return true;
    });
    return made ? { secret, expiresAt } : undefined;
  }

  /** Who a link signs in, without using it up (for the page that asks to confirm). */
  async peekLink(secret: string, now = Date.now()): Promise<UserRecord | undefined> {
    if (!secret.startsWith(LINK_PREFIX)) return undefined;
    const digest = sha256(secret);
    return (await this.store.readCached()).users.find((u) => u.links.some((l) => l.sha256 === digest && l.expiresAt > now));
  }

  /** Uses a link up: the person it signs in, once; undefined when unknown, used or expired. */
  async consumeLink(secret: string, now = Date.now()): Promise<UserRecord | undefined> {
    if (!secret.startsWith(LINK_PREFIX)) return undefined;
    const digest = sha256(secret);
    if (!(await this.peekLink(secret, now))) return undefined;
    return this.store.change(async (file) => {
      const user = file.users.find((u) => u.links.some((l) => l.sha256 === digest && l.expiresAt > now));
      if (!user) return undefined;
      user.links = user.links.filter((l) => l.sha256 !== digest && l.expiresAt > now);
      return user;
    });
  }
}
