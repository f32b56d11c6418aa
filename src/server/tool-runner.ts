import { z } from 'zod';
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { AnyTool } from '../tools/define-tool.js';
import type { ConnectionRouter } from '../connections/router.js';
import { describeError, isUnexpectedError, ToolInputError } from '../stripe/errors.js';
import type { Mode } from '../stripe/keys.js';
import { cleanDeep } from '../stripe/sanitize.js';
import { logLine } from './log.js';
import { OUTPUT_LIMIT_CHARS } from '../tools/engine/output.js';
import { dateFieldsOf, resolveDateWords } from '../tools/engine/date-words.js';
import { dateInput } from '../tools/common.js';
import { toolInputSchema, toolOutputSchema } from './catalogue.js';

// What tools/list shows lives in catalogue.ts (on the stdio start path); re-exported for the callers that had it here.
export { connectionArgument, toolAnnotations, toolInputSchema, toolOutputSchema } from './catalogue.js';

export interface RunOptions {
  router: ConnectionRouter;
  signal: AbortSignal;
  /** Sends one MCP progress notification; given only when the client asked for progress (a progress token). */
  notifyProgress?: (progress: number, message: string) => Promise<void>;
  /** The clock date words (today, 7d, last_month) resolve against, in milliseconds; default Date.now. */
  now?: () => number;
  /** Why a tool is not served by this server (undefined when it is); absent when every tool is served. */
  notServed?: (tool: string) => string | undefined;
}

/** Each tool's date arguments, found once from its schema. */
const dateFields = new WeakMap<AnyTool, string[]>();
function dateFieldsOfTool(tool: AnyTool): string[] {
  let fields = dateFields.get(tool);
  if (!fields) dateFields.set(tool, (fields = dateFieldsOf(tool.input, dateInput)));
  return fields;
}

/** Progress notifications at most this often: enough to show life, few enough not to flood the client. */
export const PROGRESS_INTERVAL_MS = 250;

/** ctx.progress for a handler: throttled, strictly increasing (as MCP requires), and never failing the call. */
function progressReporter(notify: RunOptions['notifyProgress']): ((done: number, message: string) => void) | undefined {
  if (!notify) return undefined;
  let last = -Infinity;
  let sentAt = 0;
  return (done, message) => {
    const now = Date.now();
    if (done <= last || now - sentAt < PROGRESS_INTERVAL_MS) return;
    last = done;
    sentAt = now;
    notify(done, message).catch(() => {});
  };
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
    const progress = progressReporter(options.notifyProgress);
    // Date words become absolute dates here, so handlers, filter echoes and errors all see the dates used.
    const now = options.now ?? Date.now;
    const resolvedArgs = resolveDateWords(toolArgs, dateFieldsOfTool(tool), now());
    const body = await tool.handler(resolvedArgs, {
      stripe: routed.stripe,
      connection: routed.connection,
      mode: routed.mode,
      signal: options.signal,
      now,
      ...(progress ? { progress } : {}),
      ...(options.notServed ? { notServed: options.notServed } : {}),
    });
    const structured = cleanDeep({ connection: routed.connection, mode: routed.mode, ...body });
    const unreadable = outputProblem(tool, structured);
    if (unreadable) {
      logLine(`${tool.name} failed: ${unreadable}`);
      return { isError: true, content: [{ type: 'text', text: unreadable }] };
    }
    const text = JSON.stringify(structured);
    // The list tools summarise before this; anything else that grew past what clients accept is refused, not cut.
    if (text.length > OUTPUT_LIMIT_CHARS) return { isError: true, content: [{ type: 'text', text: tooLargeMessage(tool, text.length) }] };
    return { content: [{ type: 'text', text }], structuredContent: structured };
  } catch (err) {
    const message = describeError(err, { tool: tool.name, permissions: tool.permissions, ...(routedMode ? { mode: routedMode } : {}) });
    // A cancelled call is not a failure worth an operator's attention.
    if (isUnexpectedError(err) && !options.signal.aborted) logLine(`${tool.name} failed: ${message}`);
    return { isError: true, content: [{ type: 'text', text: message }] };
  }
}

const outputSchemas = new WeakMap<AnyTool, z.ZodObject>();

/**
 * Checked here, not only by the SDK (whose message names no cause): Stripe's API always sends the fields a
 * projection reads, so a result that misses its schema came from an answer that is not Stripe's (or from a bug).
 */
function outputProblem(tool: AnyTool, structured: unknown): string | null {
  let schema = outputSchemas.get(tool);
  if (!schema) outputSchemas.set(tool, (schema = toolOutputSchema(tool)));
  const result = schema.safeParse(structured);
  if (result.success) return null;
  const issues = result.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'the answer'}: ${i.message}`).join('; ');
  return (
    `${tool.name} could not build its answer from what Stripe returned (${issues}). Stripe's API always sends these fields, so the answer probably did not ` +
    'come from it: check STRIPE_API_BASE (if it is set) and any proxy between this server and api.stripe.com. If it did come from api.stripe.com, please report this message.'
  );
}

function tooLargeMessage(tool: AnyTool, chars: number): string {
  return (
    `The answer of ${tool.name} would be ${chars.toLocaleString('en-US')} characters, more than the ~${OUTPUT_LIMIT_CHARS.toLocaleString('en-US')} a client accepts, so it is not returned. ` +
    'Ask for less: a smaller limit or max_results, detail "compact", narrower filters, or the aggregate tool for totals.'
  );
}

/** Validates raw arguments the way the MCP layer does, for callers outside MCP (the `call` command). */
export function parseToolArguments(tool: AnyTool, raw: unknown, connectionNames: string[]): Record<string, unknown> {
  const result = toolInputSchema(tool, connectionNames).safeParse(raw ?? {});
  if (!result.success) {
    throw new ToolInputError(result.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; '));
  }
  return result.data as Record<string, unknown>;
}
