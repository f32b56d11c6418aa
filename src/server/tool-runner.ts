import { z } from 'zod';
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { AnyTool } from '../tools/define-tool.js';
import type { ConnectionRouter } from '../connections/router.js';
import { describeError, isUnexpectedError, ToolInputError } from '../stripe/errors.js';
import { MODES, type Mode } from '../stripe/keys.js';
import { cleanDeep } from '../stripe/sanitize.js';
import { logLine } from './log.js';

/** Every tool reads and nothing else; clients skip confirmation prompts on these hints. */
export function toolAnnotations(tool: AnyTool) {
  return { title: tool.title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true } as const;
}

/** The tool's own arguments plus `connection` and `mode`, which route the call to one key. */
export function toolInputSchema(tool: AnyTool, connectionNames: string[]): z.ZodObject {
  const connection =
    connectionNames.length > 0
      ? z.enum(connectionNames as [string, ...string[]]).describe(`Which configured Stripe connection to read. Configured: ${connectionNames.join(', ')}.`)
      : z.string().min(1).describe('Which configured Stripe connection to read (none is configured yet).');
  return tool.input.extend({
    connection: connection.optional(),
    mode: z.enum(MODES).optional().describe("'test' or 'live' data; default: the connection's default mode (else test). Test and live data never mix."),
  });
}

export function toolOutputSchema(tool: AnyTool): z.ZodObject {
  return tool.output.extend({
    connection: z.string().describe('The connection that was read'),
    mode: z.enum(MODES).describe('The mode (test or live) that was read'),
  });
}

export interface RunOptions {
  router: ConnectionRouter;
  signal: AbortSignal;
}

/**
 * The one wrapper around every call: route to the key, run the handler, clean user-typed text, and turn any
 * failure into an `isError` result whose message says what to do. Handlers never catch.
 */
export async function runTool(tool: AnyTool, args: Record<string, unknown>, options: RunOptions): Promise<CallToolResult> {
  const { connection, mode, ...toolArgs } = args as { connection?: string; mode?: Mode } & Record<string, unknown>;
  let routedMode: Mode | undefined = mode;
  try {
    const routed = await options.router.resolve({ connection, mode });
    routedMode = routed.mode;
    const body = await tool.handler(toolArgs, { stripe: routed.stripe, connection: routed.connection, mode: routed.mode, signal: options.signal });
    const structured = cleanDeep({ connection: routed.connection, mode: routed.mode, ...body });
    return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
  } catch (err) {
    const message = describeError(err, { tool: tool.name, dashboardResource: tool.dashboardResource, ...(routedMode ? { mode: routedMode } : {}) });
    if (isUnexpectedError(err)) logLine(`${tool.name} failed: ${message}`);
    return { isError: true, content: [{ type: 'text', text: message }] };
  }
}

/** Validates raw arguments the way the MCP layer does, for callers outside MCP (the `call` command). */
export function parseToolArguments(tool: AnyTool, raw: unknown, connectionNames: string[]): Record<string, unknown> {
  const result = toolInputSchema(tool, connectionNames).safeParse(raw ?? {});
  if (!result.success) {
    throw new ToolInputError(result.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; '));
  }
  return result.data as Record<string, unknown>;
}
