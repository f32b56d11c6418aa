/**
 * Tool schemas built once and reused by every server instance. Over HTTP a server is built per request
 * (stateless), and the SDK turns each tool's zod schemas into JSON Schema on every tools/list and tools/call; for
 * our tools that conversion costs far more than the rest of a request. Here each schema is built once per tool
 * (and per list of connection names, which the input schema enumerates) and its JSON Schema is computed once,
 * through zod's own per-instance `~standard.jsonSchema` hook, then frozen so no caller can change the shared copy.
 *
 * The JSON Schemas themselves are computed at build time too (scripts/build.mjs writes dist/tool-schemas.json):
 * converting sixteen tools' zod schemas took ~60 ms of every stdio start, before the first tools/list could be
 * answered. Only the `connection` argument, which lists the configured names, is converted at run time. Run
 * from source (no snapshot beside the module) everything is converted on first use, with the same result.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { AnyTool } from '../tools/define-tool.js';
import { TOOLS } from '../tools/index.js';
import { connectionArgument, toolInputSchema, toolOutputSchema } from './tool-runner.js';
import { portableJsonSchema } from './portable-schema.js';

type Io = 'input' | 'output';
type JsonSchemaFn = (options?: { target?: string }) => Record<string, unknown>;
interface StandardWithJson {
  jsonSchema?: Record<Io, JsonSchemaFn>;
  [key: string]: unknown;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

type JsonSchema = Record<string, unknown>;

/** The JSON Schema dialect the SDK asks for (JSON_SCHEMA_CONVERSION_TARGET in @modelcontextprotocol/server). */
export const SDK_JSON_SCHEMA_TARGET = 'draft-2020-12';

/** Each tool's JSON Schemas as the SDK would compute them; the input as with no connection configured. */
export type ToolSchemaSnapshot = Record<string, { input: JsonSchema; output: JsonSchema }>;

/** What the SDK gets from a zod schema for tools/list: zod's conversion, made portable (portable-schema.ts). */
export const jsonSchemaOf = (schema: z.ZodType, io: Io): JsonSchema =>
  portableJsonSchema((schema as unknown as { '~standard': StandardWithJson })['~standard'].jsonSchema![io]({ target: SDK_JSON_SCHEMA_TARGET }), io);

/** What the build writes to dist/tool-schemas.json. */
export function snapshotToolSchemas(tools: readonly AnyTool[]): ToolSchemaSnapshot {
  return Object.fromEntries(
    tools.map((tool) => [tool.name, { input: jsonSchemaOf(toolInputSchema(tool, []), 'input'), output: jsonSchemaOf(toolOutputSchema(tool), 'output') }]),
  );
}

const SNAPSHOT_FILE = new URL('./tool-schemas.json', import.meta.url);
let snapshot: ToolSchemaSnapshot | null | undefined;

/**
 * The build's schemas for one of the built-in tools (the snapshot is keyed by name, so another tool of the same
 * name, as tests define, is converted instead); nothing where there is no snapshot (running from source).
 */
function snapshotOf(tool: AnyTool): ToolSchemaSnapshot[string] | undefined {
  if (!TOOLS.includes(tool)) return undefined;
  if (snapshot === undefined) {
    try {
      snapshot = JSON.parse(readFileSync(SNAPSHOT_FILE, 'utf8')) as ToolSchemaSnapshot;
    } catch {
      snapshot = null; // converting on first use gives the same schemas, only later
    }
  }
  return snapshot?.[tool.name];
}

/** A snapshot input schema (made with no connection configured) with the `connection` argument for these names. */
export function withConnectionNames(input: JsonSchema, connectionNames: string[]): JsonSchema {
  if (connectionNames.length === 0) return input;
  const properties = input.properties as Record<string, JsonSchema>;
  // Converted alone, the argument carries its own $schema; inside an object's properties it does not.
  const { $schema: _dialect, ...connection } = jsonSchemaOf(connectionArgument(connectionNames), 'input');
  return { ...input, properties: { ...properties, connection } };
}

/** What zod would make of `toolInputSchema(tool, connectionNames)`, from the snapshot. */
function snapshotInput(tool: AnyTool, connectionNames: string[]): JsonSchema | undefined {
  const input = snapshotOf(tool)?.input;
  return input && withConnectionNames(input, connectionNames);
}

/**
 * Makes `schema['~standard'].jsonSchema` compute each (io, target) once; `known` gives the SDK's target's
 * answers in advance.
 */
export function memoiseJsonSchema<S extends z.ZodType>(schema: S, known: Partial<Record<Io, JsonSchema>> = {}): S {
  const standard = (schema as unknown as { '~standard': StandardWithJson })['~standard'];
  const original = standard.jsonSchema;
  if (!original) return schema;
  const memo = new Map<string, Record<string, unknown>>();
  for (const io of ['input', 'output'] as const) {
    const json = known[io];
    if (json) memo.set(`${io}\u0000${SDK_JSON_SCHEMA_TARGET}`, deepFreeze(json));
  }
  const cached =
    (io: Io): JsonSchemaFn =>
    (options) => {
      const key = `${io}\u0000${options?.target ?? ''}`;
      let json = memo.get(key);
      if (!json) {
        json = deepFreeze(portableJsonSchema(original[io](options), io));
        memo.set(key, json);
      }
      return json;
    };
  // zod lets an instance carry its own `~standard` (its setter stores it on the instance).
  (schema as unknown as { '~standard': StandardWithJson })['~standard'] = { ...standard, jsonSchema: { input: cached('input'), output: cached('output') } };
  return schema;
}

const inputs = new WeakMap<AnyTool, Map<string, z.ZodObject>>();
const outputs = new WeakMap<AnyTool, z.ZodObject>();
/** Distinct connection-name lists are few (one per kind of caller); a bound keeps a misbehaving setup from growing this. */
const MAX_NAME_LISTS = 64;

export function cachedInputSchema(tool: AnyTool, connectionNames: string[]): z.ZodObject {
  let perNames = inputs.get(tool);
  if (!perNames) {
    perNames = new Map();
    inputs.set(tool, perNames);
  }
  const key = connectionNames.join('\u0000');
  let schema = perNames.get(key);
  if (!schema) {
    const known = snapshotInput(tool, connectionNames);
    schema = memoiseJsonSchema(toolInputSchema(tool, connectionNames), known ? { input: known } : {});
    if (perNames.size >= MAX_NAME_LISTS) perNames.delete(perNames.keys().next().value as string);
    perNames.set(key, schema);
  }
  return schema;
}

export function cachedOutputSchema(tool: AnyTool): z.ZodObject {
  let schema = outputs.get(tool);
  if (!schema) {
    const known = snapshotOf(tool)?.output;
    schema = memoiseJsonSchema(toolOutputSchema(tool), known ? { output: known } : {});
    outputs.set(tool, schema);
  }
  return schema;
}
