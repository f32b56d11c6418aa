/** Shared by the connection and CLI tests: temporary homes, the built CLI with a key on stdin, canary checks. */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ConnectionManager } from '../../src/connections/manager.js';
import { BIN, cleanEnv } from '../helpers/spawn.js';

/** A fresh private STRIPE_MCP_HOME (its parent is made 0700 by mkdtemp). */
export function makeHome(): { root: string; home: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'srm-conn-'));
  return { root, home: join(root, 'home'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Where no keychain answers on Linux (tests that must use the file's own master key file). */
export const NO_DBUS = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/stripe-readonly-mcp-test' };

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The child's argv as the kernel has it (/proc/PID/cmdline), NUL-separated. */
  argv: string;
  /** Command lines of every process that was a descendant of the child while it ran (sampled). */
  descendants: string[];
}

export interface CliOptions {
  env?: Record<string, string>;
  /** Written to stdin, then stdin is closed. */
  input?: string;
  /** Kill the child after this many ms. */
  killAfterMs?: number;
  /** Another copy of the entry point (e.g. a package without keytar). */
  bin?: string;
}

function readCmdline(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined;
  }
}

/** The pids in /proc now (Linux); none elsewhere. */
function livePids(): number[] {
  try {
    return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return [];
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined; // gone
  }
}

/**
 * Samples the processes under `root` (Linux /proc) while it runs. A process's parent is read once, when its pid is
 * first seen: a parent never changes but by reparenting to init, and pids are not reused within one CLI run. Reading
 * every process's stat on every sample cost the test worker about 60 ms of CPU per run of the CLI.
 */
export function descendantSampler(root: number): { sample: () => void; commandLines: () => string[] } {
  const parents = new Map<number, number | undefined>();
  const seen = new Set<string>();
  const isUnderRoot = (pid: number) => {
    let p = parents.get(pid);
    for (let depth = 0; p !== undefined && p > 1 && depth < 20; depth++) {
      if (p === root) return true;
      p = parents.get(p);
    }
    return false;
  };
  const sample = () => {
    for (const pid of livePids()) {
      if (!parents.has(pid)) parents.set(pid, parentOf(pid));
      if (!isUnderRoot(pid)) continue;
      const cmd = readCmdline(pid); // read again each time: a child may exec after it was first seen
      if (cmd !== undefined) seen.add(cmd);
    }
  };
  return { sample, commandLines: () => [...seen] };
}

/** Every process whose parent chain reaches `root` (Linux /proc), with its command line. */
export function descendantsOf(root: number): string[] {
  const sampler = descendantSampler(root);
  sampler.sample();
  return sampler.commandLines();
}

/** Runs the built CLI as a user would, in a clean environment (no STRIPE_* from the developer's shell). */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.bin ?? BIN, ...args], { env: cleanEnv(options.env ?? {}), stdio: ['pipe', 'pipe', 'pipe'] });
    const argv = (child.pid && readCmdline(child.pid)) || '';
    let stdout = '';
    let stderr = '';
    const descendants = child.pid ? descendantSampler(child.pid) : undefined;
    const sampler = setInterval(() => descendants?.sample(), 20);
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.stdin.on('error', () => {});
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
    const killer = options.killAfterMs !== undefined ? setTimeout(() => child.kill('SIGKILL'), options.killAfterMs) : undefined;
    child.on('close', (code, signal) => {
      clearInterval(sampler);
      if (killer) clearTimeout(killer);
      resolve({ code, signal, stdout, stderr, argv, descendants: descendants?.commandLines() ?? [] });
    });
  });
}

/** The secret part of a key (after `rk_test_`), which must appear nowhere. */
export function secretPart(key: string): string {
  return key.replace(/^(sk|rk|pk)_(test|live)_/, '');
}

/** Asserts a key appears in none of the texts (outputs, files, argv). */
export function expectNoKey(key: string, ...texts: Array<string | undefined>): void {
  const secret = secretPart(key);
  for (const text of texts) {
    if (text === undefined) continue;
    expect(text.includes(secret), `key leaked into: ${text.slice(0, 300)}`).toBe(false);
  }
}

export function expectNoKeyInResult(key: string, result: CliResult): void {
  expectNoKey(key, result.stdout, result.stderr, result.argv, ...result.descendants);
}

/**
 * A master key per home, given as STRIPE_MCP_MASTER_KEY: file-store tests then never touch the developer's real
 * keychain (on macOS there is always one). The keychain-held master key is tested in keychain.test.ts.
 */
export function masterKeyFor(home: string): string {
  return createHash('sha256').update(`test master key for ${home}`).digest('base64');
}

/** The environment for a CLI run against a home and a Stripe API (the emulator), with the encrypted file store. */
export function cliEnv(home: string, apiBase: string, extra: Record<string, string> = {}): Record<string, string> {
  return { STRIPE_MCP_HOME: home, STRIPE_MCP_KEYSTORE: 'file', STRIPE_MCP_MASTER_KEY: masterKeyFor(home), STRIPE_API_BASE: apiBase, ...NO_DBUS, ...extra };
}

/** The same settings as an env object for in-process use (ConnectionManager, ConfiguredRouter, FileStore). */
export function storeEnv(home: string, apiBase?: string): NodeJS.ProcessEnv {
  return { STRIPE_MCP_HOME: home, STRIPE_MCP_KEYSTORE: 'file', STRIPE_MCP_MASTER_KEY: masterKeyFor(home), ...(apiBase ? { STRIPE_API_BASE: apiBase } : {}) };
}

/**
 * Set-up for tests of other commands than `connections add`: the connection is added in this process by the same
 * ConnectionManager.add the command runs (verified with Stripe at `apiBase`, saved in the encrypted file of `home`).
 * A run of the built CLI only for set-up costs about half a second of CPU; `connections add` itself is tested
 * through the CLI in test/cli/connections-cli.test.ts.
 */
export async function addConnection(home: string, apiBase: string, name: string, key: string): Promise<void> {
  await new ConnectionManager(storeEnv(home, apiBase)).add({ name, key, allowSecret: false, makeDefault: false });
}
