// The HTTP floor: the smallest useful SDK v2 Streamable HTTP server with one tool, served the way ours is
// (createMcpHandler: a server per request, 2026-07-28 and 2025 clients; toNodeHandler; node:http on loopback).
// Its one tool lists customers straight from the stripe package and returns Stripe's JSON as it comes: no auth,
// no routing, no projection. Our server is measured against it (bench/http.mjs).
//   node bench/floor-http-server.mjs STRIPE_API_BASE STRIPE_KEY   → prints "listening http://127.0.0.1:PORT/mcp"
import { createServer } from 'node:http';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import Stripe from 'stripe';
import { z } from 'zod';

const [apiBase, key] = process.argv.slice(2);
const u = new URL(apiBase);
const stripe = new Stripe(key, { host: u.hostname, port: u.port, protocol: 'http', maxNetworkRetries: 0 });

const handler = createMcpHandler(() => {
  const server = new McpServer({ name: 'floor', version: '1.0.0' }, { capabilities: { tools: {} } });
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
