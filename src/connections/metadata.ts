import { z } from 'zod';
import { SetupError } from '../stripe/errors.js';
import { MODES, type Mode } from '../stripe/keys.js';
import { atomicWriteFile, ensurePrivateDir, type AtomicWriteHooks } from './fsutil.js';
import { readJsonFile, type JsonDamage } from './json-store.js';
import type { HomePaths } from './paths.js';

/** Names a user gives connections: short, safe in a keychain entry, a file and a command line. */
export const CONNECTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;
/** Taken by STRIPE_API_KEY's connection and by --demo. */
export const RESERVED_NAMES = ['env', 'demo'] as const;

export function checkConnectionName(name: string): void {
  if (!CONNECTION_NAME.test(name)) {
    throw new SetupError(
      `"${name}" cannot be a connection name: use 1–40 letters, digits, "-", "_" or ".", starting with a letter or digit (e.g. acme, acme-prod).`,
    );
  }
  if ((RESERVED_NAMES as readonly string[]).includes(name)) {
    throw new SetupError(`"${name}" is reserved (${name === 'env' ? 'STRIPE_API_KEY is served as the connection "env"' : '--demo serves the connection "demo"'}); choose another name.`);
  }
}

export const STORE_KINDS = ['keychain', 'file'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** What verification learned about one mode's key; the key itself is never here. */
const modeRecord = z.object({
  /** Which store holds the key. */
  store: z.enum(STORE_KINDS),
  /** Names the key's entry in that store (a fresh id per stored key, so rotation never overwrites in place). */
  keyId: z.string().regex(/^[0-9a-f]{8,32}$/),
  /** `rk_live_…wxyz`: prefix and last four characters. */
  keyHint: z.string().max(40),
  keyKind: z.enum(['restricted', 'secret']),
  accountId: z.string().nullable(),
  businessName: z.string().nullable(),
  currency: z.string().nullable(),
  /** ISO 8601 time of the last successful verification. */
  verifiedAt: z.string(),
  /** Set when the account could not be read (e.g. "Connected, but account info not available"). */
  accountNote: z.string().optional(),
});
export type ModeRecord = z.infer<typeof modeRecord>;

const connectionRecord = z.object({
  defaultMode: z.enum(MODES).optional(),
  test: modeRecord.optional(),
  live: modeRecord.optional(),
});
export type ConnectionRecord = z.infer<typeof connectionRecord>;

const metadataSchema = z.object({
  version: z.literal(1),
  /** The connection a call uses when it names none. */
  default: z.string().nullable().default(null),
  connections: z.record(z.string().regex(CONNECTION_NAME), connectionRecord).default({}),
});
export type Metadata = z.infer<typeof metadataSchema>;

export function emptyMetadata(): Metadata {
  return { version: 1, default: null, connections: {} };
}

export function modesOf(record: ConnectionRecord): Mode[] {
  return MODES.filter((m) => record[m] !== undefined);
}

/** connections.json, or an empty set when there is none yet. A damaged file is an error: nothing is overwritten. */
export async function readMetadata(paths: HomePaths): Promise<Metadata> {
  const damage = ({ kind, detail }: JsonDamage) => damaged(paths.connectionsFile, kind === 'syntax' ? `not valid JSON: ${detail}` : detail);
  return (await readJsonFile(paths.connectionsFile, metadataSchema, damage)) ?? emptyMetadata();
}

function damaged(file: string, why: string): SetupError {
  return new SetupError(
    `${file} is damaged (${why}). Nothing was changed. Repair it, or move it aside (mv '${file}' '${file}.bak') and add the connections again; ` +
      'the keys themselves are still in their store.',
  );
}

/** Call only while holding the folder's lock. */
export async function writeMetadata(paths: HomePaths, metadata: Metadata, hooks?: AtomicWriteHooks): Promise<void> {
  await ensurePrivateDir(paths.dir);
  await atomicWriteFile(paths.connectionsFile, `${JSON.stringify(metadata, null, 2)}\n`, hooks);
}

/** The connection a call with no name goes to among the stored ones: the marked default, else the only one. */
export function storedDefault(metadata: Metadata): string | undefined {
  if (metadata.default && metadata.connections[metadata.default]) return metadata.default;
  const names = Object.keys(metadata.connections);
  return names.length === 1 ? names[0] : undefined;
}
