/**
 * What the built-in authorization server keeps across restarts, beside connections.json (0600 files in the 0700
 * folder, atomic writes under the folder's lock):
 * - authserver.json: its issuer URL (so `users link` can print a link), its token-signing key and cookie keys;
 * - oauth-state.json: registered clients, grants and refresh tokens (oidc-provider's Adapter interface).
 * Short-lived records (interactions, browser sessions, authorization codes) stay in this process's memory: a
 * restart only makes a person start an in-progress sign-in again. Several replicas need one shared store for all
 * of these (a new Adapter) or sticky sessions; see the README.
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { damagedFile, LockedJsonStore, readJsonFile } from '../../../connections/json-store.js';
import type { HomePaths } from '../../../connections/paths.js';

const serverFile = z.object({
  version: z.literal(1),
  issuer: z.string().nullable(),
  /** Private signing JWKs (RS256); the first signs. */
  signingKeys: z.array(z.record(z.string(), z.unknown())).min(1),
  cookieKeys: z.array(z.string()).min(1),
});
export type AuthServerState = z.infer<typeof serverFile>;

export const serverStatePath = (paths: HomePaths) => join(paths.dir, 'authserver.json');
export const oauthStatePath = (paths: HomePaths) => join(paths.dir, 'oauth-state.json');

const damaged = (path: string) => damagedFile(path, 'a file', 'Move it away to start the sign-in server afresh (clients will register again).');

/** The issuer the server last ran as (for `users link`), or undefined. */
export async function readIssuer(paths: HomePaths): Promise<string | undefined> {
  const path = serverStatePath(paths);
  return (await readJsonFile(path, serverFile, damaged(path)))?.issuer ?? undefined;
}

function newSigningKey(): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

/** Reads the keys (made on first start) and records the issuer (the file is written only when that changes it). */
export async function loadServerState(paths: HomePaths, issuer: string): Promise<AuthServerState> {
  const path = serverStatePath(paths);
  const newState = (): AuthServerState => ({ version: 1, issuer, signingKeys: [newSigningKey()], cookieKeys: [randomBytes(32).toString('base64url')] });
  const store = new LockedJsonStore({ home: paths, path, schema: serverFile, empty: newState, keepEmpty: true, damaged: damaged(path) });
  return store.change((state) => {
    state.issuer = issuer;
    return state;
  });
}

/** The models that must survive a restart; the rest live in memory. */
const PERSISTED = new Set(['Client', 'Grant', 'RefreshToken']);

interface StoredRecord {
  payload: Record<string, unknown>;
  /** Epoch ms; null: never. */
  expiresAt: number | null;
}
const stateFile = z.object({
  version: z.literal(1),
  models: z.record(z.string(), z.record(z.string(), z.object({ payload: z.record(z.string(), z.unknown()), expiresAt: z.number().nullable() }))),
});
type StateFile = z.infer<typeof stateFile>;

/** oidc-provider's Adapter contract (the whole of it: a small surface a shared store can implement later). */
export interface Adapter {
  upsert(id: string, payload: Record<string, unknown>, expiresIn?: number): Promise<void>;
  find(id: string): Promise<Record<string, unknown> | undefined>;
  findByUserCode(userCode: string): Promise<Record<string, unknown> | undefined>;
  findByUid(uid: string): Promise<Record<string, unknown> | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

/** The state file, read through a stat-keyed cache and changed under the lock (read, change, atomic write). */
export class StateFileStore {
  readonly path: string;
  private readonly store: LockedJsonStore<StateFile>;

  constructor(paths: HomePaths) {
    this.path = oauthStatePath(paths);
    // On one line: only the server reads it, and it grows with every client and grant.
    this.store = new LockedJsonStore({ home: paths, path: this.path, schema: stateFile, empty: () => ({ version: 1, models: {} }), damaged: damaged(this.path), indent: 0 });
  }

  read(): Promise<StateFile> {
    return this.store.readCached();
  }

  /** Changes the file as it is on disk now; expired records are dropped on the way. */
  async change(fn: (file: StateFile) => void): Promise<void> {
    await this.store.change((file) => {
      const now = Date.now();
      for (const records of Object.values(file.models)) {
        for (const [id, r] of Object.entries(records)) if (r.expiresAt !== null && r.expiresAt <= now) delete records[id];
      }
      fn(file);
    });
  }

  /** Whether the person still has a grant for the client (revocation, or a reused refresh token, removes it). */
  async hasGrant(accountId: string, clientId: string): Promise<boolean> {
    const now = Date.now();
    return Object.values((await this.read()).models.Grant ?? {}).some((r) => r.payload.accountId === accountId && r.payload.clientId === clientId && (r.expiresAt === null || r.expiresAt > now));
  }

  /** The clients holding grants, for the connections page: who let them read what. */
  async listClients(): Promise<{ id: string; name?: string | undefined; redirectHosts: string[]; users: string[]; scopes: string[] }[]> {
    const { models } = await this.read();
    const byClient = new Map<string, { users: Set<string>; scopes: Set<string> }>();
    for (const r of Object.values(models.Grant ?? {})) {
      const id = String(r.payload.clientId);
      const entry = byClient.get(id) ?? { users: new Set(), scopes: new Set() };
      entry.users.add(String(r.payload.accountId));
      for (const scope of Object.values((r.payload.resources ?? {}) as Record<string, string>)) for (const s of scope.split(' ')) if (s) entry.scopes.add(s);
      byClient.set(id, entry);
    }
    const clients = models.Client ?? {};
    return [...byClient].map(([id, e]) => {
      const meta = clients[fileKey(id)]?.payload;
      const hosts = ((meta?.redirect_uris ?? []) as string[]).map((u) => URL.parse(u)?.host || u);
      return { id, name: typeof meta?.client_name === 'string' ? meta.client_name : undefined, redirectHosts: [...new Set(hosts)], users: [...e.users], scopes: [...e.scopes] };
    });
  }

  /** Ends every grant and refresh token of the client; false when it held none. */
  async revokeClient(clientId: string): Promise<boolean> {
    let found = false;
    await this.change((file) => {
      for (const model of ['Grant', 'RefreshToken']) {
        const records = file.models[model] ?? {};
        for (const [id, r] of Object.entries(records)) {
          if (r.payload.clientId === clientId) {
            delete records[id];
            found = true;
          }
        }
      }
    });
    return found;
  }

  /** Drops every record of a person (users remove): their grants and refresh tokens. */
  async forgetAccount(accountId: string): Promise<void> {
    await this.change((file) => {
      for (const records of Object.values(file.models)) {
        for (const [id, r] of Object.entries(records)) if (r.payload.accountId === accountId) delete records[id];
      }
    });
  }
}

/**
 * An opaque token's id is the token itself (oidc-provider's refresh tokens): the file keeps only its SHA-256, and
 * the payload's copy (`jti`) is left out, so a copied state file holds no usable refresh token.
 */
const fileKey = (id: string) => createHash('sha256').update(id).digest('base64url');

/**
 * A confidential client's secret (Claude's connector registers with client_secret_post) is kept as its SHA-256,
 * marked so, like a refresh token: a copied state file holds no usable secret. Secrets are random and long (oidc-provider
 * makes them), so an unsalted digest is enough; createProvider compares digests (secretDigest).
 */
export const SECRET_DIGEST_PREFIX = 'sha256:';
export const secretDigest = (secret: string) => `${SECRET_DIGEST_PREFIX}${createHash('sha256').update(secret).digest('base64url')}`;
const withSecretDigested = (payload: Record<string, unknown>) =>
  typeof payload.client_secret === 'string' && !payload.client_secret.startsWith(SECRET_DIGEST_PREFIX) ? { ...payload, client_secret: secretDigest(payload.client_secret) } : payload;

/** A class oidc-provider instantiates per model name: persisted models go to the file, the rest to memory. */
export function adapterFactory(store: StateFileStore): new (model: string) => Adapter {
  const memory = new Map<string, Map<string, StoredRecord>>();
  return class FileOrMemoryAdapter implements Adapter {
    private readonly persisted: boolean;
    constructor(private readonly model: string) {
      this.persisted = PERSISTED.has(model);
      if (!memory.has(model)) memory.set(model, new Map());
    }

    private async records(): Promise<Map<string, StoredRecord> | Record<string, StoredRecord>> {
      if (!this.persisted) return memory.get(this.model)!;
      return (await store.read()).models[this.model] ?? {};
    }

    private async all(): Promise<[string, StoredRecord][]> {
      const records = await this.records();
      const now = Date.now();
      const entries = records instanceof Map ? [...records.entries()] : Object.entries(records);
      return entries.filter(([, r]) => r.expiresAt === null || r.expiresAt > now);
    }

    private async write(fn: (records: Map<string, StoredRecord> | Record<string, StoredRecord>) => void): Promise<void> {
      if (!this.persisted) return fn(memory.get(this.model)!);
      await store.change((file) => fn((file.models[this.model] ??= {})));
    }

    private key(id: string): string {
      return this.persisted ? fileKey(id) : id;
    }

    async upsert(id: string, payload: Record<string, unknown>, expiresIn?: number): Promise<void> {
      const kept = this.model === 'Client' ? withSecretDigested(payload) : this.persisted ? { ...payload, jti: undefined } : payload;
      const record: StoredRecord = { payload: kept, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : null };
      const key = this.key(id);
      await this.write((r) => (r instanceof Map ? r.set(key, record) : (r[key] = record)));
    }

    async find(id: string) {
      const key = this.key(id);
      const payload = (await this.all()).find(([k]) => k === key)?.[1].payload;
      return payload && this.persisted && this.model !== 'Client' ? { ...payload, jti: id } : payload;
    }

    async findByUserCode(userCode: string) {
      return (await this.all()).find(([, r]) => r.payload.userCode === userCode)?.[1].payload;
    }

    async findByUid(uid: string) {
      return (await this.all()).find(([, r]) => r.payload.uid === uid)?.[1].payload;
    }

    async consume(id: string): Promise<void> {
      const key = this.key(id);
      await this.write((r) => {
        const record = r instanceof Map ? r.get(key) : r[key];
        if (record) record.payload = { ...record.payload, consumed: Math.floor(Date.now() / 1000) };
      });
    }

    async destroy(id: string): Promise<void> {
      const key = this.key(id);
      await this.write((r) => (r instanceof Map ? r.delete(key) : delete r[key]));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await this.write((r) => {
        const entries = r instanceof Map ? [...r.entries()] : Object.entries(r);
        for (const [id, record] of entries) if (record.payload.grantId === grantId) r instanceof Map ? r.delete(id) : delete r[id];
      });
    }
  };
}
