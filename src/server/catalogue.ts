/**
 * What tools/list shows of a tool, without the tool's code: its name, set, title, description and JSON Schemas.
 * The build writes every built-in tool's entry to dist/tool-schemas.json (scripts/build.mjs), so a stdio start
 * answers tools/list from that file and loads the tools themselves (their zod schemas, handlers, `stripe`) only
 * when a call comes. This module is on that start path: it imports zod (the SDK needs it anyway) and nothing of the
 * tools.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { MODES } from '../stripe/keys.js';
import type { ServedWith, ToolsetName } from '../tools/toolsets.js';
import { resourceOf } from '../tools/engine/resource.js';
import { unknownArgumentMessage } from './argument-hints.js';
import { portableJsonSchema } from './portable-schema.js';

export type JsonSchema = Record<string, unknown>;
type Io = 'input' | 'output';

/** The JSON Schema dialect the SDK asks for (JSON_SCHEMA_CONVERSION_TARGET in @modelcontextprotocol/server). */
export const SDK_JSON_SCHEMA_TARGET = 'draft-2020-12';

/** A Standard Schema that can say its JSON Schema: what the SDK takes as a tool's input or output schema. */
export interface StandardJsonSchema {
  '~standard': {
    version: 1;
    vendor: string;
    validate: (value: unknown) => unknown;
    jsonSchema?: Record<Io, (options?: { target?: string }) => JsonSchema>;
  };
}

/** What the SDK gets from a schema for tools/list: zod's conversion, made portable (portable-schema.ts). */
export const jsonSchemaOf = (schema: z.ZodType | StandardJsonSchema, io: Io): JsonSchema =>
  portableJsonSchema((schema as unknown as StandardJsonSchema)['~standard'].jsonSchema![io]({ target: SDK_JSON_SCHEMA_TARGET }), io);

/** What tools/list needs of one tool besides its name. */
export interface CatalogueEntry {
  toolset: ToolsetName | ServedWith;
  title: string;
  description: string;
  /** The input schema as with no connection configured (see withConnectionNames). */
  input: JsonSchema;
  output: JsonSchema;
}

/** dist/tool-schemas.json: every built-in tool by name, in tools/list order. */
export type ToolSchemaSnapshot = Record<string, CatalogueEntry>;

/**
 * Every tool reads and nothing else; clients skip confirmation prompts on these hints. readOnlyHint and
 * destructiveHint are set because their defaults (false, true) are wrong for us. idempotentHint is left out: the
 * schema says it is meaningful only when readOnlyHint is false; openWorldHint too: its default is true, which is ours
 * (MCP schema, ToolAnnotations). Each hint left out is 20 bytes in every tool of every tools/list.
 */
export function toolAnnotations(tool: { title: string }) {
  return { title: tool.title, readOnlyHint: true, destructiveHint: false } as const;
}

/** The `connection` argument: the configured names, so a model can choose among them. */
export function connectionArgument(connectionNames: string[]): z.ZodType<string> {
  return connectionNames.length > 0
    ? z.enum(connectionNames as [string, ...string[]])
    : z.string().refine((name) => name.length >= 1, 'must be a configured connection name');
}

/** The tool's own arguments plus `connection` and `mode`, which route the call to one key. */
export function toolInputSchema(tool: { name: string; input: z.ZodObject; aggregates?: unknown; returns?: { object: string } }, connectionNames: string[]): z.ZodObject {
  const { shape } = tool.input.extend({
    connection: connectionArgument(connectionNames).optional(),
    // Said once in the server's instructions: default the connection's mode; test and live never mix.
    mode: z.enum(MODES).optional(),
  });
  // A mistyped argument name is answered with the valid names and the closest one (the MCP SDK and the CLI both
  // report this message).
  const names = Object.keys(shape);
  const aggregatedAs = tool.aggregates && tool.returns ? resourceOf(tool.returns.object) : undefined;
  return z.strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? unknownArgumentMessage(issue.keys, tool.name, names, 'argument', aggregatedAs) : undefined) });
}

export function toolOutputSchema(tool: { output: z.ZodObject }): z.ZodObject {
  return tool.output.extend({
    connection: z.string().describe('The connection that was read'),
    mode: z.enum(MODES).describe('The mode (test or live) that was read'),
  });
}

/** A snapshot input schema (made with no connection configured) with the `connection` argument for these names. */
export function withConnectionNames(input: JsonSchema, connectionNames: string[]): JsonSchema {
  if (connectionNames.length === 0) return input;
  const properties = input.properties as Record<string, JsonSchema>;
  // Converted alone, the argument carries its own $schema; inside an object's properties it does not.
  const { $schema: _dialect, ...connection } = jsonSchemaOf(connectionArgument(connectionNames), 'input');
  return { ...input, properties: { ...properties, connection } };
}

const SNAPSHOT_FILE = new URL('./tool-schemas.json', import.meta.url);
let snapshot: ToolSchemaSnapshot | null | undefined;

/** The build's catalogue beside this module; null where there is none (running from source). Read once. */
export function builtSnapshot(): ToolSchemaSnapshot | null {
  if (snapshot === undefined) {
    try {
      snapshot = JSON.parse(readFileSync(SNAPSHOT_FILE, 'utf8')) as ToolSchemaSnapshot;
    } catch {
      snapshot = null; // converting on first use gives the same schemas, only later
    }
  }
  return snapshot;
}
