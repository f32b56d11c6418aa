// The floor: the smallest useful SDK v2 stdio server, one tool. Our server is measured against it.
// Started with STRIPE_API_KEY and STRIPE_API_BASE it also has `list_customers`, which returns
// `stripe.customers.list` as Stripe's JSON text (no projection, no routing, no checks): what a plain Stripe MCP
// server does, for the list-call benchmark's context row. Without them it never loads `stripe`, so the
// cold-start floor stays one tool.
import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

const { STRIPE_API_KEY: key, STRIPE_API_BASE: apiBase } = process.env;
let stripe;
if (key && apiBase) {
  const { default: Stripe } = await import('stripe');
  const u = new URL(apiBase);
  stripe = new Stripe(key, { host: u.hostname, port: u.port, protocol: 'http', maxNetworkRetries: 0 });
}

serveStdio(() => {
  const server = new McpServer({ name: 'floor', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.registerTool(
    'echo',
    { title: 'Echo', description: 'Echoes', inputSchema: z.object({ text: z.string() }), annotations: { readOnlyHint: true } },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  if (stripe) {
    server.registerTool(
      'list_customers',
      { title: 'List customers', description: 'Lists customers', inputSchema: z.object({ limit: z.number().int().min(1).max(100) }), annotations: { readOnlyHint: true } },
      async ({ limit }) => ({ content: [{ type: 'text', text: JSON.stringify(await stripe.customers.list({ limit })) }] }),
    );
  }
  return server;
});
