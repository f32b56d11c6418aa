/**
 * The tools' JSON Schemas are computed at build time (dist/tool-schemas.json) so a stdio start need not convert
 * every tool's zod schemas before its first tools/list. What a client is shown must be exactly what converting the
 * source's schemas gives, with any list of configured connection names.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { describe, expect, it } from 'vitest';
import { canaryKey, cleanEnv } from '../helpers/spawn.js';
import { jsonSchemaOf, snapshotToolSchemas, withConnectionNames, type ToolSchemaSnapshot } from '../../src/server/schema-cache.js';
import { toolInputSchema } from '../../src/server/tool-runner.js';
import { TOOLS } from '../../src/tools/index.js';

// Written by the build that test/global-setup.ts runs before every test run.
const built = JSON.parse(readFileSync(new URL('../../dist/tool-schemas.json', import.meta.url), 'utf8')) as ToolSchemaSnapshot;

describe('tool JSON Schemas computed at build time', () => {
  it('the build ships every tool, each schema equal to converting the source now', () => {
    expect(Object.keys(built).sort()).toEqual(TOOLS.map((t) => t.name).sort());
    expect(built).toEqual(snapshotToolSchemas(TOOLS));
  });

  it('put together with configured connection names, gives what zod gives for those names', () => {
    for (const names of [[], ['acme'], ['acme', 'globex', 'initech']]) {
      for (const tool of TOOLS) {
        const fromSnapshot = withConnectionNames(built[tool.name]!.input, names);
        expect(fromSnapshot, `${tool.name} with ${names.join(',') || 'no connections'}`).toEqual(jsonSchemaOf(toolInputSchema(tool, names), 'input'));
      }
    }
    const connection = (withConnectionNames(built.list_customers!.input, ['acme', 'globex']).properties as Record<string, { enum?: string[] }>).connection;
    expect(connection?.enum).toEqual(['acme', 'globex']);
  });
});

describe('the built server', () => {
  it('answers tools/list from the snapshot beside its bundle, with the configured connection names put in', async () => {
    // A copy of the package (dist/ and package.json) whose snapshot carries a marker no conversion would produce. It
    // sits under node_modules/ so the bundle still finds its packages there, and git ignores it.
    const cache = fileURLToPath(new URL('../../node_modules/.cache/', import.meta.url));
    mkdirSync(cache, { recursive: true });
    const copy = mkdtempSync(join(cache, 'srm-snapshot-'));
    try {
      cpSync(fileURLToPath(new URL('../../dist/', import.meta.url)), join(copy, 'dist'), { recursive: true });
      cpSync(fileURLToPath(new URL('../../package.json', import.meta.url)), join(copy, 'package.json'));
      const marked = structuredClone(built);
      marked.list_customers!.input.description = 'read from tool-schemas.json';
      writeFileSync(join(copy, 'dist', 'tool-schemas.json'), JSON.stringify(marked));
      const client = new Client({ name: 'snapshot-test', version: '1.0.0' });
      await client.connect(new StdioClientTransport({ command: process.execPath, args: [join(copy, 'dist', 'cli.js')], env: cleanEnv({ STRIPE_API_KEY: canaryKey() }), stderr: 'ignore' }));
      try {
        const { tools } = await client.listTools();
        const input = tools.find((t) => t.name === 'list_customers')!.inputSchema as { description?: string; properties: Record<string, { enum?: string[] }> };
        expect(input.description).toBe('read from tool-schemas.json');
        expect(input.properties.connection?.enum).toEqual(['env']);
      } finally {
        await client.close();
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
