import { McpServer, type CallToolResult, type StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import type { ConnectionRouter } from '../connections/router.js';
import type { AnyTool } from '../tools/define-tool.js';
import { isServed, notServedMessage, SERVE_ALL, type ToolSelection } from '../tools/toolsets.js';
import { jsonSchemaOf, toolAnnotations, type JsonSchema, type StandardJsonSchema } from './catalogue.js';
import { BUILT_IN_TOOLS } from './built-in-tools.js';
import { toolSourceOf, type ListedTool, type ToolSource } from './tool-source.js';
import { PACKAGE_VERSION } from '../version.js';
import { registerPrompts } from '../prompts/index.js';
import { SERVER_INSTRUCTIONS } from './instructions.js';

export { SERVER_INSTRUCTIONS };

export interface ServerOptions {
  /** The clock date words (today, 7d, last_month) and prompt defaults resolve against, in milliseconds; default Date.now. */
  now?: () => number;
  /** Which tools are served (--tools); the rest are not listed, and a call to one says how to enable it. Default: all. */
  tools?: ToolSelection;
}

const sources = new WeakMap<readonly AnyTool[], ToolSource>();
function sourceOf(tools: readonly AnyTool[] | ToolSource): ToolSource {
  if (!Array.isArray(tools)) return tools as ToolSource;
  let source = sources.get(tools as readonly AnyTool[]);
  if (!source) sources.set(tools as readonly AnyTool[], (source = toolSourceOf(tools as readonly AnyTool[])));
  return source;
}

interface Served {
  tool: ListedTool;
  inputSchema: StandardJsonSchema;
  outputSchema: StandardJsonSchema;
}

/**
 * Builds one MCP server (the stdio entry builds one per connection; HTTP one per request). `tools`: the built-in
 * tools by default (listed from the build's catalogue, loaded on the first call), or tools of a test's own.
 */
export function createMcpServer(router: ConnectionRouter, tools: readonly AnyTool[] | ToolSource = BUILT_IN_TOOLS, options: ServerOptions = {}): McpServer {
  const server = new McpServer(
    { name: 'stripe-readonly-mcp', title: 'Stripe (read-only)', version: PACKAGE_VERSION },
    { capabilities: { tools: {}, prompts: {} }, instructions: SERVER_INSTRUCTIONS },
  );
  const source = sourceOf(tools);
  const selection = options.tools ?? SERVE_ALL;
  const names = router.connectionNames();
  const served: Served[] = [];
  // A tool over other tools' resources (aggregate) refuses a resource whose own tool is not served, as that tool would.
  const notServed = (name: string) => {
    const other = source.tools.find((t) => t.name === name);
    return other && !isServed(selection, name) ? notServedMessage(other, selection) : undefined;
  };
  for (const tool of source.tools) {
    if (!isServed(selection, tool.name)) {
      // Registered so a call to it is answered (as a tool error a model reads), never listed (see below).
      const message = notServedMessage(tool, selection);
      server.registerTool(tool.name, { title: tool.title, description: tool.description }, async (): Promise<CallToolResult> => ({ isError: true, content: [{ type: 'text', text: message }] }));
      continue;
    }
    const entry: Served = { tool, inputSchema: source.inputSchema(tool.name, names), outputSchema: source.outputSchema(tool.name) };
    served.push(entry);
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: entry.inputSchema as unknown as StandardSchemaWithJSON<Record<string, unknown>>,
        outputSchema: entry.outputSchema as unknown as StandardSchemaWithJSON,
        annotations: toolAnnotations(tool),
      },
      (args, ctx) => {
        const progressToken = ctx.mcpReq._meta?.progressToken;
        return source.run(tool.name, args as Record<string, unknown>, {
          router,
          signal: ctx.mcpReq.signal,
          ...(options.now ? { now: options.now } : {}),
          ...(selection.names ? { notServed } : {}),
          ...(progressToken !== undefined
            ? { notifyProgress: (progress, message) => ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken, progress, message } }) }
            : {}),
        });
      },
    );
  }
  if (served.length < source.tools.length) listOnly(server, served);
  registerPrompts(server, names, options.now, (tool) => isServed(selection, tool));
  return server;
}

/**
 * tools/list showing only the served tools: the SDK lists every registered tool, the not-served ones included.
 * Each entry is what the SDK's own tools/list makes of a tool (test/server/toolsets.test.ts compares them).
 */
function listOnly(server: McpServer, served: Served[]): void {
  const listed = () =>
    served.map(({ tool, inputSchema, outputSchema }) => ({
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: { type: 'object', ...jsonSchemaOf(inputSchema, 'input') } as JsonSchema & { type: 'object' },
      annotations: toolAnnotations(tool),
      outputSchema: jsonSchemaOf(outputSchema, 'output') as JsonSchema & { type: 'object' },
    }));
  server.server.removeRequestHandler('tools/list');
  server.server.setRequestHandler('tools/list', () => ({ tools: listed() }));
}
