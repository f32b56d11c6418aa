import type Stripe from 'stripe';
import type { z } from 'zod';
import type { Mode } from '../stripe/keys.js';
import type { KnownKind, ObjectKind } from '../stripe/objects.js';
import type { Facets } from '../stripe/compact/facets.js';
import type { OptionalPermission, ReadPermission, ToolPermissions } from '../stripe/permissions.js';
import type { ServedWith, ToolsetName } from './toolsets.js';

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
  /** Told when Stripe answered a request that needed an optional permission: the key holds it. */
  permissionUsed?: (permission: ReadPermission) => void;
  /** For a tool over other tools' resources (aggregate): why the named tool is not served here, or undefined if it is. */
  notServed?: (tool: string) => string | undefined;
  /** The clock date words resolve against, in milliseconds (the server's, so tests can set it); default Date.now. */
  now?: () => number;
}

/**
 * How a tool describes itself (issue 13: every conversation pays for the catalogue before the user asks; its goal of
 * 16,000 bytes for all default tools, instructions and input schemas included, is not reached: bench/catalogue.mjs
 * measures it, bench/RESULTS.md has the figure, and test/e2e/stdio.test.ts holds tools/list to 40,000 bytes):
 * - What every tool shares is said ONCE, in the server's instructions (src/server/instructions.ts): money as exact decimal strings per currency, date forms (ISO, Unix seconds, today, 7d,
 *   last_month, …; *_after inclusive, *_before exclusive), paging (limit / cursor / max_results), the aggregation
 *   grammar (group_by, metrics, order_by, order, top, date_field, timezone: the `aggregate` tool's, declared once
 *   for every list), connection and mode. A tool never restates them, nor points to them: the instructions are read
 *   with every catalogue (the list tools' "Pages as the instructions say" cost 700 bytes of tools/list).
 * - description: 200–450 characters, in this order: what it returns (the main fields, newest first or not), its
 *   units if it returns money or counts, the filters or uses a model could not guess from the argument names,
 *   where to go instead (e.g. "amounts: use search"), then one or two example calls as JSON after
 *   "Example:" (valid input: test/tools/registry.test.ts parses them). Look at list-charges.ts or get-mrr.ts.
 * - Argument descriptions: only what the name, type and enum do not say (e.g. "true: fully refunded only",
 *   "pi_…"); none at all for the shared arguments (listInput, the aggregation arguments, dates, connection, mode). No
 *   defaults, ranges or enum values in prose: the schema carries them.
 * - Schemas: one JSON type per argument (no unions: dates are strings, Unix seconds as digits); enums only when
 *   short or when a model could not guess the values; constraints a model does not need (id patterns, lengths)
 *   checked with `.refine()` so they stay out of the JSON Schema. Output schemas are what clients validate
 *   structuredContent against, not documentation: no descriptions needed, optional instead of nullable.
 */
export interface ToolDefinition<Input extends z.ZodObject = z.ZodObject, Output extends z.ZodObject = z.ZodObject> {
  /** snake_case MCP tool name. */
  name: string;
  /** The set it belongs to (src/tools/toolsets.ts): `--tools SET` serves it with the rest of its set. */
  toolset: ToolsetName | ServedWith;
  /** Human title, shown by clients and used as the `title` annotation. */
  title: string;
  /** Written for a model choosing a tool, in the style above: what it returns, units, filters, one example. */
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
  /**
   * For a list tool: where it stands among the list tools, lower first (ties, and tools without one, by file name).
   * The order is what tools/list shows, the order in which fetch tries an id without a prefix (the likeliest kind
   * first: one Stripe call, not three), and the README's. Declared here so that a new list tool places itself.
   */
  listOrder?: number;
  /**
   * For a list tool: what the `aggregate` tool (src/tools/aggregate.ts) groups and sums over its objects, which
   * makes the list one of that tool's resources, and the optional permissions aggregating them may use (names of
   * grouped rows). The list tool's own handler answers the aggregation, given the aggregation arguments.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  aggregates?: { facets: Facets<any>; mayUse: readonly OptionalPermission[] };
  /** The tool's own arguments; `connection` and `mode` are added by the server for every tool. */
  input: Input;
  /**
   * What the README's Filters table says that the arguments do not (scripts/readme-tables.ts writes the table,
   * `npm run readme`). By default a tool's row is its own arguments, each with its description (an id hint such as
   * "cus_…" left out) or, without one, its values if at most three.
   */
  readme?: {
    /** The whole row, for a tool whose arguments need more than a note each; it must name every argument. */
    filters?: string;
    /** An argument's note in place of its description ('' for none). */
    notes?: { [K in keyof z.input<Input>]?: string };
    /** Filters Stripe's list endpoint does not take, so the tool applies them to each page it reads. */
    appliedWhilePaging?: ReadonlyArray<keyof z.input<Input> & string>;
    /** Said after the filters. */
    also?: string;
  };
  /** The result's shape; `connection` and `mode` are added by the server. */
  output: Output;
  /** Small and never catching: the server's one wrapper turns every failure into an `isError` result. */
  handler: (args: z.output<Input>, ctx: ToolContext) => Promise<z.input<Output>>;
}

/** Every tool defineTool made: how the list tools' discovery (./lists/index.ts) tells a tool from a file's other exports. */
const DEFINED_TOOLS = new WeakSet<object>();

/** Lets TypeScript infer the handler's types from the schemas, and marks the definition as a tool. */
export function defineTool<Input extends z.ZodObject, Output extends z.ZodObject>(
  definition: ToolDefinition<Input, Output>,
): ToolDefinition<Input, Output> {
  DEFINED_TOOLS.add(definition);
  return definition;
}

export const isDefinedTool = (value: unknown): value is AnyTool => typeof value === 'object' && value !== null && DEFINED_TOOLS.has(value);

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
