/** The entry `config` prints for an MCP client, and starting it the way that client would. */
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { cleanEnv } from './spawn.js';

export interface Entry {
  command: string;
  args: string[];
}

/** The entry `config cursor` printed (the Claude/Cursor JSON shape). */
export function entryOf(stdout: string): Entry {
  const json = JSON.parse(stdout.slice(stdout.indexOf('{'), stdout.lastIndexOf('}') + 1)) as { mcpServers: Record<string, Entry> };
  return Object.values(json.mcpServers)[0]!;
}

/** Starts the entry as an MCP client would (no shell, on the demo data) and counts the tools it lists. */
export async function listToolsWith(entry: Entry): Promise<number> {
  const transport = new StdioClientTransport({ command: entry.command, args: [...entry.args, '--demo'], env: cleanEnv(), stderr: 'pipe' });
  const client = new Client({ name: 'install-test', version: '1' });
  await client.connect(transport);
  try {
    return (await client.listTools()).tools.length;
  } finally {
    await client.close();
  }
}
