import { hostname } from 'node:os';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { SetupError } from '../stripe/errors.js';
import { processAlive } from './fsutil.js';

interface LockOwner {
  pid: number;
  host: string;
  at: number;
}

export interface LockOptions {
  /** How long to wait for another process to finish (default 15 s). */
  timeoutMs?: number;
  /** A lock older than this is taken to be left by a crashed process (default 2 minutes). */
  staleMs?: number;
}

/**
 * Runs `fn` while holding an exclusive lock file (created with O_EXCL), so two processes changing connections
 * at once take turns: each re-reads the state under the lock, so neither loses the other's change. A lock whose
 * process is gone (same host) or that is older than `staleMs` is taken over.
 */
export async function withLock<T>(lockFile: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const staleMs = options.staleMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  const me: LockOwner = { pid: process.pid, host: hostname(), at: Date.now() };
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockFile, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify(me));
      } finally {
        await handle.close();
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await readOwner(lockFile);
    if (holder === 'gone') continue;
    if (isStale(holder, staleMs)) {
      await unlink(lockFile).catch(() => {});
      continue;
    }
    if (Date.now() > deadline) {
      const who = holder.owner ? `process ${holder.owner.pid} on ${holder.owner.host} since ${new Date(holder.owner.at).toISOString()}` : 'an unknown process';
      throw new SetupError(
        `Another stripe-readonly-mcp is changing connections (lock file ${lockFile}, held by ${who}). Try again in a moment; ` +
          `if no such process is running, delete the lock file: rm '${lockFile}'`,
      );
    }
    await new Promise((r) => setTimeout(r, 25 + Math.random() * 50 + Math.min(attempt, 10) * 10));
  }
  try {
    return await fn();
  } finally {
    await unlink(lockFile).catch(() => {});
  }
}

async function readOwner(lockFile: string): Promise<'gone' | { owner: LockOwner | null; mtimeMs: number }> {
  try {
    const [text, info] = await Promise.all([readFile(lockFile, 'utf8'), stat(lockFile)]);
    let owner: LockOwner | null = null;
    try {
      const parsed = JSON.parse(text) as Partial<LockOwner>;
      if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.at === 'number') owner = parsed as LockOwner;
    } catch {
      owner = null; // a holder killed between creating and writing it
    }
    return { owner, mtimeMs: info.mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw err;
  }
}

function isStale(holder: { owner: LockOwner | null; mtimeMs: number }, staleMs: number): boolean {
  const age = Date.now() - holder.mtimeMs;
  if (!holder.owner) return age > 5_000;
  if (holder.owner.host === hostname() && !processAlive(holder.owner.pid)) return true;
  return age > staleMs;
}
