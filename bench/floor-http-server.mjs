// The HTTP floor: the smallest useful SDK v2 Streamable HTTP server with one tool, served the way ours is
// (createMcpHandler: a server per request, 2026-07-28 and 2025 clients; toNodeHandler; node:http on loopback).
// Its one tool lists customers straight from the stripe package and returns Stripe's JSON as it comes: no auth,
// no routing, no projection. Our server is measured against it (bench/http.mjs).
//   node bench/floor-http-server.mjs STRIPE_API_BASE STRIPE_KEY [TOOLS_JSON]  → prints "listening http://127.0.0.1:PORT/mcp"
// With TOOLS_JSON (a file holding the tools of a tools/list result) it lists those tools instead, schemas and all
// (their calls are stubs), so its tools/list answers what ours does: that variant separates the cost of our HTTP
// layer from the size of our tool list.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createMcpHandler, fromJsonSchema, McpServer } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import Stripe from 'stripe';
import { z } from 'zod';

const [apiBase, key, toolsFile] = process.argv.slice(2);
const extraTools = toolsFile ? JSON.parse(readFileSync(toolsFile, 'utf8')) : [];
// Schemas built once, as ours are (src/server/schema-cache.ts).
const extra = extraTools.map((t) => ({
  name: t.name,
  config: {
    title: t.title,
    description: t.description,
    inputSchema: fromJsonSchema(t.inputSchema),
    ...(t.outputSchema ? { outputSchema: fromJsonSchema(t.outputSchema) } : {}),
    annotations: t.annotations,
  },
}));
const u = new URL(apiBase);
const stripe = new Stripe(key, { host: u.hostname, port: u.port, protocol: 'http', maxNetworkRetries: 0 });

const handler = createMcpHandler(() => {
  const server = new McpServer({ name: 'floor', version: '1.0.0' }, { capabilities: { tools: {} } });
  for (const t of extra) server.registerTool(t.name, t.config, async () => ({ isError: true, content: [{ type: 'text', text: 'listed only' }] }));
  if (extra.length > 0) return server;
  server.registerTool(
    'list_customers',
    {
      title: 'List customers',
      description: 'Lists customers',
      inputSchema: z.object({ limit: z.number().int().min(1).max(100).optional() }),
      annotations: { readOnlyHint: true },
    },
    async ({ limit }) => {
      const page = await stripe.customers.list({ limit: limit ?? 10 });
      return { content: [{ type: 'text', text: JSON.stringify(page.data) }] };
    },
  );
  return server;
});
const node = toNodeHandler(handler);
const server = createServer((req, res) => void node(req, res));
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening http://127.0.0.1:${server.address().port}/mcp\n`));
process.on('SIGTERM', () => process.exit(0));
