import { McpServer } from '@modelcontextprotocol/server';
import type { ConnectionRouter } from '../connections/router.js';
import type { AnyTool } from '../tools/define-tool.js';
import { TOOLS } from '../tools/index.js';
import { runTool, toolAnnotations } from './tool-runner.js';
import { cachedInputSchema, cachedOutputSchema } from './schema-cache.js';
import { PACKAGE_VERSION } from '../version.js';
import { registerPrompts } from '../prompts/index.js';
import { SERVER_INSTRUCTIONS } from './instructions.js';

export { SERVER_INSTRUCTIONS };

export interface ServerOptions {
  /** The clock date words (today, 7d, last_month) and prompt defaults resolve against, in milliseconds; default Date.now. */
  now?: () => number;
}

/** Builds one MCP server (the stdio entry builds one per connection; HTTP may build one per request). */
export function createMcpServer(router: ConnectionRouter, tools: readonly AnyTool[] = TOOLS, options: ServerOptions = {}): McpServer {
  const server = new McpServer(
    { name: 'stripe-readonly-mcp', title: 'Stripe (read-only)', version: PACKAGE_VERSION },
    { capabilities: { tools: {}, prompts: {} }, instructions: SERVER_INSTRUCTIONS },
  );
  const names = router.connectionNames();
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: cachedInputSchema(tool, names),
        outputSchema: cachedOutputSchema(tool),
        annotations: toolAnnotations(tool),
      },
      (args, ctx) => {
        const progressToken = ctx.mcpReq._meta?.progressToken;
        return runTool(tool, args as Record<string, unknown>, {
          router,
          signal: ctx.mcpReq.signal,
          ...(options.now ? { now: options.now } : {}),
          ...(progressToken !== undefined
            ? { notifyProgress: (progress, message) => ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken, progress, message } }) }
            : {}),
        });
      },
    );
  }
  registerPrompts(server, names, options.now);
  return server;
}
