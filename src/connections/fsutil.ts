import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync } from 'node:fs';
import { chmod, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SetupError } from '../stripe/errors.js';

/** A file or folder of ours whose permissions would let other users read it: refused with the fix. */
export class LoosePermissionsError extends SetupError {
  override name = 'LoosePermissionsError';
  constructor(
    readonly path: string,
    readonly fix: string,
    mode: number,
    what: string,
  ) {
    super(
      `Refusing to use ${what} ${path}: its permissions (${(mode & 0o777).toString(8).padStart(3, '0')}) let other users on this machine ` +
        `read or change it. Fix it with: ${fix}`,
    );
  }
}

const POSIX = process.platform !== 'win32';

/**
 * Our folder must be 0700 and our files 0600 (group and others get nothing), and owned by us. Windows has no
 * mode bits to check; there the folder sits in the user's own profile.
 */
export async function checkPrivate(path: string, kind: 'file' | 'dir'): Promise<boolean> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  const what = kind === 'dir' ? 'the folder' : 'the file';
  if (kind === 'file' && !info.isFile()) {
    throw new SetupError(
      `${path} is ${info.isDirectory() ? 'a folder' : 'not a regular file'}, not a file, so it cannot be read. Nothing was changed. ` +
        `Move it aside (mv '${path}' '${path}.bak'), then run the command again.`,
    );
  }
  if (kind === 'dir' && !info.isDirectory()) {
    throw new SetupError(`${path} is a file, not a folder. Nothing was changed. Move it aside (mv '${path}' '${path}.bak'), or point STRIPE_MCP_HOME elsewhere.`);
  }
  if (!POSIX) return true;
  if (typeof process.getuid === 'function' && info.uid !== process.getuid()) {
    throw new SetupError(`Refusing to use ${what} ${path}: it belongs to another user (uid ${info.uid}). Use your own folder (STRIPE_MCP_HOME) or fix the owner with: chown ${process.getuid()} '${path}'`);
  }
  if ((info.mode & 0o077) !== 0) {
    throw new LoosePermissionsError(path, `chmod ${kind === 'dir' ? '700' : '600'} '${path}'`, info.mode, what);
  }
  return true;
}

/** Creates the folder (and parents) private to the user; an existing folder must already be private. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  if (await checkPrivate(dir, 'dir')) return;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (POSIX) await chmod(dir, 0o700);
}

/** The file's text, or undefined when it does not exist; a file others can read is refused. */
export async function readPrivateFile(path: string): Promise<string | undefined> {
  if (!(await checkPrivate(path, 'file'))) return undefined;
  return readFile(path, 'utf8');
}

export interface AtomicWriteHooks {
  /** Runs after the temporary file is written and synced, before it replaces the old one (crash tests). */
  beforeRename?: (tempPath: string) => Promise<void> | void;
}

const TEMP_SUFFIX = '.tmp';

/**
 * Replaces `path` with `data` so that a reader (or a crash at any instant) sees the old file or the new one,
 * never a mix: a fresh 0600 temporary file beside it, written and fsynced, renamed over the old one, and the
 * folder fsynced so the rename itself survives a power cut.
 */
export async function atomicWriteFile(path: string, data: string, hooks: AtomicWriteHooks = {}): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await hooks.beforeRename?.(temp);
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => {});
    throw err;
  }
  syncDir(dir);
}

function syncDir(dir: string): void {
  if (!POSIX) return;
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems cannot fsync a folder; the rename is still atomic.
  }
}

/** Temporary files left by a writer that was killed (only called while holding the lock). */
export async function removeStaleTemps(dir: string): Promise<void> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid && !processAlive(pid)) await unlink(join(dir, name)).catch(() => {});
  }
}

export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
