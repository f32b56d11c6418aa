/**
 * Toolsets (--tools / STRIPE_MCP_TOOLS): a client is given only the tools and sets asked for, over stdio and HTTP,
 * through real MCP clients and the built CLI. A tool not served is not listed, and a call to it says how to enable
 * it; a name that is no tool or set stops start-up with the valid names and the closest one.
 */
import { spawn } from 'node:child_process';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaticRouter } from '../../src/connections/router.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { createMcpServer } from '../../src/server/create-server.js';
import { TOOLS } from '../../src/tools/index.js';
import { aggregate } from '../../src/tools/aggregate.js';
import { selectTools, TOOLSETS, ToolSelectionError, type ServedWith, type ToolsetName } from '../../src/tools/toolsets.js';
import { BIN, canaryKey, cleanEnv } from '../helpers/spawn.js';

/** The tools --tools SETS serves: the sets' members, and aggregate when one of them is a list it aggregates. */
function inSets(...sets: ToolsetName[]): string[] {
  const members = TOOLS.filter((t) => typeof t.toolset === 'string' && sets.includes(t.toolset)).map((t) => t.name);
  return (aggregate.toolset as ServedWith).servedWith.some((name) => members.includes(name)) ? [...members, 'aggregate'] : members;
}
const textOf = (r: { content?: unknown }) => ((r.content ?? []) as { text?: string }[]).map((c) => c.text ?? '').join('\n');

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: cleanEnv(env) });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill(), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

async function stdioClient(args: string[], env: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'toolsets-test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, ...args], env: cleanEnv(env), stderr: 'ignore' }));
  return client;
}

describe('the sets', () => {
  it('hold every tool, each in one set, and no set is named like a tool', () => {
    for (const tool of TOOLS) {
      if (typeof tool.toolset === 'string') expect(Object.keys(TOOLSETS), tool.name).toContain(tool.toolset);
      else expect(TOOLS.map((t) => t.name), tool.name).toEqual(expect.arrayContaining([...tool.toolset.servedWith]));
    }
    const names = TOOLS.map((t) => t.name);
    for (const set of Object.keys(TOOLSETS)) expect(names, set).not.toContain(set);
  });

  it('read tool and set names, commas and spaces, any case; all is every tool', () => {
    const picked = selectTools(' Metrics, list_charges ,,', TOOLS, '--tools');
    expect([...picked.names!].sort()).toEqual([...inSets('metrics'), 'list_charges', 'aggregate'].sort());
    expect(selectTools('metrics', TOOLS, '--tools').names).not.toContain('aggregate'); // no list to aggregate
    expect(picked.asked).toBe('--tools  Metrics, list_charges ,,');
    expect(selectTools('payments,all', TOOLS, '--tools').names).toBeUndefined();
    expect(selectTools(undefined, TOOLS, '--tools').names).toBeUndefined();
    expect(() => selectTools(' , ', TOOLS, '--tools')).toThrow(ToolSelectionError);
    expect(() => selectTools('metrix', TOOLS, '--tools')).toThrow(/"metrix" is neither a tool nor a set \(did you mean "metrics"\?\)/);
  });
});

describe('serve over stdio with --tools', () => {
  it('lists only the chosen tools and sets; a call to another says which flag or set enables it', async () => {
    const client = await stdioClient(['serve', '--tools', 'metrics,lookup', '--tools', 'get_balance'], { STRIPE_API_KEY: canaryKey() });
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual([...inSets('metrics', 'lookup'), 'get_balance'].sort());
      const refused = await client.callTool({ name: 'list_charges', arguments: { limit: 1 } });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(/list_charges is not served by this server: it was started with --tools metrics,lookup,get_balance/);
      expect(textOf(refused)).toMatch(/add list_charges \(or its set, payments\) to --tools or STRIPE_MCP_TOOLS/);
    } finally {
      await client.close();
    }
  });

  it('takes STRIPE_MCP_TOOLS as --tools, and serves a chosen tool for real (demo data)', async () => {
    const client = await stdioClient(['--demo'], { STRIPE_MCP_TOOLS: 'payments' });
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(inSets('payments').sort());
      const charges = await client.callTool({ name: 'list_charges', arguments: { limit: 2 } });
      expect(charges.isError, textOf(charges)).toBeFalsy();
      expect((charges.structuredContent as { count: number }).count).toBe(2);
      const refused = await client.callTool({ name: 'get_mrr', arguments: {} });
      expect(textOf(refused)).toMatch(/it was started with STRIPE_MCP_TOOLS=payments\. To use it, add get_mrr \(or its set, metrics\)/);
      // aggregate comes with the payments lists: it aggregates charges, and refuses customers as list_customers would.
      expect(tools.map((t) => t.name)).toContain('aggregate');
      const byStatus = await client.callTool({ name: 'aggregate', arguments: { resource: 'charges', group_by: ['status'] } });
      expect(byStatus.isError, textOf(byStatus)).toBeFalsy();
      expect((byStatus.structuredContent as { aggregate: { rows: unknown[] } }).aggregate.rows.length).toBeGreaterThan(0);
      const customers = await client.callTool({ name: 'aggregate', arguments: { resource: 'customers', group_by: ['country'] } });
      expect(customers.isError).toBe(true);
      expect(textOf(customers)).toMatch(/aggregate over customers runs list_customers, and list_customers is not served by this server: it was started with STRIPE_MCP_TOOLS=payments\. To use it, add list_customers \(or its set, billing\)/);
    } finally {
      await client.close();
    }
  });

  it('stops start-up on a name that is no tool or set, with the valid names and the closest one (exit 2)', async () => {
    const r = await run(['serve', '--tools', 'metrics,list_charge']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"list_charge" is neither a tool nor a set \(did you mean "list_charges"\?\)/);
    expect(r.stderr).toMatch(/Sets: billing \(.*\); .*lookup \(.*all \(every tool, the default\)/);
    expect(r.stderr).toContain(TOOLS.map((t) => t.name).join(', '));
    expect(r.stdout).toBe(''); // stdout is the protocol channel
  });

  it('refuses a --tools that disagrees with STRIPE_MCP_TOOLS, and --tools with a command that serves nothing', async () => {
    const r = await run(['serve', '--tools', 'metrics'], { STRIPE_MCP_TOOLS: 'payments' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--tools metrics disagrees with STRIPE_MCP_TOOLS=payments/);
    const same = await run(['tools', '--tools', 'metrics']);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/--tools goes with serve/);
  });
});

describe('config --tools', () => {
  it('puts --tools into the client snippet, checked as the server checks it', async () => {
    const r = await run(['config', 'claude', '--tools', 'metrics, lookup']);
    expect(r.code, r.stderr).toBe(0);
    const args = (JSON.parse(r.stdout.slice(r.stdout.indexOf('{'), r.stdout.lastIndexOf('}') + 1)) as { mcpServers: Record<string, { args: string[] }> }).mcpServers;
    expect(Object.values(args)[0]!.args.slice(-2)).toEqual(['--tools', 'metrics,lookup']);
    const bad = await run(['config', 'claude', '--tools', 'metrcs']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/did you mean "metrics"/);
  });
});

describe('serve --http with --tools', () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('lists only the chosen tools; a call to another is a tool error saying how to enable it', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--http', '--no-auth', '--port', '0', '--tools', 'balance'], {
      env: cleanEnv({ STRIPE_API_KEY: emulator.keys.test, STRIPE_API_BASE: emulator.url }),
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stderr = '';
        const timer = setTimeout(() => reject(new Error(`did not start:\n${stderr}`)), 15_000);
        child.stderr.on('data', (c) => {
          stderr += c;
          const m = /serving (\d+) read-only tools over HTTP at (http:\/\/\S+\/mcp)/.exec(stderr);
          if (m) {
            clearTimeout(timer);
            expect(Number(m[1])).toBe(inSets('balance').length);
            resolve(m[2]!);
          }
        });
      });
      const client = new Client({ name: 'toolsets-http', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(inSets('balance').sort());
      const balance = await client.callTool({ name: 'get_balance', arguments: {} });
      expect(balance.isError, textOf(balance)).toBeFalsy();
      const refused = await client.callTool({ name: 'search', arguments: { resource: 'charges', query: 'status:"failed"' } });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(/search is not served by this server: it was started with --tools balance\. To use it, add search \(or its set, lookup\)/);
      await client.close();
    } finally {
      child.kill();
    }
  });
});

describe('the listed tools', () => {
  it('are what the SDK itself lists for those tools (a selection changes only which tools, never how they look)', async () => {
    const list = async (options: Parameters<typeof createMcpServer>[2]) => {
      const server = createMcpServer(new StaticRouter([{ name: 'acme', keys: { test: canaryKey() } }]), TOOLS, options);
      const [a, b] = InMemoryTransport.createLinkedPair();
      await server.connect(b);
      const client = new Client({ name: 'list', version: '1.0.0' });
      await client.connect(a);
      const { tools } = await client.listTools();
      await client.close();
      return tools;
    };
    const chosen = selectTools('payments,get_mrr', TOOLS, '--tools');
    const all = await list({});
    const some = await list({ tools: chosen });
    expect(some).toEqual(all.filter((t) => chosen.names!.has(t.name)));
    expect(some.map((t) => t.name)).toEqual(TOOLS.filter((t) => chosen.names!.has(t.name)).map((t) => t.name)); // catalogue order
  });
});
