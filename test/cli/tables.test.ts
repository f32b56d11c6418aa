/**
 * `call` and `tools` as a person reads them (issue 14, "tables a person reads"): aggregates as tables per currency,
 * the question's columns first, nested values readable, the terminal's width respected, summaries printed,
 * `tools NAME`, suggestions for a wrong argument, a closed pipe ending quietly, and exit codes 2 vs 1.
 * The tables' cases read the demo data from one emulator of it for the whole file (`demoData`), as the connection
 * "env" (STRIPE_API_KEY); the cases about the command line itself (an example to run, mistakes, exit codes) use
 * `--demo`. The command line runs in this process (`cli`: test/helpers/cli-in-process.ts, the same main() and exit
 * codes; a run of the built CLI costs 0.2–0.7 s of CPU); what only a process shows runs the built CLI (`builtCli`):
 * a terminal's width, a closed pipe, the bundle's tool list, the exit codes the shell sees and the commands that
 * keep running.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { TOOLS } from '../../src/tools/index.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { BIN, cleanEnv } from '../helpers/spawn.js';

const run = promisify(execFile);

/** The demo's dataset (the same startEmulator() `--demo` runs), served once for the file. */
let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.close();
});

/** The environment that reads the demo data from the file's emulator. */
const demoData = (env: Record<string, string> = {}) => ({ STRIPE_API_KEY: emulator.keys.test, STRIPE_API_BASE: emulator.url, ...env });

/** `stripe-readonly-mcp ARGS` in this process, at the 120 columns of a pipe unless `env` says otherwise. */
async function cli(args: string[], env: Record<string, string> = {}) {
  const { code, stdout, stderr } = await runCliInProcess(args, { env: { COLUMNS: '120', ...env } });
  return { code, stdout, stderr };
}

/** The built CLI with `args` (or `command` with exactly `args`), its exit code and output. */
async function builtCli(args: string[], env: Record<string, string> = {}, command?: string) {
  try {
    const argv = command ? args : [BIN, ...args];
    const { stdout, stderr } = await run(command ?? process.execPath, argv, { env: cleanEnv({ COLUMNS: '120', ...env }), maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The table's lines: from the header row (starting with `first`) to the last row, before the notes under it. */
function tableLines(stdout: string, first: RegExp): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => first.test(l));
  expect(start, stdout).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && (l === '' || l.startsWith('(') || l.startsWith('next page')));
  return lines.slice(start, end === -1 ? undefined : end);
}

const columnsOf = (header: string) => header.trim().split(/\s{2,}/);

describe('call tables', () => {
  it('prints an aggregate answer as tables: group columns, then metrics, one table per currency, then totals', async () => {
    const r = await cli(['call', 'aggregate', '{"resource":"charges","filters":{"status":"failed"},"group_by":["decline_code"],"metrics":["count","sum:amount"],"order_by":"count"}'], demoData());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('{"group_by"'); // no longer one long JSON line
    expect(r.stdout.split('\n')[0]).toMatch(/^connection env · test mode · \d+ groups by decline_code over [\d,]+ charges \([\d,]+ scanned\)$/);
    for (const currency of ['USD', 'EUR']) {
      expect(r.stdout).toMatch(new RegExp(`^${currency} \\(\\d+ rows?\\)$`, 'm'));
    }
    const usd = tableLines(r.stdout.slice(r.stdout.indexOf('\nUSD (')), /^decline_code\s/);
    expect(columnsOf(usd[0]!)).toEqual(['decline_code', 'count', 'sum:amount']);
    // Ordered by count within the currency, and the amounts are USD decimals.
    const counts = usd.slice(2).map((l) => Number(columnsOf(l)[1]));
    expect(counts.length).toBeGreaterThan(1);
    expect([...counts].sort((a, b) => b - a)).toEqual(counts);
    for (const line of usd.slice(2)) expect(columnsOf(line)[2]).toMatch(/^\d+\.\d{2}$/);
    const totals = tableLines(r.stdout.slice(r.stdout.indexOf('\ntotals:')), /^currency\s/);
    expect(columnsOf(totals[0]!)).toEqual(['currency', 'count', 'sum:amount']);
    expect(totals.slice(2).map((l) => columnsOf(l)[0])).toContain('usd');
  });

  it('never prints an amount apart from its currency: "19.00 USD" in one cell, whatever the width', async () => {
    for (const width of ['60', '120', '400']) {
      const r = await cli(['call', 'list_balance_transactions', '{"limit":5}'], demoData({ COLUMNS: width }));
      expect(r.code, r.stderr).toBe(0);
      const table = tableLines(r.stdout, /^id\s/);
      const header = columnsOf(table[0]!);
      expect(header, width).not.toContain('currency');
      if (!header.includes('amount')) continue;
      const at = table[0]!.indexOf('amount');
      // Lines of a row that wrapped (no id at the start) hold only the rest of a long cell.
      for (const row of table.slice(2).filter((line) => /^txn_/.test(line))) expect(row.slice(at).split(/\s{2,}/)[0], `${width}: ${row}`).toMatch(/^-?\d[\d.]* [A-Z]{3}$/);
    }
  });

  it('a failed-payments list puts status and the failure reason first and always shows the amount and created', async () => {
    // The README's first command, at the 120 columns of a pipe: how much failed must be in the table.
    const charges = await cli(['call', 'list_charges', '{"status":"failed","limit":5}'], demoData());
    expect(charges.code, charges.stderr).toBe(0);
    const header = columnsOf(tableLines(charges.stdout, /^id\s/)[0]!);
    expect(header.slice(0, 4)).toEqual(['id', 'status', 'decline_code', 'failure_message']);
    expect(header).toEqual(expect.arrayContaining(['amount', 'created']));
    expect(charges.stdout).toMatch(/ \d+\.\d\d (USD|EUR) /);

    const intents = await cli(['call', 'list_payment_intents', '{"status":"failed","limit":5}'], demoData());
    expect(intents.code, intents.stderr).toBe(0);
    const table = tableLines(intents.stdout, /^id\s/);
    expect(columnsOf(table[0]!).slice(0, 3)).toEqual(['id', 'status', 'last_payment_error']);
    expect(columnsOf(table[0]!)).toContain('created');
    // The nested error reads as key=value, never as cut JSON.
    expect(intents.stdout).toMatch(/code=card_declined, /);
    expect(intents.stdout).not.toMatch(/\{"code"/);

    // Even at 60 columns, created is kept (other columns are dropped and named instead).
    const narrow = await cli(['call', 'list_charges', '{"status":"failed","limit":5}'], demoData({ COLUMNS: '60' }));
    expect(columnsOf(tableLines(narrow.stdout, /^id\s/)[0]!)).toContain('created');
  });

  it('fits the width: $COLUMNS when not a terminal, the terminal width on one, naming the columns it drops', async () => {
    for (const width of [60, 90, 140]) {
      const r = await cli(['call', 'list_charges', '{"status":"failed","limit":5}'], demoData({ COLUMNS: String(width) }));
      expect(r.code, r.stderr).toBe(0);
      const table = tableLines(r.stdout, /^id\s/);
      for (const line of table) expect(line.length, `${width}: ${line}`).toBeLessThanOrEqual(width);
      if (width < 140) expect(r.stdout).toMatch(new RegExp(`^\\(not shown, too wide for ${width} columns: [a-z_, 0-9]+; widen the terminal, set COLUMNS, or use --json\\)$`, 'm'));
    }
    const wide = await cli(['call', 'list_charges', '{"status":"failed","limit":5}'], demoData({ COLUMNS: '400' }));
    expect(wide.stdout).not.toMatch(/not shown/);
    expect(columnsOf(tableLines(wide.stdout, /^id\s/)[0]!)).toEqual(expect.arrayContaining(['customer', 'payment_intent', 'outcome']));
    // Unset $COLUMNS and not a terminal: 120 columns.
    const env = cleanEnv(demoData());
    delete env.COLUMNS;
    const { stdout } = await run(process.execPath, [BIN, 'call', 'list_charges', '{"status":"failed","limit":5}'], { env });
    expect(stdout).toMatch(/too wide for 120 columns/);
  });

  it.skipIf(process.platform !== 'linux' || spawnSync('script', ['--version']).status !== 0)('on a terminal, its width wins over $COLUMNS', async () => {
    const command = `stty cols 72; ${process.execPath} ${BIN} call list_charges '{"status":"failed","limit":3}'`;
    // Not spawnSync: the emulator answering the CLI runs in this process.
    const r = await builtCli(['-q', '-e', '-c', command, '/dev/null'], demoData({ COLUMNS: '300', TERM: 'dumb' }), 'script');
    expect(r.code, r.stdout).toBe(0);
    const screen = r.stdout.replace(/\r/g, '');
    expect(screen).toMatch(/too wide for 72 columns/);
    for (const line of tableLines(screen, /^id\s/)) expect(line.length).toBeLessThanOrEqual(72);
  });

  it('an answer too large to list prints its summary: what was scanned, the totals, how to narrow', async () => {
    const r = await cli(['call', 'list_balance_transactions', '{"max_results":10000}'], demoData());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/no objects|^connection env · test mode · 0 /m);
    expect(r.stdout.split('\n')[0]).toMatch(/^connection env · test mode · [\d,]+ balance transactions matched, too many to list \([\d,]+ scanned\)$/);
    expect(r.stdout).toMatch(/^created: \d{4}-\d\d-\d\dT.+ … \d{4}-\d\d-\d\dT/m);
    const totals = tableLines(r.stdout, /^currency\s/);
    expect(columnsOf(totals[0]!)).toEqual(['currency', 'count', 'sum:amount', 'sum:fee', 'sum:net']);
    expect(r.stdout).toMatch(/narrow the filters/);
    expect(r.stdout).toMatch(/call aggregate \(e\.g\. \{"resource":"balance_transactions"/);
  });
});

describe('tools NAME', () => {
  it("prints the tool's arguments with types and defaults, and an example that runs", async () => {
    const r = await cli(['tools', 'list_charges']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^list_charges: List charges {2}\(needs Charges at Read\)$/m);
    expect(r.stdout).toMatch(/^ {2}status +"succeeded" \| "pending" \| "failed"$/m);
    expect(r.stdout).toMatch(/^ {2}limit +integer 1–100, default 20$/m);
    expect(r.stdout).not.toMatch(/^ {2}group_by/m); // the aggregate tool's
    expect(r.stdout).toMatch(/^ {2}mode +"test" \| "live"$/m);
    const example = /^ {2}stripe-readonly-mcp call list_charges '(\{.*\})' --demo$/m.exec(r.stdout);
    expect(example, r.stdout).not.toBeNull();
    const ran = await cli(['call', 'list_charges', example![1]!, '--demo']);
    expect(ran.code, ran.stderr).toBe(0);
    // Every tool has its page (`tools A B …` prints each one's, in one run); a wrong name is a usage error with the
    // closest one.
    const all = await builtCli(['tools']);
    const names = all.stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0]!);
    expect(names, "the bundle's tools (its list tools imported by scripts/list-tools-plugin.mjs) are the source's").toEqual(TOOLS.map((t) => t.name));
    const pages = await cli(['tools', ...names]);
    expect(pages.code, pages.stderr).toBe(0);
    const starts = names.map((name) => pages.stdout.search(new RegExp(`^${name}: `, 'm')));
    names.forEach((name, i) => {
      expect(starts[i], name).toBeGreaterThanOrEqual(0);
      expect(pages.stdout.slice(starts[i], starts[i + 1]), name).toMatch(/^Arguments/m);
    });
    const typo = await cli(['tools', 'list_chargs']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/There is no tool "list_chargs" \(did you mean "list_charges"\?\)/);
  });
});

describe('mistakes', () => {
  it('a wrong argument name lists the valid ones and suggests the closest', async () => {
    const r = await cli(['call', 'list_charges', '{"state":"failed"}', '--demo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"state" \(did you mean "status"\?\) is not an argument of list_charges\. Its arguments: customer, payment_intent, status, .*created_after.*, mode\./);
    const far = await cli(['call', 'list_customers', '{"zzzzzzzz":1}', '--demo']);
    expect(far.stderr).toMatch(/"zzzzzzzz" is not an argument of list_customers\. Its arguments: /);
    expect(far.stderr).not.toMatch(/did you mean/);
  });

  it('writing to a closed pipe ends quietly with exit 0', async () => {
    for (const args of [['tools'], ['tools', 'list_charges'], ['call', 'list_charges', '{"limit":100}', '--demo'], ['--help']]) {
      const child = spawn(process.execPath, [BIN, ...args], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy(); // the reader is gone before the first write, as with `| head` that has read enough
      let stderr = '';
      child.stderr.on('data', (c) => (stderr += c));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr, args.join(' ')).toBe('');
      expect(code, args.join(' ')).toBe(0);
    }
  });

  it('exit code 2 for usage errors, 1 for failures, in every subcommand', async () => {
    const usage: string[][] = [
      ['frobnicate'],
      ['--colour'],
      ['serve', 'extra'],
      ['serve', '--http', '--frob'],
      ['serve', '--http', '--port', 'x'],
      ['call'],
      ['call', 'drop_table', '--demo'],
      ['call', 'list_customers', '{not json', '--demo'],
      ['call', 'list_customers', '{"limit":500}', '--demo'],
      ['call', 'list_customers', '{"state":1}', '--demo'],
      ['call', 'list_customers', '{}', 'extra', '--demo'],
      ['call', 'aggregate', '{"resource":"charges","filters":{"statuss":"failed"}}', '--demo'], // refused by the tool itself
      ['call', 'list_customers', '{"created_after":"2026-13-45"}', '--demo'],
      ['call', 'get_balance', '--mode', 'foo'],
      ['call', 'get_balance', '--demo', '--connection', 'acme'],
      ['tools', 'nope'],
      ['tools', '--frob'],
      ['emulator', '--port', 'x'],
      ['connections', 'frob'],
      ['connections', 'add'],
      ['connections', 'add', 'acme', '--mode', 'foo'],
      ['connections', 'list', '--frob'],
      ['tokens', 'frob'],
      ['tokens', 'create'],
      ['doctor', '--frob'],
      ['doctor', 'extra'],
      ['config'],
      ['config', 'frob'],
      ['config', 'claude', '--frob'],
      ['doctor', '--connection', 'acme'],
    ];
    const failures: string[][] = [
      ['call', 'list_customers'], // no key configured
      ['call', 'get_balance', '--connection', 'nope'],
      ['connections', 'test', 'nope'],
      ['connections', 'remove', 'nope', '--yes'],
      ['tokens', 'revoke', 'nope'],
    ];
    // serve and emulator keep running once their arguments are right, so they run as processes of their own.
    const ownProcess = (args: string[]) => args[0] === 'serve' || args[0] === 'emulator';
    const cases = [...usage, ...failures];
    const results = await Promise.all(cases.map((args) => (ownProcess(args) ? builtCli(args) : cli(args))));
    results.forEach((r, i) => {
      const args = cases[i]!;
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(i < usage.length ? 2 : 1);
      expect(r.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
      expect(r.stderr.trim(), args.join(' ')).not.toBe('');
    });
    // The exit codes as the shell sees them, from the built CLI: one usage error, one failure.
    const shell = await Promise.all([['frobnicate'], ['connections', 'test', 'nope']].map((args) => builtCli(args)));
    expect(shell.map((r) => r.code)).toEqual([2, 1]);
  });
});
