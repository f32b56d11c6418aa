/**
 * Static bearer tokens for `serve --http` (teams and editors that send a header). A token is 32 random bytes
 * shown once by `tokens create`; only its SHA-256 is stored, in `tokens.json` beside connections.json (0600, in
 * the 0700 folder), so the file can be copied to every replica and a leaked file reveals no usable token.
 * SHA-256 without a salt is the right hash here: the tokens are random and long, so there is nothing to guess.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { damagedFile, LockedJsonStore } from '../../connections/json-store.js';
import { CONNECTION_NAME } from '../../connections/metadata.js';
import type { HomePaths } from '../../connections/paths.js';
import { SetupError } from '../../stripe/errors.js';
import { MODES, type Mode } from '../../stripe/keys.js';

/** Every static token starts so; secret scanners and our own log redaction recognise it. */
export const TOKEN_PREFIX = 'srmcp_';
const TOKEN_PATTERN = /^srmcp_[A-Za-z0-9_-]{43}$/;
const ANY_TOKEN = /srmcp_[A-Za-z0-9_-]{4,}/g;
/** Token names: like connection names. */
export const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;

const tokenRecord = z.object({
  name: z.string().regex(TOKEN_NAME),
  /** Hex SHA-256 of the whole token. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** `srmcp_…wxyz`: recognisable, not usable. */
  hint: z.string().max(20),
  /** Only this connection (null: every connection the server serves). */
  connection: z.string().regex(CONNECTION_NAME).nullable(),
  /** Only this mode (null: both). */
  mode: z.enum(MODES).nullable(),
  createdAt: z.string(),
});
export type TokenRecord = z.infer<typeof tokenRecord>;

const tokensFile = z.object({
  version: z.literal(1),
  tokens: z.array(tokenRecord).default([]),
});
type TokensFile = z.infer<typeof tokensFile>;

export function tokensPath(paths: HomePaths): string {
  return join(paths.dir, 'tokens.json');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function tokenHint(token: string): string {
  return `${TOKEN_PREFIX}…${token.slice(-4)}`;
}

export function looksLikeStaticToken(token: string): boolean {
  return token.startsWith(TOKEN_PREFIX);
}

/** Masks anything shaped like one of our tokens (log lines, error messages). */
export function redactTokens(text: string): string {
  return text.replace(ANY_TOKEN, (t) => tokenHint(t));
}

function tokensStore(paths: HomePaths): LockedJsonStore<TokensFile> {
  const path = tokensPath(paths);
  return new LockedJsonStore({
    home: paths,
    path,
    schema: tokensFile,
    empty: () => ({ version: 1, tokens: [] }),
    damaged: damagedFile(path, 'a tokens file', 'Fix it, or move it away and create the tokens again (stripe-readonly-mcp tokens create NAME).'),
  });
}

export interface CreatedToken {
  token: string;
  record: TokenRecord;
}

/** The CLI side: create, list, revoke, each under the folder's lock so concurrent commands never lose a change. */
export class TokenAdmin {
  readonly path: string;
  private readonly store: LockedJsonStore<TokensFile>;

  constructor(paths: HomePaths) {
    this.store = tokensStore(paths);
    this.path = this.store.path;
  }

  async list(): Promise<TokenRecord[]> {
    return (await this.store.read()).tokens;
  }

  async create(name: string, grant: { connection?: string | undefined; mode?: Mode | undefined }): Promise<CreatedToken> {
    if (!TOKEN_NAME.test(name)) {
      throw new SetupError(`"${name}" cannot be a token name: use 1–64 letters, digits, "-", "_", ".", "@", starting with a letter or digit (e.g. alice, cursor-laptop).`);
    }
    // A key given where a connection name goes would be kept in plain text: refused, never echoed.
    if (grant.connection !== undefined && /^(sk|rk|pk)_(test|live|org)/.test(grant.connection)) {
      throw new SetupError('That is a Stripe key, not a connection name: keys never go in tokens.json. Give the name of a stored connection (stripe-readonly-mcp connections list).');
    }
    if (grant.connection !== undefined && !CONNECTION_NAME.test(grant.connection)) {
      throw new SetupError(`"${grant.connection}" is not a connection name (1–40 letters, digits, "-", "_" or ".").`);
    }
    return this.store.change((file) => {
      if (file.tokens.some((t) => t.name === name)) {
        throw new SetupError(`There is already a token named "${name}". Revoke it first (stripe-readonly-mcp tokens revoke ${name}) or choose another name.`);
      }
      const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      const record: TokenRecord = {
        name,
        sha256: hashToken(token),
        hint: tokenHint(token),
        connection: grant.connection ?? null,
        mode: grant.mode ?? null,
        createdAt: new Date().toISOString(),
      };
      file.tokens.push(record);
      return { token, record };
    });
  }

  /** Removes the token; true when there was one by that name. */
  async revoke(name: string): Promise<boolean> {
    if (!(await this.exists())) return false;
    return this.store.change((file) => {
      const before = file.tokens.length;
      file.tokens = file.tokens.filter((t) => t.name !== name);
      return file.tokens.length !== before;
    });
  }

  private async exists(): Promise<boolean> {
    try {
      await stat(this.path);
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * The server side: finds the record for a presented token. The file is checked for changes (a cheap stat) on
 * every lookup, so `tokens revoke` takes effect on the next request without a restart; concurrent lookups
 * share one stat.
 */
export class TokenVerifierStore {
  readonly path: string;
  private readonly store: LockedJsonStore<TokensFile>;
  private byHash = new Map<string, TokenRecord>();
  private indexed: TokensFile | undefined;
  /** Why the file could not be read (the server then accepts no static token until it can). */
  problem: string | undefined;

  constructor(paths: HomePaths) {
    this.store = tokensStore(paths);
    this.path = this.store.path;
  }

  /** How many tokens are valid right now. */
  async count(): Promise<number> {
    await this.refresh();
    return this.byHash.size;
  }

  async lookup(token: string): Promise<TokenRecord | undefined> {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    await this.refresh();
    const digest = hashToken(token);
    const record = this.byHash.get(digest);
    // The map lookup already matched; the constant-time compare is belt and braces against a lookup side channel.
    if (!record || !timingSafeEqual(Buffer.from(record.sha256, 'hex'), Buffer.from(digest, 'hex'))) return undefined;
    return record;
  }

  private async refresh(): Promise<void> {
    let file: TokensFile;
    try {
      file = await this.store.readCached();
    } catch (err) {
      // Fail closed: a file we cannot read (bad JSON, loose permissions) accepts no token at all.
      this.byHash = new Map();
      this.indexed = undefined;
      this.problem = (err as Error).message;
      return;
    }
    this.problem = undefined;
    if (file === this.indexed) return;
    this.byHash = new Map(file.tokens.map((t) => [t.sha256, t]));
    this.indexed = file;
  }
}
