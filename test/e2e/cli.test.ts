/**
 * The command line as a person uses it: help, version, one-off calls on the demo data, the emulator, mistakes. The
 * built CLI runs what the README shows and what needs a process (servers, the emulator); the other commands run the
 * same main() in this process (test/helpers/cli-in-process.ts), which generates the demo business once.
 */
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { BIN, cleanEnv } from '../helpers/spawn.js';

const run = promisify(execFile);

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: cleanEnv(env) });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The same command, in this process. */
const inProcess = (args: string[], env: Record<string, string> = {}) => runCliInProcess(args, { env });

describe('command line', () => {
  it('--help describes the commands and --version matches package.json', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const word of ['serve', 'call', 'emulator', '--demo', '--json', 'STRIPE_API_KEY', 'STRIPE_API_BASE']) expect(help.stdout).toContain(word);
    // The README's "Command line" section is this output verbatim, so the two cannot drift apart.
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain('$ stripe-readonly-mcp --help\n' + help.stdout.trimEnd() + '\n```');
    const version = await cli(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
  });

  it('call prints a readable table of the demo data', async () => {
    const r = await cli(['call', 'list_charges', '{"status":"failed","limit":5}', '--demo']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('connection demo · test mode · 5 charges (more available)');
    expect(lines[1]).toMatch(/^id\s+/);
    expect(r.stdout).toMatch(/failed/);
    expect(r.stdout).toMatch(/next page: add "cursor":"ch_/);
  });

  it('call names what it counts the way people do, and leaves type tags and empty values out', async () => {
    const one = await inProcess(['call', 'list_payment_intents', '{"limit":1}', '--demo']);
    expect(one.stdout.split('\n')[0]).toBe('connection demo · test mode · 1 payment intent (more available)');
    const search = await inProcess(['call', 'search', '{"query":"emma"}', '--demo']);
    expect(search.code).toBe(0);
    expect(search.stdout).toMatch(/^count: \d+$/m);
    expect(search.stdout).not.toMatch(/^(object|resource):/m);
  });

  it('call --json prints the structured result', async () => {
    const r = await inProcess(['call', 'get_balance', '--demo', '--json']);
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.stdout);
    expect(parsed).toMatchObject({ connection: 'demo', mode: 'test' });
  });

  it('mistakes get one clear line and a non-zero exit, never a stack trace', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['call', 'drop_table', '--demo'], /There is no tool "drop_table"/],
      [['call', 'list_customers', '{not json', '--demo'], /must be one JSON object/],
      [['call', 'list_customers', '{"limit":500}', '--demo'], /limit/],
      [['call', 'list_customers', '{"created_after":"2026-13-45"}', '--demo'], /created_after: "2026-13-45" is not a real calendar date/],
      [['--key', 'rk_test_abcdefghijkl'], /never taken on the command line/],
      [['frobnicate'], /Unknown command "frobnicate"/],
      [['--colour'], /Unknown option/],
    ];
    for (const [args, message] of cases) {
      const r = await inProcess(args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('a STRIPE_MCP_STRIPE_RATE_LIMITS it cannot read stops serve, call and serve --http with what to write; doctor shows the limits', async () => {
    const bad = { STRIPE_MCP_STRIPE_RATE_LIMITS: 'live=fast' };
    for (const args of [['call', 'get_balance', '--demo'], ['serve', '--demo'], ['serve', '--http', '--demo', '--port', '0']]) {
      const r = await (args[0] === 'serve' ? cli(args, bad) : inProcess(args, bad));
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(/STRIPE_MCP_STRIPE_RATE_LIMITS="live=fast" is not understood at "live=fast".*e\.g\. live=300/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    }
    const ok = await inProcess(['call', 'get_balance', '--demo', '--json'], { STRIPE_MCP_STRIPE_RATE_LIMITS: 'test=50' });
    expect(ok.code, ok.stderr).toBe(0);
    const home = { STRIPE_MCP_HOME: join(mkdtempSync(join(tmpdir(), 'srm-limits-')), 'home'), STRIPE_MCP_KEYSTORE: 'file' };
    expect((await inProcess(['doctor', '--offline'], home)).stdout).toMatch(/Stripe request limits: live 100\/s, test 25\/s, each endpoint 25\/s, search 20\/s \(Stripe's usual limits/);
    expect((await inProcess(['doctor', '--offline'], { ...home, STRIPE_MCP_STRIPE_RATE_LIMITS: 'live=300' })).stdout).toMatch(/Stripe request limits: live 300\/s, test 25\/s, each endpoint 25\/s, search 20\/s \(from STRIPE_MCP_STRIPE_RATE_LIMITS\)/);
    const doctor = await inProcess(['doctor', '--offline'], { ...home, ...bad });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/FAIL\s+STRIPE_MCP_STRIPE_RATE_LIMITS="live=fast" is not understood/);
  });

  it('call without a key explains how to add one', async () => {
    const r = await inProcess(['call', 'list_customers']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/STRIPE_API_KEY/);
    expect(r.stderr).toMatch(/--demo/);
  });

  it('emulator prints its URL and keys, and this server can use it', async () => {
    const child = spawn(process.execPath, [BIN, 'emulator', '--port', '0'], { env: cleanEnv() });
    try {
      const banner: string[] = [];
      const lines = createInterface({ input: child.stdout });
      const url = await new Promise<string>((resolve, reject) => {
        lines.on('line', (line) => {
          banner.push(line);
          const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line);
          if (match) resolve(match[1]!);
        });
        child.on('exit', () => reject(new Error(`emulator exited: ${banner.join('\n')}`)));
      });
      await new Promise((r) => setTimeout(r, 200));
      const text = banner.join('\n');
      expect(text).toMatch(/rk_test_emulator_demo/);
      const r = await cli(['call', 'list_customers', '{"limit":2}', '--json'], { STRIPE_API_KEY: 'rk_test_emulator_demo', STRIPE_API_BASE: url });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ connection: 'env', mode: 'test', count: 2 });
    } finally {
      child.kill('SIGTERM');
    }
  });
});
