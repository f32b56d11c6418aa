/**
 * Our tool schemas are portable (issue 13): no construct a strict client flags, and every argument arrives typed
 * when real clients hand our tools to a model: LangChain's MCP adapter (@langchain/mcp-adapters,
 * then @langchain/core's OpenAI function format) and the AI SDK's MCP client (@ai-sdk/mcp). Every argument must
 * arrive with the type, enum and item type we publish. LangChain keeps only the object branches of an anyOf, so a
 * union-typed argument (as dates were: string | integer) reaches the model with no type at all; the last test shows
 * this check catches that.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ListToolsResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { loadMcpTools } from '@langchain/mcp-adapters';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import { createMCPClient } from '@ai-sdk/mcp';
import { Experimental_StdioMCPTransport } from '@ai-sdk/mcp/mcp-stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv } from '../helpers/spawn.js';
import { schemaPortability } from '../../bench/schema-portability.mjs';

type Json = Record<string, unknown>;
interface Listed {
  name: string;
  inputSchema: Json & { properties?: Record<string, Json> };
}

/** What a model needs of an argument: its JSON type, its enum, and its items' type and enum. */
function shapeOf(schema: Json | undefined): unknown {
  if (!schema) return undefined;
  const items = schema.items as Json | undefined;
  return {
    type: schema.type,
    ...(schema.enum ? { enum: schema.enum } : {}),
    ...(items ? { items: { type: items.type, ...(items.enum ? { enum: items.enum } : {}) } } : {}),
  };
}

/** Every argument of every tool whose converted shape differs from the published one. */
function lostArguments(published: Listed[], converted: (name: string) => Json | undefined): string[] {
  const lost: string[] = [];
  for (const tool of published) {
    const after = (converted(tool.name)?.properties ?? {}) as Record<string, Json>;
    for (const [arg, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
      const want = shapeOf(schema);
      const got = shapeOf(after[arg]);
      if (JSON.stringify(got) !== JSON.stringify(want)) lost.push(`${tool.name}.${arg}: published ${JSON.stringify(want)}, converted ${JSON.stringify(got)}`);
    }
  }
  return lost;
}

const serverParams = { command: process.execPath, args: [BIN, '--demo'], env: cleanEnv() };
let v1: Client;
let published: Listed[];

beforeAll(async () => {
  v1 = new Client({ name: 'adapter-test', version: '1.0.0' });
  await v1.connect(new StdioClientTransport({ ...serverParams, stderr: 'ignore' }));
  published = (await v1.listTools()).tools as Listed[];
}, 30_000);
afterAll(async () => v1?.close());

describe('schemas every client can read (issue 13)', () => {
  it('has no type arrays anywhere, no anyOf/oneOf in input schemas and no untyped schemas', async () => {
    const raw = (await v1.request({ method: 'tools/list', params: {} }, ListToolsResultSchema)).tools;
    const counts = schemaPortability(raw);
    expect(counts.details).toEqual([]);
    expect({ typeArrays: counts.typeArrays, inputUnions: counts.inputUnions, emptySchemas: counts.emptySchemas }).toEqual({ typeArrays: 0, inputUnions: 0, emptySchemas: 0 });
  });

  it('the check counts what a strict client flags', () => {
    const tool = { name: 'old', inputSchema: { type: 'object', properties: { a: { anyOf: [{ type: 'string' }, { type: 'integer' }] } } }, outputSchema: { type: 'object', properties: { b: { type: ['string', 'null'] }, c: {} } } };
    expect(schemaPortability([tool])).toMatchObject({ typeArrays: 1, inputUnions: 1, emptySchemas: 1 });
  });
});

describe('client adapters keep every argument typed', () => {
  it('publishes every argument with one JSON type', () => {
    expect(published.length).toBeGreaterThan(0);
    for (const tool of published) {
      for (const [arg, schema] of Object.entries(tool.inputSchema.properties ?? {})) expect(typeof schema.type, `${tool.name}.${arg}`).toBe('string');
    }
  });

  it("LangChain's MCP adapter, and the OpenAI function LangChain makes of it", async () => {
    const tools = await loadMcpTools('stripe', v1 as never, { throwOnLoadError: true });
    expect(tools.map((t) => t.name).sort()).toEqual(published.map((t) => t.name).sort());
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(lostArguments(published, (name) => byName.get(name)?.schema as Json)).toEqual([]);
    const functions = new Map(tools.map((t) => [t.name, convertToOpenAITool(t).function.parameters as Json]));
    expect(lostArguments(published, (name) => functions.get(name))).toEqual([]);
  }, 30_000);

  it("the AI SDK's MCP client", async () => {
    const client = await createMCPClient({ transport: new Experimental_StdioMCPTransport({ ...serverParams, stderr: 'ignore' }) });
    try {
      const tools = (await client.tools()) as unknown as Record<string, { inputSchema: { jsonSchema: Json | PromiseLike<Json> } }>;
      expect(Object.keys(tools).sort()).toEqual(published.map((t) => t.name).sort());
      const schemas = new Map<string, Json>();
      for (const [name, tool] of Object.entries(tools)) schemas.set(name, await tool.inputSchema.jsonSchema);
      expect(lostArguments(published, (name) => schemas.get(name))).toEqual([]);
    } finally {
      await client.close();
    }
  }, 30_000);

  it('catches an argument that loses its type (a date as string | integer, as before issue 13)', async () => {
    const union: Listed = {
      name: 'old_dates',
      inputSchema: { type: 'object', properties: { created_after: { anyOf: [{ type: 'string' }, { type: 'integer' }] } } },
    };
    const fake = { listTools: async () => ({ tools: [{ ...union, inputSchema: structuredClone(union.inputSchema) }] }) };
    const [tool] = await loadMcpTools('old', fake as never);
    const lost = lostArguments([{ ...union, inputSchema: { type: 'object', properties: { created_after: { type: 'string' } } } }], () => tool!.schema as Json);
    expect(lost).toEqual(['old_dates.created_after: published {"type":"string"}, converted {}']);
  });
});
