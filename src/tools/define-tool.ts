import type Stripe from 'stripe';
import type { z } from 'zod';
import type { Mode } from '../stripe/keys.js';
import type { KnownKind, ObjectKind } from '../stripe/objects.js';
import type { ReadPermission, ToolPermissions } from '../stripe/permissions.js';

/** What a handler gets besides its arguments: the routed client and the call's cancellation signal. */
export interface ToolContext {
  stripe: Stripe;
  connection: string;
  mode: Mode;
  /** Fires when the client cancels the call: stop paging at once. */
  signal: AbortSignal;
  /**
   * Reports how far a long call got (objects read so far), as MCP progress notifications when the client asked
   * for them. Absent outside MCP (the CLI); the server throttles and orders the notifications.
   */
  progress?: (done: number, message: string) => void;
  /**
   * Told when the call went without an optional permission (`mayUse`) because Stripe refused it: `connections test`
   * listens, so it can list what the key lacks even where the tool still answered.
   */
  permissionMissing?: (permission: ReadPermission) => void;
}

export interface ToolDefinition<Input extends z.ZodObject = z.ZodObject, Output extends z.ZodObject = z.ZodObject> {
  /** snake_case MCP tool name. */
  name: string;
  /** Human title, shown by clients and used as the `title` annotation. */
  title: string;
  /** Written for a model choosing a tool: what it returns, units, date format, filters, an example. */
  description: string;
  /**
   * The `rak_…_read` permissions a restricted key needs for this tool, and those it may use (labels:
   * src/stripe/permissions.ts). Errors, `connections test`, the README's key table and the emulator are held to it.
   */
  permissions: ToolPermissions;
  /**
   * The kind of Stripe object the tool lists (id prefixes, Dashboard path, how fetch retrieves one): fetch, the
   * plain-text search and Dashboard links know a kind only from here. Retrieving one needs the tool's `needs`.
   */
  returns?: ObjectKind;
  /** The tool's own arguments; `connection` and `mode` are added by the server for every tool. */
  input: Input;
  /** The result's shape; `connection` and `mode` are added by the server. */
  output: Output;
  /** Small and never catching: the server's one wrapper turns every failure into an `isError` result. */
  handler: (args: z.output<Input>, ctx: ToolContext) => Promise<z.input<Output>>;
}

/** Does nothing at run time: it lets TypeScript infer the handler's types from the schemas. */
export function defineTool<Input extends z.ZodObject, Output extends z.ZodObject>(
  definition: ToolDefinition<Input, Output>,
): ToolDefinition<Input, Output> {
  return definition;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTool = ToolDefinition<any, any>;

/**
 * The object kinds the tools declare, in the tools' order (fetch tries custom ids in it), each with the permission
 * retrieving one needs: the declaring tool's single `needs` entry.
 */
export function declaredKinds(tools: readonly AnyTool[]): KnownKind[] {
  return tools.flatMap((tool) => {
    if (!tool.returns) return [];
    const [permission, ...more] = tool.permissions.needs;
    if (!permission || more.length > 0) throw new Error(`${tool.name} declares an object kind, so it must need exactly one permission`);
    return [{ ...tool.returns, permission }];
  });
}
