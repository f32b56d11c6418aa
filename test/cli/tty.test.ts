/**
 * On a real terminal (a pseudo-terminal made by util-linux `script`): the key is asked for with a hidden prompt
 * and never echoed, Ctrl-C cancels without changing anything, and `remove` asks before deleting.
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMetadata } from '../../src/connections/metadata.js';
import { resolveHome } from '../../src/connections/paths.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { BIN, canaryKey, cleanEnv } from '../helpers/spawn.js';
import { cliEnv, descendantsOf, expectNoKey, makeHome } from '../connections/helpers.js';

const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;
if (!hasScript) console.warn('tty.test.ts skipped: needs Linux with util-linux `script` to make a pseudo-terminal');

let emulator: EmulatorHandle;
beforeAll(async () => {
  if (hasScript) emulator = await startEmulator();
});
afterAll(async () => emulator?.close());

interface TtySession {
  /** Resolves when the terminal has shown text matching `pattern`. */
  waitFor(pattern: RegExp): Promise<void>;
  type(text: string): void;
  done: Promise<{ code: number | null; screen: string; processes: string[] }>;
}

/** Runs the CLI on a pseudo-terminal; everything it shows (and would echo) is in `screen`. */
function onTerminal(args: string[], env: Record<string, string>): TtySession {
  const command = [process.execPath, BIN, ...args].join(' ');
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { env: cleanEnv({ ...env, TERM: 'dumb' }), stdio: ['pipe', 'pipe', 'pipe'] });
  let screen = '';
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  const processes = new Set<string>();
  const sampler = setInterval(() => {
    if (child.pid) for (const p of descendantsOf(child.pid)) processes.add(p);
  }, 20);
  const onData = (chunk: Buffer) => {
    screen += chunk.toString('utf8');
    for (const w of [...waiters]) {
      if (w.pattern.test(screen)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return {
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        if (pattern.test(screen)) return resolve();
        waiters.push({ pattern, resolve });
        setTimeout(() => reject(new Error(`timed out waiting for ${pattern} on screen:\n${screen}`)), 15_000).unref();
      }),
    type: (text) => child.stdin.write(text),
    done: new Promise((resolve) =>
      child.on('close', (code) => {
        clearInterval(sampler);
        resolve({ code, screen, processes: [...processes] });
      }),
    ),
  };
}

describe.skipIf(!hasScript)('on a terminal', () => {
  it('asks for the key with a hidden prompt and never echoes it', async () => {
    const tmp = makeHome();
    try {
      const key = canaryKey();
      const t = onTerminal(['connections', 'add', 'acme'], cliEnv(tmp.home, emulator.url));
      await t.waitFor(/Paste the restricted key \(rk_…\) for "acme" \(the input is hidden\)/);
      await new Promise((r) => setTimeout(r, 100)); // the prompt is out; raw mode is on
      t.type(`${key}\r`);
      const { code, screen, processes } = await t.done;
      expect(code, screen).toBe(0);
      expect(screen).toMatch(/Saved connection "acme" with its test key/);
      expectNoKey(key, screen, ...processes);
      expect((await readMetadata(resolveHome({ STRIPE_MCP_HOME: tmp.home }))).connections.acme?.test).toBeDefined();
    } finally {
      tmp.cleanup();
    }
  });

  it('Ctrl-C at the prompt cancels and changes nothing', async () => {
    const tmp = makeHome();
    try {
      const t = onTerminal(['connections', 'add', 'acme', '--mode', 'live'], cliEnv(tmp.home, emulator.url));
      await t.waitFor(/Paste the live-mode restricted key/);
      await new Promise((r) => setTimeout(r, 100));
      t.type('rk_live_partial\u0003');
      const { code, screen } = await t.done;
      expect(code).toBe(130);
      expect(screen).toMatch(/Cancelled: nothing was changed/);
      expect(screen).not.toContain('partial');
      expect((await readMetadata(resolveHome({ STRIPE_MCP_HOME: tmp.home }))).connections).toEqual({});
    } finally {
      tmp.cleanup();
    }
  });

  it('remove asks first: no keeps the connection, yes removes it', async () => {
    const tmp = makeHome();
    try {
      const env = cliEnv(tmp.home, emulator.url);
      const add = onTerminal(['connections', 'add', 'acme'], env);
      await add.waitFor(/Paste the/);
      await new Promise((r) => setTimeout(r, 100));
      add.type(`${canaryKey()}\r`);
      expect((await add.done).code).toBe(0);

      const no = onTerminal(['connections', 'remove', 'acme'], env);
      await no.waitFor(/Remove the test key rk_test_…\w{4} \(encrypted file\) of "acme"\? \[y\/N\]/);
      no.type('n\r');
      const kept = await no.done;
      expect(kept.code).toBe(1);
      expect(kept.screen).toMatch(/Nothing was removed/);
      const paths = resolveHome({ STRIPE_MCP_HOME: tmp.home });
      expect((await readMetadata(paths)).connections.acme).toBeDefined();

      const yes = onTerminal(['connections', 'remove', 'acme'], env);
      await yes.waitFor(/\[y\/N\]/);
      yes.type('y\r');
      const removed = await yes.done;
      expect(removed.code, removed.screen).toBe(0);
      expect((await readMetadata(paths)).connections.acme).toBeUndefined();
    } finally {
      tmp.cleanup();
    }
  });
});
