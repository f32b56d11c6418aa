import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { mkdir, open, readdir, readFile, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { SetupError } from '../stripe/errors.js';
import { processAlive } from './fsutil.js';

export interface LockOptions {
  /** How long to wait for another process to finish (default 15 s). */
  timeoutMs?: number;
  /** A claim from another host whose file was not touched for this long is taken to be left by a crash (default 2 minutes). */
  staleMs?: number;
}

/** A contender's claim: `TICKET-RANDOM.PID@HOST` (the name says who made it; the file has no content to lose). */
interface Claim {
  name: string;
  ticket: number;
  pid: number;
  host: string;
}

const HOST = hostname().replace(/[^A-Za-z0-9.-]/g, '_').slice(0, 64) || 'host';
const CLAIM = /^(\d{13,})-([0-9a-f]{8})\.(\d+)@([A-Za-z0-9._-]+)$/;

function parseClaim(name: string): Claim | null {
  const m = CLAIM.exec(name);
  return m ? { name, ticket: Number(m[1]), pid: Number(m[3]), host: m[4]! } : null;
}

/**
 * Runs `fn` while holding the folder's lock, so two processes changing connections take turns (each re-reads the
 * state under the lock, so neither loses the other's change).
 *
 * The lock is a folder of claims. A contender writes its own claim file, then lists the folder: it holds the lock
 * only when no other live claim is there. Two contenders that claim at once both see each other; the older ticket
 * keeps its claim, the younger withdraws and waits, so one of them goes ahead. Nothing is ever deleted on a guess:
 * only claims of a process known dead (same host, pid gone) or, from another host, untouched for `staleMs` (a
 * holder touches its claim while it works). A dead holder's claim is removed by whoever sees it, which can never
 * remove a live one, so a stale lock cannot let two writers in (issue 11: the old read-owner, is-stale, unlink
 * sequence could delete a lock another waiter had just taken).
 */
export async function withLock<T>(lockPath: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const staleMs = options.staleMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  const ticket = Date.now();
  const mine = `${ticket}-${randomBytes(4).toString('hex')}.${process.pid}@${HOST}`;
  const myPath = join(lockPath, mine);
  let claimed = false;
  try {
    for (let attempt = 0; ; attempt++) {
      const legacy = await prepareFolder(lockPath, staleMs);
      let others = legacy ? [legacy] : await liveClaims(lockPath, mine, staleMs);
      const older = (c: Claim) => c.ticket < ticket || (c.ticket === ticket && c.name < mine);
      // Claim when no one is here, or when every claim here is younger (first come, first served).
      if (!legacy && !claimed && !others.some(older)) {
        try {
          await (await open(myPath, 'wx', 0o600)).close();
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // the folder was just being made: again
          throw err;
        }
        claimed = true;
        others = await liveClaims(lockPath, mine, staleMs);
      }
      if (claimed && others.length === 0) break; // listed after claiming and saw no one else: ours
      if (claimed && others.some(older)) {
        // Someone older is here (holding, or about to): withdraw, so the two of us cannot both wait forever.
        await unlink(myPath).catch(() => {});
        claimed = false;
      }
      if (Date.now() > deadline) throw lockTimeout(lockPath, others);
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 40 + Math.min(attempt, 10) * 5));
    }
    // Keep the claim fresh for processes on other hosts (a shared home folder) while fn runs.
    const heartbeat = setInterval(() => {
      const now = new Date();
      utimes(myPath, now, now).catch(() => {});
    }, Math.max(1_000, staleMs / 4));
    heartbeat.unref();
    try {
      return await fn();
    } finally {
      clearInterval(heartbeat);
    }
  } finally {
    if (claimed) await unlink(myPath).catch(() => {});
  }
}

/**
 * The lock folder exists. A lock *file* left by an older version is moved away once its process is gone; while
 * that process lives, it is returned as the holder to wait for.
 */
async function prepareFolder(lockPath: string, staleMs: number): Promise<Claim | null> {
  for (;;) {
    try {
      await mkdir(lockPath, { mode: 0o700 });
      return null;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const info = await stat(lockPath).catch(() => null);
    if (!info) continue; // removed meanwhile: make the folder
    if (info.isDirectory()) return null;
    const legacy = await readLegacyOwner(lockPath);
    const age = Date.now() - info.mtimeMs;
    const dead = legacy ? (legacy.host === hostname() && !processAlive(legacy.pid)) || age > staleMs : age > 5_000;
    if (!dead) return { name: '', ticket: legacy?.at ?? info.mtimeMs, pid: legacy?.pid ?? 0, host: legacy?.host ?? 'unknown' };
    // unlink removes only a file: if another process already replaced it with the folder, this fails harmlessly.
    await unlink(lockPath).catch(() => {});
  }
}

async function readLegacyOwner(lockPath: string): Promise<{ pid: number; host: string; at: number } | null> {
  try {
    const parsed = JSON.parse(await readFile(lockPath, 'utf8')) as { pid?: unknown; host?: unknown; at?: unknown };
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.at === 'number') return { pid: parsed.pid, host: parsed.host, at: parsed.at };
  } catch {
    // unreadable or half-written: judged by age
  }
  return null;
}

/** Other claims whose process may be alive; claims of dead processes are removed on the way. */
async function liveClaims(lockPath: string, mine: string, staleMs: number): Promise<Claim[]> {
  let names: string[];
  try {
    names = await readdir(lockPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw err;
  }
  const live: Claim[] = [];
  for (const name of names) {
    if (name === mine) continue;
    const claim = parseClaim(name);
    if (!claim) continue; // not a claim (a stray file): it must not block anyone
    const path = join(lockPath, name);
    const info = await stat(path).catch(() => null);
    if (!info) continue; // withdrawn meanwhile
    // Stale only when surely so: its process is gone (same host), or it was not touched for staleMs (a holder
    // touches its claim while it works; this also covers a dead holder's pid taken by another process).
    const dead = (claim.host === HOST && !processAlive(claim.pid)) || Date.now() - info.mtimeMs > staleMs;
    if (dead) await unlink(path).catch(() => {});
    else live.push(claim);
  }
  return live;
}

function lockTimeout(lockPath: string, others: Claim[]): SetupError {
  const holder = others.slice().sort((a, b) => a.ticket - b.ticket)[0];
  const who = holder ? `process ${holder.pid} on ${holder.host} since ${new Date(holder.ticket).toISOString()}` : 'an unknown process';
  const file = holder?.name ? join(lockPath, holder.name) : lockPath;
  return new SetupError(
    `Another stripe-readonly-mcp is changing connections (lock file ${lockPath}, held by ${who}). Try again in a moment; ` +
      `if no such process is running, delete its claim: rm '${file}'`,
  );
}
